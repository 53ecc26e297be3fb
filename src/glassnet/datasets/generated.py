"""Generated data sets: each draws from its own seeded ``numpy.random.Generator``, so the
same seed gives the same points on every machine.

Example:
    >>> X, y = make_moons(100, seed=0); X.shape, sorted(set(y.tolist()))
    ((100, 2), [0, 1])
"""

from __future__ import annotations

import numpy as np

from glassnet.engine.arrays import seeded_generator
from glassnet.engine.validation import check_integer, check_number

__all__ = [
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_blobs",
    "make_sine",
    "make_plane",
    "make_gauss",
]


def _check_size(n_samples: int, noise: float) -> None:
    check_integer("n_samples", n_samples, low=2)
    check_number("noise", noise, 0)


def _generator(seed: int | np.random.Generator | None) -> np.random.Generator:
    """The generator to draw from: ``seed`` itself when it is one, else one made from it."""
    return seed if isinstance(seed, np.random.Generator) else seeded_generator(seed)


def make_moons(
    n_samples: int = 200, noise: float = 0.1, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, classes 0 and 1.

    Example:
        >>> X, y = make_moons(100, seed=0); X.shape, sorted(set(y.tolist()))
        ((100, 2), [0, 1])
    """
    _check_size(n_samples, noise)
    rng = seeded_generator(seed)
    n_top = n_samples // 2
    angle_top = np.linspace(0, np.pi, n_top)
    angle_bottom = np.linspace(0, np.pi, n_samples - n_top)
    X = np.vstack([
        np.column_stack([np.cos(angle_top), np.sin(angle_top)]),
        np.column_stack([1 - np.cos(angle_bottom), 0.5 - np.sin(angle_bottom)]),
    ])  # fmt: skip
    y = np.repeat([0, 1], [n_top, n_samples - n_top])
    X += rng.normal(scale=noise, size=X.shape)
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_circles(n_samples: int = 200, noise: float = 0.05, factor: float = 0.5,
                 seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """A small circle (class 1) inside a large one (class 0).

    Example:
        >>> make_circles(50, seed=0)[0].shape
        (50, 2)
    """
    _check_size(n_samples, noise)
    check_number("factor", factor, 0, 1, low_open=True, high_open=True)
    rng = seeded_generator(seed)
    n_outer = n_samples // 2
    angles = np.concatenate([
        np.linspace(0, 2 * np.pi, n_outer, endpoint=False),
        np.linspace(0, 2 * np.pi, n_samples - n_outer, endpoint=False),
    ])  # fmt: skip
    radius = np.repeat([1.0, factor], [n_outer, n_samples - n_outer])
    X = np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])
    X += rng.normal(scale=noise, size=X.shape)
    y = np.repeat([0, 1], [n_outer, n_samples - n_outer])
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_spirals(
    n_samples: int = 1000,
    noise: float = 0.1,
    n_classes: int = 2,
    turns: float = 1.75,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class (the classic hard case for a linear model).

    Each arm winds ``turns`` times out to radius 5, as in TensorFlow Playground, so two
    neighbouring arms of a 2-class spiral lie 5 / (2 turns) ~ 1.4 apart; ``noise`` is the
    standard deviation of the Gaussian noise added to every coordinate, in those units.

    Example:
        >>> X, y = make_spirals(300, n_classes=3, seed=0); sorted(set(y.tolist()))
        [0, 1, 2]
    """
    _check_size(n_samples, noise)
    check_integer("n_classes", n_classes, low=2)
    rng = seeded_generator(seed)
    y = np.arange(n_samples) % n_classes
    t = rng.uniform(0.0, 1.0, n_samples)
    radius = 5 * t
    angle = t * turns * 2 * np.pi + y * (2 * np.pi / n_classes)
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    X += rng.normal(scale=noise, size=X.shape)
    return X, y


def make_blobs(
    n_samples: int = 300,
    centers: int = 3,
    spread: float = 0.6,
    n_features: int = 2,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clusters around random centres, one class per cluster.

    Example:
        >>> make_blobs(90, centers=3, seed=0)[1].tolist().count(2)
        30
    """
    _check_size(n_samples, spread)
    check_integer("centers", centers, low=1)
    rng = seeded_generator(seed)
    middle = rng.uniform(-4, 4, size=(centers, n_features))
    y = np.arange(n_samples) % centers
    X = middle[y] + rng.normal(scale=spread, size=(n_samples, n_features))
    return X, y


def make_sine(
    n_samples: int = 400, noise: float = 0.05, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Regression: y = sin(x) + N(0, noise^2) for x in [-pi, pi]; X has shape (n, 1).

    The noise caps the best possible R^2 at about 1 - 2 noise^2 (var sin = 1/2): 0.995
    at the default 0.05, 0.98 at 0.1.

    Example:
        >>> X, y = make_sine(10, seed=0); X.shape, y.shape
        ((10, 1), (10,))
    """
    _check_size(n_samples, noise)
    rng = seeded_generator(seed)
    x = rng.uniform(-np.pi, np.pi, n_samples)
    return x.reshape(-1, 1), np.sin(x) + rng.normal(scale=noise, size=n_samples)


def _square(
    n_samples: int, noise: float, seed: int | np.random.Generator | None
) -> tuple[np.ndarray, np.random.Generator]:
    """Points drawn uniformly from [-1, 1]^2, and the generator to draw their noise from."""
    _check_size(n_samples, noise)
    rng = _generator(seed)
    return rng.uniform(-1.0, 1.0, size=(n_samples, 2)), rng


def make_plane(
    n_samples: int = 200, noise: float = 0.05, seed: int | np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Regression on two features, a tilted plane: y = 0.6 x1 - 0.4 x2 + noise * N(0, 1),
    for points drawn uniformly from [-1, 1]^2 (X has shape (n, 2)).

    ``seed`` may also be a ``numpy.random.Generator`` to draw from (and to go on drawing
    from afterwards, as the playground draws its train/test split); a fresh generator of
    seed s draws what seed=s does.

    Example:
        >>> X, y = make_plane(3, noise=0.0, seed=0)
        >>> np.allclose(y, 0.6 * X[:, 0] - 0.4 * X[:, 1])
        True
    """
    X, rng = _square(n_samples, noise, seed)
    return X, 0.6 * X[:, 0] - 0.4 * X[:, 1] + noise * rng.normal(size=n_samples)


def make_gauss(
    n_samples: int = 200, noise: float = 0.05, seed: int | np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Regression on two features, a Gaussian bump: y = exp(-(x1^2 + x2^2) / (2 * 0.45^2))
    + noise * N(0, 1), for points drawn uniformly from [-1, 1]^2 (X has shape (n, 2)).

    ``seed`` may also be a ``numpy.random.Generator``, as for ``make_plane``.

    Example:
        >>> X, y = make_gauss(200, noise=0.0, seed=0)
        >>> bool(y.max() <= 1.0 and y.min() > 0.0)
        True
    """
    X, rng = _square(n_samples, noise, seed)
    bump = np.exp(-(X[:, 0] ** 2 + X[:, 1] ** 2) / (2 * 0.45**2))
    return X, bump + noise * rng.normal(size=n_samples)
