"""Layers: a fully connected ``Dense`` layer, ``Dropout`` and ``Standardize``.

A layer's ``forward`` keeps exactly what its ``backward`` needs; ``backward`` returns the
gradient with respect to the layer's input and stores the gradients of its parameters in
``gradients`` (aligned with ``parameters``).

Example:
    >>> import numpy as np
    >>> layer = Dense(2, 1, activation="sigmoid", weights=[[0.2], [0.1]], bias=None,
    ...               use_bias=False)
    >>> layer.build(np.random.default_rng(0), np.float64)
    >>> layer.forward(np.array([[0.3, 0.5]]))
    array([[0.5274723]])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, overload

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from glassnet.engine.activations import Activation, get_activation
from glassnet.engine.initializers import default_initializer, get_initializer
from glassnet.engine.validation import check_number

__all__ = ["Layer", "Dense", "Dropout", "Standardize", "connect"]


class Layer:
    """Base class: a layer maps an input batch (n, n_inputs) to an output (n, n_outputs).

    Example:
        >>> [isinstance(layer, Layer) for layer in (Dense(2, 1), Dropout(0.5))]
        [True, True]
    """

    n_inputs: int
    n_outputs: int

    def build(self, rng: np.random.Generator, dtype: DTypeLike) -> None:
        """Create or cast the parameters, drawing from the network's generator.

        Example:
            >>> layer = Dense(2, 3, "tanh")
            >>> layer.build(np.random.default_rng(0), np.float64)
            >>> layer.weights.shape, layer.bias
            ((2, 3), array([0., 0., 0.]))
        """

    @property
    def parameters(self) -> list[NDArray[Any]]:
        return []

    @property
    def gradients(self) -> list[NDArray[Any]]:
        return []

    @property
    def parameter_names(self) -> list[str]:
        return []

    def forward(self, inputs: NDArray[Any], training: bool = False) -> NDArray[Any]:
        """The output (n, n_outputs) of an input batch (n, n_inputs); ``training`` turns
        dropout on.

        Example:
            >>> layer = Dense(2, 1, "identity", weights=[[2.0], [1.0]], bias=[0.5])
            >>> layer.build(np.random.default_rng(0), np.float64)
            >>> layer.forward(np.array([[1.0, 1.0], [0.0, 2.0]]))
            array([[3.5],
                   [2.5]])
        """
        raise NotImplementedError

    def backward(self, grad_output: NDArray[Any]) -> NDArray[Any]:
        """dE/d(input) from dE/d(output) of the last forward pass; parameter gradients are
        stored in ``gradients``.

        Example:
            >>> layer = Dense(2, 1, "identity", weights=[[2.0], [1.0]], bias=[0.5])
            >>> layer.build(np.random.default_rng(0), np.float64)
            >>> _ = layer.forward(np.array([[1.0, 1.0], [0.0, 2.0]]))
            >>> layer.backward(np.array([[1.0], [0.5]]))
            array([[2. , 1. ],
                   [1. , 0.5]])
            >>> layer.grad_weights.tolist(), layer.grad_bias.tolist()
            ([[1.0], [2.0]], [1.5])
        """
        raise NotImplementedError

    def reuse_buffers(self, on: bool) -> None:
        """While ``on``, training passes write into arrays the layer keeps from pass to pass
        (one set per batch size) instead of new ones; ``fit`` turns it on for its run and
        off when the run ends, so that a step allocates no array. Off, every pass makes
        new arrays, which stay valid after the next pass (what the trace needs).

        A layer without such arrays ignores it.

        Example:
            >>> layer = Dense(2, 1, "relu")
            >>> layer.build(np.random.default_rng(0), np.float64)
            >>> layer.reuse_buffers(True)
            >>> first = layer.forward(np.ones((3, 2)), training=True)
            >>> layer.forward(np.ones((3, 2)), training=True) is first
            True
            >>> layer.reuse_buffers(False)
            >>> layer.forward(np.ones((3, 2)), training=True) is first
            False
        """

    def penalty(self) -> float:
        """The layer's regularisation term added to the loss.

        Example:
            >>> layer = Dense(2, 1, weights=[[1.0], [2.0]], l2=0.1)
            >>> layer.build(np.random.default_rng(0), np.float64)
            >>> layer.penalty()  # 0.1 / 2 * (1^2 + 2^2)
            0.25
        """
        return 0.0

    def config(self) -> dict[str, Any]:
        """The arguments that rebuild this layer (model files store them; weights apart).

        Example:
            >>> Dense(2, 1, "relu").config()["activation"]
            {'name': 'relu'}
            >>> Dropout(0.5).config()
            {'type': 'Dropout', 'rate': 0.5}
        """
        raise NotImplementedError


def _as_matrix(value: ArrayLike, shape: tuple[int, ...], what: str) -> NDArray[np.float64]:
    array = np.array(value, dtype=np.float64)
    if array.size == int(np.prod(shape)) and array.ndim <= len(shape):
        array = array.reshape(shape)
    if array.shape != shape:
        raise ValueError(f"{what} must have shape {shape}, got {np.shape(value)}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{what} must be finite numbers, got {value!r}")
    return array


class Dense(Layer):
    """A fully connected layer: z = X @ W + b, a = f(z).

    Args:
        n_inputs: features coming in (columns of X).
        n_outputs: neurons in the layer.
        activation: a name (``"sigmoid"``, ``"relu"``, ...), an ``Activation`` or None.
        weights: starting weights of shape (n_inputs, n_outputs), used as they are; None
            draws them from the network's generator with ``init``.
        bias: starting bias of shape (n_outputs,); None starts it at zero.
        use_bias: False for a layer without a bias term.
        init: initialisation scheme (default: he_normal for ReLU, glorot_uniform otherwise).
        l2: L2 weight decay; adds l2/2 * sum W^2 to the loss (weights only, not the bias),
            and l2 * W to dE/dW.
        l1: L1 regularisation; adds l1 * sum |W| to the loss (weights only), and
            l1 * sign(W) to dE/dW (0 where W is 0: the subgradient the step takes there).

    Shape:
        X: (n, n_inputs) -> z, a: (n, n_outputs); W: (n_inputs, n_outputs); b: (n_outputs,)

    Example:
        >>> layer = Dense(3, 2, "relu")
        >>> layer, layer.init, layer.parameter_names
        (Dense(3, 2, activation='relu'), 'he_normal', ['W', 'b'])
    """

    # While fit runs (reuse_buffers): the arrays of its training passes, per batch size,
    # [z, a, delta] and dE/dX once asked for; and those of the last forward pass, for its
    # backward pass.
    _buffers: dict[int, list[NDArray[Any]]] | None = None
    _pass_buffers: list[NDArray[Any]] | None = None

    def __init__(
        self,
        n_inputs: int,
        n_outputs: int,
        activation: str | Activation | None = "sigmoid",
        weights: ArrayLike | None = None,
        bias: ArrayLike | None = None,
        use_bias: bool = True,
        init: str | None = None,
        l2: float = 0.0,
        l1: float = 0.0,
    ) -> None:
        for what, value in (("n_inputs", n_inputs), ("n_outputs", n_outputs)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise ValueError(f"Dense {what} must be a positive integer, got {value!r}")
        l2 = check_number("l2", l2, 0)
        l1 = check_number("l1", l1, 0)
        self.n_inputs: int = int(n_inputs)
        self.n_outputs: int = int(n_outputs)
        self.activation: Activation = get_activation(activation)
        self.use_bias: bool = bool(use_bias) and bias is not False
        self.init: str = init or default_initializer(self.activation.name)
        get_initializer(self.init)
        self.l2 = l2
        self.l1 = l1
        # Starting weights as given, or none yet (an empty array: build draws them).
        self.weights: NDArray[Any] = (
            np.empty((0, self.n_outputs))
            if weights is None
            else _as_matrix(weights, (self.n_inputs, self.n_outputs), "weights")
        )
        self.bias: NDArray[Any] | None = None  # None: a layer without a bias term
        if self.use_bias:
            given = np.zeros(self.n_outputs) if bias is None else bias
            self.bias = _as_matrix(given, (self.n_outputs,), "bias")
        self.grad_weights: NDArray[Any] = np.zeros_like(self.weights)
        self.grad_bias: NDArray[Any] | None = (
            None if self.bias is None else np.zeros_like(self.bias)
        )
        self._cache: tuple[Any, NDArray[Any], NDArray[Any]] | None = None
        self._grad_output: NDArray[Any] | None = None
        self._delta: NDArray[Any] | None = None

    def build(self, rng: np.random.Generator, dtype: DTypeLike) -> None:
        if self.weights.size == 0:
            initializer = get_initializer(self.init)
            self.weights = initializer(rng, self.n_inputs, self.n_outputs, np.dtype(dtype))
        self.weights = np.ascontiguousarray(self.weights, dtype=dtype)
        if self.bias is not None:
            self.bias = np.ascontiguousarray(self.bias, dtype=dtype)
        self.grad_weights = np.zeros_like(self.weights)
        self.grad_bias = None if self.bias is None else np.zeros_like(self.bias)

    def store_in(self, parameters: NDArray[Any], gradients: NDArray[Any]) -> None:
        """Keep W, b and their gradients in slices of flat arrays (views), values kept.

        ``parameters`` and ``gradients`` are 1-D, W's entries first, then b's. The network
        gives each layer its slice of two arrays that hold the whole network, so that an
        optimizer can update every parameter with one NumPy call per formula.

        Example:
            >>> layer = Dense(1, 2, weights=[[1.0, 2.0]], bias=[3.0, 4.0])
            >>> layer.build(np.random.default_rng(0), np.float64)
            >>> flat, flat_gradients = np.zeros(4), np.zeros(4)
            >>> layer.store_in(flat, flat_gradients)
            >>> flat.tolist(), layer.weights.base is flat
            ([1.0, 2.0, 3.0, 4.0], True)
        """
        shape, size = self.weights.shape, self.weights.size
        parameters[:size] = self.weights.ravel()
        self.weights = parameters[:size].reshape(shape)
        self.grad_weights = gradients[:size].reshape(shape)
        if self.bias is not None:
            parameters[size:] = self.bias
            self.bias, self.grad_bias = parameters[size:], gradients[size:]

    @property
    def parameters(self) -> list[NDArray[Any]]:
        return [self.weights] if self.bias is None else [self.weights, self.bias]

    @property
    def gradients(self) -> list[NDArray[Any]]:
        return (
            [self.grad_weights] if self.grad_bias is None else [self.grad_weights, self.grad_bias]
        )

    @property
    def parameter_names(self) -> list[str]:
        return ["W", "b"] if self.use_bias else ["W"]

    def reuse_buffers(self, on: bool) -> None:
        self._buffers = {} if on else None
        self._pass_buffers = None

    def forward(self, inputs: NDArray[Any], training: bool = False) -> NDArray[Any]:
        kept = self._kept_arrays(inputs) if training and self._buffers is not None else None
        if kept is None:
            z = inputs @ self.weights  # (n, n_in) @ (n_in, n_out) -> (n, n_out)
            if self.bias is not None:
                z += self.bias  # (n, n_out) + (n_out,)
            a = self.activation.forward(z)  # (n, n_out)
        else:  # the same products and formulas, into the arrays kept for this batch size
            z = np.matmul(inputs, self.weights, out=kept[0])
            if self.bias is not None:
                z += self.bias
            a = self.activation.forward_into(z, kept[1])
        self._cache = inputs, z, a
        self._pass_buffers = kept
        return a

    def _kept_arrays(self, inputs: Any) -> list[NDArray[Any]] | None:
        """The kept [z, a, delta] (and dE/dX, once asked for) for a batch of these inputs,
        or None for inputs that are no 2-D array of the layer's dtype."""
        if self._buffers is None or not isinstance(inputs, np.ndarray):
            return None
        if inputs.dtype != self.weights.dtype or inputs.ndim != 2:
            return None
        rows = inputs.shape[0]
        kept = self._buffers.get(rows)
        if kept is None:
            kept = self._buffers[rows] = self._arrays_for(rows)
        return kept

    def _arrays_for(self, rows: int) -> list[NDArray[Any]]:
        """[z, a, delta] of ``rows`` rows: the leading rows of the largest batch's arrays
        (a smaller last batch takes no memory of its own), or new arrays for a larger one."""
        assert self._buffers is not None
        largest = max(self._buffers.values(), key=lambda kept: kept[0].shape[0], default=None)
        if largest is not None and largest[0].shape[0] >= rows:
            return [array[:rows] for array in largest]
        self._buffers.clear()  # the smaller batches' views are made again from the new arrays
        shape = (rows, self.n_outputs)
        return [np.empty(shape, self.weights.dtype) for _ in range(3)]

    def __getstate__(self) -> dict[str, Any]:
        # A copy (or a pickle) made while fit runs is an ordinary layer: no kept arrays.
        return {**self.__dict__, "_buffers": None, "_pass_buffers": None}

    @property
    def cache(self) -> tuple[Any, NDArray[Any], NDArray[Any]]:
        """(X, z, a) of the last forward pass: what backward and the trace read (X is
        what came in: an array, or the SciPy sparse matrix the estimators may pass).

        Example:
            >>> layer = Dense(1, 1, "relu", weights=[[-1.0]])
            >>> layer.build(np.random.default_rng(0), np.float64)
            >>> _ = layer.forward(np.array([[2.0]])); layer.cache[1:]
            (array([[-2.]]), array([[0.]]))
            >>> Dense(1, 1).cache
            Traceback (most recent call last):
            RuntimeError: the layer has made no forward pass yet: no cache to read
        """
        if self._cache is None:
            raise RuntimeError("the layer has made no forward pass yet: no cache to read")
        return self._cache

    @property
    def output_gradient(self) -> NDArray[Any] | None:
        """dE/da (n, n_out) that the last ``backward`` received (None after
        ``backward_delta`` alone, as for an output layer whose delta the loss gives)."""
        return self._grad_output

    @property
    def delta(self) -> NDArray[Any] | None:
        """delta = dE/dz (n, n_out) of the last backward pass."""
        return self._delta

    @overload
    def backward(
        self, grad_output: NDArray[Any], input_gradient: Literal[True] = ...
    ) -> NDArray[Any]: ...
    @overload
    def backward(self, grad_output: NDArray[Any], input_gradient: Literal[False]) -> None: ...
    @overload
    def backward(self, grad_output: NDArray[Any], input_gradient: bool) -> NDArray[Any] | None: ...

    def backward(
        self, grad_output: NDArray[Any], input_gradient: bool = True
    ) -> NDArray[Any] | None:
        """From dE/da (n, n_out) to dE/dX (n, n_in), storing dE/dW and dE/db.

        ``input_gradient=False`` skips dE/dX and returns None: the network asks this of
        its first Dense layer, whose inputs are the data and need no gradient.
        """
        _, z, a = self.cache
        self._grad_output = grad_output  # dE/da, kept for the trace
        kept = self._pass_buffers
        if kept is None:
            delta = self.activation.backward(grad_output, z, a)  # dE/dz, (n, n_out)
        else:
            delta = self.activation.backward_into(grad_output, z, a, kept[2])
        return self.backward_delta(delta, input_gradient)

    @overload
    def backward_delta(
        self, delta: NDArray[Any], input_gradient: Literal[True] = ...
    ) -> NDArray[Any]: ...
    @overload
    def backward_delta(self, delta: NDArray[Any], input_gradient: Literal[False]) -> None: ...
    @overload
    def backward_delta(self, delta: NDArray[Any], input_gradient: bool) -> NDArray[Any] | None: ...

    def backward_delta(
        self, delta: NDArray[Any], input_gradient: bool = True
    ) -> NDArray[Any] | None:
        """From delta = dE/dz (n, n_out) to dE/dX, storing dE/dW = X^T delta and dE/db.

        Example:
            >>> layer = Dense(2, 1, "identity", weights=[[2.0], [1.0]], bias=[0.5])
            >>> layer.build(np.random.default_rng(0), np.float64)
            >>> _ = layer.forward(np.array([[1.0, 1.0], [0.0, 2.0]]))
            >>> layer.backward_delta(np.array([[1.0], [0.5]]), input_gradient=False) is None
            True
            >>> layer.grad_weights.tolist()  # X^T delta
            [[1.0], [2.0]]
        """
        inputs = self.cache[0]
        self._delta = delta
        if isinstance(inputs, np.ndarray):
            np.matmul(inputs.T, delta, out=self.grad_weights)  # (n_in, n) @ (n, n_out)
        else:  # a SciPy sparse matrix (the estimators take them): its own product
            self.grad_weights[...] = inputs.T @ delta
        if self.l2:
            self.grad_weights += self.l2 * self.weights  # d/dW of l2/2 * sum W^2
        if self.l1:
            self.grad_weights += self.l1 * np.sign(self.weights)  # d/dW of l1 * sum |W|
        if self.grad_bias is not None:
            delta.sum(axis=0, out=self.grad_bias)  # (n_out,)
        if not input_gradient:
            return None
        kept = self._pass_buffers
        if kept is None or kept[0].shape[0] != delta.shape[0]:
            return delta @ self.weights.T  # (n, n_out) @ (n_out, n_in) -> (n, n_in)
        if len(kept) == 3:
            kept.append(self._kept_input_gradient(delta.shape[0]))
        return np.matmul(delta, self.weights.T, out=kept[3])

    def _kept_input_gradient(self, rows: int) -> NDArray[Any]:
        """dE/dX's kept array of ``rows`` rows, made once for the largest batch (its
        leading rows for a smaller one), as for z, a and delta."""
        assert self._buffers is not None
        largest = max(self._buffers.values(), key=lambda kept: kept[0].shape[0])
        if len(largest) == 3:
            shape = (largest[0].shape[0], self.n_inputs)
            largest.append(np.empty(shape, self.weights.dtype))
        return largest[3][:rows]

    def penalty(self) -> float:
        value = 0.0
        if self.l2:
            value += 0.5 * self.l2 * float(np.sum(self.weights * self.weights))
        if self.l1:
            value += self.l1 * float(np.sum(np.abs(self.weights)))
        return value

    def config(self) -> dict[str, Any]:
        return {
            "type": "Dense",
            "n_inputs": self.n_inputs,
            "n_outputs": self.n_outputs,
            "activation": self.activation.config(),
            "use_bias": self.use_bias,
            "init": self.init,
            "l2": self.l2,
            "l1": self.l1,
        }

    def __repr__(self) -> str:
        return (
            f"Dense({self.n_inputs}, {self.n_outputs}, activation={self.activation.name!r}"
            + ("" if self.use_bias else ", use_bias=False")
            + ")"
        )


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
        self.mean: NDArray[Any] = _as_matrix(columns, (columns.size,), "mean")
        self.scale: NDArray[Any] = _as_matrix(scale, (columns.size,), "scale")
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
