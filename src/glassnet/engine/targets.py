"""How targets map to the output layer's columns: class labels, a binary label, or values.

Example:
    >>> import numpy as np
    >>> targets = Targets("classes", np.array(["a", "b", "c"]), 3)
    >>> targets.encode(["b", "c"], 2, np.float64)
    array([[0., 1., 0.],
           [0., 0., 1.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from glassnet.engine.layers import Dense
from glassnet.engine.losses import BinaryCrossentropy, Crossentropy, Loss
from glassnet.engine.validation import check_integer

__all__ = ["Targets"]


KINDS = ("classes", "binary", "values")


class Targets:
    """How targets map to output columns: class labels, a binary label, or plain values.

    ``kind`` is "classes" (one softmax output per label, one-hot columns), "binary" (two
    labels, one sigmoid output: 0 for the first, 1 for the second) or "values" (the
    outputs' own numbers); ``classes`` holds the labels in sorted order, or None.

    Example:
        >>> Targets("binary", np.array(["no", "yes"]), 1).decode(np.array([[0.2], [0.9]]))
        array(['no', 'yes'], dtype='<U3')
    """

    def __init__(self, kind: str, classes: np.ndarray | None, n_outputs: int) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        if kind != "values" and classes is None:
            raise ValueError(f"targets of kind {kind!r} need their class labels, got None")
        self.kind: str = kind
        self.classes: np.ndarray | None = classes
        self.n_outputs: int = n_outputs

    @property
    def labels(self) -> np.ndarray:
        """The class labels, sorted; a ValueError for plain values, which have none."""
        if self.classes is None:
            raise ValueError("these targets are plain values: they have no class labels")
        return self.classes

    @classmethod
    def infer(cls, y: np.ndarray, loss: Loss, output: Dense) -> Targets:
        """The encoding that ``y`` asks for, given the loss and the output layer.

        Example:
            >>> from glassnet.engine.losses import get_loss
            >>> output = Dense(2, 1, "sigmoid")
            >>> Targets.infer(np.array(["b", "a", "b"]), get_loss("binary_crossentropy"),
            ...               output).config()
            {'kind': 'binary', 'classes': ['a', 'b'], 'n_outputs': 1}
        """
        k = output.n_outputs
        if (
            y.ndim == 1
            and y.dtype.kind == "f"
            and isinstance(loss, Crossentropy | BinaryCrossentropy)
        ):
            if np.isnan(y).any():
                raise ValueError(
                    f"y has NaN at row {int(np.argmax(np.isnan(y)))}; a label cannot be NaN"
                )
        if isinstance(loss, Crossentropy) and y.ndim == 1:
            classes = np.unique(y)
            if len(classes) != k:
                raise ValueError(
                    f"y has {len(classes)} classes {classes.tolist()[:10]} but the output "
                    f"layer has {k} neurons; give it one neuron per class"
                )
            return cls("classes", classes, k)
        if isinstance(loss, BinaryCrossentropy) and k == 1 and y.ndim == 1:
            classes = np.unique(y)
            if len(classes) > 2:
                raise ValueError(
                    f"y has {len(classes)} classes but a sigmoid output separates two; use "
                    f"softmax with {len(classes)} neurons and crossentropy"
                )
            if len(classes) < 2 and not np.isin(classes, (0, 1)).all():
                raise ValueError(f"y has a single class {classes.tolist()}; need two classes")
            if len(classes) < 2:
                classes = np.array([0, 1], dtype=classes.dtype)
            return cls("binary", classes, 1)
        return cls("values", None, k)

    @classmethod
    def from_config(cls, config: dict[str, Any], loss: Loss) -> Targets:
        """The encoding a model file stored (``config()``), checked against the loss.

        Raises ValueError naming what does not fit.

        Example:
            >>> from glassnet.engine.losses import get_loss
            >>> Targets.from_config({"kind": "values", "classes": None, "n_outputs": 2},
            ...                     get_loss("mse")).n_outputs
            2
        """
        kind = config.get("kind")
        n_outputs = check_integer("n_outputs", config.get("n_outputs"), low=1)
        classes = config.get("classes")
        classes = None if classes is None else np.asarray(classes)
        if kind == "values":
            if classes is not None:
                raise ValueError("plain values cannot have class labels")
        elif kind == "classes":
            if not isinstance(loss, Crossentropy) or classes is None:
                raise ValueError("class labels need the crossentropy loss and a label list")
            if len(classes) != n_outputs:
                raise ValueError(f"{len(classes)} class labels for {n_outputs} outputs")
        elif kind == "binary":
            if not isinstance(loss, BinaryCrossentropy) or classes is None:
                raise ValueError("binary labels need binary_crossentropy and two labels")
            if len(classes) != 2 or n_outputs != 1:
                raise ValueError("binary labels need two labels and one output neuron")
        else:
            raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        return cls(kind, classes, n_outputs)

    def encode(self, y: ArrayLike, n: int, dtype: DTypeLike) -> np.ndarray:
        """``y`` as the output layer's columns: one-hot rows, 0/1, or the values.

        Example:
            >>> Targets("values", None, 1).encode([1.5, 2.0], 2, np.float64)
            array([[1.5],
                   [2. ]])
        """
        y = np.asarray(y)
        if y.shape[0] != n:
            raise ValueError(f"y has {y.shape[0]} rows but X has {n}; they must match")
        if self.kind == "values":
            try:
                values = np.asarray(y, dtype=dtype)
            except OverflowError:
                raise ValueError(f"y holds a number too large for {np.dtype(dtype).name}") from None
            except (TypeError, ValueError):
                raise ValueError("y must be numbers for this loss") from None
            if values.ndim == 1 and self.n_outputs == 1:
                values = values.reshape(-1, 1)
            if values.ndim != 2 or values.shape[1] != self.n_outputs:
                raise ValueError(
                    f"y must have shape ({n}, {self.n_outputs}) to match the output layer, "
                    f"got {y.shape}"
                )
            if not np.all(np.isfinite(values)):
                raise ValueError("y has NaN or infinite values")
            return np.ascontiguousarray(values)
        if y.ndim == 2:
            y = self._labels_of_rows(y)
        classes = self.labels
        positions = np.searchsorted(classes, y)
        positions = np.clip(positions, 0, len(classes) - 1)
        unknown = classes[positions] != y
        if np.any(unknown):
            raise ValueError(
                f"y has a label {y[unknown][0]!r} not seen in training; "
                f"known classes: {classes.tolist()}"
            )
        if self.kind == "binary":
            return positions.astype(dtype).reshape(-1, 1)
        onehot = np.zeros((n, self.n_outputs), dtype=dtype)
        onehot[np.arange(n), positions] = 1
        return onehot

    def _labels_of_rows(self, y: np.ndarray) -> np.ndarray:
        """The labels of 2-D targets given to a network that learned labels: a column of
        labels, or one-hot rows (one 1 per row) in the order of ``classes``."""
        classes = self.labels
        k = len(classes)
        if y.shape[1] == 1:
            return y[:, 0]
        if y.shape[1] == k and y.dtype.kind in "biuf":
            rows = np.asarray(y, dtype=np.float64)
            if np.isin(rows, (0.0, 1.0)).all() and (rows.sum(axis=1) == 1).all():
                return classes[np.argmax(rows, axis=1)]
        raise ValueError(
            f"y has shape {y.shape}, but this network learned the labels "
            f"{classes.tolist()[:10]}: give one label per row, or one-hot rows of {k} "
            "columns (a single 1 in each)"
        )

    def decode(self, output: np.ndarray) -> np.ndarray:
        """The labels (or values) that output rows stand for.

        Example:
            >>> Targets("classes", np.array([3, 5]), 2).decode(np.array([[0.1, 0.9]]))
            array([5])
        """
        if self.kind == "classes":
            return self.labels[np.argmax(output, axis=1)]
        if self.kind == "binary":
            return self.labels[(output[:, 0] > 0.5).astype(int)]
        return output

    def config(self) -> dict[str, Any]:
        """What a model file stores: kind, labels (a list) and the number of outputs.

        Example:
            >>> Targets("binary", np.array([0, 1]), 1).config()
            {'kind': 'binary', 'classes': [0, 1], 'n_outputs': 1}
        """
        classes = None if self.classes is None else self.classes.tolist()
        return {"kind": self.kind, "classes": classes, "n_outputs": self.n_outputs}
