"""The base of every layer: ``forward`` keeps exactly what ``backward`` needs;
``backward`` returns the gradient with respect to the layer's input and stores the
gradients of its parameters in ``gradients`` (aligned with ``parameters``).

The layers themselves are ``Dense`` (engine/dense.py), ``Dropout`` and ``Standardize``
(engine/layers.py, which also gathers all of them and checks that they connect).

Example:
    >>> issubclass(Layer, object), Layer().parameters
    (True, [])
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

__all__ = ["Layer"]


class Layer:
    """Base class: a layer maps an input batch (n, n_inputs) to an output (n, n_outputs).

    Example:
        >>> from glassnet.engine.layers import Dense, Dropout
        >>> [isinstance(layer, Layer) for layer in (Dense(2, 1), Dropout(0.5))]
        [True, True]
    """

    n_inputs: int
    n_outputs: int

    def build(self, rng: np.random.Generator, dtype: DTypeLike) -> None:
        """Create or cast the parameters, drawing from the network's generator.

        Example:
            >>> from glassnet.engine.dense import Dense
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
            >>> from glassnet.engine.dense import Dense
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
            >>> from glassnet.engine.dense import Dense
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
            >>> from glassnet.engine.dense import Dense
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
            >>> from glassnet.engine.dense import Dense
            >>> layer = Dense(2, 1, weights=[[1.0], [2.0]], l2=0.1)
            >>> layer.build(np.random.default_rng(0), np.float64)
            >>> layer.penalty()  # 0.1 / 2 * (1^2 + 2^2)
            0.25
        """
        return 0.0

    def config(self) -> dict[str, Any]:
        """The arguments that rebuild this layer (model files store them; weights apart).

        Example:
            >>> from glassnet.engine.layers import Dense, Dropout
            >>> Dense(2, 1, "relu").config()["activation"]
            {'name': 'relu'}
            >>> Dropout(0.5).config()
            {'type': 'Dropout', 'rate': 0.5}
        """
        raise NotImplementedError
