"""What a learner sees in a real Jupyter kernel: every object a lesson shows displays as an
HTML table (and readable text), never as an object or dataclass repr; a figure shows once;
progress is one display updated in place, not a line per epoch on stderr; a worked step
exported as a notebook runs top to bottom."""

from __future__ import annotations

import re

import pytest

from .conftest import nbformat, run_notebook, run_sources, stderr_of, text_of

SETUP = """
import numpy as np
import glassnet as gn
from glassnet import Dense, Network
from glassnet.datasets import logic_gate
X, y = logic_gate("XOR")
net = Network([Dense(2, 3, "tanh"), Dense(3, 1, "sigmoid")], loss="binary_crossentropy", seed=0)
history = net.fit(X, y, epochs=20, learning_rate=0.5)
neuron = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)], "half_sse")
trace = neuron.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
perceptron = gn.Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
perceptron.fit(*logic_gate("OR"))
"""

SHOWN = {  # name: the cell's last expression
    "network": "net",
    "summary": "net.summary()",
    "history": "history",
    "perceptron": "perceptron",
    "epoch": "perceptron.epochs_[0]",
    "diagnostics": "net.diagnostics",
    "gradcheck": "gn.gradcheck(net, X, y, report=True)",
    "check": 'trace.check({"a": 0.527, "dE/dw1": 0.0353})',
    "views": "from glassnet.glassbox.views import views\nviews()",
    "estimator": "from glassnet.sklearn import GlassMLPClassifier\n"
    "GlassMLPClassifier((3,), max_iter=5).fit(X, y)",
    "trace": "trace",
    "graph": "from glassnet import plot\nplot.computation_graph(trace)",
    "figure": "from glassnet import plot\nplot.decision_boundary(perceptron, *logic_gate('OR'))",
}
REPRS = re.compile(r"object at 0x|\w+\(\w+=|\\n")  # an object's repr, a dataclass's, a str's


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    pytest.importorskip("matplotlib")
    pytest.importorskip("sklearn")
    book = run_sources([SETUP, *SHOWN.values()], tmp_path_factory.mktemp("displays"))
    return dict(zip(SHOWN, book.cells[1:], strict=True))


def results(cell):
    return [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]


@pytest.mark.parametrize("name", [n for n in SHOWN if n not in ("graph", "figure")])
def test_each_object_shows_an_html_table_and_no_repr(shown, name):
    cell = shown[name]
    result = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert len(result) == 1, cell.outputs
    data = result[0].data
    if name == "diagnostics":  # a run with nothing unusual: one line, else a list of notes
        assert "<b>Diagnostics</b>: nothing unusual" in data["text/html"]
    else:
        assert "<table" in data["text/html"] and "</table>" in data["text/html"]
    if name != "estimator":  # scikit-learn's diagram names the estimator's parameters
        assert REPRS.search(data["text/html"]) is None
    if name not in ("network", "history", "perceptron", "estimator", "trace"):
        # Their plain text is the text table or report, not a dataclass repr.
        assert REPRS.search(data["text/plain"]) is None, data["text/plain"]


def test_the_summary_is_the_text_table_and_an_html_table(shown):
    data = results(shown["summary"])[0].data
    assert data["text/plain"].splitlines()[0].split()[:3] == ["layer", "type", "inputs"]
    assert "<th>activation</th>" in data["text/html"]


def test_the_history_shows_its_loss_chart(shown):
    assert (
        '<img alt="loss per epoch" src="data:image/png;base64,'
        in results(shown["history"])[0].data["text/html"]
    )


def test_the_estimator_keeps_scikit_learns_diagram_and_adds_the_network(shown):
    page = results(shown["estimator"])[0].data["text/html"]
    assert "sk-" in page and "<p><b>Network</b> 2-3-1</p>" in page


def test_the_trace_shows_matrices_as_tables_and_math_in_markdown(shown):
    data = results(shown["trace"])[0].data
    assert 'class="glassnet-trace"' in data["text/html"] and "[[" not in data["text/html"]
    assert 'class="glassnet-matrix"' in data["text/html"]
    markdown = data["text/markdown"]
    assert markdown.count("$$") >= 20 and r"\frac{\partial E}{\partial {w_{1}}}" in markdown


def test_the_graph_shows_inline_as_svg(shown):
    (result,) = results(shown["graph"])
    assert result.data["image/svg+xml"].lstrip().startswith("<svg")


def test_a_figure_shows_once(shown):
    pictures = [o for o in shown["figure"].outputs if "image/png" in o.get("data", {})]
    assert len(pictures) == 1


def test_a_long_fit_with_progress_writes_a_few_lines_to_stderr_at_most(tmp_path):
    fit = "h = net.fit(np.tile(X, (25, 1)), np.tile(y, 25), epochs=300, verbose=1)"
    without_widgets = "import sys\nsys.modules['ipywidgets'] = None  # as if not installed\n" + fit
    book = run_sources([SETUP, fit, without_widgets], tmp_path)
    for cell in book.cells[1:]:
        assert len(stderr_of(cell.outputs).splitlines()) <= 3, stderr_of(cell.outputs)
        assert "epoch 300/300" not in stderr_of(cell.outputs)
    widget = [o for o in book.cells[1].outputs if o.output_type == "display_data"]
    assert len(widget) == 1 and "application/vnd.jupyter.widget-view+json" in widget[0].data
    line = [o for o in book.cells[2].outputs if o.output_type == "display_data"]
    # One display, updated in place: the notebook keeps its last state.
    assert len(line) == 1 and line[0].data["text/plain"].startswith("epoch 300/300 - loss: ")


def test_an_exported_step_runs_top_to_bottom_in_a_fresh_kernel(tmp_path):
    from glassnet import Dense, Network

    network = Network([Dense(2, 2, "tanh", l2=0.01), Dense(2, 3, "softmax")], "crossentropy",
                      seed=3)  # fmt: skip
    X = [[0.5, -1.0], [2.0, 0.25], [-1.0, 1.0]]
    trace = network.trace(X, [0, 1, 2], 0.1, optimizer="adam")
    path = trace.to_notebook(tmp_path / "step.ipynb")
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    run_notebook(book, tmp_path)
    last = text_of(book.cells[-1].outputs)
    assert re.match(r"all \d+ quantities agree with the trace; largest difference", last)
    markdown = "\n".join(c.source for c in book.cells if c.cell_type == "markdown")
    assert "### Forward pass" in markdown and "### Backward pass (chain rule)" in markdown
    assert r"\frac{\partial E}" in markdown
