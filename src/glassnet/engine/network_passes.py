"""The passes through a network: forward to the output and the loss, backward to the gradients.

Backpropagation through any depth, in matrix form over the whole batch:

    delta[L] = dE/dz[L]            (the loss and the output activation)
    dE/dW[l] = a[l-1]^T @ delta[l]
    dE/db[l] = sum over samples of delta[l]
    dE/da[l-1] = delta[l] @ W[l]^T, and delta[l-1] = dE/da[l-1] * f'(z[l-1])

``NetworkPasses`` is the part of ``Network`` that computes: each layer's forward in turn,
E with every layer's regularisation term, and the backward pass that fills every layer's
gradients. ``fit``'s every step is ``loss_and_gradients``. ``Network`` (engine/network.py)
builds on it; nothing else does.

Example:
    >>> import numpy as np
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], bias=[0.0])], loss="half_sse")
    >>> X, Y = np.array([[1.0]]), np.array([[3.0]])
    >>> net.loss_and_gradients(X, Y), net.gradients[0].tolist()  # E = (2 - 3)^2 / 2
    (0.5, [[-1.0]])
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from glassnet.engine.arrays import as_features, ordered_features
from glassnet.engine.layers import Dense
from glassnet.engine.losses import Loss
from glassnet.engine.network_layers import NetworkLayers

__all__ = ["NetworkPasses"]


class NetworkPasses(NetworkLayers):
    """Forward and backward through the layers, on inputs checked and targets encoded.

    Every pass fills the layers' caches (z and a of each Dense layer), which backward,
    the trace and the diagnostics read.

    Example:
        >>> import numpy as np
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "identity", weights=[[1.0], [1.0]], bias=[0.0])])
        >>> net.compute_loss(np.array([[1.0, 2.0]]), np.array([[4.0]]))  # mse: (3 - 4)^2
        1.0
    """

    loss: Loss
    feature_names: list[str] | None

    def forward(self, X: ArrayLike, training: bool = False) -> NDArray[np.floating[Any]]:
        """The output a[L] for inputs X of shape (n, n_inputs).

        Example:
            >>> from glassnet import Dense, Network
            >>> Network([Dense(2, 1, "identity", weights=[[1], [2]], bias=[0])]).forward([1, 1])
            array([[3.]])
        """
        ordered, _ = ordered_features(X, self.feature_names)
        out = as_features(ordered, self.n_inputs, self.dtype)
        return self.propagate(out, training)

    def propagate(self, X: np.ndarray, training: bool = False) -> NDArray[np.floating[Any]]:
        """The output a[L] for inputs already checked (as ``forward`` checks them): each
        layer's forward in turn, the caches filled for backward and the trace.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[3.0]], bias=[1.0])])
            >>> net.propagate(np.array([[2.0]]))
            array([[7.]])
        """
        out = X
        for layer in self.layers:
            out = layer.forward(out, training)
        return out

    def _loss_value(self, Y: np.ndarray) -> float:
        """E of the last forward pass, with every layer's regularisation term."""
        output = self.output_layer
        _, z, a = output.cache
        value = self.loss.value_at(output.activation, z, a, Y)
        return value + sum([layer.penalty() for layer in self.layers])

    def _backward(self, Y: np.ndarray) -> None:
        """Fill every layer's gradients from the last forward pass.

        The pass ends at the first Dense layer: no layer below it has parameters, and its
        dE/dX, for wide inputs the largest product of the step, would feed nothing.
        """
        first = self.first_dense_index
        last = len(self.layers) - 1
        output = self.output_layer
        _, z, a = output.cache
        delta = self.loss.output_delta(output.activation, z, a, Y)
        grad = output.backward_delta(delta, input_gradient=last > first)
        for index in range(last - 1, first, -1):
            grad = self.layers[index].backward(_passed_down(grad, index))
        if first < last:
            layer = self.layers[first]
            if isinstance(layer, Dense):  # first_dense_index finds a Dense layer
                layer.backward(_passed_down(grad, first), input_gradient=False)

    def loss_and_gradients(self, X: np.ndarray, Y: np.ndarray, training: bool = False) -> float:
        """One forward and backward pass on encoded targets Y; returns E, fills gradients.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[[1.0], [-1.0]], bias=[0.0])],
            ...               loss="binary_crossentropy")
            >>> X, Y = net.encode_targets([[2.0, 0.0], [0.0, 2.0]], ["no", "yes"])
            >>> round(net.loss_and_gradients(X, Y), 4)
            2.1269
            >>> net.gradients[0].round(4)
            array([[ 0.8808],
                   [-0.8808]])
        """
        self.propagate(X, training)
        value = self._loss_value(Y)
        self._backward(Y)
        return value

    def compute_loss(self, X: np.ndarray, Y: np.ndarray) -> float:
        """E on encoded targets Y (no dropout), regularisation included.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[[1.0], [-1.0]], bias=[0.0])],
            ...               loss="binary_crossentropy")
            >>> X, Y = net.encode_targets([[2.0, 0.0], [0.0, 2.0]], ["no", "yes"])
            >>> round(net.compute_loss(X, Y), 4)
            2.1269
        """
        self.propagate(X, False)
        return self._loss_value(Y)

    def pre_activations(self, X: np.ndarray) -> list[np.ndarray]:
        """z of every Dense layer for inputs X (no dropout), input side first.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 2, "relu", weights=[[1.0, -1.0]], bias=[0.0, 0.0]),
            ...                Dense(2, 1, "identity")], seed=0)
            >>> net.pre_activations(np.array([[2.0]]))[0].tolist()
            [[2.0, -2.0]]
        """
        self.propagate(X, False)
        return [layer.cache[1] for layer in self.dense_layers]


def _passed_down(grad: np.ndarray | None, index: int) -> np.ndarray:
    """The input gradient a layer above gave; only the first Dense layer is asked for none."""
    if grad is None:
        raise RuntimeError(f"layer {index + 2} gave no input gradient for the layer below it")
    return grad
