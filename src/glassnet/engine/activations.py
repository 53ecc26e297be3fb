"""Activation functions, each with its derivative written right beside it.

Every activation maps the pre-activation ``z`` of a layer to its output ``a = f(z)``.
Derivatives are written in terms of whichever of ``z`` and ``a`` makes them cheapest and
most exact (the sigmoid's is ``a * (1 - a)``, as tutorial 000 works it by hand).

``backward(da, z, a)`` turns dE/da into dE/dz. For the element-wise activations it is
``da * f'(z)``; softmax couples its outputs and overrides it with its Jacobian product.

``forward_into`` and ``backward_into`` are the same computations written into an array
given by the caller, the fit loop's kept buffers (so that a training step allocates no
array); each built-in form gives exactly what ``forward`` and ``backward`` give, bit for
bit (tests/engine/test_speed.py checks every one).

Example:
    >>> import numpy as np
    >>> get_activation("sigmoid").forward(np.array([0.0]))
    array([0.5])
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from glassnet.engine.validation import check_number

__all__ = [
    "Activation",
    "Step",
    "Sign",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "Identity",
    "Softmax",
    "ACTIVATIONS",
    "get_activation",
]


class Activation:
    """An activation a = f(z) with its derivative da/dz.

    Subclasses set ``name``, ``formula`` (what a equals) and ``derivative_formula`` (what
    da/dz equals), both right-hand sides in the notation the trace prints, and implement
    ``forward`` and ``derivative``.

    Example:
        >>> Sigmoid().formula
        '1 / (1 + exp(-z))'
        >>> isinstance(get_activation("tanh"), Activation)
        True
    """

    name: str = ""
    formula: str = ""
    derivative_formula: str = ""

    def forward(self, z: NDArray[Any]) -> NDArray[Any]:
        """The output a = f(z), element by element (softmax: row by row).

        Example:
            >>> import numpy as np
            >>> ReLU().forward(np.array([-2.0, 0.0, 3.0]))
            array([0., 0., 3.])
        """
        raise NotImplementedError

    def derivative(self, z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        """da/dz element by element, given both the input z and the output a = f(z).

        Example:
            >>> import numpy as np
            >>> z = np.array([0.0, 2.0])
            >>> Sigmoid().derivative(z, Sigmoid().forward(z)).round(4)
            array([0.25 , 0.105])
        """
        raise NotImplementedError

    def backward(self, da: NDArray[Any], z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        """dE/dz from dE/da (the chain rule through an element-wise function).

        Example:
            >>> import numpy as np
            >>> z = np.array([[-1.0, 2.0]])
            >>> ReLU().backward(np.array([[0.5, 0.5]]), z, ReLU().forward(z))
            array([[0. , 0.5]])
        """
        return da * self.derivative(z, a)

    def forward_into(self, z: NDArray[Any], out: NDArray[Any]) -> NDArray[Any]:
        """a = f(z) as ``forward`` computes it, written into ``out`` (a float array shaped
        like z, not z itself) where the activation has such a form; returns a.

        The base form returns ``forward(z)``, a new array: an activation of one's own
        works unchanged, with one allocation per pass.

        Example:
            >>> import numpy as np
            >>> out = np.empty(3)
            >>> a = ReLU().forward_into(np.array([-1.0, 0.5, 2.0]), out)
            >>> a is out, a.tolist()
            (True, [0.0, 0.5, 2.0])
        """
        return self.forward(z)

    def backward_into(
        self, da: NDArray[Any], z: NDArray[Any], a: NDArray[Any], out: NDArray[Any]
    ) -> NDArray[Any]:
        """dE/dz as ``backward`` computes it, written into ``out`` (shaped like da, none of
        da, z and a) where the activation has such a form; returns dE/dz.

        Example:
            >>> import numpy as np
            >>> z = np.array([-1.0, 2.0]); out = np.empty(2)
            >>> Sigmoid().backward_into(np.ones(2), z, Sigmoid().forward(z), out).round(4)
            array([0.1966, 0.105 ])
        """
        return self.backward(da, z, a)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(vars(self).items()))))

    def config(self) -> dict[str, Any]:
        """The arguments that rebuild this activation (used by model files).

        Example:
            >>> LeakyReLU(0.2).config()
            {'name': 'leaky_relu', 'slope': 0.2}
            >>> get_activation(LeakyReLU(0.2).config())
            LeakyReLU(slope=0.2)
        """
        return {"name": self.name, **vars(self)}


class Step(Activation):
    """Heaviside step: a = 1 if z > 0 else 0, with step(0) = 0 (as numpy.heaviside(z, 0)).

    Its derivative is 0 wherever it exists: a step output cannot be trained by gradients,
    which is why the perceptron has a rule of its own.

    Example:
        >>> import numpy as np
        >>> Step().forward(np.array([-1.0, 0.0, 2.0]))
        array([0., 0., 1.])
    """

    name = "step"
    formula = "1 if z > 0 else 0"
    derivative_formula = "0"

    def forward(self, z: NDArray[Any]) -> NDArray[Any]:
        return (z > 0).astype(z.dtype)

    def derivative(self, z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        return np.zeros_like(z)


class Sign(Activation):
    """Three-valued sign with a threshold theta: -1 if z < theta, 0 if z = theta, 1 if z > theta.

    Example:
        >>> import numpy as np
        >>> Sign(threshold=0.5).forward(np.array([0.0, 0.5, 1.0]))
        array([-1.,  0.,  1.])
    """

    name = "sign"
    formula = "-1 if z < theta, 0 if z = theta, 1 if z > theta"
    derivative_formula = "0"

    def __init__(self, threshold: float = 0.0) -> None:
        self.threshold: float = check_number("sign threshold", threshold)

    def forward(self, z: NDArray[Any]) -> NDArray[Any]:
        return np.sign(z - self.threshold).astype(z.dtype)

    def derivative(self, z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        return np.zeros_like(z)

    def __repr__(self) -> str:
        return f"Sign(threshold={self.threshold})"


class Sigmoid(Activation):
    """Logistic sigmoid a = 1 / (1 + exp(-z)); da/dz = a * (1 - a).

    Exactly the textbook formula. For z below about -709 (-88 in float32) exp(-z)
    overflows to infinity, which is harmless here: 1 / (1 + inf) is exactly 0.0, so the
    overflow warning is silenced and sigmoid(-1000) is 0.0, sigmoid(1000) 1.0.

    Example:
        >>> import numpy as np
        >>> Sigmoid().forward(np.array([-1000.0, 0.0, 1000.0]))
        array([0. , 0.5, 1. ])
    """

    name = "sigmoid"
    formula = "1 / (1 + exp(-z))"
    derivative_formula = "a * (1 - a)"

    def forward(self, z: NDArray[Any]) -> NDArray[Any]:
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-z))

    def forward_into(self, z: NDArray[Any], out: NDArray[Any]) -> NDArray[Any]:
        # Under the caller's error state: fit's passes run with overflow ignored.
        # out given by position: the keyword costs a small array's call a fifth more
        np.negative(z, out)
        np.exp(out, out)
        np.add(out, 1.0, out)
        return np.divide(1.0, out, out)  # 1 / (1 + exp(-z))

    def derivative(self, z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        return a * (1.0 - a)

    def backward_into(
        self, da: NDArray[Any], z: NDArray[Any], a: NDArray[Any], out: NDArray[Any]
    ) -> NDArray[Any]:
        np.subtract(1.0, a, out)
        np.multiply(a, out, out)  # a * (1 - a)
        return np.multiply(da, out, out)


class Tanh(Activation):
    """Hyperbolic tangent a = tanh(z); da/dz = 1 - a^2.

    Example:
        >>> import numpy as np
        >>> Tanh().forward(np.array([0.0, 1.0])).round(4)
        array([0.    , 0.7616])
    """

    name = "tanh"
    formula = "tanh(z)"
    derivative_formula = "1 - a^2"

    def forward(self, z: NDArray[Any]) -> NDArray[Any]:
        return np.tanh(z)

    def forward_into(self, z: NDArray[Any], out: NDArray[Any]) -> NDArray[Any]:
        return np.tanh(z, out)

    def backward_into(
        self, da: NDArray[Any], z: NDArray[Any], a: NDArray[Any], out: NDArray[Any]
    ) -> NDArray[Any]:
        np.multiply(a, a, out)
        np.subtract(1.0, out, out)  # 1 - a^2
        return np.multiply(da, out, out)

    def derivative(self, z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        return 1.0 - a * a


class ReLU(Activation):
    """Rectified linear unit a = max(0, z); da/dz = 1 if z > 0 else 0.

    Example:
        >>> import numpy as np
        >>> z = np.array([-1.0, 2.0])
        >>> ReLU().derivative(z, ReLU().forward(z))
        array([0., 1.])
    """

    name = "relu"
    formula = "max(0, z)"
    derivative_formula = "1 if z > 0 else 0"

    def forward(self, z: NDArray[Any]) -> NDArray[Any]:
        return self.forward_into(z, np.empty_like(z))

    def forward_into(self, z: NDArray[Any], out: NDArray[Any]) -> NDArray[Any]:
        # NumPy's maximum has a SIMD loop for two arrays, not for an array and a scalar:
        # against an array of zeros it takes a fifth of the time of np.maximum(z, 0),
        # which tests/engine/test_speed.py checks it equals. The zeros of a batch are
        # kept (read-only); a larger array's are written into out itself, as np.zeros_like
        # did, so that no second array of its size is ever held.
        zeros = _zeros(z)
        if zeros is None:
            out.fill(0)
            zeros = out
        return np.maximum(z, zeros, out=out)

    def derivative(self, z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        return (z > 0).astype(z.dtype)

    def backward(self, da: NDArray[Any], z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        return self.backward_into(da, z, a, np.empty_like(da))

    def backward_into(
        self, da: NDArray[Any], z: NDArray[Any], a: NDArray[Any], out: NDArray[Any]
    ) -> NDArray[Any]:
        # Multiplying by the mask is several times faster than np.where(z > 0, da, 0);
        # adding 0 turns the -0.0 that a negative da times 0 gives into the 0.0 of where.
        np.multiply(da, z > 0, out=out)
        out += 0.0
        return out


# Zeros for ReLU's maximum, one read-only array per dtype, as long as the largest input
# so far of at most _KEPT_ZEROS entries (a mini-batch of 512 rows and 256 units); None
# for a larger input (an evaluation's chunk, a whole data set).
_ZEROS: dict[np.dtype[Any], NDArray[Any]] = {}
_KEPT_ZEROS = 1 << 17


def _zeros(z: NDArray[Any]) -> NDArray[Any] | None:
    if z.size > _KEPT_ZEROS:
        return None
    zeros = _ZEROS.get(z.dtype)
    if zeros is None or zeros.size < z.size:
        zeros = np.zeros(z.size, z.dtype)
        zeros.flags.writeable = False
        _ZEROS[z.dtype] = zeros
    return zeros[: z.size].reshape(z.shape)


class LeakyReLU(Activation):
    """Leaky ReLU a = z if z > 0 else slope * z; da/dz = 1 if z > 0 else slope.

    Example:
        >>> import numpy as np
        >>> LeakyReLU(slope=0.1).forward(np.array([-2.0, 3.0]))
        array([-0.2,  3. ])
    """

    name = "leaky_relu"
    formula = "z if z > 0 else slope * z"
    derivative_formula = "1 if z > 0 else slope"

    def __init__(self, slope: float = 0.01) -> None:
        self.slope: float = check_number("leaky_relu slope", slope, 0, 1, high_open=True)

    def forward(self, z: NDArray[Any]) -> NDArray[Any]:
        return np.where(z > 0, z, self.slope * z)

    def derivative(self, z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        return np.where(z > 0, 1.0, self.slope).astype(z.dtype)

    def __repr__(self) -> str:
        return f"LeakyReLU(slope={self.slope})"


class Identity(Activation):
    """Identity a = z; da/dz = 1 (the output of a regression network).

    Example:
        >>> import numpy as np
        >>> Identity().forward(np.array([-2.0, 3.0]))
        array([-2.,  3.])
    """

    name = "identity"
    formula = "z"
    derivative_formula = "1"

    def forward(self, z: NDArray[Any]) -> NDArray[Any]:
        return z

    def derivative(self, z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        return np.ones_like(z)

    def backward(self, da: NDArray[Any], z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        return da


class Softmax(Activation):
    """Softmax over each row: a_k = exp(z_k) / sum_j exp(z_j); da_k/dz_j = a_k (1[k=j] - a_j).

    Shifted by the row maximum so no exponential overflows. The derivative couples the
    outputs, so ``derivative`` returns only the diagonal of the Jacobian and ``backward``
    applies the whole Jacobian: dE/dz = a * (dE/da - sum_k dE/da_k a_k).

    Example:
        >>> import numpy as np
        >>> Softmax().forward(np.array([[0.0, 0.0], [1000.0, 1000.0]]))
        array([[0.5, 0.5],
               [0.5, 0.5]])
    """

    name = "softmax"
    formula = "exp(z) / sum_k(exp(z))"
    derivative_formula = "a_k * (1[k=j] - a_j)"

    def forward(self, z: NDArray[Any]) -> NDArray[Any]:
        e = z - z.max(axis=-1, keepdims=True)
        np.exp(e, out=e)
        e /= e.sum(axis=-1, keepdims=True)
        return e

    def forward_into(self, z: NDArray[Any], out: NDArray[Any]) -> NDArray[Any]:
        np.subtract(z, z.max(axis=-1, keepdims=True), out=out)
        np.exp(out, out=out)
        out /= out.sum(axis=-1, keepdims=True)
        return out

    def derivative(self, z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        return a * (1.0 - a)

    def backward(self, da: NDArray[Any], z: NDArray[Any], a: NDArray[Any]) -> NDArray[Any]:
        return a * (da - (da * a).sum(axis=-1, keepdims=True))


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Step, Sign, Sigmoid, Tanh, ReLU, LeakyReLU, Identity, Softmax)
}


def get_activation(
    identifier: str | dict[str, Any] | Activation | type[Activation] | None,
) -> Activation:
    """Return an activation from its name, an instance, or None (identity).

    Example:
        >>> get_activation("relu")
        ReLU()
        >>> get_activation({"name": "leaky_relu", "slope": 0.1})
        LeakyReLU(slope=0.1)
    """
    if identifier is None:
        return Identity()
    if isinstance(identifier, Activation):
        return identifier
    if isinstance(identifier, dict):
        options = dict(identifier)
        name = options.pop("name", None)
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}")
        return ACTIVATIONS[name](**options)
    if isinstance(identifier, str):
        key = identifier.lower()
        if key not in ACTIVATIONS:
            raise ValueError(
                f"unknown activation {identifier!r}; expected one of {sorted(ACTIVATIONS)}"
            )
        return ACTIVATIONS[key]()
    if isinstance(identifier, type) and issubclass(identifier, Activation):
        return identifier()
    raise TypeError(
        f"activation must be a name, an Activation or None, got {type(identifier).__name__}"
    )
