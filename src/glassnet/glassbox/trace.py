"""The glass box: one gradient-descent step with every number named and kept in order.

A ``Trace`` lists the steps of a forward pass, the loss, the backward pass (every factor
of the chain rule) and the update. Names follow one notation throughout:

    x            the inputs (one row per sample)
    z[l], a[l]   layer l's pre-activation X @ W + b and its output f(z)
    E            the loss
    dE/da[l]     the gradient arriving at layer l's output
    da/dz[l]     the activation's derivative
    delta[l]     dE/dz[l] = dE/da[l] * da/dz[l]
    dz/dW[l]     the layer's input (a[l-1], or x for the first layer)
    dE/dW[l]     a[l-1]^T @ delta[l];   dE/db[l] = sum of delta[l] over samples
    new W[l]     W[l] - learning_rate * dE/dW[l]

A network with a single layer drops the "[1]". For a layer with one neuron traced on one
sample, the chain rule is also written weight by weight, as a tutorial works it by hand:
dz/dw1 = x1, dE/dw1 = dE/da * da/dz * dz/dw1, new w1 = w1 - learning_rate * dE/dw1.

Every name is accepted by ``trace[name]`` and by ``trace.check``; one entry of a matrix
is named with its 0-based index, e.g. ``dE/dW[1][0,2]``.

The same step renders as text (``to_text``), Markdown with LaTeX (``to_markdown``) and
HTML (``_repr_html_``, a table in a notebook), rounded to ``digits`` significant digits;
``to_dict`` keeps full precision. ``check`` marks a learner's hand-worked numbers right or
wrong and names the likely slip; ``what_changed`` lists each parameter's old value, change
and new value with the loss before and after.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
    ...               loss="half_sse")
    >>> trace = net.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    >>> trace["dE/dw1"].item()
    -0.03533258827937781
    >>> print(trace.check({"a": 0.527, "dE/dw1": 0.0353}))  # doctest: +ELLIPSIS
    a = 0.527: right (the trace has 0.527472)
    dE/dw1 = 0.0353: wrong, the trace has -0.0353326. Likely slip: sign flipped...
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from glassnet.engine.activations import Activation, Sigmoid
from glassnet.engine.layers import Dense
from glassnet.engine.losses import MSE, HalfSSE, Loss
from glassnet.engine.optimizers import SGD
from glassnet.text import format_number

if TYPE_CHECKING:
    from glassnet.engine.network import Network

__all__ = [
    "Trace",
    "TraceStep",
    "trace_step",
    "CheckReport",
    "CheckItem",
    "ParameterChange",
]

# A renderer receives a number formatter and a row picker (which keeps one sample's row of
# a per-sample array when a single sample is shown) and returns the formula with numbers.
Formatter = Callable[[np.ndarray], str]
Renderer = Callable[[Formatter, Callable[[np.ndarray], np.ndarray]], str]

STAGE_TITLES = {
    "forward": "Forward pass",
    "loss": "Loss",
    "backward": "Backward pass (chain rule)",
    "update": "Update",
}


# ---------------------------------------------------------------------- LaTeX rendering
def _latex_scalar(x: float, digits: int | None) -> str:
    x = float(x)
    if not np.isfinite(x):
        return r"\text{NaN}" if np.isnan(x) else ("-" if x < 0 else "") + r"\infty"
    text = repr(x) if digits is None else f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def latex_number(value, digits: int | None = None, max_rows: int = 6, max_columns: int = 6):
    """A scalar as a LaTeX number, an array as a ``bmatrix`` (large ones with dots elided).

    Example:
        >>> latex_number([[0.3, 0.5]])
        '\\\\begin{bmatrix}0.3 & 0.5\\\\end{bmatrix}'
        >>> latex_number(1.5e-05)
        '1.5 \\\\times 10^{-5}'
    """
    array = np.asarray(value, dtype=float)
    if array.size == 1:
        return _latex_scalar(array.reshape(()), digits)
    matrix = array.reshape(1, -1) if array.ndim <= 1 else array.reshape(array.shape[0], -1)
    rows, columns = matrix.shape

    def kept(count: int, limit: int) -> list[int | None]:
        if count <= limit:
            return list(range(count))
        half = limit // 2
        return [*range(half), None, *range(count - half, count)]

    lines = []
    for i in kept(rows, max_rows):
        cells = []
        for j in kept(columns, max_columns):
            if i is None:
                cells.append(r"\vdots" if j is not None else r"\ddots")
            else:
                cells.append(r"\cdots" if j is None else _latex_scalar(matrix[i, j], digits))
        lines.append(" & ".join(cells))
    return r"\begin{bmatrix}" + r" \\ ".join(lines) + r"\end{bmatrix}"


_TOKENS = re.compile(
    r"""
    (?P<sum_samples>sum\ over\ samples\ of)
    |(?P<new>new\ )
    |(?P<partial>d(?P<num>[A-Za-z](?:_[a-z])?)/d(?P<den>[A-Za-z](?:_[a-z])?)(?P<den_index>\d*)
        (?:\[(?P<den_layer>\d+)\])?)
    |(?P<delta>delta)(?:\[(?P<delta_layer>\d+)\])?
    |(?P<rate>learning_rate)
    |(?P<l2>l2\b)
    |(?P<function>exp|log|tanh|max)\b
    |(?P<sum>sum)(?:_(?P<sum_index>[a-z]))?
    |(?P<greek>theta)\b
    |(?P<indexed>[A-Za-z])_(?P<indexed_sub>[a-z]+)\b
    |(?P<word>[A-Za-z][A-Za-z_]+(?:\ [A-Za-z][A-Za-z_]+)*)
    |(?P<symbol>[A-Za-z])(?P<index>\d+|_[a-z]+)?(?:\[(?P<layer>\d+)\])?
    |(?P<transpose>\^T)
    |(?P<matmul>\s*@\s*)
    |(?P<times>\s*\*\s*)
    |(?P<other>.)
    """,
    re.VERBOSE,
)


def _symbol(letter: str, index: str | None, layer: str | None) -> str:
    text = letter
    if index:
        text += "_{" + index.lstrip("_") + "}"
    if layer:
        text += "^{[" + layer + "]}"
    return "{" + text + "}"


def latex_formula(formula: str, elementwise: bool = False) -> str:
    """A formula in the trace's plain notation, written in LaTeX.

    With ``elementwise``, ``*`` is the entry-by-entry product of matrices (odot).

    Example:
        >>> latex_formula("dE/da * da/dz * dz/dw1")
        '\\\\frac{\\\\partial E}{\\\\partial {a}} \\\\cdot \\\\frac{\\\\partial {a}}{\\\\partial {z}} \\\\cdot \\\\frac{\\\\partial {z}}{\\\\partial {w_{1}}}'
    """  # noqa: E501
    parts = []
    for match in _TOKENS.finditer(formula):
        kind = match.lastgroup
        groups = match.groupdict()
        if groups["partial"] is not None:
            layer = groups["den_layer"]
            numerator = "E" if groups["num"] == "E" else _symbol(groups["num"], None, layer)
            denominator = _symbol(groups["den"], groups["den_index"], layer)
            parts.append(rf"\frac{{\partial {numerator}}}{{\partial {denominator}}}")
        elif groups["delta"] is not None:
            layer = groups["delta_layer"]
            parts.append(r"{\delta" + ("^{[" + layer + "]}" if layer else "") + "}")
        elif groups["indexed"] is not None:
            parts.append(_symbol(groups["indexed"], groups["indexed_sub"], None))
        elif groups["symbol"] is not None:
            parts.append(_symbol(groups["symbol"], groups["index"], groups["layer"]))
        elif groups["sum"] is not None:
            index = groups["sum_index"]
            parts.append(r"\sum" + ("_{" + index + "}" if index else ""))
        elif kind == "sum_samples":
            parts.append(r"\sum_{\text{samples}}")
        elif kind == "new":
            parts.append(r"\text{new }")
        elif kind == "rate":
            parts.append(r"\eta")
        elif kind == "l2":
            parts.append(r"\lambda")
        elif kind == "function":
            parts.append("\\" + match.group())
        elif kind == "greek":
            parts.append(r"\theta")
        elif kind == "word":
            parts.append(r"\text{ " + match.group().replace("_", r"\_") + " }")
        elif kind == "transpose":
            parts.append(r"^\top")
        elif kind == "matmul":
            parts.append(r" \, ")
        elif kind == "times":
            parts.append(r" \odot " if elementwise else r" \cdot ")
        else:
            parts.append(match.group())
    return "".join(parts)


# ---------------------------------------------------------------------- steps
@dataclass
class TraceStep:
    """One named quantity: its formula, how to substitute numbers into it, and its value.

    ``per_sample`` marks arrays with one row per sample (x, z, a, dE/da, da/dz, delta),
    of which a single sample's row can be shown.

    Example:
        >>> step = TraceStep("E", "1/2 * (y - a)^2", np.array(0.125), "loss")
        >>> step.name, step.stage, step.value.item()
        ('E', 'loss', 0.125)
    """

    name: str
    formula: str
    value: np.ndarray
    stage: str  # "forward", "loss", "backward" or "update"
    render: Renderer | None = field(default=None, repr=False)
    shown: bool = True  # False for matrix steps that the weight-by-weight steps spell out
    per_sample: bool = False

    def value_for(self, sample: int | None = None) -> np.ndarray:
        """The value, or only the row of ``sample`` for a per-sample quantity.

        Example:
            >>> TraceStep("x", "the inputs", np.eye(2), "forward", per_sample=True).value_for(1)
            array([[0., 1.]])
        """
        if sample is None or not self.per_sample:
            return self.value
        return self.value[sample : sample + 1]

    def substituted(
        self, digits: int | None = None, sample: int | None = None, fmt: Formatter | None = None
    ) -> str:
        """The formula with the numbers put in ("" for a step with no renderer).

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> net.trace([[1.0]], [[1.0]], 0.1).step("z").substituted()
            '1.0*2.0'
        """
        if self.render is None:
            return ""
        return self.render(fmt or (lambda v: format_number(v, digits)), _picker(sample))

    def text(self, digits: int | None = None, sample: int | None = None) -> str:
        """Three lines: name = formula, = the numbers substituted, = the value.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> print(net.trace([[1.0]], [[1.0]], 0.1).step("z").text())
            z = x1*w1
              = 1.0*2.0
              = 2.0
        """
        lines = [f"{self.name} = {self.formula}"]
        numbers = self.substituted(digits, sample)
        if numbers:
            lines.append(f"{' ' * len(self.name)} = {numbers}")
        value = format_number(self.value_for(sample), digits)
        lines.append(f"{' ' * len(self.name)} = {value}")
        return "\n".join(lines)

    def latex(self, digits: int | None = None, sample: int | None = None) -> str:
        """The step as one LaTeX equation: name = formula = numbers = value.

        Example:
            >>> print(TraceStep("E", "1/2 * (y - a)^2", np.array(0.125), "loss").latex())
            {E} = 1/2 \\cdot ({y} - {a})^2 = 0.125
        """
        numbers: list[np.ndarray] = []

        def placeholder(value) -> str:
            numbers.append(value)
            return f"\x00{len(numbers) - 1}\x00"

        skeleton = self.substituted(sample=sample, fmt=placeholder)
        # Between per-sample matrices (da/dz = a * (1 - a), delta = dE/da * da/dz) the
        # product is taken entry by entry.
        elementwise = self.per_sample and self.value_for(sample).size > 1
        equation = f"{latex_formula(self.name)} = {latex_formula(self.formula, elementwise)}"
        # The placeholders pass through latex_formula untouched (they hold no letters).
        substituted = re.sub(
            "\x00(\\d+)\x00",
            lambda m: _operand(latex_number(numbers[int(m.group(1))], digits)),
            latex_formula(skeleton, elementwise),
        )
        value = latex_number(self.value_for(sample), digits)
        if skeleton.startswith("with "):  # the loss names its inputs rather than expanding
            return rf"{equation} = {value} \quad ({substituted})"
        if skeleton:
            return f"{equation} = {substituted} = {value}"
        return f"{equation} = {value}"


def _operand(number: str) -> str:
    """A negative number inside a product or difference is written in parentheses."""
    return f"({number})" if number.startswith("-") else number


def _picker(sample: int | None) -> Callable[[np.ndarray], np.ndarray]:
    if sample is None:
        return lambda value: value
    return lambda value: np.asarray(value)[sample : sample + 1]


@dataclass
class ParameterChange:
    """One parameter array's step: old value, gradient, change -learning_rate * gradient, new.

    ``entries`` names each entry in the trace's notation (w1, W[1][0,2], b[2], ...).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> change = net.trace([[1.0]], [[1.0]], 0.1).changes[0]
        >>> change.name, change.entries, change.gradient, change.change
        ('W', ['w1'], array([[1.]]), array([[-0.1]]))
    """

    name: str
    old: np.ndarray
    gradient: np.ndarray
    new: np.ndarray
    entries: list[str]

    @property
    def change(self) -> np.ndarray:
        return self.new - self.old


# ---------------------------------------------------------------------- checking
@dataclass
class CheckItem:
    """The verdict on one hand-worked value: right or wrong, and if wrong the likely slip.

    ``factor`` is the first quantity of the chain rule that the slip changes (for example
    ``da/dz``); ``slip`` and ``factor`` are None when the value is right or no known slip
    explains it.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> item = net.trace([[1.0]], [[1.0]], 0.1).check({"z": 3.0})["z"]
        >>> item.name, item.given, item.expected, item.right
        ('z', 3.0, 2.0, False)
    """

    name: str
    given: float | list
    expected: float | list
    right: bool
    message: str
    slip: str | None = None
    factor: str | None = None


@dataclass
class CheckReport:
    """What ``Trace.check`` found: one ``CheckItem`` per value, in the order given.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
        ...               loss="half_sse")
        >>> report = net.trace([[0.3, 0.5]], [[1.0]], 1.0).check({"z": 0.11})
        >>> report.all_right
        True
    """

    items: list[CheckItem]
    tolerance: float

    @property
    def all_right(self) -> bool:
        return all(item.right for item in self.items)

    def __getitem__(self, name: str) -> CheckItem:
        for item in self.items:
            if item.name == name:
                return item
        raise KeyError(f"no value named {name!r} was checked")

    def __iter__(self) -> Iterator[CheckItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def to_dict(self) -> dict:
        """Each item as plain data (JSON-serialisable).

        Example:
            >>> import json
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> report = net.trace([[1.0]], [[1.0]], 0.1).check({"z": 2.0})
            >>> json.loads(json.dumps(report.to_dict()))["all_right"]
            True
        """
        return {
            "tolerance": self.tolerance,
            "all_right": self.all_right,
            "items": [vars(item).copy() for item in self.items],
        }

    def __str__(self) -> str:
        return "\n".join(item.message for item in self.items)


# Each slip: its short name, the replay switch, and why it is a slip.
_SLIPS: dict[str, tuple[str, str]] = {
    "sign": (
        "sign flipped",
        "dE/da is a - y (output minus target); y - a flips the sign of every gradient "
        "after it, and new w = w - learning_rate * dE/dw subtracts the gradient",
    ),
    "sigmoid_of_a": (
        "sigmoid's derivative taken of a instead of z",
        "da/dz = sigmoid(z) * (1 - sigmoid(z)) = a * (1 - a); sigmoid(a) * (1 - sigmoid(a)) "
        "applies the sigmoid twice",
    ),
    "missing_half": (
        "missing 1/2",
        "E = 1/2 * sum (y - a)^2; without the 1/2, E and dE/da double (the 1/2 is there to "
        "cancel the 2 that comes down from the square)",
    ),
    "missing_two": (
        "missing 2",
        "the derivative of (a - y)^2 is 2 * (a - y): dE/da = 2 * (a - y) / N",
    ),
    "learning_rate_twice": (
        "learning rate applied twice",
        "new w = w - learning_rate * dE/dw takes the learning rate once; dE/dw has none in it",
    ),
    "averaged": (
        "averaged instead of summed over samples",
        "this loss is a sum over the samples, so its gradients are sums: no 1/n",
    ),
    "summed": (
        "summed instead of averaged over samples",
        "this loss is a mean over the samples, so every gradient carries a 1/n",
    ),
}

_INDEXED = re.compile(r"^(?P<base>.+?)\[(?P<index>\d+(?:\s*,\s*\d+)*)\]$")


@dataclass
class _LayerRecord:
    """What the replay of a layer's backward pass needs, copied before the update."""

    inputs: np.ndarray
    weights: np.ndarray
    bias: np.ndarray | None
    z: np.ndarray
    a: np.ndarray
    activation: Activation
    l2: float


# ---------------------------------------------------------------------- the trace
class Trace:
    """Every quantity of one gradient-descent step, in the order a tutorial computes them.

    ``trace[name]`` returns a value, ``names()`` lists them, ``str(trace)`` is the worked
    example, ``to_markdown()`` a worksheet, ``to_dict()`` the full-precision numbers,
    ``check(values)`` marks a hand calculation and ``what_changed()`` lists the update.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> trace = net.trace([[1.0]], [[1.0]], learning_rate=0.1)
        >>> trace["E"].item(), trace["new w1"].item(), "delta" in trace
        (0.5, 1.9, True)
    """

    def __init__(self, learning_rate: float, n_samples: int) -> None:
        self.learning_rate = learning_rate
        self.n_samples = n_samples
        self.steps: list[TraceStep] = []
        self.loss_before = float("nan")
        self.loss_after = float("nan")
        self.changes: list[ParameterChange] = []
        self._loss: Loss | None = None
        self._targets: np.ndarray | None = None
        self._layers: list[_LayerRecord] = []

    def add(
        self,
        name: str,
        formula: str,
        value,
        stage: str,
        render: Renderer | None = None,
        shown: bool = True,
        per_sample: bool = False,
    ) -> None:
        """Append a quantity; ``Network.trace`` calls this for each step it computes.

        Example:
            >>> trace = Trace(learning_rate=0.1, n_samples=1)
            >>> trace.add("z", "x1*w1", [[2.0]], "forward", per_sample=True)
            >>> trace["z"]
            array([[2.]])
        """
        step = TraceStep(name, formula, np.array(value), stage, render, shown, per_sample)
        self.steps.append(step)

    def names(self) -> list[str]:
        """Every quantity's name, in order.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> net.trace([[1.0]], [[1.0]], 0.1).names()[:7]
            ['x', 'z', 'a', 'E', 'dE/da', 'da/dz', 'delta']
        """
        return [step.name for step in self.steps]

    def step(self, name: str) -> TraceStep:
        """The ``TraceStep`` called ``name`` (``trace[name]`` is its value).

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> net.trace([[1.0]], [[1.0]], 0.1).step("dE/da").formula
            'a - y'
        """
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(f"the trace has no quantity {name!r}; it has: {', '.join(self.names())}")

    def __getitem__(self, name: str) -> np.ndarray:
        return self.step(name).value

    def __contains__(self, name: str) -> bool:
        return name in self.names()

    def to_dict(self) -> dict:
        """Every quantity at full float64 precision, JSON-serialisable (nested lists).

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> numbers = net.trace([[1.0]], [[1.0]], 0.1).to_dict()
            >>> numbers["loss_before"], numbers["quantities"]["z"]
            (0.5, [[2.0]])
        """
        return {
            "learning_rate": self.learning_rate,
            "n_samples": self.n_samples,
            "loss_before": self.loss_before,
            "loss_after": self.loss_after,
            "quantities": {step.name: step.value.tolist() for step in self.steps},
        }

    # ------------------------------------------------------------------ rendering
    def _check_sample(self, sample: int | None) -> None:
        if sample is None:
            return
        if isinstance(sample, bool) or not isinstance(sample, int | np.integer):
            raise ValueError(f"sample must be a row number, got {sample!r}")
        if not 0 <= sample < self.n_samples:
            raise ValueError(
                f"sample {sample} is out of range: the trace has {self.n_samples} samples "
                f"(0 to {self.n_samples - 1})"
            )

    def _stage_title(self, stage: str) -> str:
        if stage == "update":
            return f"Update (learning rate {self.learning_rate:g})"
        return STAGE_TITLES[stage]

    def _shown_steps(self) -> Iterator[tuple[str | None, TraceStep]]:
        """The shown steps in order, each with its stage's title where a stage begins."""
        stage = None
        for step in self.steps:
            if not step.shown:
                continue
            title = None
            if step.stage != stage:
                stage = step.stage
                title = self._stage_title(stage)
            yield title, step

    def _sample_note(self, sample: int | None) -> str:
        if sample is None:
            return ""
        return (
            f"Sample {sample} of {self.n_samples} (rows 0 to {self.n_samples - 1}); the "
            "gradients and the update still sum over every sample."
        )

    def to_text(self, digits: int | None = None, sample: int | None = None) -> str:
        """The worked example: each step's formula, numbers substituted and result.

        ``digits`` rounds to that many significant digits; ``sample`` shows only that
        row of the per-sample quantities.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> print(net.trace([[1.0]], [[1.0]], 0.1).to_text().splitlines()[4])
            z = x1*w1
        """
        self._check_sample(sample)
        lines: list[str] = [self._sample_note(sample)] if sample is not None else []
        for title, step in self._shown_steps():
            if title:
                lines += ["", title, "-" * len(title)]
            lines.append(step.text(digits, sample))
        lines += ["", f"loss before the step: {format_number(self.loss_before, digits)}",
                  f"loss after the step:  {format_number(self.loss_after, digits)}"]  # fmt: skip
        if self.changes:
            lines += ["", "What changed", "------------", self.what_changed(digits)]
        lines += ["", f"Names for trace[name] and trace.check: {', '.join(self.names())}"]
        return "\n".join(lines).lstrip("\n")

    def __str__(self) -> str:
        return self.to_text()

    def to_markdown(self, digits: int | None = None, sample: int | None = None) -> str:
        """A worksheet in Markdown: each step as a LaTeX equation, formula = numbers = value.

        Ends with the table of what changed and the names ``check`` accepts.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
            ...               loss="half_sse")
            >>> markdown = net.trace([[0.3, 0.5]], [[1.0]], 1.0).to_markdown(digits=4)
            >>> "0.3 \\\\cdot 0.2 + 0.5 \\\\cdot 0.1 = 0.11" in markdown
            True
        """
        self._check_sample(sample)
        samples = "sample" if self.n_samples == 1 else "samples"
        lines = [
            "## One gradient-descent step, every number",
            "",
            f"{self.n_samples} {samples}, learning rate "
            rf"$\eta = {_latex_scalar(self.learning_rate, None)}$.",
        ]
        if sample is not None:
            lines += ["", self._sample_note(sample)]
        for title, step in self._shown_steps():
            if title:
                lines += ["", f"### {title}", ""]
            lines += [f"$$ {step.latex(digits, sample)} $$", ""]
        lines += ["### What changed", ""]
        lines += self._changes_markdown(digits)
        names = ", ".join(f"`{name}`" for name in self.names())
        lines += ["", "### Names", "", f"Every quantity above, for `trace[name]` and "
                  f"`trace.check`: {names}."]  # fmt: skip
        return "\n".join(line.rstrip() for line in lines).replace("\n\n\n", "\n\n") + "\n"

    def _changes_markdown(self, digits: int | None) -> list[str]:
        lines = [
            "| parameter | old | gradient | change = $-\\eta \\cdot$ gradient | new |",
            "|---|---|---|---|---|",
        ]
        for name, old, gradient, change, new in self._change_rows():
            cells = [format_number(v, digits) for v in (old, gradient, change, new)]
            lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
        lines += ["", *(f"- {line}" for line in self._loss_lines(digits))]
        return lines

    def to_html(self, digits: int | None = 6, sample: int | None = None) -> str:
        """The step as HTML tables: one row per quantity, then what changed.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
            ...               loss="half_sse")
            >>> "<td>0.527472</td>" in net.trace([[0.3, 0.5]], [[1.0]], 1.0).to_html()
            True
        """
        self._check_sample(sample)
        escape = html.escape
        rows = []
        for title, step in self._shown_steps():
            if title:
                rows.append(f'<tr><th colspan="4">{escape(title)}</th></tr>')
            numbers = step.substituted(digits, sample)
            value = format_number(step.value_for(sample), digits, max_items=64)
            rows.append(
                f"<tr><td><code>{escape(step.name)}</code></td><td>{escape(step.formula)}</td>"
                f"<td>{escape(numbers)}</td><td>{escape(value)}</td></tr>"
            )
        caption = f"One gradient-descent step: {self.n_samples} sample(s), learning rate "
        caption += f"{self.learning_rate:g}"
        if sample is not None:
            caption += f"; sample {sample} shown"
        parts = [
            '<table class="glassnet-trace">',
            f"<caption>{escape(caption)}</caption>",
            "<tr><th>quantity</th><th>formula</th><th>numbers</th><th>value</th></tr>",
            *rows,
            "</table>",
        ]
        if self.changes:
            parts += [
                '<table class="glassnet-changes">',
                "<caption>What changed</caption>",
                "<tr><th>parameter</th><th>old</th><th>gradient</th>"
                "<th>change = -learning_rate * gradient</th><th>new</th></tr>",
            ]
            for name, *numbers in self._change_rows():
                cells = "".join(f"<td>{format_number(v, digits)}</td>" for v in numbers)
                parts.append(f"<tr><td><code>{escape(name)}</code></td>{cells}</tr>")
            parts.append("</table>")
            parts += [f"<p>{escape(line)}</p>" for line in self._loss_lines(digits)]
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"Trace({len(self.steps)} quantities, learning_rate={self.learning_rate})"

    # ------------------------------------------------------------------ what changed
    def _change_rows(self, max_rows: int = 24):
        """(name, old, gradient, change, new) per entry; per array when there are many."""
        entries = sum(change.old.size for change in self.changes)
        for change in self.changes:
            if entries <= max_rows:
                values = (change.old, change.gradient, change.change, change.new)
                flat = [np.ravel(v) for v in values]
                for position, name in enumerate(change.entries):
                    yield (name, *(float(v[position]) for v in flat))
            else:
                shape = " x ".join(map(str, change.old.shape))
                yield (
                    f"{change.name} ({shape}), largest |entry|",
                    float(np.max(np.abs(change.old))),
                    float(np.max(np.abs(change.gradient))),
                    float(np.max(np.abs(change.change))),
                    float(np.max(np.abs(change.new))),
                )

    @property
    def predicted_loss_change(self) -> float:
        """The first-order prediction of the loss change: -learning_rate * ||g||^2.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> net.trace([[1.0]], [[1.0]], learning_rate=0.1).predicted_loss_change
            -0.1
        """
        squared = sum(float(np.sum(change.gradient**2)) for change in self.changes)
        return -self.learning_rate * squared

    def _loss_lines(self, digits: int | None) -> list[str]:
        actual = self.loss_after - self.loss_before
        predicted = self.predicted_loss_change
        lines = [
            f"loss before {format_number(self.loss_before, digits)}, after "
            f"{format_number(self.loss_after, digits)}: actual change "
            f"{format_number(actual, digits)}",
            f"first-order prediction -learning_rate * ||gradient||^2 = "
            f"{format_number(predicted, digits)}",
        ]
        if not np.isfinite(actual):
            lines.append("the loss is no longer finite: the step diverged")
        elif actual > 0:
            lines.append(
                "the loss went UP: the step overshot the valley. Try a smaller learning rate."
            )
        elif predicted < 0 and actual > 0.5 * predicted:
            lines.append(
                "the loss fell by less than half the prediction: the step is large for the "
                "curvature here, so the straight-line estimate overstates the gain."
            )
        else:
            lines.append("the actual change is close to the prediction: a small, safe step.")
        return lines

    def what_changed(self, digits: int | None = None) -> str:
        """Each parameter's old value, gradient, change (-learning_rate x gradient) and new
        value, then the loss before and after beside the first-order prediction.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
            ...               loss="half_sse")
            >>> print(net.trace([[0.3, 0.5]], [[1.0]], 1.0).what_changed(4).splitlines()[2])
            w1         0.2  -0.03533  0.03533  0.2353
        """
        header = ("parameter", "old", "gradient", "change", "new")
        rows = [header] + [
            (name, *(format_number(v, digits) for v in numbers))
            for name, *numbers in self._change_rows()
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = [
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
            for row in rows
        ]
        lines.insert(1, "-" * len(lines[0]))
        lines += ["(change = -learning_rate * gradient)", *self._loss_lines(digits)]
        return "\n".join(lines)

    # ------------------------------------------------------------------ checking
    def check(self, values: dict, tolerance: float = 0.01) -> CheckReport:
        """Mark hand-worked values right or wrong; for a wrong one, name the likely slip.

        Args:
            values: maps a trace name (``"a"``, ``"dE/dw1"``, ``"new W[1]"``, or one entry
                such as ``"dE/dW[1][0,2]"``) to a number or an array of the same shape.
            tolerance: relative: a value is right when |given - true| <= tolerance * |true|
                (the default 0.01 accepts answers rounded to three significant digits).

        The slips recognised: sign flipped, sigmoid's derivative taken of a instead of z,
        missing 1/2 (or missing 2 for mse), learning rate applied twice, summed versus
        averaged over samples. For each, the step is replayed with that slip and the report
        names the first factor of the chain rule that the slip changes.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
            ...               loss="half_sse")
            >>> report = net.trace([[0.3, 0.5]], [[1.0]], 1.0).check({"E": 0.2233})
            >>> report["E"].slip, report["E"].factor
            ('missing 1/2', 'E')
        """
        if not isinstance(values, dict) or not values:
            raise ValueError("check needs a dict of name -> value, e.g. {'a': 0.527}")
        if not self._layers:
            raise ValueError("check needs a trace made by Network.trace (it replays the step)")
        if not (isinstance(tolerance, int | float) and tolerance >= 0):
            raise ValueError(f"tolerance must be a non-negative number, got {tolerance!r}")
        truth = self._replay(None)
        variants = {slip: self._replay(slip) for slip in self._possible_slips()}
        items = []
        for name, given in values.items():
            base, index = self._resolve(name)
            expected = self[base][index] if index is not None else self[base]
            given_array = self._as_given(name, given, expected)
            items.append(
                self._verdict(name, base, index, given_array, expected, truth, variants, tolerance)
            )
        return CheckReport(items, float(tolerance))

    def _resolve(self, name: str) -> tuple[str, tuple | None]:
        if not isinstance(name, str):
            raise ValueError(f"names must be strings, got {name!r}")
        if name in self:
            return name, None
        match = _INDEXED.match(name.strip())
        if match and match.group("base") in self:
            index = tuple(int(i) for i in match.group("index").split(","))
            shape = self[match.group("base")].shape
            if len(index) > len(shape) or any(
                i >= s for i, s in zip(index, shape[: len(index)], strict=True)
            ):
                raise ValueError(f"{name}: index {index} is outside the shape {shape}")
            return match.group("base"), index
        raise ValueError(
            f"the trace has no quantity {name!r}; it has: {', '.join(self.names())} "
            "(one entry of a matrix: name[row,column], e.g. dE/dW[1][0,2])"
        )

    @staticmethod
    def _as_given(name: str, given, expected: np.ndarray) -> np.ndarray:
        try:
            array = np.asarray(given, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name}: the value must be a number, got {given!r}") from None
        if array.size == 1 and np.size(expected) == 1:
            return array.reshape(np.shape(expected))
        if array.shape != np.shape(expected):
            raise ValueError(
                f"{name} has shape {np.shape(expected)}; the value given has shape {array.shape}"
            )
        return array

    def _possible_slips(self) -> list[str]:
        slips = ["sign"]
        loss = self._loss
        paired = loss.pairs_with(self._layers[-1].activation)
        if any(
            isinstance(layer.activation, Sigmoid)
            for index, layer in enumerate(self._layers, start=1)
            if not (paired and index == len(self._layers))
        ):
            slips.append("sigmoid_of_a")
        if isinstance(loss, HalfSSE):
            slips.append("missing_half")
        if isinstance(loss, MSE):
            slips.append("missing_two")
        if self.learning_rate != 1:
            slips.append("learning_rate_twice")
        if self.n_samples > 1:
            slips.append("averaged" if isinstance(loss, HalfSSE) else "summed")
        return slips

    def _verdict(self, name, base, index, given, expected, truth, variants, tolerance):
        def close(value: np.ndarray, target: np.ndarray) -> bool:
            return bool(np.all(np.abs(value - target) <= tolerance * np.abs(target) + 1e-12))

        def pick(value: np.ndarray) -> np.ndarray:
            return value[index] if index is not None else value

        shown, true_text = format_number(given, 6), format_number(expected, 6)
        plain = _plain(given)
        if close(given, expected):
            message = f"{name} = {shown}: right (the trace has {true_text})"
            return CheckItem(name, plain, _plain(expected), True, message)
        message = f"{name} = {shown}: wrong, the trace has {true_text}."
        for slip, replayed in variants.items():
            if base in replayed and close(given, pick(replayed[base])):
                factor = self._first_difference(truth, replayed, slip)
                title, why = _SLIPS[slip]
                message += (
                    f" Likely slip: {title}. The first factor of the chain rule that differs "
                    f"is {factor}: {why}."
                )
                return CheckItem(name, plain, _plain(expected), False, message, title, factor)
        if np.size(expected) == 1 and float(np.ravel(expected)[0]) != 0:
            ratio = float(np.ravel(given)[0]) / float(np.ravel(expected)[0])
            message += f" Yours is {ratio:.4g} times it; no common slip explains that."
        else:
            message += f" No common slip explains it; the formula is {self.step(base).formula}."
        return CheckItem(name, plain, _plain(expected), False, message)

    def _first_difference(self, truth: dict, replayed: dict, slip: str) -> str:
        if slip == "learning_rate_twice":
            return "learning_rate"
        for name in self.names():
            if name in truth and not np.allclose(truth[name], replayed[name], rtol=1e-12):
                return name
        return "E"

    def _replay(self, slip: str | None) -> dict[str, np.ndarray]:
        """The loss, backward pass and update recomputed, optionally with one slip made.

        The names match the trace's; ``_replay(None)`` reproduces the trace's own values.
        """
        layers, loss, Y = self._layers, self._loss, self._targets
        depth, n, rate = len(layers), self.n_samples, self.learning_rate
        scale = {"missing_half": 2.0, "averaged": 1 / n, "summed": float(n)}.get(slip, 1.0)
        gradient_scale = scale * {"sign": -1.0, "missing_two": 0.5}.get(slip, 1.0)
        if slip == "learning_rate_twice":
            rate = rate * rate
        tag = _tagger(depth)
        output = layers[-1]
        penalty = sum(0.5 * layer.l2 * float(np.sum(layer.weights**2)) for layer in layers)
        data_loss = loss.value_at(output.activation, output.z, output.a, Y)
        values: dict[str, np.ndarray] = {"E": np.array(scale * data_loss + penalty)}
        grad = None
        for index in range(depth, 0, -1):
            layer = layers[index - 1]
            if index == depth and loss.pairs_with(layer.activation):
                delta = gradient_scale * loss.output_delta(layer.activation, layer.z, layer.a, Y)
            else:
                if index == depth:
                    grad = gradient_scale * loss.gradient(layer.a, Y)
                derivative = layer.activation.derivative(layer.z, layer.a)
                if slip == "sigmoid_of_a" and isinstance(layer.activation, Sigmoid):
                    twice = layer.activation.forward(layer.a)
                    derivative = twice * (1 - twice)
                    delta = grad * derivative
                else:
                    delta = layer.activation.backward(grad, layer.z, layer.a)
                values[tag("dE/da", index)] = grad
                values[tag("da/dz", index)] = derivative
            values[tag("delta", index)] = delta
            values[tag("dz/dW", index)] = layer.inputs
            grad_weights = layer.inputs.T @ delta + layer.l2 * layer.weights
            values[tag("dE/dW", index)] = grad_weights
            values[tag("new W", index)] = layer.weights - rate * grad_weights
            for i in range(layer.weights.shape[0]):
                values[tag(f"dz/dw{i + 1}", index)] = layer.inputs[0, i]
                values[tag(f"dE/dw{i + 1}", index)] = grad_weights[i, 0]
                values[tag(f"new w{i + 1}", index)] = (
                    layer.weights[i, 0] - rate * grad_weights[i, 0]
                )
            if layer.bias is not None:
                grad_bias = delta.sum(axis=0)
                values[tag("dE/db", index)] = grad_bias
                values[tag("new b", index)] = layer.bias - rate * grad_bias
            grad = delta @ layer.weights.T
        return {name: np.asarray(value) for name, value in values.items()}


def _plain(value: np.ndarray) -> float | list:
    array = np.asarray(value)
    return float(array.reshape(())) if array.size == 1 else array.tolist()


def _tagger(depth: int) -> Callable[[str, int], str]:
    def tag(symbol: str, index: int) -> str:
        return symbol if depth == 1 else f"{symbol}[{index}]"

    return tag


def _sum_of_products(terms: list[tuple[str, str]], bias: str | None) -> str:
    text = " + ".join(f"{a}*{b}" for a, b in terms)
    return f"{text} + {bias}" if bias else text


def trace_step(network: Network, X, y, learning_rate: float) -> Trace:
    """Take one gradient-descent step on ``network`` and record it (``Network.trace``).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> trace_step(net, [[1.0]], [[1.0]], 0.1)["new w1"].item()
        1.9
    """
    if not (isinstance(learning_rate, int | float) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    X, Y = network.encode_targets(X, y)
    n = X.shape[0]
    trace = Trace(float(learning_rate), n)
    dense = [layer for layer in network.layers if isinstance(layer, Dense)]
    depth = len(dense)
    tag = _tagger(depth)

    def input_name(index: int) -> str:
        return "x" if index == 1 else tag("a", index - 1)

    loss_before = network.loss_and_gradients(X, Y)
    trace.loss_before = loss_before
    trace._loss, trace._targets = network.loss, Y
    in_front = network.layers[: network.layers.index(dense[0])]
    if in_front:  # e.g. Standardize: the chain rule starts where the first Dense layer does
        names = ", ".join(type(layer).__name__ for layer in in_front)
        trace.add("x", f"the inputs after {names}", dense[0].cache[0], "forward", per_sample=True)
    else:
        trace.add("x", "the inputs", X, "forward", per_sample=True)
    for index, layer in enumerate(dense, start=1):
        inputs, z, a = layer.cache
        # Copies: the update below changes the parameters in place, and renderers run later.
        W = layer.weights.copy()
        b = layer.bias.copy() if layer.use_bias else None
        trace._layers.append(_LayerRecord(inputs, W, b, z, a, layer.activation, layer.l2))
        scalar = n == 1 and layer.n_outputs == 1
        x_name = input_name(index)
        bias = tag("b", index) if layer.use_bias else None
        if scalar:
            symbol = "x" if index == 1 else "a"
            terms = [(f"{symbol}{i + 1}", f"w{i + 1}") for i in range(layer.n_inputs)]
            formula = _sum_of_products(terms, "b" if bias else None)

            def render(fmt, pick, inputs=inputs, W=W, b=b, bias=bias):
                pairs = [(fmt(inputs[0, i]), fmt(W[i, 0])) for i in range(len(W))]
                return _sum_of_products(pairs, fmt(b[0]) if bias else None)

        else:
            formula = f"{x_name} @ {tag('W', index)}" + (f" + {bias}" if bias else "")

            def render(fmt, pick, inputs=inputs, W=W, b=b, bias=bias):
                text = f"{fmt(pick(inputs))} @ {fmt(W)}"
                return f"{text} + {fmt(b)}" if bias else text

        trace.add(tag("z", index), formula, z, "forward", render, per_sample=True)
        activation = layer.activation
        trace.add(
            tag("a", index),
            activation.formula.removeprefix("a = ").replace("z", tag("z", index)),
            a,
            "forward",
            per_sample=True,
        )

    output = dense[-1]
    loss = network.loss
    trace.add(
        "E",
        loss.formula.removeprefix("E = ") + ("" if depth == 1 else f", a = a[{depth}]"),
        loss_before,
        "loss",
        lambda fmt, pick, a=output.cache[2]: f"with a = {fmt(a)}, y = {fmt(Y)}",
    )

    for index in range(depth, 0, -1):
        layer = dense[index - 1]
        inputs, z, a = layer.cache
        paired = index == depth and loss.pairs_with(layer.activation)
        delta = layer.delta
        scalar = n == 1 and layer.n_outputs == 1
        if paired:
            grad_output = derivative = None
            trace.add(
                tag("delta", index),
                f"({tag('a', index)} - y) / n  ({layer.activation.name} with {loss.name})",
                delta,
                "backward",
                lambda fmt, pick, a=a: f"({fmt(pick(a))} - {fmt(pick(Y))}) / {n}",
                per_sample=True,
            )
        else:
            if index == depth:
                grad_output = loss.gradient(a, Y)
                formula = loss.gradient_formula.removeprefix("dE/da = ")
            else:
                grad_output = layer.output_gradient
                formula = f"{tag('delta', index + 1)} @ {tag('W', index + 1)}^T"
            derivative = layer.activation.derivative(z, a)
            trace.add(tag("dE/da", index), formula, grad_output, "backward", per_sample=True)
            trace.add(
                tag("da/dz", index),
                layer.activation.derivative_formula.removeprefix("da/dz = "),
                derivative,
                "backward",
                per_sample=True,
            )
            trace.add(
                tag("delta", index),
                f"{tag('dE/da', index)} * {tag('da/dz', index)}",
                delta,
                "backward",
                lambda fmt, pick, g=grad_output, d=derivative: f"{fmt(pick(g))} * {fmt(pick(d))}",
                per_sample=True,
            )
        trace.add(
            tag("dz/dW", index),
            input_name(index),
            inputs,
            "backward",
            shown=not scalar,
            per_sample=True,
        )
        trace.add(
            tag("dE/dW", index),
            f"{input_name(index)}^T @ {tag('delta', index)}"
            + (f" + l2 * {tag('W', index)}" if layer.l2 else ""),
            layer.grad_weights,
            "backward",
            shown=not scalar,
        )
        if scalar:
            symbol = "x" if index == 1 else "a"
            chain = (
                tag("delta", index) if paired else f"{tag('dE/da', index)} * {tag('da/dz', index)}"
            )
            for i in range(layer.n_inputs):
                trace.add(tag(f"dz/dw{i + 1}", index), f"{symbol}{i + 1}", inputs[0, i], "backward")
                trace.add(
                    tag(f"dE/dw{i + 1}", index),
                    f"{chain} * {tag(f'dz/dw{i + 1}', index)}",
                    layer.grad_weights[i, 0],
                    "backward",
                    _chain_renderer(inputs[0, i], delta, grad_output, derivative),
                )
        if layer.use_bias:
            trace.add(
                tag("dE/db", index),
                f"sum over samples of {tag('delta', index)}",
                layer.grad_bias,
                "backward",
            )

    weights_before = [layer.weights.copy() for layer in dense]
    bias_before = [layer.bias.copy() if layer.use_bias else None for layer in dense]
    SGD(learning_rate).step(network.parameters, network.gradients)
    for index, layer in enumerate(dense, start=1):
        old_weights = weights_before[index - 1]
        scalar = n == 1 and layer.n_outputs == 1
        trace.add(
            tag("new W", index),
            f"{tag('W', index)} - learning_rate * {tag('dE/dW', index)}",
            layer.weights,
            "update",
            lambda fmt, pick, w=old_weights, g=layer.grad_weights.copy(): (
                f"{fmt(w)} - {fmt(learning_rate)} * {fmt(g)}"
            ),
            shown=not scalar,
        )
        trace.changes.append(
            ParameterChange(
                tag("W", index),
                old_weights,
                layer.grad_weights.copy(),
                layer.weights.copy(),
                _entry_names(tag, index, "W", old_weights.shape, one_neuron=scalar),
            )
        )
        if scalar:
            for i in range(layer.n_inputs):
                trace.add(
                    tag(f"new w{i + 1}", index),
                    f"w{i + 1} - learning_rate * {tag(f'dE/dw{i + 1}', index)}",
                    layer.weights[i, 0],
                    "update",
                    lambda fmt, pick, w=old_weights[i, 0], g=layer.grad_weights[i, 0]: (
                        f"{fmt(w)} - {fmt(learning_rate)} * {fmt(g)}"
                    ),
                )
        if layer.use_bias:
            trace.add(
                tag("new b", index),
                f"{tag('b', index)} - learning_rate * {tag('dE/db', index)}",
                layer.bias,
                "update",
                lambda fmt, pick, b=bias_before[index - 1], g=layer.grad_bias.copy(): (
                    f"{fmt(b)} - {fmt(learning_rate)} * {fmt(g)}"
                ),
            )
            trace.changes.append(
                ParameterChange(
                    tag("b", index),
                    bias_before[index - 1],
                    layer.grad_bias.copy(),
                    layer.bias.copy(),
                    _entry_names(tag, index, "b", layer.bias.shape, layer.n_outputs == 1),
                )
            )
    trace.loss_after = network.compute_loss(X, Y)
    return trace


def _entry_names(tag, index: int, symbol: str, shape: tuple, one_neuron: bool) -> list[str]:
    """Entry names in the trace's notation: w1, w2 for one neuron, else W[1][0,2]."""
    if one_neuron:
        if symbol == "b":
            return [tag("b", index)]
        return [tag(f"w{i + 1}", index) for i in range(shape[0])]
    return [
        f"{tag(symbol, index)}[{','.join(map(str, position))}]" for position in np.ndindex(shape)
    ]


def _chain_renderer(x, delta, grad_output, derivative) -> Renderer:
    """dE/dw_i of one neuron on one sample, written as the product of its factors."""
    if grad_output is None:
        return lambda fmt, pick: f"{fmt(delta[0, 0])} * {fmt(x)}"
    return lambda fmt, pick: f"{fmt(grad_output[0, 0])} * {fmt(derivative[0, 0])} * {fmt(x)}"
