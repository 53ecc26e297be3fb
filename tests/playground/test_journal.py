"""Rebuilding a run from its start, its journal and its epoch: the same weights to the last
digit, through live changes and hand edits; a bad replay is a one-line refusal."""

import doctest

import numpy as np
import pytest

import glassnet.playground.journal as journal_module
from glassnet.playground.journal import MAX_JOURNAL, rebuild
from glassnet.playground.session import Session
from glassnet.playground.settings import BadRequest, Settings


def same_weights(first, second):
    pairs = zip(first.network.get_weights(), second.network.get_weights(), strict=True)
    return all(np.array_equal(a, b) for a, b in pairs)


def test_a_run_with_changes_and_edits_is_rebuilt_to_the_last_digit():
    start = Settings(dataset="moons", points=80, layers=(5, 3), activations=("tanh", "relu"),
                     optimizer="momentum", seed=9)  # fmt: skip
    run = Session.create(start, {})
    run.step(7)
    run.change(Settings(**{**start.__dict__, "lr": 0.1, "batch": 0}))
    run.step(3)
    run.edit(2, 1, 4, -0.625)
    run.edit(1, 0, "bias", 0.5)
    run.step(11)
    run.change(Settings(**{**start.__dict__, "lr": 0.1, "batch": 0, "optimizer": "adam",
                           "regularization": "l1", "strength": 0.002}))  # fmt: skip
    run.step(250)  # more than one frame's worth: rebuilt in frames of at most 100
    again = Session.create(start, {})
    rebuild(again, {"epoch": run.epoch, "journal": run.journal})
    assert again.epoch == run.epoch == 271
    assert same_weights(again, run)
    assert again.journal == run.journal and again.settings == run.settings
    assert [layer.l1 for layer in again.network.dense_layers] == [0.002] * 3


def test_the_frames_a_run_trained_in_do_not_change_its_numbers():
    settings = Settings(dataset="spirals", points=60, layers=(6,), seed=2)
    by_ones, at_once = Session.create(settings, {}), Session.create(settings, {})
    for _ in range(30):
        by_ones.step(1)
    at_once.step(30)
    assert same_weights(by_ones, at_once)


@pytest.mark.parametrize(
    "replay, words",
    [
        ("nothing", ["replay must be an object"]),
        ({"epoch": -1}, ["replay: the epoch must be a whole number in [0, 100000], got -1"]),
        ({"epoch": 5, "journal": [{"epoch": 9, "settings": {"lr": 0.1}}]},
         ["journal entry 1's epoch must be a whole number in [0, 5], got 9"]),
        ({"epoch": 5, "journal": [{"epoch": 3, "settings": {}}, {"epoch": 2, "settings": {}}]},
         ["journal entry 2's epoch must be a whole number in [3, 5], got 2"]),
        ({"epoch": 5, "journal": [{"epoch": 1, "settings": {"layers": "8"}}]},
         ["only lr, optimizer, batch, regularization, strength change during a run",
          "['layers']"]),
        ({"epoch": 5, "journal": [{"epoch": 1}]}, ["either settings or edit"]),
        ({"epoch": 5, "journal": [{"epoch": 1, "edit": "w"}]}, ["settings and edit must be"]),
        ({"epoch": 5, "journal": [{"epoch": 1, "edit": {"layer": 7, "neuron": 0, "source": 0,
                                                        "value": 1.0}}]},
         ["layer must be a whole number in [1, 2], got 7"]),
        ({"epoch": 5, "journal": [{"epoch": 1, "settings": {"lr": 99}}]}, ["learning rate"]),
        ({"epoch": 2, "journal": [{}] * (MAX_JOURNAL + 1)}, ["at most 10000 entries"]),
    ],
)  # fmt: skip
def test_a_bad_replay_is_refused_in_one_line(replay, words):
    session = Session.create(Settings(dataset="xor", points=20), {})
    with pytest.raises(BadRequest) as caught:
        rebuild(session, replay)
    for word in words:
        assert word in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_run_that_diverged_is_rebuilt_to_where_it_stopped():
    settings = Settings(dataset="gauss", points=200, layers=(6,), optimizer="sgd", lr=1.0)
    run = Session.create(settings, {})
    for _ in range(30):
        run.step(1)
    assert run.message.startswith("training diverged at epoch 15") and run.epoch == 14
    again = Session.create(settings, {})
    rebuild(again, {"epoch": run.epoch, "journal": []})
    assert again.epoch == 14 and same_weights(again, run)


def test_docstring_examples():
    result = doctest.testmod(journal_module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 6
