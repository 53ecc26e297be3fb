"""The trace as a worked example: its steps stage by stage, as text and as a Markdown worksheet.

Each stage (the forward pass, the loss, the backward pass, the update) begins with its
title; the update's title names the rule it used. ``trace_text`` writes each step as
name = formula, = the numbers, = the value (``Trace.to_text``, ``str(trace)``);
``trace_markdown`` writes each as one LaTeX equation for MathJax (``Trace.to_markdown``).
Both end with what changed and the names ``trace[name]`` and ``trace.check`` accept. The
HTML tables are ``glassnet.glassbox.display``.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
    ...               loss="half_sse")
    >>> print(trace_text(net.trace([[1.0]], [[1.0]], 0.1)).splitlines()[0])
    Forward pass
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from glassnet.glassbox.changes import changes_markdown, loss_lines
from glassnet.glassbox.notation import latex_number
from glassnet.glassbox.steps import INDICES, TraceStep
from glassnet.text import format_number

__all__ = ["shown_steps", "stage_groups", "trace_markdown", "trace_text"]

STAGE_TITLES = {
    "forward": "Forward pass",
    "loss": "Loss",
    "backward": "Backward pass (chain rule)",
    "update": "Update",
}


# The trace is named Any here: trace.py imports this module for Trace.to_text and
# Trace.to_markdown.


def _stage_title(trace: Any, stage: str) -> str:
    if stage == "update":
        name = getattr(trace.optimizer, "name", "sgd")
        if name == "sgd" and "zero" not in trace.optimizer_note:
            return f"Update (learning rate {trace.learning_rate:g})"
        return f"Update: {trace.optimizer_note}"
    return STAGE_TITLES[stage]


def shown_steps(trace: Any) -> Iterator[tuple[str | None, TraceStep]]:
    """The trace's shown steps in order, each with its stage's title where a stage begins
    (None elsewhere).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> steps = shown_steps(net.trace([[1.0]], [[1.0]], 0.1))
        >>> [(title, step.name) for title, step in steps][:3]
        [('Forward pass', 'x'), (None, 'z'), (None, 'a')]
    """
    stage = None
    for step in trace.steps:
        if not step.shown:
            continue
        title = None
        if step.stage != stage:
            stage = step.stage
            title = _stage_title(trace, stage)
        yield title, step


def stage_groups(trace: Any) -> list[tuple[str, list[TraceStep]]]:
    """The trace's shown steps grouped by stage, each group with its title, in order.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> [len(steps) for title, steps in stage_groups(net.trace([[1.0]], [[1.0]], 0.1))]
        [3, 1, 5, 1]
    """
    groups: list[tuple[str, list[TraceStep]]] = []
    for title, step in shown_steps(trace):
        if title:
            groups.append((title, []))
        groups[-1][1].append(step)
    return groups


def _sample_note(trace: Any, sample: int) -> str:
    return (
        f"Sample {sample} of samples 0 to {trace.n_samples - 1} (counted from 0); the "
        "gradients and the update still sum over every sample."
    )


def trace_text(
    trace: Any, digits: int | None = None, sample: int | None = None, decimals: int | None = None
) -> str:
    """The worked example as text: each step's formula, numbers substituted and result.

    ``digits`` rounds to that many significant digits, ``decimals`` to that many decimal
    places; ``sample`` shows only that row of the per-sample quantities (``Trace.to_text``
    checks it first).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> print(trace_text(net.trace([[1.0]], [[1.0]], 0.1)).splitlines()[4])
        z = x1*w1
    """
    lines: list[str] = [_sample_note(trace, sample)] if sample is not None else []
    for title, step in shown_steps(trace):
        if title:
            lines += ["", title, "-" * len(title)]
        lines.append(step.text(digits, sample, decimals))
    before = format_number(trace.loss_before, digits, decimals=decimals)
    after = format_number(trace.loss_after, digits, decimals=decimals)
    lines += ["", f"loss before the step: {before}", f"loss after the step:  {after}"]
    if trace.changes:
        lines += ["", "What changed", "------------", trace.what_changed(digits, decimals)]
    lines += ["", f"Names for trace[name] and trace.check: {', '.join(trace.names())}",
              INDICES]  # fmt: skip
    return "\n".join(lines).lstrip("\n")


def trace_markdown(
    trace: Any, digits: int | None = None, sample: int | None = None, decimals: int | None = None
) -> str:
    """The worksheet in Markdown: each step as a LaTeX equation, formula = numbers = value,
    then the table of what changed and the names ``check`` accepts.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> print(trace_markdown(net.trace([[1.0]], [[1.0]], 0.1)).splitlines()[0])
        ## One gradient-descent step, every number
    """
    samples = "sample" if trace.n_samples == 1 else "samples"
    lines = [
        "## One gradient-descent step, every number",
        "",
        f"{trace.n_samples} {samples}, learning rate "
        rf"$\eta = {latex_number(trace.learning_rate)}$. {INDICES}",
    ]
    if sample is not None:
        lines += ["", _sample_note(trace, sample)]
    for title, step in shown_steps(trace):
        if title:
            lines += ["", f"### {title}", ""]
        lines += [f"$$ {step.latex(digits, sample, decimals)} $$", ""]
    lines += ["### What changed", "", *changes_markdown(trace.changes, digits, decimals), ""]
    changed = loss_lines(
        trace.loss_before, trace.loss_after, trace.predicted_loss_change, digits, decimals
    )
    lines += [f"- {line}" for line in changed]
    names = ", ".join(f"`{name}`" for name in trace.names())
    lines += ["", "### Names", "", f"Every quantity above, for `trace[name]` and "
              f"`trace.check`: {names}."]  # fmt: skip
    return "\n".join(line.rstrip() for line in lines).replace("\n\n\n", "\n\n") + "\n"
