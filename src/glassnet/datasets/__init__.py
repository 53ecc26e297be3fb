"""Data sets: the tutorials' tables, seeded generators, scikit-learn's bundled sets, CSV.

Every generator takes a ``seed`` and draws from its own ``numpy.random.Generator``, so
the same seed gives the same points on every machine.

In modules: ``tables`` (the tutorials' data), ``generated`` (the seeded sets: moons,
circles, spirals, blobs, a noisy sine, a plane, a Gaussian bump), ``bundled``
(scikit-learn's iris and digits) and ``csvfile`` (``load_csv``, ``detect_delimiter``).

Example:
    >>> X, y = logic_gate("XOR")
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0])
"""

from glassnet.datasets.bundled import load_digits, load_iris
from glassnet.datasets.csvfile import CSVData, DataError, detect_delimiter, load_csv
from glassnet.datasets.generated import (
    make_blobs,
    make_circles,
    make_gauss,
    make_moons,
    make_plane,
    make_sine,
    make_spirals,
)
from glassnet.datasets.tables import GATES, logic_gate, seven_records, tutorial_002_weights

__all__ = [
    "GATES",
    "logic_gate",
    "seven_records",
    "tutorial_002_weights",
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_blobs",
    "make_sine",
    "make_plane",
    "make_gauss",
    "load_iris",
    "load_digits",
    "CSVData",
    "load_csv",
    "detect_delimiter",
    "DataError",
]
