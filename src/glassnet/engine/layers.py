"""The layers a network is made of: ``Dense`` (engine/dense.py), ``Dropout`` and
``Standardize`` (here), on the base ``Layer`` (engine/layer.py); and ``connect``, which
checks that they fit one after another. Every layer is imported from here.

Example:
    >>> layers = [Dense(2, 3), Dropout(0.5), Dense(3, 1)]
    >>> connect(layers); layers[1].n_inputs  # Dropout takes the width of the layer before
    3
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from glassnet.engine.dense import Dense
from glassnet.engine.layer import Layer
from glassnet.engine.validation import check_matrix

__all__ = ["Layer", "Dense", "Dropout", "Standardize", "connect"]


class Dropout(Layer):
    """Inverted dropout: while training, each input is zeroed with probability ``rate`` and
    the survivors are scaled by 1 / (1 - rate); at prediction it passes inputs unchanged.

    The mask is drawn from the network's generator, so a seed fixes it too.

    Example:
        >>> dropout = Dropout(0.5)
        >>> dropout.build(np.random.default_rng(0), np.float64)
        >>> sorted(set(dropout.forward(np.ones((2, 4)), training=True).ravel().tolist()))
        [0.0, 2.0]
        >>> dropout.forward(np.ones((1, 2)))  # at prediction: unchanged
        array([[1., 1.]])
    """

    def __init__(self, rate: float) -> None:
        if not (isinstance(rate, int | float) and 0 <= rate < 1):
            raise ValueError(f"dropout rate must be in [0, 1), got {rate!r}")
        self.rate: float = float(rate)
        self.n_inputs = self.n_outputs = 0  # set by the network from the previous layer
        self._mask: NDArray[Any] | None = None
        self._rng: np.random.Generator | None = None  # the network's, given by build

    def build(self, rng: np.random.Generator, dtype: DTypeLike) -> None:
        self._rng = rng

    def forward(self, inputs: NDArray[Any], training: bool = False) -> NDArray[Any]:
        if not training or self.rate == 0:
            self._mask = None
            return inputs
        if self._rng is None:
            raise RuntimeError("a Dropout layer draws its masks once built (Layer.build)")
        keep = 1.0 - self.rate
        self._mask = (self._rng.random(inputs.shape) < keep).astype(
            inputs.dtype
        ) / inputs.dtype.type(keep)
        return inputs * self._mask

    def backward(self, grad_output: NDArray[Any]) -> NDArray[Any]:
        return grad_output if self._mask is None else grad_output * self._mask

    @property
    def mask(self) -> NDArray[Any] | None:
        """The last training pass's multipliers: 0 for a dropped input, 1 / (1 - rate) for
        a kept one (None after a pass at prediction, which drops nothing)."""
        return self._mask

    def config(self) -> dict[str, Any]:
        return {"type": "Dropout", "rate": self.rate}

    def __repr__(self) -> str:
        return f"Dropout({self.rate})"


class Standardize(Layer):
    """Fixed preprocessing as a first layer: x_hat = (x - mean) / scale, column by column.

    It has no trainable parameters: ``mean`` and ``scale`` come from the training data
    (``Standardize.fit(X)``) and travel with the network, so a saved model applies the
    same scaling to new rows. Its backward pass is dE/dx = dE/dx_hat / scale.

    Example:
        >>> layer = Standardize.fit(np.array([[1.0, 10.0], [3.0, 30.0]]))
        >>> layer.forward(np.array([[2.0, 40.0]]))
        array([[0., 2.]])
    """

    def __init__(self, mean: ArrayLike, scale: ArrayLike) -> None:
        columns = np.array(mean, dtype=np.float64).reshape(-1)
        if columns.size == 0:
            raise ValueError("Standardize needs at least one column: mean is empty")
        self.n_inputs: int = columns.size
        self.n_outputs: int = columns.size
        self.mean: NDArray[Any] = check_matrix("mean", columns, (columns.size,))
        self.scale: NDArray[Any] = check_matrix("scale", scale, (columns.size,))
        if np.any(self.scale <= 0):
            column = int(np.argmax(self.scale <= 0))
            raise ValueError(f"scale must be positive, got {self.scale[column]} in column {column}")

    @classmethod
    def fit(cls, X: ArrayLike) -> Standardize:
        """Mean and standard deviation of each column of X (a constant column gets scale 1).

        Example:
            >>> Standardize.fit(np.array([[0.0, 5.0], [2.0, 5.0]])).scale.tolist()
            [1.0, 1.0]
        """
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[0] == 0:
            raise ValueError(
                f"Standardize.fit needs X of shape (n_samples, n_features), got {X.shape}"
            )
        # Accumulate in float64 so float32 data still gets exact column statistics, a block
        # of rows at a time so that no float64 copy of all of X is ever made.
        # Each column divided by its largest magnitude first: the squares of values near
        # 1e300 would overflow, the squares of values at most 1 cannot (a power of two,
        # so the division is exact and the statistics are those of X itself).
        largest = np.max(np.abs(X), axis=0).astype(np.float64)
        unit = np.where(largest > 0, 2.0 ** np.ceil(np.log2(np.where(largest > 0, largest, 1))), 1)
        mean = (X / unit).mean(axis=0, dtype=np.float64)
        squares = np.zeros(X.shape[1])
        for start in range(0, X.shape[0], 16384):
            deviations = X[start : start + 16384] / unit - mean  # (block, k), float64
            squares += np.einsum("ij,ij->j", deviations, deviations)
        scale = np.sqrt(squares / X.shape[0]) * unit  # population standard deviation
        mean = mean * unit
        scale[scale == 0] = 1.0  # a constant column is only centred
        return cls(mean, scale)

    def build(self, rng: np.random.Generator, dtype: DTypeLike) -> None:
        self.mean = np.ascontiguousarray(self.mean, dtype=dtype)
        self.scale = np.ascontiguousarray(self.scale, dtype=dtype)

    def forward(self, inputs: NDArray[Any], training: bool = False) -> NDArray[Any]:
        return (inputs - self.mean) / self.scale  # (n, k) - (k,), / (k,)

    def backward(self, grad_output: NDArray[Any]) -> NDArray[Any]:
        return grad_output / self.scale  # dE/dx = dE/dx_hat * dx_hat/dx

    def config(self) -> dict[str, Any]:
        return {"type": "Standardize", "n_inputs": self.n_inputs}

    def __repr__(self) -> str:
        return f"Standardize({self.n_inputs} columns)"


def connect(layers: Sequence[Layer]) -> None:
    """Check that layers fit one after another, giving each Dropout its width.

    A layer may appear once (it holds its own weights); Dropout needs a layer before it;
    Standardize comes first; each Dense layer takes the previous layer's width; the last
    layer is a Dense layer. Raises a ValueError (TypeError for a foreign object) naming
    the layer by its 1-based position.

    Example:
        >>> connect([Dense(2, 3), Dense(4, 1)])
        Traceback (most recent call last):
        ValueError: layer 2 expects 4 inputs but layer 1 gives 3 outputs
    """
    width = None
    for index, layer in enumerate(layers, start=1):
        first = next(i for i, other in enumerate(layers, start=1) if other is layer)
        if first != index:
            raise ValueError(
                f"layer {index} is layer {first} again: each layer of a network holds its "
                "own weights (make another, or copy.deepcopy the layer)"
            )
        if isinstance(layer, Dropout):
            if width is None:
                raise ValueError("a Dropout layer cannot come first: it needs an input width")
            layer.n_inputs = layer.n_outputs = width
        elif isinstance(layer, Standardize):
            if index != 1:
                raise ValueError("a Standardize layer must come first: it scales raw inputs")
        elif not isinstance(layer, Dense):
            raise TypeError(
                f"layer {index} must be a Dense, Dropout or Standardize layer, got {layer!r}"
            )
        elif width is not None and layer.n_inputs != width:
            raise ValueError(
                f"layer {index} expects {layer.n_inputs} inputs but layer {index - 1} "
                f"gives {width} outputs"
            )
        width = layer.n_outputs
    if not isinstance(layers[-1], Dense):
        raise ValueError("the last layer must be a Dense layer (the output layer)")
