"""The data set of a playground run: drawn from the settings (or an uploaded CSV), split
into training and test points with the settings' seed, and sent to the page to draw.

A two-feature network may take feature crosses as extra inputs (x1^2, x2^2, x1*x2,
sin x1, sin x2: ``settings.FEATURES``); ``Data.network_inputs`` computes the columns the
network sees from the points' two features, which stay what the page draws.

Example:
    >>> data = generate(Settings(dataset="moons", points=40, split=0.75), {})
    >>> len(data.X_train), len(data.X_test), data.classes
    (30, 10, ['0', '1'])
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import numpy as np

from glassnet import datasets
from glassnet.engine.arrays import holdout_split, seeded_generator
from glassnet.playground.maps import unit_map
from glassnet.playground.settings import FEATURES, GATES, MAX_CLASSES, BadRequest, Settings

__all__ = ["CURVE", "GRID", "Data", "Upload", "cross", "encode_classes", "generate"]

GRID = 40  # the decision regions and neuron maps are sampled on a GRID x GRID lattice
CURVE = 120  # a one-feature network is drawn as a curve through CURVE points


@dataclass(frozen=True)
class Upload:
    """An uploaded CSV as the playground keeps it: two features, a target, class names.

    ``y`` holds class indices 0..k-1 when ``classes`` names k classes, else values.

    Example:
        >>> upload = Upload(np.zeros((4, 2)), np.array([0, 1, 1, 0]), ["a", "b"], ["u", "v"], "c")
        >>> upload.target, upload.classes
        ('c', ['a', 'b'])
    """

    X: np.ndarray
    y: np.ndarray
    classes: list[str]
    features: list[str]
    target: str
    delimiter: str = ","  # what separated the file's values: ",", ";" or "\t"


@dataclass
class Data:
    """A data set split for training and testing, with what the page needs to draw it.

    ``y`` holds class indices 0..k-1 for a classification task and values for regression.

    Example:
        >>> data = generate(Settings(dataset="moons", points=20), {})
        >>> data.task, data.classes, data.n_features
        ('classification', ['0', '1'], 2)
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    task: str  # "classification" or "regression"
    classes: list[str]
    feature_names: list[str]
    target_name: str
    inputs: tuple[str, ...] = ()  # the network's inputs (``FEATURES`` keys); () for the points

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    @property
    def n_inputs(self) -> int:
        """How many inputs the network takes: the features, or the chosen crosses of them.

        Example:
            >>> generate(Settings(features=("x1", "x2", "x1x2")), {}).n_inputs
            3
        """
        return len(self.inputs) if self.inputs else self.n_features

    @property
    def input_names(self) -> list[str]:
        """The network's inputs as the page labels them: "x1*x2", or "width^2" for a CSV.

        Example:
            >>> generate(Settings(features=("x1", "x1sq", "sinx2")), {}).input_names
            ['x1', 'x1^2', 'sin(x2)']
        """
        if not self.inputs:
            return list(self.feature_names)
        return [FEATURES[key].format(*self.feature_names) for key in self.inputs]

    def network_inputs(self, X: np.ndarray) -> np.ndarray:
        """The columns the network sees for points ``X`` (the points themselves without crosses).

        Example:
            >>> data = generate(Settings(features=("x1x2",)), {})
            >>> data.network_inputs(np.array([[2.0, 3.0]])).tolist()
            [[6.0]]
        """
        return cross(X, self.inputs) if self.inputs else X

    def bounds(self) -> list[list[float]]:
        """[[low, high], ...] per feature (and the target for one feature), with a margin.

        Example:
            >>> data = generate(Settings(dataset="sine", points=20), {})
            >>> len(data.bounds())  # x, and the target y drawn against it
            2
        """
        X = np.vstack([self.X_train, self.X_test])
        columns = [X[:, i] for i in range(self.n_features)]
        if self.n_features == 1:
            columns.append(np.concatenate([self.y_train, self.y_test]))
        result = []
        for column in columns:
            low, high = float(column.min()), float(column.max())
            margin = max(0.1 * (high - low), 0.25)
            result.append([low - margin, high + margin])
        return result

    def grid_points(self) -> np.ndarray:
        """The points the page's maps are drawn from: a GRID x GRID lattice over the bounds,
        row by row from the top, or CURVE points along the one feature.

        Example:
            >>> generate(Settings(dataset="xor"), {}).grid_points().shape
            (1600, 2)
        """
        (x_low, x_high), *rest = self.bounds()
        if self.n_features == 1:
            return np.linspace(x_low, x_high, CURVE).reshape(-1, 1)
        (y_low, y_high), *_ = rest
        xs = np.linspace(x_low, x_high, GRID)
        ys = np.linspace(y_low, y_high, GRID)[::-1]  # row 0 of an image is the top
        gx, gy = np.meshgrid(xs, ys)
        return np.column_stack([gx.ravel(), gy.ravel()])

    def to_json(self) -> dict[str, Any]:
        """The data as the page draws it: the points of both sides, the bounds, the grid,
        and each network input's map over the grid (its values, lowest to highest).

        Example:
            >>> page = generate(Settings(dataset="xor", points=8), {}).to_json()
            >>> page["task"], page["grid"], len(page["train"]["x"]), len(page["test"]["x"])
            ('classification', 40, 4, 4)
            >>> [item["name"] for item in page["inputs"]]
            ['x1', 'x2']
        """
        columns = self.network_inputs(self.grid_points())
        inputs = [{"name": name, **unit_map(columns[:, k])}
                  for k, name in enumerate(self.input_names)]  # fmt: skip
        return {
            "task": self.task,
            "classes": self.classes,
            "features": self.feature_names,
            "target": self.target_name,
            "bounds": self.bounds(),
            "grid": GRID if self.n_features == 2 else CURVE,
            "inputs": inputs,
            "train": {"x": self.X_train.tolist(), "y": self.y_train.tolist()},
            "test": {"x": self.X_test.tolist(), "y": self.y_test.tolist()},
        }


def cross(X: np.ndarray, inputs: tuple[str, ...]) -> np.ndarray:
    """The columns ``inputs`` (keys of ``settings.FEATURES``) of two-feature points ``X``.

    Example:
        >>> cross(np.array([[2.0, 3.0]]), ("x1", "x2sq", "x1x2")).tolist()
        [[2.0, 9.0, 6.0]]
    """
    x1, x2 = X[:, 0], X[:, 1]
    formulas = {"x1": lambda: x1, "x2": lambda: x2, "x1sq": lambda: x1 * x1,
                "x2sq": lambda: x2 * x2, "x1x2": lambda: x1 * x2,
                "sinx1": lambda: np.sin(x1), "sinx2": lambda: np.sin(x2)}  # fmt: skip
    return np.column_stack([formulas[key]() for key in inputs])


def encode_classes(y: np.ndarray, what: str) -> tuple[np.ndarray, list[str]]:
    """Class indices 0..k-1 and the class names, or ``BadRequest`` for one class only (or
    more classes than the page can colour). ``what`` names the data in the message.

    Example:
        >>> indices, names = encode_classes(np.array(["b", "a", "b"]), "the column")
        >>> indices.tolist(), names
        ([1, 0, 1], ['a', 'b'])
    """
    classes, indices = np.unique(y, return_inverse=True)
    names = [str(c) for c in classes.tolist()]
    if len(classes) < 2:
        raise BadRequest(
            f"{what} holds a single class ({names[0]}); a classifier needs at least two"
        )
    if len(classes) > MAX_CLASSES:
        raise BadRequest(
            f"{what} has {len(classes)} classes; the playground draws at most {MAX_CLASSES}"
        )
    return indices.astype(np.int64), names


def _uploaded(settings: Settings, uploads: dict[str, Upload]) -> Upload:
    if settings.upload not in uploads:
        raise BadRequest(
            "the uploaded CSV is no longer on the server (it restarted or the link is "
            "from another machine): upload the file again",
            HTTPStatus.NOT_FOUND,
        )
    return uploads[settings.upload]


def _draw(settings: Settings, uploads: dict[str, Upload], rng: np.random.Generator) -> Upload:
    """The whole data set the settings name (a gate's corners take their noise from ``rng``)."""
    name, n, noise, seed = settings.dataset, settings.points, settings.noise, settings.seed
    if name == "csv":
        return _uploaded(settings, uploads)
    if name == "sine":
        X, y = datasets.make_sine(n, noise, seed=seed)
        return Upload(X, y, [], ["x"], "y")
    if name in ("plane", "gauss"):
        # Drawn from rng, which then draws the split: a link keeps the points it always had.
        make = datasets.make_plane if name == "plane" else datasets.make_gauss
        X, y = make(n, noise, seed=rng)
        return Upload(X, y, [], ["x1", "x2"], "y")
    if name in GATES:
        corners, truth = datasets.logic_gate(name)
        rows = np.arange(n) % 4
        X = corners[rows] + rng.normal(scale=noise, size=(n, 2))
        y, classes = encode_classes(truth[rows].astype(np.int64), f"the {name.upper()} gate")
        return Upload(X, y, classes, ["x1", "x2"], "class")
    makers = {
        "moons": lambda: datasets.make_moons(n, noise, seed=seed),
        "circles": lambda: datasets.make_circles(n, noise, seed=seed),
        "spirals": lambda: datasets.make_spirals(n, noise, seed=seed),
        "blobs": lambda: datasets.make_blobs(n, centers=3, spread=noise, seed=seed),
    }
    X, y = makers[name]()
    y, classes = encode_classes(y, f"the {name} data set")
    return Upload(X, y, classes, ["x1", "x2"], "class")


def _split_rows(n: int, share: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) row indices: ``round(n * share)`` rows train, drawn with ``rng``."""
    if share >= 1:
        return rng.permutation(n), np.arange(0)
    try:
        # The rows holdout_split draws out first are the training rows here: a link keeps
        # the points it always had on each side (the first round(n * share) of one order).
        test, train = holdout_split(n, share, rng)
    except ValueError:
        raise BadRequest(
            f"a training share of {share:g} of {n} points leaves one side empty"
        ) from None
    return train, test


def _inputs(settings: Settings, whole: Upload) -> tuple[str, ...]:
    """The network's inputs: () for the points as they are, else the chosen crosses."""
    plain = settings.features == Settings().features
    if whole.X.shape[1] != 2 or settings.mode == "perceptron":
        if not plain:
            where = ("the perceptron takes the two features as they are" if whole.X.shape[1] == 2
                     else f"the {settings.dataset} data set has one feature")  # fmt: skip
            raise BadRequest(f"feature crosses need a network of two features: {where}")
        return ()
    return () if plain else settings.features


def generate(settings: Settings, uploads: dict[str, Upload]) -> Data:
    """The data set the settings name, drawn with the settings' seed and split by it.

    Example:
        >>> generate(Settings(dataset="xor", points=8, split=0.5), {}).X_train.shape
        (4, 2)
    """
    rng = seeded_generator(settings.seed)
    whole = _draw(settings, uploads, rng)
    inputs = _inputs(settings, whole)
    train, test = _split_rows(len(whole.X), settings.split, rng)
    task = "classification" if whole.classes else "regression"
    X, y = whole.X, whole.y
    return Data(X[train], y[train], X[test], y[test], task, whole.classes, whole.features,
                whole.target, inputs)  # fmt: skip
