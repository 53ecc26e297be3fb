"""The three tutorials glassnet grew from, reproduced, plus the XOR sequel and the three
views of one step.

Each function runs one worked example and returns a ``Demo``: the numbers (full float64
precision, JSON-ready) and the text ``glassnet demo NAME`` prints. Where a tutorial's own
code has a mistake, glassnet does the math right and the text says where and why its
numbers differ from the page.

Starting weights the tutorials drew from NumPy's legacy global generator are recomputed
from a private ``numpy.random.RandomState(42)``, which yields the same numbers without
touching the global state (tutorial 002's come from ``datasets.tutorial_002_weights``).

Example:
    >>> demo = neuron()
    >>> demo.numbers["a"]
    0.5274723043445937
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.datasets import logic_gate, seven_records, tutorial_002_weights
from glassnet.engine.layers import Dense
from glassnet.engine.network import Network
from glassnet.engine.perceptron import Perceptron
from glassnet.engine.perceptron_table import number_text
from glassnet.glassbox.views import EXAMPLE, views
from glassnet.text import format_number, table

__all__ = ["Demo", "DEMOS", "TEXTBOOK_TABLES", "TextbookTable", "run_demo", "neuron",
           "single_layer", "perceptron_or", "perceptron_and", "perceptron_textbook", "xor",
           "views_demo"]  # fmt: skip


@dataclass
class Demo:
    """A worked example: its name, a title, the text to print, and its numbers.

    Example:
        >>> demo = run_demo("neuron")
        >>> demo.name, demo.title
        ('neuron', 'Tutorial 000: one sigmoid neuron, step by step')
        >>> list(demo.numbers)[:4]
        ['z', 'a', 'E', 'dE/da']
    """

    name: str
    title: str
    text: str
    numbers: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        rule = "=" * len(self.title)
        return f"{self.title}\n{rule}\n{self.text}"


def neuron(decimals: int | None = None) -> Demo:
    """Tutorial 000: one sigmoid neuron, x = (0.3, 0.5), w = (0.2, 0.1), no bias, y = 1,
    half squared error, one update with learning rate 1.

    Example:
        >>> neuron().numbers["new w1"]
        0.2353325882793778
    """
    network = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)], loss="half_sse")
    trace = network.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    names = ["z", "a", "E", "dE/da", "da/dz", "dz/dw1", "dz/dw2", "dE/dw1", "dE/dw2",
             "new w1", "new w2"]  # fmt: skip
    numbers = {name: trace[name].item() for name in names}
    printed = 0.5 * (1.0 - numbers["a"])
    numbers["tutorial_printed_error"] = printed
    note = (
        "Where the tutorial differs: it prints the error as 0.5 * (y - a) = "
        f"{printed!r}, but the formula it states is E = 1/2 (y - a)^2 = {numbers['E']!r}. "
        "Its derivatives (and so its new weights) are those of the squared form, which "
        "glassnet computes above."
    )
    return Demo("neuron", "Tutorial 000: one sigmoid neuron, step by step",
                f"{trace.to_text(decimals=decimals)}\n\n{note}", numbers)  # fmt: skip


def _tutorial_001_as_printed(X: np.ndarray, y: np.ndarray, weights, bias, epochs: int):
    """The page's own training loop, including its slip: it applies the sigmoid's
    derivative to a, which is already sigmoid(z), so the sigmoid is applied twice."""

    def sigmoid(v):
        return 1 / (1 + np.exp(-v))

    weights, bias = weights.copy(), bias.copy()
    for _ in range(epochs):
        a = sigmoid(X @ weights + bias)
        dcost_dpred = a - y
        dpred_dz = sigmoid(a) * (1 - sigmoid(a))  # the slip: should be a * (1 - a)
        delta = dcost_dpred * dpred_dz
        weights -= 0.05 * X.T @ delta
        bias -= 0.05 * delta.sum()
    return lambda point: float(sigmoid(np.asarray(point) @ weights + bias)[0])


def single_layer(decimals: int | None = None) -> Demo:
    """Tutorial 001: a single-layer network with bias on the seven-record table,
    learning rate 0.05, 25,000 full-batch epochs, half the sum of squared errors.

    Example:
        >>> round(single_layer().numbers["prediction_100"], 8)
        0.05930351
    """
    X, y = seven_records()
    legacy = np.random.RandomState(42)
    weights, bias = legacy.rand(3, 1), legacy.rand(1)
    network = Network([Dense(3, 1, "sigmoid", weights=weights, bias=bias)], loss="half_sse")
    history = network.fit(X, y.reshape(-1, 1), epochs=25_000, learning_rate=0.05)
    p100 = float(network.forward([1, 0, 0])[0, 0])
    p010 = float(network.forward([0, 1, 0])[0, 0])
    as_printed = _tutorial_001_as_printed(X, y.reshape(-1, 1), weights, bias, 25_000)
    numbers = {
        "starting_weights": weights.ravel().tolist(),
        "starting_bias": float(bias[0]),
        "loss_first_epoch": history.loss[0],
        "loss_last_epoch": history.loss[-1],
        "weights": network.dense_layers[0].weights.ravel().tolist(),
        "bias": float(network.dense_layers[0].parameters[1][0]),  # [W, b]
        "prediction_100": p100,
        "prediction_010": p010,
        "tutorial_code_prediction_100": as_printed([1, 0, 0]),
        "tutorial_code_prediction_010": as_printed([0, 1, 0]),
    }
    text = "\n".join([
        "Data: the seven records (x1, x2, x3 -> y):",
        *(f"  {row.astype(int).tolist()} -> {int(t)}" for row, t in zip(X, y, strict=True)),
        f"Starting weights {numbers['starting_weights']} and bias {numbers['starting_bias']!r}",
        "(NumPy's legacy seed 42: rand(3, 1), then rand(1)).",
        "Training: z = X @ W + b, a = sigmoid(z), E = 1/2 * sum (a - y)^2,",
        "W <- W - 0.05 * X^T @ ((a - y) * a * (1 - a)), 25,000 full-batch epochs.",
        f"  loss: {numbers['loss_first_epoch']:.6f} at epoch 1 -> "
        f"{numbers['loss_last_epoch']:.6f} at epoch 25000",
        f"  prediction for [1, 0, 0]: {_shown(p100, decimals)}  (close to 0)",
        f"  prediction for [0, 1, 0]: {_shown(p010, decimals)}  (close to 1)",
        "",
        "Where the tutorial differs: its code takes the sigmoid's derivative of a, which is",
        "already sigmoid(z), so the sigmoid is applied twice. Run as printed it predicts",
        f"{numbers['tutorial_code_prediction_100']:.4f} and "
        f"{numbers['tutorial_code_prediction_010']:.4f}; the outputs the page shows (0.0103 and",
        "0.9944) cannot be reproduced from its code. It names its cost the mean squared",
        "error, but summing the gradients over the samples descends half the sum of squared",
        "errors, which is the loss glassnet uses here.",
    ])  # fmt: skip
    return Demo("single-layer", "Tutorial 001: a single-layer network with bias", text, numbers)


def _shown(value: float, decimals: int | None) -> str:
    """A number in full, or to ``decimals`` places (``glassnet demo --decimals``)."""
    return repr(value) if decimals is None else format_number(value, decimals=decimals)


def _places(values, places: int = 8) -> str:
    """Numbers to the decimal places tutorial 002's page gives them (NumPy's 8), trailing
    zeros dropped, in plain brackets: [0.49671415, 0.0617357], not NumPy's spacing."""

    def one(value: float) -> str:
        text = f"{value:.{places}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    array = np.asarray(values, dtype=np.float64)
    return one(float(array)) if array.ndim == 0 else "[" + ", ".join(map(one, array)) + "]"


def _perceptron_table(perceptron: Perceptron, places: int = 8) -> list[str]:
    """One row per epoch: the weights after it, the bias, the errors made and the RMSE."""
    # The header's cells are padded so that the columns keep the page's widths.
    rows = [["epoch", f"{'weights after the epoch':<28}", f"{'bias':<6}", "errors", "RMSE"]]
    for record in perceptron.epochs_:
        bias = "-" if record.bias is None else _places(record.bias, places)
        weights = _places(record.weights, places)
        rows.append([str(record.epoch), weights, bias, str(record.errors), f"{record.rmse:.4f}"])
    return table(rows, align="rlrrl").splitlines()


def _gate_demo(
    name: str, gate: str, bias: float | None, title: str, decimals: int | None = None
) -> Demo:
    X, y = logic_gate(gate)
    weights = tutorial_002_weights()
    perceptron = Perceptron(2, learning_rate=0.1, weights=weights, bias=bias, mode="batch")
    perceptron.fit(X, y, max_epochs=100)
    numbers = {
        "starting_weights": weights.tolist(),
        "weights_per_epoch": [r.weights.tolist() for r in perceptron.epochs_],
        "bias_per_epoch": [r.bias for r in perceptron.epochs_],
        "rmse_per_epoch": [r.rmse for r in perceptron.epochs_],
        "errors_per_epoch": [r.errors for r in perceptron.epochs_],
        "converged": perceptron.converged,
        "predictions": perceptron.predict(X).tolist(),
    }
    bias_text = "no bias" if bias is None else f"a bias starting at {bias}"
    text = "\n".join([
        f"The {gate} gate: inputs {X.astype(int).tolist()}, targets {y.astype(int).tolist()}.",
        f"Starting weights {weights.tolist()} (legacy seed 42 randn(2)), {bias_text},",
        "learning rate 0.1, step(z) = 1 if z > 0 else 0, batch mode, once per epoch:",
        "w <- w + 0.1 * X^T e" + ("" if bias is None else ", b <- b + 0.1 * sum(e)")
        + ", e = y - step(X @ w" + ("" if bias is None else " + b") + ").",
        *_perceptron_table(perceptron, 8 if decimals is None else decimals),
        perceptron.message,
    ])  # fmt: skip
    return Demo(name, title, text, numbers)


def perceptron_or(decimals: int | None = None) -> Demo:
    """Tutorial 002: the Rosenblatt perceptron learns OR with no bias.

    Example:
        >>> perceptron_or().numbers["rmse_per_epoch"]
        [0.5, 0.5, 0.0]
    """
    demo = _gate_demo("perceptron-or", "OR", None, "Tutorial 002: a perceptron learns OR",
                      decimals)  # fmt: skip
    demo.text += (
        "\n\nWhere the tutorial differs: its boundary plot joins (w1, 0) and (0, w2), which is"
        "\nnot the set where w . x = 0; the real boundary is the line w1 x1 + w2 x2 = 0"
        "\n(glassnet.plot.decision_boundary draws it)."
    )
    return demo


def perceptron_and(decimals: int | None = None) -> Demo:
    """The AND gate needs a bias (with none, (1, 1) and (0, 1) cannot both be right).

    Example:
        >>> perceptron_and().numbers["converged"]
        True
    """
    return _gate_demo("perceptron-and", "AND", 0.0, "The perceptron learns AND, with a bias",
                      decimals)  # fmt: skip


@dataclass(frozen=True)
class TextbookTable:
    """A worked perceptron table of a textbook: where it is, its data in the book's row
    order, the ``Perceptron`` settings that are the book's, and the final weights it prints.

    Example:
        >>> book = TEXTBOOK_TABLES["negnevitsky-and"]
        >>> book.perceptron().fit(book.X, book.targets).weights.tolist(), book.final_weights
        ([0.1, 0.1], (0.1, 0.1))
    """

    name: str
    citation: str
    description: str
    X: tuple[tuple[float, ...], ...]
    targets: tuple[float, ...]
    settings: dict[str, Any]
    final_weights: tuple[float, ...]
    final_bias: float | None
    epochs: int

    def perceptron(self, **changes: Any) -> Perceptron:
        """A new, unfitted perceptron with the book's settings (and any ``changes``).

        Example:
            >>> TEXTBOOK_TABLES["fausett-and"].perceptron().rule
            'fausett'
        """
        return Perceptron(len(self.X[0]), **{**self.settings, **changes})


TEXTBOOK_TABLES = {
    "negnevitsky-and": TextbookTable(
        name="negnevitsky-and",
        citation="Negnevitsky, Artificial Intelligence: A Guide to Intelligent Systems, "
                 "2nd ed. (2005), chapter 6, section 6.3 'The perceptron', the table "
                 "'Example of perceptron learning: the logical operation AND' (Table 6.3)",
        description="Y = step(x1 w1 + x2 w2 - theta), step(X) = 1 if X >= 0 else 0; "
                    "theta = 0.2 given, not learned; alpha = 0.1; w1 = 0.3, w2 = -0.1; no bias; "
                    "e = Yd - Y, w <- w + alpha * x * e after each row",
        X=((0, 0), (0, 1), (1, 0), (1, 1)),
        targets=(0, 0, 0, 1),
        settings={"learning_rate": 0.1, "weights": [0.3, -0.1], "bias": None,
                  "mode": "online", "threshold": 0.2, "step_at_zero": 1},
        final_weights=(0.1, 0.1),
        final_bias=None,
        epochs=5,
    ),
    "fausett-and": TextbookTable(
        name="fausett-and",
        citation="Fausett, Fundamentals of Neural Networks: Architectures, Algorithms, and "
                 "Applications (1994), chapter 2, section 2.3 'Perceptron', Example 2.11: "
                 "the AND function, binary inputs, bipolar targets",
        description="y = 1 if y_in > theta, 0 if -theta <= y_in <= theta, -1 if y_in < -theta; "
                    "theta = 0.2; alpha = 1; weights and bias from 0; only when y != t: "
                    "w <- w + alpha * t * x, b <- b + alpha * t",
        X=((1, 1), (1, 0), (0, 1), (0, 0)),
        targets=(1, -1, -1, -1),
        settings={"learning_rate": 1.0, "weights": [0.0, 0.0], "bias": 0.0,
                  "mode": "online", "rule": "fausett", "band": 0.2},
        final_weights=(2.0, 3.0),
        final_bias=-4.0,
        epochs=10,
    ),
}  # fmt: skip


def _book_numbers(perceptron: Perceptron, book: TextbookTable) -> dict[str, Any]:
    return {
        "weights_per_epoch": [r.weights.tolist() for r in perceptron.epochs_],
        "bias_per_epoch": [r.bias for r in perceptron.epochs_],
        "errors_per_epoch": [r.errors for r in perceptron.epochs_],
        "epochs": len(perceptron.epochs_),
        "final_weights": perceptron.weights.tolist(),
        "final_bias": perceptron.bias,
        "arithmetic": perceptron.arithmetic_,
        "page_final_weights": list(book.final_weights),
        "page_final_bias": book.final_bias,
        "page_epochs": book.epochs,
    }


def _final(weights, bias, epochs: int) -> str:
    # Every digit: the page's decimals as written, a float64 run's as they are.
    named = ", ".join(f"w{i} = {number_text(w)}" for i, w in enumerate(weights, start=1))
    bias_text = "" if bias is None else f", b = {number_text(bias)}"
    return f"{named}{bias_text} after {epochs} epochs"


def perceptron_textbook(decimals: int | None = None) -> Demo:
    """``glassnet demo perceptron-textbook``: Negnevitsky's and Fausett's AND tables, row by
    row, with the page's final weights beside glassnet's; and what float64 does instead.
    (The tables print the decimals the books work in, exactly: ``decimals`` changes none.)

    Example:
        >>> numbers = perceptron_textbook().numbers
        >>> numbers["negnevitsky-and"]["final_weights"], numbers["fausett-and"]["final_bias"]
        ([0.1, 0.1], -4.0)
    """
    numbers, parts = {}, []
    for book in TEXTBOOK_TABLES.values():
        perceptron = book.perceptron().fit(book.X, book.targets, max_epochs=100)
        numbers[book.name] = _book_numbers(perceptron, book)
        page = _final(book.final_weights, book.final_bias, book.epochs)
        ours = _final(perceptron.weights, perceptron.bias, len(perceptron.epochs_))
        parts += [
            book.citation + ".",
            f"The book's rule and settings: {book.description}.",
            "",
            perceptron.table(),
            "",
            f"The page's final weights: {page}.",
            f"glassnet's:               {ours}.",
            "",
        ]
    book = TEXTBOOK_TABLES["negnevitsky-and"]
    floats = book.perceptron(arithmetic="float64").fit(book.X, book.targets, max_epochs=100)
    numbers["negnevitsky-and"]["float64_final_weights"] = floats.weights.tolist()
    numbers["negnevitsky-and"]["float64_epochs"] = len(floats.epochs_)
    parts += [
        "Why exact decimals: in float64, 0.3 - 0.1 - 0.2 is -2.8e-17, not 0. In epoch 2, row",
        "(1, 1) meets w = (0.2, 0) and z = 0 on paper, step(0) = 1 = Yd; in float64 z < 0, the",
        "step gives 0, and the run leaves the book: it ends with",
        f"{_final(floats.weights, None, len(floats.epochs_))} (the page: 0.1, 0.1 after 5).",
    ]
    title = "The perceptron as the textbooks teach it: Negnevitsky's and Fausett's tables"
    return Demo("perceptron-textbook", title, "\n".join(parts), numbers)


def xor(decimals: int | None = None) -> Demo:
    """XOR: the perceptron cannot learn it; one hidden layer can.

    Example:
        >>> xor().numbers["network_predictions"]
        [0.0, 1.0, 1.0, 0.0]
    """
    X, y = logic_gate("XOR")
    perceptron = Perceptron(2, learning_rate=0.1, weights=tutorial_002_weights(), bias=0.0)
    perceptron.fit(X, y, max_epochs=100)
    network = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")],
                      loss="binary_crossentropy", seed=0)  # fmt: skip
    first_step = network.copy().trace(X, y, learning_rate=0.5)
    history = network.fit(X, y, epochs=2000, learning_rate=0.5)
    outputs = network.forward(X)[:, 0]
    numbers = {
        "perceptron_converged": perceptron.converged,
        "perceptron_epochs": len(perceptron.epochs_),
        "perceptron_message": perceptron.message,
        "network_outputs": outputs.tolist(),
        "network_predictions": network.predict(X).tolist(),
        "loss_initial": history.initial["loss"],
        "loss_last_epoch": history.loss[-1],
        "first_step": first_step.to_dict(),
    }
    text = "\n".join([
        f"The XOR gate: inputs {X.astype(int).tolist()}, targets {y.astype(int).tolist()}.",
        f"Perceptron (with bias): {perceptron.message}",
        "",
        "A network with one hidden layer: 2 inputs -> 4 tanh -> 1 sigmoid,",
        "binary cross-entropy, learning rate 0.5, 2,000 full-batch epochs (seed 0).",
        network.summary(),
        f"  loss {history.initial['loss']:.4f} before training -> {history.loss[-1]:.6f}",
        *(f"  {row.astype(int).tolist()} -> {out:.4f}  (target {int(t)})"
          for row, out, t in zip(X, outputs, y, strict=True)),
        "",
        "Its first gradient-descent step, every number of it:",
        "",
        first_step.to_text(digits=4) if decimals is None else first_step.to_text(decimals=decimals),
    ])  # fmt: skip
    return Demo("xor", "XOR: beyond one neuron", text, numbers)


def views_demo(decimals: int | None = None) -> Demo:
    """``glassnet demo views``: the step neuron by neuron, in matrix form and as glassnet
    traces it, stage by stage, then every quantity as the three computed it (to six
    significant digits, the views' own: ``decimals`` changes none).

    Example:
        >>> views_demo().numbers["max_difference"] < 1e-15
        True
    """
    three = views()
    names = {"W1": "W[1]", "b1": "b[1]", "W2": "W[2]", "b2": "b[2]"}
    parameters = ", ".join(f"{names[key]} = {EXAMPLE[key]}" for key in names)
    data = ", ".join(f"{key} = {EXAMPLE[key]}" for key in ("x", "y", "learning_rate"))
    text = "\n".join([
        "One step of a 2 -> 2 sigmoid -> 1 sigmoid network, half squared error, one sample,",
        "worked three ways: neuron by neuron with plain Python floats, in matrix form with",
        "NumPy, and by glassnet's own Network.trace.",
        f"  {data}",
        f"  {parameters}",
        "",
        three.stacked(),
        "",
        three.comparison(),
    ])  # fmt: skip
    numbers = {
        "neuron_by_neuron": three.neurons.values,
        "matrix_form": three.matrices.values,
        "glassnet": three.library.values,
        "max_difference": three.max_difference,
    }
    return Demo("views", "Three views of one step: neuron by neuron, matrices, glassnet", text,
                numbers)  # fmt: skip


DEMOS: dict[str, Callable[..., Demo]] = {
    "neuron": neuron,
    "single-layer": single_layer,
    "perceptron-or": perceptron_or,
    "perceptron-and": perceptron_and,
    "perceptron-textbook": perceptron_textbook,
    "xor": xor,
    "views": views_demo,
}


def run_demo(name: str, decimals: int | None = None) -> Demo:
    """Run one demo by name; ``decimals`` rounds its printed numbers to that many places (as
    the tutorials print them; the numbers themselves keep full precision).

    Example:
        >>> run_demo("neuron").name
        'neuron'
        >>> "= 0.5275" in run_demo("neuron", decimals=4).text, "= 0.5275" in run_demo("neuron").text
        (True, False)
    """
    if name not in DEMOS:
        raise ValueError(f"unknown demo {name!r}; expected one of {', '.join(DEMOS)}")
    return DEMOS[name](decimals)
