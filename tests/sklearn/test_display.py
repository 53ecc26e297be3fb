"""What a notebook shows of an estimator (glassnet.sklearn.display): scikit-learn's diagram,
then, once fitted, the glassnet objects it trained, each in its own display."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from glassnet.sklearn import GlassMLPClassifier, GlassPerceptron  # noqa: E402
from glassnet.sklearn.display import estimator_html  # noqa: E402

X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
SCIKIT_LEARN = 'class="sk-top-container'  # scikit-learn's diagram of an estimator
ENGINE = '<table class="glassnet">'  # a glassnet object's own table


def test_the_parts_follow_scikit_learns_diagram_in_order():
    page = estimator_html(GlassPerceptron(), ["<p>first</p>", "<p>second</p>"])
    assert SCIKIT_LEARN in page
    assert page.index(SCIKIT_LEARN) < page.index("<p>first</p>") < page.index("<p>second</p>")
    assert page.endswith("\n<p>first</p>\n<p>second</p>")
    assert "<p>" not in estimator_html(GlassPerceptron()).split("</body>")[-1]


def test_an_unfitted_perceptron_shows_scikit_learns_diagram_only():
    page = GlassPerceptron(eta0=0.5)._repr_html_()
    assert SCIKIT_LEARN in page and "eta0" in page
    assert ENGINE not in page and "perceptrons_[" not in page
    assert page.rstrip().endswith("</body>")


def test_a_fitted_perceptron_shows_its_perceptron_below_the_diagram():
    model = GlassPerceptron(random_state=0).fit(X, ["off", "on", "on", "on"])
    page = model._repr_html_()
    engine = model.perceptrons_[0]._repr_html_()
    assert page.index(SCIKIT_LEARN) < page.index(engine)
    caption = "<p><b>perceptrons_[0]</b>: z &gt; 0 picks 'on', else 'off'</p>"
    assert page.endswith(caption + "\n" + engine)
    assert "<th>weights after</th>" in engine and "Perceptron(2, learning_rate=1.0" in engine
    assert f"<p>n_iter_ = {model.n_iter_}: the most epochs any perceptron ran.</p>" in page
    assert "one epoch per call" not in page and "numbered 1:" not in page


def test_one_perceptron_per_class_each_shown_against_the_rest():
    model = GlassPerceptron(random_state=0).fit(X, ["a", "b", "c", "c"])
    page = model._repr_html_()
    places = [page.index(p._repr_html_()) for p in model.perceptrons_]
    assert places == sorted(places) and len(places) == 3
    for k, label in enumerate(["a", "b", "c"]):
        assert f"<p><b>perceptrons_[{k}]</b>: '{label}' against the rest</p>" in page


def test_a_class_label_is_escaped():
    model = GlassPerceptron(random_state=0).fit(X, ["<no>", "yes", "yes", "yes"])
    assert "picks 'yes', else '&lt;no&gt;'" in model._repr_html_()


def test_jupyter_s_rich_display_picks_the_page():
    formatters = pytest.importorskip("IPython.core.formatters")
    model = GlassPerceptron(random_state=0).fit(X, [0, 1, 1, 1])
    data, _ = formatters.DisplayFormatter().format(model)
    assert data["text/plain"] == repr(model)
    html = data["text/html"]
    assert SCIKIT_LEARN in html and model.perceptrons_[0]._repr_html_() in html
    assert "<p><b>perceptrons_[0]</b>: z &gt; 0 picks 1, else 0</p>" in html
    unfitted, _ = formatters.DisplayFormatter().format(GlassPerceptron())
    assert SCIKIT_LEARN in unfitted["text/html"] and ENGINE not in unfitted["text/html"]


def test_the_mlp_shows_its_network_the_same_way():
    formatters = pytest.importorskip("IPython.core.formatters")
    model = GlassMLPClassifier((3,), solver="lbfgs", random_state=0).fit(X, [0, 1, 1, 1])
    data, _ = formatters.DisplayFormatter().format(model)
    assert data["text/html"].endswith("\n" + model.network_._repr_html_())
    assert "<p><b>Network</b> 2-3-1</p>" in data["text/html"]
    assert "<b>Network</b>" not in GlassMLPClassifier()._repr_html_()


def test_the_page_shows_every_epoch_each_perceptron_ran():
    xor = [0, 1, 1, 0]  # never converges: all 7 epochs run
    model = GlassPerceptron(max_iter=7, tol=None, shuffle=False).fit(X, xor)
    page = model._repr_html_()
    engine = model.perceptrons_[0]._repr_html_()
    rows = [engine.count(f"<tr><td>{k}</td>") for k in range(1, 9)]  # a row per epoch
    assert rows == [1] * 7 + [0] and model.n_iter_ == 7
    assert "  epoch 7: " in engine and "did not converge by epoch 7 (epoch 7 in this fit)" in page
    assert "<p>n_iter_ = 7: the most epochs any perceptron ran.</p>" in page
