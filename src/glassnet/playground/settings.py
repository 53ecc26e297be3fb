"""What a playground run is made of: the ``Settings`` the page sends, the choices and limits
it may take, and ``BadRequest``, the playground's one kind of refusal.

The page keeps its settings in its URL, so every value may arrive as text ("0.03", "8,8",
"true"); ``Settings.parse`` reads either form. Numbers and choices are checked by
``glassnet.engine.validation``; its one-line ``ValueError`` becomes a ``BadRequest`` (a 400
reply) through ``as_bad_request``.

Some settings change a run while it trains (``LIVE``: the learning rate, the regularisation
and its strength, the batch size, the optimizer); every other one starts a new run.

Example:
    >>> Settings.parse({"dataset": "moons", "layers": "8,8", "lr": "0.1"}).lr
    0.1
    >>> Settings.parse({"points": "10.5"})
    Traceback (most recent call last):
    ...
    glassnet.playground.settings.BadRequest: points must be a whole number in [4, 2000], got 10.5
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from http import HTTPStatus
from typing import Any

from glassnet.engine.optimizers import OPTIMIZERS
from glassnet.engine.perceptron_rules import RULES
from glassnet.engine.recipes import CLASSIFICATION_LOSSES, REGRESSION_LOSSES
from glassnet.engine.validation import check_choice, check_integer, check_number, parse_number
from glassnet.glassbox.tutorials import TEXTBOOK_TABLES

__all__ = [
    "DATASETS",
    "FEATURES",
    "GATES",
    "HIDDEN_ACTIVATIONS",
    "LIVE",
    "LOSSES",
    "MAX_CLASSES",
    "MAX_EPOCHS_PER_STEP",
    "MAX_LAYERS",
    "MAX_LEARNING_RATE",
    "MAX_NEURONS",
    "MAX_POINTS",
    "MAX_UPLOAD_BYTES",
    "PERCEPTRON_EPOCHS",
    "REGRESSION_DATASETS",
    "REGULARIZATIONS",
    "BadRequest",
    "Settings",
    "as_bad_request",
]

GATES = ("and", "or", "nand", "nor", "xor")
REGRESSION_DATASETS = ("sine", "plane", "gauss")
DATASETS = (*GATES, "moons", "circles", "spirals", "blobs", *REGRESSION_DATASETS)
HIDDEN_ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "identity")
LOSSES = ("auto", *CLASSIFICATION_LOSSES, *REGRESSION_LOSSES)
MODES = ("network", "perceptron")
REGULARIZATIONS = ("none", "l1", "l2")
# The inputs a two-feature network may take: each is a formula of the two features {0}, {1}.
FEATURES = {
    "x1": "{0}",
    "x2": "{1}",
    "x1sq": "{0}^2",
    "x2sq": "{1}^2",
    "x1x2": "{0}*{1}",
    "sinx1": "sin({0})",
    "sinx2": "sin({1})",
}
# What may change while a run trains: the network keeps its weights, only the optimizer
# (for these keys) and the layers' L1/L2 strengths are set anew.
LIVE = ("lr", "optimizer", "batch", "regularization", "strength")
MAX_UPLOAD_BYTES = 2_000_000
MAX_POINTS = 2000
MAX_CLASSES = 10
MAX_LAYERS = 6
MAX_NEURONS = 16
MAX_LEARNING_RATE = 10.0
MAX_EPOCHS_PER_STEP = 100
PERCEPTRON_EPOCHS = 200


class BadRequest(ValueError):
    """A request the server will not honour: answered with a 4xx status and this message.

    Example:
        >>> error = BadRequest("no such page", HTTPStatus.NOT_FOUND)
        >>> str(error), error.status
        ('no such page', 404)
    """

    def __init__(self, message: str, status: int = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(message)
        self.status: int = int(status)


@contextmanager
def as_bad_request() -> Iterator[None]:
    """Turn a ``ValueError`` raised inside into a ``BadRequest`` (400) with its message.

    A ``BadRequest`` raised inside passes unchanged, with its own status.

    Example:
        >>> from glassnet.engine.validation import check_integer
        >>> with as_bad_request():
        ...     check_integer("epochs", 0, low=1)
        Traceback (most recent call last):
        ...
        glassnet.playground.settings.BadRequest: epochs must be a whole number in [1, inf), got 0
    """
    try:
        yield
    except BadRequest:
        raise
    except ValueError as error:
        raise BadRequest(str(error)) from None


def _number(raw: dict[str, Any], key: str, default: float, low: float, high: float, what: str,
            *, low_open: bool = False) -> float:  # fmt: skip
    """``raw[key]`` (a number, or a number written as text) in [low, high]."""
    value = raw.get(key, default)
    with as_bad_request():
        if isinstance(value, str):
            value = parse_number(what, value)
        return check_number(what, value, low, high, low_open=low_open)


def _integer(raw: dict[str, Any], key: str, default: int, low: int, high: int, what: str) -> int:
    """``raw[key]`` (a whole number, or one written as text) in [low, high]."""
    value = raw.get(key, default)
    with as_bad_request():
        if isinstance(value, str):
            value = parse_number(what, value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a URL or a JavaScript number may write 12 as "12" or 12.0
        return check_integer(what, value, low, high)


def _choice(raw: dict[str, Any], key: str, default: str, choices, what: str) -> str:
    """``raw[key]`` in lower case without surrounding spaces, when it is one of ``choices``."""
    value = raw.get(key, default)
    value = value.strip().lower() if isinstance(value, str) else value
    with as_bad_request():
        return check_choice(what, value, choices)


def _flag(raw: dict[str, Any], key: str, default: bool, what: str) -> bool:
    """``raw[key]`` as true or false: JSON's booleans, or the words a URL writes them as."""
    value = raw.get(key, default)
    if isinstance(value, bool):
        return value
    words = {"true": True, "1": True, "yes": True, "on": True,
             "false": False, "0": False, "no": False, "off": False, "": False}  # fmt: skip
    text = value.strip().lower() if isinstance(value, str) else value
    if text not in words:
        raise BadRequest(f"{what} must be true or false, got {value!r}")
    return words[text]


def _learning_rate(raw: dict[str, Any], default: float) -> float:
    try:
        return _number(raw, "lr", default, 0.0, MAX_LEARNING_RATE, "learning rate", low_open=True)
    except BadRequest as error:
        raise BadRequest(f"{error} (0.001 to 1 usually works)") from None


def _name_list(value) -> list[str]:
    """A list as the page sends it, either a JSON list or text separated by commas."""
    if isinstance(value, list):
        return [str(item).strip() for item in value]
    text = str(value).strip()
    return [part.strip() for part in text.split(",")] if text else []


def _dataset(raw: dict[str, Any], default: str) -> tuple[str, str]:
    """(data set name, upload id): the upload id only for the "csv" data set."""
    upload = str(raw.get("upload", "")).strip()
    dataset = _choice(raw, "dataset", default, (*DATASETS, "csv"), "dataset")
    if dataset != "csv":
        return dataset, ""
    if not upload:
        raise BadRequest("the CSV data set needs a file: upload one first")
    return dataset, upload


def _layers(raw: dict[str, Any], default: tuple[int, ...]) -> tuple[int, ...]:
    """The neurons of each hidden layer, from "8,8" or [8, 8] ("" or []: no hidden layer)."""
    parts = _name_list(raw.get("layers", ",".join(map(str, default))))
    try:
        layers = tuple(int(part) for part in parts)
    except ValueError:
        raise BadRequest(f"layers must be neuron counts like 8,8; got {parts}") from None
    if len(layers) > MAX_LAYERS or any(not 1 <= n <= MAX_NEURONS for n in layers):
        raise BadRequest(
            f"layers: at most {MAX_LAYERS} hidden layers of 1 to {MAX_NEURONS} neurons; "
            f"got {list(layers)}"
        )
    return layers


def _activations(raw: dict[str, Any], n_layers: int) -> tuple[str, ...]:
    """One activation per hidden layer; a single name stands for every layer."""
    names = tuple(name.lower() for name in _name_list(raw.get("activations", "tanh")) if name)
    names = names or ("tanh",)
    if len(names) == 1:
        names = names * n_layers
    if len(names) != n_layers:
        raise BadRequest(f"activations: give one per hidden layer ({n_layers}), got {len(names)}")
    with as_bad_request():
        for name in names:
            check_choice("activation", name, HIDDEN_ACTIVATIONS)
    return names


def _features(raw: dict[str, Any], default: tuple[str, ...]) -> tuple[str, ...]:
    """The network's inputs, from "x1,x2,x1x2" or a list, in the order of ``FEATURES``."""
    names = [name.lower() for name in _name_list(raw.get("features", ",".join(default))) if name]
    with as_bad_request():
        for name in names:
            check_choice("feature", name, tuple(FEATURES))
    if not names:
        raise BadRequest(f"features: choose at least one input of {', '.join(FEATURES)}")
    return tuple(name for name in FEATURES if name in names)


def _regularization(raw: dict[str, Any], default: Settings) -> tuple[str, float]:
    """(kind, strength); an older link's ``l2=0.01`` reads as L2 of strength 0.01."""
    if "regularization" not in raw and "l2" in raw:
        l2 = _number(raw, "l2", 0.0, 0.0, 1.0, "L2")
        return ("l2", l2) if l2 else ("none", default.strength)
    kind = _choice(raw, "regularization", default.regularization, REGULARIZATIONS,
                   "regularization")  # fmt: skip
    strength = _number(raw, "strength", default.strength, 0.0, 1.0, "regularization strength")
    return kind, strength


@dataclass(frozen=True)
class Settings:
    """Everything that defines a run; the page keeps the same keys in its URL.

    Example:
        >>> Settings.parse({"dataset": "xor", "layers": "8,8"}).layers
        (8, 8)
    """

    mode: str = "network"
    dataset: str = "xor"
    points: int = 200
    noise: float = 0.1
    split: float = 0.5
    features: tuple[str, ...] = ("x1", "x2")
    layers: tuple[int, ...] = (4,)
    activations: tuple[str, ...] = ("tanh",)
    loss: str = "auto"
    optimizer: str = "adam"
    lr: float = 0.03
    batch: int = 10
    regularization: str = "none"
    strength: float = 0.001
    seed: int = 1
    bias: bool = False
    book: str = ""  # perceptron mode: a textbook's table (its data and rule), "" for none
    # perceptron mode, the textbooks' choices (glassnet.Perceptron's own arguments)
    threshold: float = 0.0
    step_at_zero: int = 0
    rule: str = "rosenblatt"
    band: float = 0.0
    upload: str = ""

    @property
    def l1(self) -> float:
        """The L1 strength of every layer (0 unless L1 is chosen).

        Example:
            >>> Settings(regularization="l1", strength=0.01).l1, Settings().l1
            (0.01, 0.0)
        """
        return self.strength if self.regularization == "l1" else 0.0

    @property
    def l2(self) -> float:
        """The L2 strength of every layer (0 unless L2 is chosen).

        Example:
            >>> Settings.parse({"l2": "0.003"}).l2  # an older link's way of writing it
            0.003
        """
        return self.strength if self.regularization == "l2" else 0.0

    def to_json(self) -> dict[str, Any]:
        """The settings as plain data, lists for the tuples (a model file's metadata keeps it).

        Example:
            >>> Settings(layers=(3, 2)).to_json()["layers"]
            [3, 2]
        """
        return {key: list(value) if isinstance(value, tuple) else value
                for key, value in asdict(self).items()}  # fmt: skip

    def changed(self, other: Settings) -> list[str]:
        """The keys whose values differ between these settings and ``other``.

        Example:
            >>> Settings().changed(Settings(lr=0.1, batch=0))
            ['lr', 'batch']
        """
        mine, theirs = asdict(self), asdict(other)
        return [key for key in mine if mine[key] != theirs[key]]

    @classmethod
    def parse(cls, raw: object) -> Settings:
        """Settings from the page's JSON (strings or numbers), or ``BadRequest``.

        Example:
            >>> Settings.parse({"lr": "1e6"})
            Traceback (most recent call last):
            ...
            glassnet.playground.settings.BadRequest: learning rate must be a number in (0, 10], ...
        """
        if not isinstance(raw, dict):
            raise BadRequest("settings must be a JSON object")
        default = cls()
        mode = _choice(raw, "mode", default.mode, MODES, "mode")
        dataset, upload = _dataset(raw, default.dataset)
        layers = _layers(raw, default.layers)
        regularization, strength = _regularization(raw, default)
        book = _choice(raw, "book", default.book, ("", *TEXTBOOK_TABLES), "book")
        if book and mode != "perceptron":
            raise BadRequest(f"the book {book} is a perceptron's table: use mode=perceptron")
        return cls(
            mode=mode,
            dataset=dataset,
            points=_integer(raw, "points", default.points, 4, MAX_POINTS, "points"),
            noise=_number(raw, "noise", default.noise, 0.0, 2.0, "noise"),
            split=_number(raw, "split", default.split, 0.1, 1.0, "the training share (split)"),
            features=_features(raw, default.features),
            layers=layers,
            activations=_activations(raw, len(layers)),
            loss=_choice(raw, "loss", default.loss, LOSSES, "loss"),
            optimizer=_choice(raw, "optimizer", default.optimizer, tuple(OPTIMIZERS), "optimizer"),
            lr=_learning_rate(raw, default.lr),
            batch=_integer(raw, "batch", default.batch, 0, MAX_POINTS, "batch size (0 = all)"),
            regularization=regularization,
            strength=strength,
            seed=_integer(raw, "seed", default.seed, 0, 2**32 - 1, "seed"),
            bias=_flag(raw, "bias", default.bias, "bias"),
            book=book,
            threshold=_number(raw, "threshold", default.threshold, -10.0, 10.0, "threshold"),
            step_at_zero=_integer(raw, "step_at_zero", default.step_at_zero, 0, 1, "step_at_zero"),
            rule=_choice(raw, "rule", default.rule, RULES, "rule"),
            band=_number(raw, "band", default.band, 0.0, 10.0, "band"),
            upload=upload,
        )
