"""Optimizers, in order of increasing complexity, and learning-rate schedules.

An optimizer updates a list of parameter arrays in place from the gradients aligned with
them; any per-parameter state (velocities, moments) lives in lists aligned the same way.
The learning rate is a number or a schedule of the epoch.

Example:
    >>> import numpy as np
    >>> w = np.array([1.0]); SGD(learning_rate=0.5).step([w], [np.array([2.0])]); w
    array([0.])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from glassnet.engine.validation import check_choice, check_integer, check_number

__all__ = [
    "Schedule",
    "Constant",
    "StepDecay",
    "InverseTime",
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "Adam",
    "OPTIMIZERS",
    "get_optimizer",
]


class Schedule:
    """A learning rate as a function of the epoch (1, 2, ...).

    Example:
        >>> schedule = StepDecay(0.1, factor=0.5, every=10)
        >>> isinstance(schedule, Schedule), schedule(1), schedule(11)
        (True, 0.1, 0.05)
    """

    def __call__(self, epoch: int) -> float:
        raise NotImplementedError


class Constant(Schedule):
    """lr(epoch) = learning_rate.

    Example:
        >>> Constant(0.1)(7)
        0.1
    """

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate: float = check_number("learning rate", learning_rate, 0, low_open=True)

    def __call__(self, epoch: int) -> float:
        return self.learning_rate

    def __repr__(self) -> str:
        return f"Constant({self.learning_rate})"


class StepDecay(Schedule):
    """lr(epoch) = learning_rate * factor ^ floor((epoch - 1) / every).

    Example:
        >>> schedule = StepDecay(0.1, factor=0.5, every=10)
        >>> schedule(10), schedule(11), schedule(21)
        (0.1, 0.05, 0.025)
    """

    def __init__(self, learning_rate: float, factor: float = 0.5, every: int = 10) -> None:
        self.learning_rate: float = check_number("learning rate", learning_rate, 0, low_open=True)
        self.factor: float = check_number("decay factor", factor, 0, 1, low_open=True)
        check_integer("decay interval", every, low=1)
        self.every = every

    def __call__(self, epoch: int) -> float:
        return self.learning_rate * self.factor ** ((epoch - 1) // self.every)

    def __repr__(self) -> str:
        return f"StepDecay({self.learning_rate}, factor={self.factor}, every={self.every})"


class InverseTime(Schedule):
    """lr(epoch) = learning_rate / (1 + decay * (epoch - 1)).

    Example:
        >>> schedule = InverseTime(0.1, decay=0.5)
        >>> schedule(1), schedule(3)
        (0.1, 0.05)
    """

    def __init__(self, learning_rate: float, decay: float = 0.01) -> None:
        self.learning_rate: float = check_number("learning rate", learning_rate, 0, low_open=True)
        self.decay: float = check_number("decay", decay, 0)

    def __call__(self, epoch: int) -> float:
        return self.learning_rate / (1.0 + self.decay * (epoch - 1))

    def __repr__(self) -> str:
        return f"InverseTime({self.learning_rate}, decay={self.decay})"


class Optimizer:
    """Base class: ``step(parameters, gradients)`` updates the parameters in place.

    Example:
        >>> optimizer = get_optimizer("momentum", learning_rate=0.1)
        >>> isinstance(optimizer, Optimizer), optimizer.learning_rate, optimizer.iterations
        (True, 0.1, 0)
    """

    name = ""
    # flat: the rule treats every entry alike, so fit may hand it the whole network as one
    # flat array (one NumPy call per formula instead of one per W and b), as tinygrad's
    # fused optimizers do. Each built-in rule says so in its own class body; any subclass
    # that does not say so itself gets the arrays one by one (it may treat W and b apart).
    flat: bool = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "flat" not in vars(cls):
            cls.flat = False

    def __init__(self, learning_rate: float | Schedule = 0.01) -> None:
        self.schedule: Schedule = (
            learning_rate if isinstance(learning_rate, Schedule) else Constant(learning_rate)
        )
        self.learning_rate: float = self.schedule(1)
        self.iterations: int = 0

    def set_epoch(self, epoch: int) -> None:
        """Read the learning rate of this epoch from the schedule.

        Example:
            >>> optimizer = SGD(StepDecay(0.1, factor=0.5, every=10))
            >>> optimizer.set_epoch(11); optimizer.learning_rate
            0.05
        """
        self.learning_rate = self.schedule(epoch)

    def step(self, parameters: Sequence[NDArray[Any]], gradients: Sequence[NDArray[Any]]) -> None:
        """Update each parameter array in place from the gradient aligned with it.

        Example:
            >>> import numpy as np
            >>> w, b = np.array([[1.0], [2.0]]), np.array([0.5])
            >>> optimizer = SGD(learning_rate=0.1)
            >>> optimizer.step([w, b], [np.array([[1.0], [-1.0]]), np.array([5.0])])
            >>> w.tolist(), b.tolist(), optimizer.iterations
            ([[0.9], [2.1]], [0.0], 1)
        """
        self.iterations += 1
        for index, (param, grad) in enumerate(zip(parameters, gradients, strict=True)):
            self.update(index, param, grad)

    def update(self, index: int, param: NDArray[Any], grad: NDArray[Any]) -> None:
        """The rule for one array, in place: ``index`` is its place in the list that
        ``step`` got (per-array state is kept at that index). A rule of one's own
        subclasses a built-in one and overrides this.

        Example:
            >>> import numpy as np
            >>> w = np.array([1.0, 2.0]); SGD(0.5).update(0, w, np.array([2.0, 2.0])); w
            array([0., 1.])
        """
        raise NotImplementedError

    def _state(
        self, store: list[NDArray[Any] | None], index: int, like: NDArray[Any]
    ) -> NDArray[Any]:
        while len(store) <= index:
            store.append(None)
        state = store[index]
        if state is None:
            state = store[index] = np.zeros_like(like)
        return state

    def config(self) -> dict[str, Any]:
        """The optimizer's name and hyperparameters, as plain data.

        Example:
            >>> SGD(0.1).config()
            {'name': 'sgd', 'learning_rate': 0.1}
            >>> Momentum(0.1).config()
            {'name': 'momentum', 'learning_rate': 0.1, 'momentum': 0.9}
        """
        return {"name": self.name, "learning_rate": self.learning_rate}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self.schedule!r})"


class SGD(Optimizer):
    """Plain gradient descent: w <- w - lr * g.

    Example:
        >>> import numpy as np
        >>> w = np.array([1.0, -1.0]); SGD(0.5).step([w], [np.array([1.0, 1.0])]); w
        array([ 0.5, -1.5])
    """

    name = "sgd"
    flat = True

    def update(self, index: int, param: NDArray[Any], grad: NDArray[Any]) -> None:
        param -= param.dtype.type(self.learning_rate) * grad


class Momentum(Optimizer):
    """Gradient descent with momentum: v <- mu * v - lr * g;  w <- w + v.

    Example:
        >>> import numpy as np
        >>> w = np.array([1.0]); optimizer = Momentum(0.1, momentum=0.5)
        >>> for _ in range(2):  # v = -0.1, then 0.5 * -0.1 - 0.1 = -0.15
        ...     optimizer.step([w], [np.array([1.0])])
        >>> w, optimizer.velocities
        (array([0.75]), [array([-0.15])])
    """

    name = "momentum"
    flat = True

    def __init__(self, learning_rate: float | Schedule = 0.01, momentum: float = 0.9) -> None:
        super().__init__(learning_rate)
        self.momentum: float = check_number("momentum", momentum, 0, 1, high_open=True)
        self.velocities: list[NDArray[Any] | None] = []

    def update(self, index: int, param: NDArray[Any], grad: NDArray[Any]) -> None:
        v = self._state(self.velocities, index, param)
        v *= param.dtype.type(self.momentum)
        v -= param.dtype.type(self.learning_rate) * grad
        param += v

    def config(self) -> dict[str, Any]:
        return {**super().config(), "momentum": self.momentum}


class Nesterov(Momentum):
    """Nesterov momentum, in the form that needs no look-ahead evaluation:
    v <- mu * v - lr * g;  w <- w + mu * v - lr * g.

    Example:
        >>> import numpy as np
        >>> w = np.array([1.0]); Nesterov(0.1, momentum=0.5).step([w], [np.array([1.0])])
        >>> w  # v = -0.1; w = 1 + 0.5 * -0.1 - 0.1
        array([0.85])
    """

    name = "nesterov"
    flat = True

    def update(self, index: int, param: NDArray[Any], grad: NDArray[Any]) -> None:
        v = self._state(self.velocities, index, param)
        mu = param.dtype.type(self.momentum)
        lr_g = param.dtype.type(self.learning_rate) * grad
        v *= mu
        v -= lr_g
        param += mu * v - lr_g


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015), at step t:
    m <- beta1 * m + (1 - beta1) * g;  v <- beta2 * v + (1 - beta2) * g^2;
    m_hat = m / (1 - beta1^t);  v_hat = v / (1 - beta2^t);
    w <- w - lr * m_hat / (sqrt(v_hat) + epsilon).

    ``epsilon_on="v"`` adds epsilon to sqrt(v) instead, as scikit-learn's MLPs do:
    w <- w - lr * m_hat * sqrt(1 - beta2^t) / (sqrt(v) + epsilon).

    Example:
        >>> import numpy as np
        >>> w = np.array([1.0, -1.0]); Adam(0.1).step([w], [np.array([0.5, -3.0])])
        >>> w  # the first step moves every weight by about lr, whatever its gradient's size
        array([ 0.9, -0.9])
    """

    name = "adam"
    flat = True

    def __init__(
        self,
        learning_rate: float | Schedule = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
        epsilon_on: str = "v_hat",
    ) -> None:
        super().__init__(learning_rate)
        self.beta1: float = check_number("beta1", beta1, 0, 1, high_open=True)
        self.beta2: float = check_number("beta2", beta2, 0, 1, high_open=True)
        self.epsilon: float = check_number("epsilon", epsilon, 0, low_open=True)
        self.epsilon_on: str = check_choice("epsilon_on", epsilon_on, ("v_hat", "v"))
        # m is kept divided by (1 - beta1): m~ <- beta1 m~ + g takes two array passes
        # instead of three, and the update folds the factor back into its step size. (v
        # is kept as it is: scaled by 1 / (1 - beta2) it would overflow float32 for
        # gradients 30 times smaller.)
        self._scaled_first: list[NDArray[Any] | None] = []
        self.second_moments: list[NDArray[Any] | None] = []
        # Work space reused by every step, so a step allocates no parameter-sized arrays.
        self._scratch: list[NDArray[Any] | None] = []
        self._denominators: list[NDArray[Any] | None] = []

    @property
    def first_moments(self) -> list[NDArray[Any]]:
        """m of every parameter array (new arrays), as the formula above writes it.

        Example:
            >>> import numpy as np
            >>> adam = Adam(0.1); adam.step([np.zeros(2)], [np.array([1.0, -2.0])])
            >>> adam.first_moments, adam.second_moments[0].round(6)  # (1-b1) g, (1-b2) g^2
            ([array([ 0.1, -0.2])], array([0.001, 0.004]))
        """
        return [(1 - self.beta1) * m for m in self._scaled_first if m is not None]

    def update(self, index: int, param: NDArray[Any], grad: NDArray[Any]) -> None:
        dtype = param.dtype.type
        m = self._state(self._scaled_first, index, param)  # m / (1 - beta1)
        v = self._state(self.second_moments, index, param)
        scratch = self._state(self._scratch, index, param)
        denominator = self._state(self._denominators, index, param)
        m *= dtype(self.beta1)
        m += grad
        v *= dtype(self.beta2)
        np.multiply(grad, grad, out=scratch)
        scratch *= dtype(1 - self.beta2)
        v += scratch
        t = self.iterations
        # m_hat = (1 - beta1) m~ / (1 - beta1^t) and sqrt(v_hat) = sqrt(v) / b with
        # b = sqrt(1 - beta2^t); multiplying through by b, the update is
        # w <- w - step_size * m~ / (sqrt(v) + epsilon b).
        b = math.sqrt(1 - self.beta2**t)
        step_size = self.learning_rate * (1 - self.beta1) * b / (1 - self.beta1**t)
        np.sqrt(v, out=denominator)
        # (scikit-learn's form, epsilon_on="v": sqrt(v) + epsilon, the same update)
        denominator += dtype(self.epsilon * b if self.epsilon_on == "v_hat" else self.epsilon)
        np.multiply(m, dtype(step_size), out=scratch)
        scratch /= denominator
        param -= scratch

    def config(self) -> dict[str, Any]:
        return {
            **super().config(),
            "beta1": self.beta1,
            "beta2": self.beta2,
            "epsilon": self.epsilon,
            **({} if self.epsilon_on == "v_hat" else {"epsilon_on": self.epsilon_on}),
        }


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, Momentum, Nesterov, Adam)}


def get_optimizer(
    identifier: str | Optimizer, learning_rate: float | Schedule | None = None
) -> Optimizer:
    """Return an optimizer from its name (with the given learning rate) or an instance.

    Example:
        >>> get_optimizer("adam", learning_rate=0.01)
        Adam(learning_rate=Constant(0.01))
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in OPTIMIZERS:
        cls = OPTIMIZERS[identifier.lower()]
        return cls() if learning_rate is None else cls(learning_rate)
    raise ValueError(f"unknown optimizer {identifier!r}; expected one of {sorted(OPTIMIZERS)}")
