"""The classroom's lessons say what their runs do: each claim of a lesson's text is checked
here on the run it names."""

import doctest

import numpy as np
import pytest

import glassnet.playground.lessons as lessons_module
from glassnet.playground.lessons import HIDEABLE, LESSONS, PRESETS
from glassnet.playground.session import Session
from glassnet.playground.settings import Settings


def run(settings: dict, epochs: int, **changes) -> Session:
    session = Session.create(Settings.parse({**settings, **changes}), {})
    session.step(epochs) if epochs <= 100 else [session.step(100) for _ in range(epochs // 100)]
    return session


def accuracy(session, side="test"):
    return session.metrics(side)["accuracy"]


def loss(session, side="test"):
    return session.metrics(side)["loss"]


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_every_lesson_has_valid_settings_hides_known_controls_and_some_text(name):
    lesson = LESSONS[name]
    Settings.parse(lesson["settings"])
    assert set(lesson["hide"]) <= set(HIDEABLE)
    assert lesson["title"] and len(lesson["paragraphs"]) >= 3


def test_the_xor_lesson():
    settings = LESSONS["xor"]["settings"]
    assert accuracy(run(settings, 300)) < 0.7  # one neuron: a line, about half right
    assert accuracy(run(settings, 300, layers="4")) == 1.0  # a hidden layer of four
    assert accuracy(run(settings, 300, features="x1,x2,x1x2")) == 1.0  # or the cross alone


def test_the_learning_rate_lesson():
    settings = LESSONS["learning-rate"]["settings"]
    jumpy = Session.create(Settings.parse(settings), {})
    losses = []
    for _ in range(60):
        jumpy.step(1)
        losses.append(loss(jumpy, "train"))
    rises = sum(later > 1.5 * earlier for earlier, later in zip(losses, losses[1:], strict=False))
    assert rises >= 5 and not jumpy.message  # it jumps about, but does not diverge
    jumpy.change(Settings.parse({**jumpy.settings.to_json(), "lr": 0.1}))
    jumpy.step(100)
    assert jumpy.epoch == 160 and loss(jumpy, "train") < min(losses)  # on, and lower
    slow = run(settings, 100, lr=0.01)
    assert loss(slow, "train") > loss(run(settings, 100, lr=0.1), "train")
    diverged = run(settings, 60, lr=2)
    assert diverged.message.startswith("training diverged")


def test_the_overfitting_lesson():
    settings = LESSONS["overfitting"]["settings"]
    session = Session.create(Settings.parse(settings), {})
    tested = []
    for _ in range(30):
        session.step(10)
        tested.append(loss(session))
    lowest = int(np.argmin(tested))
    assert lowest < 10 and tested[-1] > 2 * tested[lowest]  # falls, stops, then climbs
    assert loss(session, "train") < 0.01  # while the training loss goes on falling
    high = loss(session)
    session.change(Settings.parse({**session.settings.to_json(), "regularization": "l2",
                                   "strength": 0.01}))  # fmt: skip
    for _ in range(3):
        session.step(100)
    assert loss(session) < high / 2  # L2: the test loss comes back down
    l1 = run(settings, 600, regularization="l1", strength=0.003)
    weights = np.concatenate([layer.weights.ravel() for layer in l1.network.dense_layers])
    plain = run(settings, 600)
    unregularised = np.concatenate([layer.weights.ravel() for layer in plain.network.dense_layers])
    assert np.mean(np.abs(weights) < 0.05) > 0.5 > np.mean(np.abs(unregularised) < 0.05)


def test_the_features_lesson():
    settings = LESSONS["features"]["settings"]
    assert accuracy(run(settings, 300)) < 0.7
    assert accuracy(run(settings, 300, features="x1,x2,x1sq,x2sq")) == 1.0


def test_the_tutorial_002_preset_is_the_tutorials_run():
    session = Session.create(Settings.parse(PRESETS["tutorial-002"]["settings"]), {})
    assert [round(r.rmse, 3) for r in session.perceptron.perceptron.epochs_] == [0.5, 0.5, 0.0]
    assert session.perceptron.perceptron.epochs_[1].weights.round(7).tolist() == [
        0.4967142,
        0.0617357,
    ]


def test_docstring_examples():
    result = doctest.testmod(lessons_module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 2
