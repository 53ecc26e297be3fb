"""The glass box: one gradient-descent step with every number named and kept in order.

A ``Trace`` lists the steps of a forward pass, the loss, the backward pass (every factor
of the chain rule) and the update, each a ``TraceStep`` named in the one notation that
``glassnet.glassbox.steps`` sets out (x, z[l], a[l], E, dE/da[l], da/dz[l], delta[l],
dE/dW[l], new W[l], and w1, dE/dw1, ... weight by weight for one neuron on one sample).
Every name is accepted by ``trace[name]`` and by ``trace.check``; one entry of a matrix
is named with its 0-based index, e.g. ``dE/dW[1][0,2]``.

The same step renders as text (``to_text``) and Markdown with LaTeX (``to_markdown``),
written by ``glassnet.glassbox.worksheet``, and HTML (``to_html``, by
``glassnet.glassbox.display``; in a notebook ``_repr_html_`` shows the table, each matrix a
small table, and ``_repr_markdown_`` the worksheet's math), rounded to ``digits``
significant digits or to ``decimals`` decimal places, as the tutorials print them;
``to_dict`` keeps full precision. ``to_notebook`` writes the step as a Jupyter notebook
that recomputes it. ``check`` marks a learner's hand-worked numbers right or wrong and
names the likely slip; ``what_changed`` lists each parameter's old value, change and new
value with the loss before and after.

The step is recorded by ``glassnet.glassbox.record`` (``Network.trace`` calls it), checked
by ``glassnet.glassbox.check`` and written in LaTeX by ``glassnet.glassbox.notation``.

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

import os
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from glassnet.engine.losses import Loss
from glassnet.engine.optimizers import Optimizer
from glassnet.engine.validation import check_integer
from glassnet.glassbox.changes import (
    ParameterChange,
    changes_text,
    loss_lines,
    predicted_loss_change,
)
from glassnet.glassbox.check import (
    CheckReport,
    LayerRecord,
    check_values,
)
from glassnet.glassbox.display import trace_html
from glassnet.glassbox.notebook import write_notebook
from glassnet.glassbox.steps import INDICES, Renderer, TraceStep
from glassnet.glassbox.worksheet import stage_groups, trace_markdown, trace_text

# INDICES, TraceStep and the renderers' types (glassbox.steps) are re-exported: the recorder,
# the chain, the views and the tests import them from here.
__all__ = ["INDICES", "Trace", "TraceStep"]


# ---------------------------------------------------------------------- the trace
class Trace:
    """Every quantity of one gradient-descent step, in the order a tutorial computes them.

    ``trace[name]`` returns a value, ``names()`` lists them, ``str(trace)`` is the worked
    example, ``to_markdown()`` a worksheet, ``to_dict()`` the full-precision numbers,
    ``check(values)`` marks a hand calculation and ``what_changed()`` lists the update.

    ``loss``, ``targets`` and ``layers`` are what the step was computed from: the loss
    function, the encoded targets and one ``LayerRecord`` per Dense layer (its input,
    parameters, z and a before the update); ``check`` replays the step from them.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> trace = net.trace([[1.0]], [[1.0]], learning_rate=0.1)
        >>> trace["E"].item(), trace["new w1"].item(), "delta" in trace
        (0.5, 1.9, True)
    """

    def __init__(
        self,
        learning_rate: float,
        n_samples: int,
        loss: Loss | None = None,
        targets: np.ndarray | None = None,
        layers: list[LayerRecord] | None = None,
    ) -> None:
        self.learning_rate: float = learning_rate
        self.n_samples: int = n_samples
        self.steps: list[TraceStep] = []
        self.loss_before: float = float("nan")
        self.loss_after: float = float("nan")
        self.changes: list[ParameterChange] = []
        self.loss: Loss | None = loss
        self.targets: np.ndarray | None = targets
        self.layers: list[LayerRecord] = [] if layers is None else layers
        self.optimizer: Optimizer | None = None  # the rule the update used (set by the recorder)
        self.optimizer_note: str = ""

    def add(
        self,
        name: str,
        formula: str,
        value: ArrayLike,
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

    def to_dict(self) -> dict[str, Any]:
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
        if sample is not None:
            check_integer("sample", sample, 0, self.n_samples - 1)

    def stages(self) -> list[tuple[str, list[TraceStep]]]:
        """The shown steps grouped by stage, each group with its title, in order.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> [title for title, steps in net.trace([[1.0]], [[1.0]], 0.1).stages()]
            ['Forward pass', 'Loss', 'Backward pass (chain rule)', 'Update (learning rate 0.1)']
        """
        return stage_groups(self)

    def to_text(
        self, digits: int | None = None, sample: int | None = None, decimals: int | None = None
    ) -> str:
        """The worked example: each step's formula, numbers substituted and result.

        ``digits`` rounds to that many significant digits, ``decimals`` to that many decimal
        places (give one of them); ``sample`` shows only that row of the per-sample
        quantities.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> print(net.trace([[1.0]], [[1.0]], 0.1).to_text().splitlines()[4])
            z = x1*w1
        """
        self._check_sample(sample)
        return trace_text(self, digits, sample, decimals)

    def __str__(self) -> str:
        return self.to_text()

    def to_markdown(
        self, digits: int | None = None, sample: int | None = None, decimals: int | None = None
    ) -> str:
        """A worksheet in Markdown: each step as a LaTeX equation, formula = numbers = value.

        Ends with the table of what changed and the names ``check`` accepts. ``digits`` and
        ``decimals`` round as in ``to_text``.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
            ...               loss="half_sse")
            >>> markdown = net.trace([[0.3, 0.5]], [[1.0]], 1.0).to_markdown(digits=4)
            >>> "0.3 \\\\cdot 0.2 + 0.5 \\\\cdot 0.1 = 0.11" in markdown
            True
        """
        self._check_sample(sample)
        return trace_markdown(self, digits, sample, decimals)

    def to_html(
        self, digits: int | None = 6, sample: int | None = None, decimals: int | None = None
    ) -> str:
        """The step as HTML tables: one row per quantity (its formula, the numbers put in and
        its value, each matrix a small table), then what changed. With ``decimals``,
        ``digits`` is not used.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
            ...               loss="half_sse")
            >>> "<td>0.527472</td>" in net.trace([[0.3, 0.5]], [[1.0]], 1.0).to_html()
            True
        """
        self._check_sample(sample)
        return trace_html(self, None if decimals is not None else digits, sample, decimals)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_markdown_(self) -> str:
        return self.to_markdown(digits=6)

    def __repr__(self) -> str:
        return f"Trace({len(self.steps)} quantities, learning_rate={self.learning_rate})"

    # ------------------------------------------------------------------ what changed
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
        return predicted_loss_change(self.changes, self.learning_rate)

    def _loss_lines(self, digits: int | None, decimals: int | None = None) -> list[str]:
        return loss_lines(
            self.loss_before, self.loss_after, self.predicted_loss_change, digits, decimals
        )

    def what_changed(self, digits: int | None = None, decimals: int | None = None) -> str:
        """Each parameter's old value, gradient, change (-learning_rate x gradient) and new
        value, then the loss before and after beside the first-order prediction.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
            ...               loss="half_sse")
            >>> print(net.trace([[0.3, 0.5]], [[1.0]], 1.0).what_changed(4).splitlines()[2])
            w1         0.2  -0.03533  0.03533  0.2353
        """
        lines = [
            changes_text(self.changes, digits, decimals),
            "(change = -learning_rate * gradient)",
        ]
        return "\n".join([*lines, *self._loss_lines(digits, decimals)])

    def to_notebook(
        self, path: str | os.PathLike[str], digits: int | None = 6, decimals: int | None = None
    ) -> str:
        """Write the step as a Jupyter notebook that recomputes it (returns the path).

        Markdown cells give each stage's formulas and numbers (rounded to ``digits`` or
        ``decimals``), code cells rebuild the network and recompute the stage in plain
        NumPy, and the last cell checks the recomputation against this trace
        (``glassnet.glassbox.notebook``).

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> net.trace([[1.0]], [[1.0]], 0.1).to_notebook("step.ipynb")  # doctest: +SKIP
            'step.ipynb'
        """
        return write_notebook(self, path, digits, decimals)

    def check(self, values: dict[str, ArrayLike], tolerance: float = 0.01) -> CheckReport:
        """Mark hand-worked values right or wrong; for a wrong one, name the likely slip.

        Args:
            values: maps a trace name (``"a"``, ``"dE/dw1"``, ``"new W[1]"``, or one entry
                such as ``"dE/dW[1][0,2]"``) to a number or an array of the same shape.
            tolerance: relative: a value is right when |given - true| <= tolerance * |true|
                (the default 0.01 accepts answers rounded to three significant digits).

        The slips recognised: sign flipped, da/dz left out, the sigmoid's derivative taken
        of a, a missing 1/2 (or 2), tutorial 000's 0.5 * (y - a), the wrong divisor (a sum
        for a mean, n for N), the gradient added, the learning rate left out, applied
        twice or any other (inferred), a transposed matrix, swapped entries, the wrong x_i.
        Every slip that gives a value is named, with the first factor it changes, and a
        new parameter is compared by its change (``check_values`` in
        ``glassnet.glassbox.check`` does the work; the slips run through the engine).

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
            ...               loss="half_sse")
            >>> report = net.trace([[0.3, 0.5]], [[1.0]], 1.0).check({"E": 0.2233})
            >>> report["E"].slip, report["E"].factor
            ('missing 1/2', 'dE/da')
        """
        return check_values(self, values, tolerance)
