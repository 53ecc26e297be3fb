"""The typed API (issue 21): how complete pyright finds it, and what the type checkers
found, each a test through the public names.

mypy runs in ``make lint`` (its default mode, configured in pyproject.toml). pyright's
``--verifytypes`` scores the share of public symbols (every module's ``__all__``, or its
names without an underscore) whose type is known; the test below runs it when pyright can
run here (its wheel carries pyright itself; it needs Node.js) and skips, saying why, when
it cannot. ``make types`` runs both checks.

Annotating the public API made mypy and pyright read bodies they had skipped; where they
found a None not handled or a value of the wrong kind that could reach the user, the fix
is a clear error (or the value handled), tested here.
"""

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from glassnet import Dense, Dropout, Network
from glassnet.engine.losses import get_loss
from glassnet.engine.targets import Targets

ROOT = Path(__file__).resolve().parent.parent

# The share of glassnet's public symbols of known type that pyright must find. The issue
# asks for 0.90; the source stands at 0.996 (what is left: scikit-learn's base classes,
# which its stubs do not type). Below 0.95 a change has left public names unannotated.
PYRIGHT_MIN_SCORE = 0.95


def pyright_command() -> list[str]:
    """How to run pyright here, or a skip saying why it cannot run."""
    found = shutil.which("pyright", path=os.path.dirname(sys.executable)) or shutil.which("pyright")
    if found is None:
        pytest.skip("pyright is not installed (it is in the dev extra: pip install pyright)")
    try:
        started = subprocess.run([found, "--version"], capture_output=True, text=True,
                                 timeout=120)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"pyright cannot start here: {error}")
    if started.returncode != 0:  # no Node.js, and none to fetch (offline)
        last = (started.stderr or started.stdout).strip().splitlines()[-1:]
        pytest.skip(f"pyright cannot start here: {' '.join(last) or started.returncode}")
    return [found]


def test_pyright_knows_the_type_of_the_public_api():
    command = pyright_command()
    run = subprocess.run(
        [*command, "--verifytypes", "glassnet", "--ignoreexternal", "--outputjson"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    report = json.loads(run.stdout)["typeCompleteness"]
    unknown = sorted(
        f"{symbol['name']}: {diagnostic['message'].splitlines()[0]}"
        for symbol in report["symbols"]
        if symbol["isExported"] and not symbol["isTypeKnown"]
        for diagnostic in symbol["diagnostics"]
    )
    score = report["completenessScore"]
    assert score >= PYRIGHT_MIN_SCORE, (
        f"pyright knows {score:.1%} of the public symbols' types, less than "
        f"{PYRIGHT_MIN_SCORE:.0%}; the first of what it does not know:\n" + "\n".join(unknown[:25])
    )


# ---------------------------------------------------------------------- the engine
def test_a_target_config_without_n_outputs_is_refused_by_name():
    # It used to make Targets with n_outputs None, which failed later as "y must have
    # shape (2, None)".
    with pytest.raises(ValueError, match=r"n_outputs must be a whole number in \[1, inf\)"):
        Targets.from_config({"kind": "values", "classes": None}, get_loss("mse"))


def test_class_targets_without_their_labels_are_refused_when_made():
    # It used to fail at the first encode, inside np.searchsorted, with a TypeError.
    with pytest.raises(ValueError, match="'classes' need their class labels, got None"):
        Targets("classes", None, 3)
    with pytest.raises(ValueError, match="unknown kind 'labels'"):
        Targets("labels", None, 1)


def test_plain_value_targets_have_no_labels_to_read():
    targets = Targets("values", None, 1)
    with pytest.raises(ValueError, match="plain values: they have no class labels"):
        _ = targets.labels


def test_a_network_whose_last_layer_was_swapped_for_a_dropout_says_so():
    # Network() checks the last layer; a list changed afterwards used to fail deep in the
    # pass with an AttributeError (a Dropout layer has no activation and no cache).
    net = Network([Dense(1, 2), Dense(2, 1)], seed=0)
    net.layers.append(Dropout(0.5))
    with pytest.raises(TypeError, match=r"last layer must be a Dense layer, got Dropout\(0.5\)"):
        net.fit([[1.0]], [1.0])


# ---------------------------------------------------------------------- the estimators
@pytest.mark.parametrize("first", [False, True])
def test_a_warm_start_that_switches_early_stopping_starts_that_rule_s_record(first):
    # The other rule's record is None: the next fit raised "'NoneType' object has no
    # attribute 'append'" (early stopping turned on) or "unsupported operand type(s) for
    # -: 'NoneType' and 'float'" (turned off), as scikit-learn's MLPRegressor still does.
    pytest.importorskip("sklearn")
    from sklearn.exceptions import ConvergenceWarning

    from glassnet.sklearn import GlassMLPRegressor

    X = np.linspace(0.0, 1.0, 40).reshape(-1, 1)
    model = GlassMLPRegressor((2,), max_iter=3, warm_start=True, early_stopping=first,
                              random_state=0)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, X.ravel())
        model.set_params(early_stopping=not first)
        model.fit(X, X.ravel())
    if first:  # now on the training loss: its best so far is the last fit's least loss
        assert model.best_loss_ == min(model.loss_curve_[-3:])
    else:  # now on the validation score: one score per epoch of the second fit
        assert len(model.validation_scores_) == 3
        assert model.best_validation_score_ == max(model.validation_scores_)


# ---------------------------------------------------------------------- the playground
def test_a_playground_edit_without_a_source_is_refused_and_changes_nothing():
    # Without "source" the edit wrote weights[None, neuron] = value: every weight from
    # input `neuron` (a whole row of W[1]) became the value typed, with a 200 reply.
    import json

    from glassnet.playground.server import Playground

    app = Playground()
    try:
        key = app.create({"dataset": "xor", "seed": 0, "layers": "2"})["session"]
        network = app.sessions[key].network
        before = network.get_weights()
        body = {"session": key, "layer": 1, "neuron": 1, "value": 0.5}
        status, _, reply, _ = app.handle("POST", "/api/edit", json.dumps(body).encode())
        after = network.get_weights()
    finally:
        app.close()
    assert status == 400
    assert json.loads(reply)["error"] == "an edit names its source: an input's index, or 'bias'"
    assert all(np.array_equal(old, new) for old, new in zip(before, after, strict=True))
