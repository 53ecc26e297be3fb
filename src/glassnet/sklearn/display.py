"""What a notebook shows of an estimator: scikit-learn's own diagram of it (its parameters,
the fitted attributes), then, once fitted, the glassnet objects it trained in their own
displays (a ``Network``'s table of layers, a ``Perceptron``'s epochs).

The estimators override scikit-learn's ``_html_repr``, which both its ``_repr_html_`` and
its ``_repr_mimebundle_`` (what Jupyter asks for first) call, with this page.

Example:
    >>> from glassnet.sklearn import GlassPerceptron
    >>> page = estimator_html(GlassPerceptron(), ["<p>the perceptron</p>"])
    >>> "sk-" in page, page.endswith("\\n<p>the perceptron</p>")
    (True, True)
"""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.base import BaseEstimator
from sklearn.utils import estimator_html_repr

__all__ = ["estimator_html"]


def estimator_html(estimator: BaseEstimator, shown: Sequence[str] = ()) -> str:
    """scikit-learn's HTML diagram of ``estimator``, then each HTML part of ``shown`` (the
    displays of the glassnet objects it trained; none before ``fit``), one after another.

    Example:
        >>> from glassnet.sklearn import GlassMLPClassifier
        >>> page = estimator_html(GlassMLPClassifier(), ["<p>a</p>", "<p>b</p>"])
        >>> page.startswith("<style>"), page.endswith("</body>\\n<p>a</p>\\n<p>b</p>")
        (True, True)
    """
    return "\n".join([estimator_html_repr(estimator), *shown])
