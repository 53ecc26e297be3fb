"""Three views of one gradient-descent step of one small network.

The network: 2 inputs -> 2 sigmoid neurons -> 1 sigmoid neuron, with biases, half the
squared error E = 1/2 (y - a)^2, one sample, learning rate 1. The same step is computed

1. neuron by neuron with plain Python floats, one weight at a time, as tutorial 000 does
   by hand: z[l][0,j] = sum_i a[l-1][0,i] * W[l][i,j] + b[l][j], and for the chain rule
   delta[l][0,j] = (sum_k delta[l+1][0,k] * W[l+1][j,k]) * a[l][0,j] * (1 - a[l][0,j]),
   dE/dW[l][i,j] = a[l-1][0,i] * delta[l][0,j];
2. in matrix form with NumPy, a whole layer at once, as tutorial 001 does:
   z = a @ W + b, delta[l] = (delta[l+1] @ W[l+1]^T) * a * (1 - a), dE/dW = a^T @ delta;
3. by glassnet itself (``Network.trace``).

Entries are written as the trace writes them (``steps.INDICES``): layers count from 1 (x is
layer 0), samples and entries from 0, and W[l][i,j] joins input i to neuron j of layer l;
the one sample is row 0.

``views()`` returns all three; the tests check that they agree, and ``glassnet demo views``
(``glassnet.glassbox.tutorials.views_demo``) prints all three, stage by stage, and a table
of every quantity as each view computed it.

Example:
    >>> three = views()
    >>> three.max_difference < 1e-15
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.engine.layers import Dense
from glassnet.engine.network import Network
from glassnet.glassbox.display import views_html
from glassnet.glassbox.steps import INDICES
from glassnet.text import table

__all__ = ["StepView", "ThreeViews", "neuron_by_neuron", "matrix_form", "glassnet_view", "views",
           "EXAMPLE"]  # fmt: skip

# The example's numbers: inputs, target, hidden weights W1[i][j] (W[1][i,j]: input i ->
# neuron j), hidden biases, output weights W2[j][0], output bias, learning rate.
EXAMPLE: dict[str, Any] = {
    "x": [0.3, 0.5],
    "y": 1.0,
    "W1": [[0.2, -0.4], [0.1, 0.3]],
    "b1": [0.0, 0.1],
    "W2": [[0.5], [-0.6]],
    "b2": [0.05],
    "learning_rate": 1.0,
}


@dataclass
class StepView:
    """One view of the step: its values by name (plain floats, nested lists) and the
    lines of working, grouped in sections (forward, loss, backward, update).

    Example:
        >>> view = neuron_by_neuron()
        >>> [title for title, lines in view.sections]
        ['Forward', 'Loss', 'Backward', 'Update']
        >>> round(view.values["E"], 6)
        0.125718
    """

    title: str
    values: dict[str, float | list[Any]] = field(default_factory=dict)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)


def _listed(value: float | list[Any]) -> list[Any]:
    """A value a view keeps as a list (a row, a matrix), as the neurons' update reads it."""
    if not isinstance(value, list):
        raise TypeError(f"expected a list of numbers, got {value!r}")
    return value


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _number(value: float) -> str:
    """A number to six significant digits."""
    return f"{value:.6g}"


def _factor(value: float) -> str:
    """A number as a factor: negative ones in parentheses, as written by hand."""
    return f"({value:.6g})" if value < 0 else f"{value:.6g}"


def neuron_by_neuron(example: dict[str, Any] = EXAMPLE) -> StepView:
    """The step with plain Python floats: every neuron, every weight, one at a time.

    Example:
        >>> round(neuron_by_neuron().values["a[2]"][0], 6)
        0.498566
    """
    view = StepView("Neuron by neuron (plain Python floats)")
    x, y, rate = list(example["x"]), example["y"], example["learning_rate"]
    layers = [(example["W1"], example["b1"]), (example["W2"], example["b2"])]
    outputs, forward = _neurons_forward(view, x, layers)
    output = outputs[-1][0]
    loss = 0.5 * (y - output) ** 2
    view.values["E"] = loss
    view.sections += [
        ("Forward", forward),
        ("Loss", [f"E = 1/2 * ({_number(y)} - {_number(output)})^2 = {_number(loss)}"]),
        ("Backward", _neurons_backward(view, x, y, layers, outputs)),
        ("Update", _neurons_update(view, layers, rate)),
    ]
    return view


def _neurons_forward(
    view: StepView, x: list[float], layers: list[Any]
) -> tuple[list[Any], list[str]]:
    """z_j = sum_i a_i * w_ij + b_j and a_j = sigmoid(z_j), neuron by neuron; returns each
    layer's outputs and the lines of working."""
    inputs = x
    outputs: list[list[float]] = []
    lines: list[str] = []
    for number, (weights, biases) in enumerate(layers, start=1):
        z_layer, a_layer = [], []
        for j, bias in enumerate(biases):
            z = sum(inputs[i] * weights[i][j] for i in range(len(inputs))) + bias
            a = _sigmoid(z)
            terms = " + ".join(
                f"{_factor(inputs[i])}*{_factor(weights[i][j])}" for i in range(len(inputs))
            )
            lines.append(f"z[{number}][0,{j}] = {terms} + {_factor(bias)} = {_number(z)}")
            lines.append(f"a[{number}][0,{j}] = 1 / (1 + exp(-{_factor(z)})) = {_number(a)}")
            z_layer.append(z)
            a_layer.append(a)
        view.values[f"z[{number}]"], view.values[f"a[{number}]"] = z_layer, a_layer
        outputs.append(a_layer)
        inputs = a_layer
    return outputs, lines


def _neurons_backward(
    view: StepView, x: list[float], y: float, layers: list[Any], outputs: list[Any]
):
    """delta_j and dE/dw_ij, from the output neuron back to the hidden ones."""
    output = outputs[-1][0]
    gradient_out = [output - y]  # dE/da of the output neuron
    lines = [
        f"dE/da[2][0,0] = a[2][0,0] - y = {_number(output)} - {_number(y)} = "
        f"{_number(gradient_out[0])}"
    ]
    deltas: dict[int, list[float]] = {}
    for number in (2, 1):
        delta = []
        for j, a in enumerate(outputs[number - 1]):
            if number == 1:  # the gradient at a hidden neuron gathers every path back to E
                gradient = _gathered_gradient(j, deltas[2], layers[1][0], lines)
            else:
                gradient = gradient_out[j]
            delta_j = gradient * a * (1 - a)
            lines.append(
                f"delta[{number}][0,{j}] = {_factor(gradient)} * {_number(a)} * "
                f"(1 - {_number(a)}) = {_number(delta_j)}"
            )
            delta.append(delta_j)
        deltas[number] = delta
        inputs = x if number == 1 else outputs[0]
        grad_weights = [[inputs[i] * delta[j] for j in range(len(delta))]
                        for i in range(len(inputs))]  # fmt: skip
        for i in range(len(inputs)):
            for j in range(len(delta)):
                lines.append(
                    f"dE/dW[{number}][{i},{j}] = {_number(inputs[i])} * "
                    f"{_factor(delta[j])} = {_number(grad_weights[i][j])}"
                )
        view.values[f"delta[{number}]"] = delta
        view.values[f"dE/dW[{number}]"] = grad_weights
        view.values[f"dE/db[{number}]"] = list(delta)
    return lines


def _gathered_gradient(j: int, above: list[float], weights_above: list[Any], lines: list[str]):
    """dE/da_j of a hidden neuron: sum_k delta_k * w_jk over the neurons k it feeds."""
    gradient = sum(above[k] * weights_above[j][k] for k in range(len(above)))
    paths = " + ".join(
        f"{_factor(above[k])}*{_factor(weights_above[j][k])}" for k in range(len(above))
    )
    lines.append(f"dE/da[1][0,{j}] = {paths} = {_number(gradient)}")
    return gradient


def _neurons_update(view: StepView, layers: list[Any], rate: float) -> list[str]:
    """w_ij - learning_rate * dE/dw_ij and b_j - learning_rate * delta_j, one at a time."""
    lines: list[str] = []
    for number, (weights, biases) in enumerate(layers, start=1):
        gradients = _listed(view.values[f"dE/dW[{number}]"])
        deltas = _listed(view.values[f"delta[{number}]"])
        new_weights = [[w - rate * g for w, g in zip(row, grow, strict=True)]
                       for row, grow in zip(weights, gradients, strict=True)]  # fmt: skip
        new_biases = [b - rate * d for b, d in zip(biases, deltas, strict=True)]
        for i, row in enumerate(weights):
            for j, w in enumerate(row):
                lines.append(
                    f"new W[{number}][{i},{j}] = {_number(w)} - {_number(rate)} * "
                    f"{_factor(gradients[i][j])} = {_number(new_weights[i][j])}"
                )
        for j, (b, new) in enumerate(zip(biases, new_biases, strict=True)):
            lines.append(
                f"new b[{number}][{j}] = {_number(b)} - {_number(rate)} * "
                f"{_factor(deltas[j])} = {_number(new)}"
            )
        view.values[f"new W[{number}]"], view.values[f"new b[{number}]"] = new_weights, new_biases
    return lines


def _shape(array: np.ndarray) -> str:
    if array.ndim == 1:
        return f"({array.shape[0]},)"
    return "(" + " x ".join(map(str, array.shape)) + ")"


def _one_line(array: np.ndarray) -> str:
    """An array as NumPy prints it to six digits, on one line."""
    return np.array2string(np.asarray(array), precision=6, separator=", ",
                           suppress_small=False).replace("\n", "")  # fmt: skip


def matrix_form(example: dict[str, Any] = EXAMPLE) -> StepView:
    """The step with NumPy, one layer at a time: z = a @ W + b and its transposes back.

    Example:
        >>> round(float(matrix_form().values["a[2]"][0]), 6)
        0.498566
    """
    view = StepView("Matrix form (NumPy, a whole layer at once)")
    x = np.array([example["x"]])  # (1, 2): one row per sample
    y = np.array([[example["y"]]])  # (1, 1)
    W = [np.array(example["W1"]), np.array(example["W2"])]  # (2, 2), (2, 1)
    b = [np.array(example["b1"]), np.array(example["b2"])]  # (2,), (1,)
    rate = example["learning_rate"]
    activations, forward = _matrices_forward(view, x, W, b)
    loss = float(0.5 * np.sum((y - activations[-1]) ** 2))
    view.values["E"] = loss
    view.sections += [
        ("Forward", forward),
        ("Loss", [f"E = 1/2 * sum (y - a[2])^2 = {loss:.6g}"]),
        ("Backward", _matrices_backward(view, y, W, b, rate, activations)),
    ]
    update = []
    for n in (1, 2):
        for symbol in ("W", "b"):
            new = _one_line(np.array(view.values[f"new {symbol}[{n}]"]))
            update.append(
                f"new {symbol}[{n}] = {symbol}[{n}] - {rate:g} * dE/d{symbol}[{n}] = {new}"
            )
    view.sections.append(("Update", update))
    return view


def _sigmoid_of_matrix(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _matrices_forward(
    view: StepView, x: np.ndarray, W: list[Any], b: list[Any]
) -> tuple[list[Any], list[str]]:
    """z[l] = a[l-1] @ W[l] + b[l] and a[l] = sigmoid(z[l]), a layer at a time; returns
    x and each layer's output, and the lines of working."""
    lines, activations = [], [x]
    for number in (1, 2):
        inputs = activations[-1]
        z = inputs @ W[number - 1] + b[number - 1]  # (1, n_in) @ (n_in, n_out) + (n_out,)
        a = _sigmoid_of_matrix(z)
        name = "x" if number == 1 else "a[1]"
        lines.append(
            f"z[{number}] = {name} @ W[{number}] + b[{number}]: {_shape(inputs)} @ "
            f"{_shape(W[number - 1])} + {_shape(b[number - 1])} = {_one_line(z)}"
        )
        lines.append(f"a[{number}] = sigmoid(z[{number}]) = {_one_line(a)}")
        activations.append(a)
        view.values[f"z[{number}]"], view.values[f"a[{number}]"] = z[0].tolist(), a[0].tolist()
    return activations, lines


def _matrices_backward(
    view, y: np.ndarray, W: list[Any], b: list[Any], rate: float, activations: list[Any]
):
    """delta[l], dE/dW[l] = a[l-1]^T @ delta[l] and the new parameters, from the output
    layer down, with delta[2] @ W[2]^T carrying the gradient to layer 1."""
    gradient = activations[-1] - y  # dE/da[2], (1, 1)
    lines = [f"dE/da[2] = a[2] - y = {_one_line(gradient)}"]
    for number in (2, 1):
        a = activations[number]
        delta = gradient * a * (1 - a)  # (1, n_out)
        inputs = activations[number - 1]
        grad_weights = inputs.T @ delta  # (n_in, 1) @ (1, n_out) -> (n_in, n_out)
        lines += [
            f"delta[{number}] = dE/da[{number}] * a[{number}] * (1 - a[{number}]) = "
            f"{_one_line(delta)}",
            f"dE/dW[{number}] = {'x' if number == 1 else 'a[1]'}^T @ delta[{number}]: "
            f"{_shape(inputs.T)} @ {_shape(delta)} = {_one_line(grad_weights)}",
        ]
        view.values[f"delta[{number}]"] = delta[0].tolist()
        view.values[f"dE/dW[{number}]"] = grad_weights.tolist()
        view.values[f"dE/db[{number}]"] = delta.sum(axis=0).tolist()
        view.values[f"new W[{number}]"] = (W[number - 1] - rate * grad_weights).tolist()
        view.values[f"new b[{number}]"] = (b[number - 1] - rate * delta.sum(axis=0)).tolist()
        if number == 2:
            gradient = delta @ W[1].T  # (1, 1) @ (1, 2) -> dE/da[1], (1, 2)
            lines.append(f"dE/da[1] = delta[2] @ W[2]^T = {_one_line(gradient)}")
    return lines


def glassnet_view(example: dict[str, Any] = EXAMPLE) -> StepView:
    """The same step traced by glassnet's own ``Network.trace``.

    Example:
        >>> glassnet_view().values["E"] == matrix_form().values["E"]
        True
    """
    network = Network(
        [
            Dense(2, 2, "sigmoid", weights=example["W1"], bias=example["b1"]),
            Dense(2, 1, "sigmoid", weights=example["W2"], bias=example["b2"]),
        ],
        loss="half_sse",
    )
    trace = network.trace([example["x"]], [[example["y"]]], example["learning_rate"])
    view = StepView("glassnet (Network.trace)")
    for name in NAMES:
        value = trace[name]
        squeeze = name.startswith(("z", "a", "delta")) and value.ndim == 2
        view.values[name] = (value[0] if squeeze else value).tolist()
    for stage, title in STAGES.items():
        lines = [line for step in trace.steps if step.shown and step.stage == stage
                 for line in step.text(digits=6).splitlines()]  # fmt: skip
        view.sections.append((title, lines))
    return view


# The trace's stages, as the sections of every view name them.
STAGES = {"forward": "Forward", "loss": "Loss", "backward": "Backward", "update": "Update"}

NAMES = ["z[1]", "a[1]", "z[2]", "a[2]", "E", "delta[2]", "dE/dW[2]", "dE/db[2]", "delta[1]",
         "dE/dW[1]", "dE/db[1]", "new W[1]", "new b[1]", "new W[2]", "new b[2]"]  # fmt: skip


@dataclass
class ThreeViews:
    """The three views and the largest absolute difference between any two of them.

    Example:
        >>> three = views()
        >>> three.library.title
        'glassnet (Network.trace)'
        >>> three.neurons.values["E"] == three.library.values["E"]
        True
    """

    neurons: StepView
    matrices: StepView
    library: StepView

    @property
    def differences(self) -> dict[str, float]:
        """For each quantity, the largest |difference| between any two views.

        Example:
            >>> views().differences["E"]
            0.0
        """
        result = {}
        for name in NAMES:
            values = [np.asarray(view.values[name], dtype=float)
                      for view in (self.neurons, self.matrices, self.library)]  # fmt: skip
            result[name] = float(max(np.max(np.abs(a - b)) for a in values for b in values))
        return result

    @property
    def max_difference(self) -> float:
        return max(self.differences.values())

    def stacked(self) -> str:
        """The three views' working, stage by stage, under the index convention: under each
        stage, each view's lines in turn, under its title (every line whole: nothing is
        wrapped).

        Example:
            >>> lines = views().stacked().splitlines()
            >>> lines[0] == INDICES, lines[2:4]
            (True, ['Forward', '-------'])
            >>> lines[4:6]
            ['Neuron by neuron (plain Python floats):', '    z[1][0,0] = 0.3*0.2 + 0.5*0.1 + 0 = 0.11']
        """  # noqa: E501
        lines: list[str] = [INDICES]
        three = (self.neurons, self.matrices, self.library)
        for number, (title, _) in enumerate(self.neurons.sections):
            lines += ["", title, "-" * len(title)]
            for view in three:
                lines.append(f"{view.title}:")
                lines += [f"    {line}" for line in view.sections[number][1]]
        return "\n".join(lines)

    def comparison(self) -> str:
        """Each entry of each quantity as the three views computed it, and their largest
        difference, in an aligned table (one number to a cell).

        Example:
            >>> print(views().comparison().splitlines()[2])
            z[1][0,0]            0.11         0.11      0.11       0.0e+00
        """
        rows: list[tuple[str, ...]] = [
            ("entry", "neuron by neuron", "matrix form", "glassnet", "difference")
        ]
        three = (self.neurons, self.matrices, self.library)
        for name in NAMES:
            values = [np.asarray(view.values[name], dtype=float) for view in three]
            # z, a and delta are kept as the one sample's row: row 0 of the (1 x k) matrix
            per_sample = name.startswith(("z", "a", "delta"))
            for position in np.ndindex(values[0].shape):
                entry = (0, *position) if per_sample else position
                label = f"{name}[{','.join(map(str, entry))}]" if entry else name
                numbers = [float(value[position]) for value in values]
                spread = max(numbers) - min(numbers)
                rows.append((label, *(f"{v:.6g}" for v in numbers), f"{spread:.1e}"))
        lines = table(rows, align="lrrrr").splitlines()
        lines.insert(1, "-" * len(lines[0]))
        lines += [
            f"The three views agree to {self.max_difference:.1e}: the matrix form is the",
            "neuron-by-neuron sums, all done at once, and glassnet's trace is the matrix form.",
        ]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return views_html(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(self.comparison())


def views(example: dict[str, Any] = EXAMPLE) -> ThreeViews:
    """All three views of the example's step.

    Example:
        >>> print(views().comparison().splitlines()[-3])  # doctest: +NORMALIZE_WHITESPACE
        new b[2][0]  0.175357  0.175357  0.175357  0.0e+00
    """
    return ThreeViews(neuron_by_neuron(example), matrix_form(example), glassnet_view(example))
