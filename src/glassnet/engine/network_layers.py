"""A network's layers in sequence and their parameters, kept in one flat array.

``NetworkLayers`` is the part of ``Network`` that knows where things are: which layer is
the output, where the first Dense layer sits, the parameters and gradients in order with
their names in the trace's notation (W[1], b[1], W[2], ...), and the flat storage every
layer's arrays are views into. ``Network`` (engine/network.py) builds on it; nothing else
does.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 3), Dense(3, 1)])
    >>> net.parameter_names, net.count_parameters()
    (['W[1]', 'b[1]', 'W[2]', 'b[2]'], 13)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from glassnet.engine.layers import Dense, Layer

__all__ = ["NetworkLayers"]


class NetworkLayers:
    """The layers of a network, input side first, and their parameters in order.

    ``Network.__init__`` sets the attributes declared here, connects and builds the layers
    and makes the flat storage.

    Example:
        >>> from glassnet import Dense, Network, Standardize
        >>> scale = Standardize(mean=[0.0, 10.0], scale=[1.0, 5.0])  # (x - mean) / scale
        >>> net = Network([scale, Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")])
        >>> net.first_dense_index, net.output_layer.n_outputs, len(net.dense_layers)
        (1, 1, 2)
    """

    layers: list[Layer]
    dtype: np.dtype[Any]
    _storage: tuple[np.ndarray, np.ndarray] | None

    @property
    def dense_layers(self) -> list[Dense]:
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    @property
    def first_dense_index(self) -> int:
        """The position in ``layers`` of the first Dense layer (after Standardize, if any)."""
        for index, layer in enumerate(self.layers):  # a loop: a step asks, and next() costs
            if isinstance(layer, Dense):
                return index
        raise ValueError("the network has no Dense layer")

    @property
    def output_layer(self) -> Dense:
        layer = self.layers[-1]
        if not isinstance(layer, Dense):  # Network() checked it; the list was changed since
            raise TypeError(f"the last layer must be a Dense layer, got {layer!r}")
        return layer

    @property
    def n_inputs(self) -> int:
        return self.layers[0].n_inputs

    @property
    def n_outputs(self) -> int:
        return self.output_layer.n_outputs

    @property
    def parameters(self) -> list[np.ndarray]:
        return [p for layer in self.layers for p in layer.parameters]

    @property
    def gradients(self) -> list[np.ndarray]:
        return [g for layer in self.layers for g in layer.gradients]

    @property
    def parameter_names(self) -> list[str]:
        """Names of the parameters in the trace's notation: W[1], b[1], W[2], ..."""
        names, index = [], 0
        for layer in self.layers:
            if isinstance(layer, Dense):
                index += 1
                names += [f"{name}[{index}]" for name in layer.parameter_names]
        return names

    def flat_storage(self) -> tuple[np.ndarray, np.ndarray]:
        """All parameters in one flat array and all gradients in another, W[1], b[1], ...

        Every layer's W, b, dE/dW and dE/db are views into the two, so a built-in
        optimizer updates the whole network with one NumPy call per formula rather than
        one per array: most arrays are biases, where the call costs more than the
        arithmetic. (An optimizer class of the user's own gets the arrays one by one.)
        The views are made again when a layer's arrays were replaced (or copied away).

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, weights=[[1.0], [2.0]], bias=[3.0])])
            >>> flat, flat_gradients = net.flat_storage()
            >>> flat.tolist(), net.layers[0].bias.base is flat
            ([1.0, 2.0, 3.0], True)
        """
        if self._storage is not None:
            flat, flat_gradients = self._storage
            if all(p.base is flat for p in self.parameters) and all(
                g.base is flat_gradients for g in self.gradients
            ):
                return self._storage
        sizes = [sum(p.size for p in layer.parameters) for layer in self.dense_layers]
        flat = np.empty(sum(sizes), dtype=self.dtype)
        flat_gradients = np.zeros_like(flat)
        start = 0
        for layer, size in zip(self.dense_layers, sizes, strict=True):
            layer.store_in(flat[start : start + size], flat_gradients[start : start + size])
            start += size
        self._storage = flat, flat_gradients
        return self._storage

    def count_parameters(self) -> int:
        """How many numbers training adjusts: every weight and bias entry.

        Example:
            >>> from glassnet import Dense, Network
            >>> Network([Dense(2, 3), Dense(3, 1)]).count_parameters()  # (2*3 + 3) + (3*1 + 1)
            13
        """
        return sum(p.size for p in self.parameters)

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every parameter array, in order.

        Example:
            >>> from glassnet import Dense, Network
            >>> Network([Dense(2, 1, weights=[[1.0], [-1.0]], bias=[0.5])]).get_weights()
            [array([[ 1.],
                   [-1.]]), array([0.5])]
        """
        return [p.copy() for p in self.parameters]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Copy arrays into the parameters (shapes must match ``get_weights()``).

        Example:
            >>> import numpy as np
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1)], seed=0)
            >>> net.set_weights([np.array([[1.0], [2.0]]), np.array([0.5])])
            >>> net.forward([[1.0, 1.0]])
            array([[0.97068777]])
        """
        parameters = self.parameters
        if len(weights) != len(parameters):
            raise ValueError(f"expected {len(parameters)} arrays, got {len(weights)}")
        for name, param, value in zip(self.parameter_names, parameters, weights, strict=True):
            value = np.asarray(value)
            if value.shape != param.shape:
                raise ValueError(f"{name} must have shape {param.shape}, got {value.shape}")
            param[...] = value

    def __getstate__(self) -> dict[str, Any]:
        # The layers hold every parameter; the flat storage is made again from them on
        # load (or copy), rather than stored a second time.
        return {**self.__dict__, "_storage": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.flat_storage()
