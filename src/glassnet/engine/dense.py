"""The fully connected layer: z = X @ W + b, a = f(z), and its backward pass
delta = dE/da * f'(z), dE/dW = X^T delta, dE/db = sum_rows delta, dE/dX = delta W^T.

While ``fit`` runs, its training passes write into arrays the layer keeps from pass to
pass, one set per batch size, so that a step allocates no array; outside ``fit`` every
pass makes new arrays (what the trace needs).

Example:
    >>> import numpy as np
    >>> layer = Dense(2, 1, activation="sigmoid", weights=[[0.2], [0.1]], bias=None,
    ...               use_bias=False)
    >>> layer.build(np.random.default_rng(0), np.float64)
    >>> layer.forward(np.array([[0.3, 0.5]]))
    array([[0.5274723]])
"""

from __future__ import annotations

from typing import Any, Literal, overload

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from glassnet.engine.activations import Activation, get_activation
from glassnet.engine.batch_arrays import BatchArrays
from glassnet.engine.initializers import default_initializer, get_initializer
from glassnet.engine.layer import Layer
from glassnet.engine.validation import check_matrix, check_number

__all__ = ["Dense"]


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
    _buffers: BatchArrays | None = None
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
            else check_matrix("weights", weights, (self.n_inputs, self.n_outputs))
        )
        self.bias: NDArray[Any] | None = None  # None: a layer without a bias term
        if self.use_bias:
            given = np.zeros(self.n_outputs) if bias is None else bias
            self.bias = check_matrix("bias", given, (self.n_outputs,))
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
        self._buffers = (
            BatchArrays(self.n_inputs, self.n_outputs, self.weights.dtype) if on else None
        )
        self._pass_buffers = None

    def forward(self, inputs: NDArray[Any], training: bool = False) -> NDArray[Any]:
        buffers = self._buffers
        W = self.weights
        if (
            buffers is None
            or not training
            or not isinstance(inputs, np.ndarray)
            or inputs.ndim != 2
            or inputs.dtype != W.dtype
        ):
            z = inputs @ W  # (n, n_in) @ (n_in, n_out) -> (n, n_out)
            if self.bias is not None:
                z += self.bias  # (n, n_out) + (n_out,)
            a = self.activation.forward(z)  # (n, n_out)
            kept = None
        else:  # the same products and formulas, into the arrays kept for this batch size
            kept = buffers.of(inputs.shape[0])
            # ndarray.dot is inputs @ W for 2-D arrays of one dtype: np.matmul's BLAS call
            # (the same bits) without the ufunc machinery and np.dot's dispatch, which cost
            # three times a small product (4 x 4 by 4 x 1: 0.23 us against 0.75).
            z = inputs.dot(W, kept[0])
            if self.bias is not None:
                z += self.bias
            a = self.activation.forward_into(z, kept[1])
        self._cache = inputs, z, a
        self._pass_buffers = kept
        return a

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
        W, grad_W = self.weights, self.grad_weights
        # The kept arrays' pass (its inputs and arrays 2-D, of W's dtype): ndarray.dot, as forward.
        fast = self._pass_buffers is not None and delta.dtype == W.dtype and delta.ndim == 2
        if fast and grad_W.flags.c_contiguous:
            inputs.T.dot(delta, grad_W)  # (n_in, n) @ (n, n_out)
        elif isinstance(inputs, np.ndarray):
            np.matmul(inputs.T, delta, out=grad_W)
        else:  # a SciPy sparse matrix (the estimators take them): its own product
            grad_W[...] = inputs.T @ delta
        if self.l2:
            grad_W += self.l2 * W  # d/dW of l2/2 * sum W^2
        if self.l1:
            grad_W += self.l1 * np.sign(W)  # d/dW of l1 * sum |W|
        if self.grad_bias is not None:
            np.add.reduce(delta, axis=0, out=self.grad_bias)  # sum over the rows, (n_out,)
        if not input_gradient:
            return None
        if self._buffers is None or not fast:
            return delta @ W.T  # (n, n_out) @ (n_out, n_in) -> (n, n_in)
        return delta.dot(W.T, self._buffers.input_gradient(delta.shape[0]))

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
