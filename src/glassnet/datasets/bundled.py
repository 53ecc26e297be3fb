"""scikit-learn's bundled data sets (iris, digits), read from the installed scikit-learn.

Example:
    >>> load_iris()[0].shape  # doctest: +SKIP
    (150, 4)
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

__all__ = ["load_iris", "load_digits"]


def _sklearn_datasets() -> ModuleType:
    try:
        from sklearn import datasets
    except ImportError:
        raise ImportError(
            "this data set ships with scikit-learn: pip install 'glassnet[sklearn]'"
        ) from None
    return datasets


def load_iris() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled iris: 150 flowers, 4 features, 3 classes (needs the extra).

    Example:
        >>> load_iris()[0].shape  # doctest: +SKIP
        (150, 4)
    """
    data = _sklearn_datasets().load_iris()
    return data.data.astype(np.float64), data.target


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8x8 digits: 1,797 images, 64 features, 10 classes.

    Example:
        >>> load_digits()[0].shape  # doctest: +SKIP
        (1797, 64)
    """
    data = _sklearn_datasets().load_digits()
    return data.data.astype(np.float64), data.target
