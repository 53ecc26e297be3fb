"""scikit-learn's own tests of its MLPs, run on glassnet's estimators.

The installed scikit-learn's ``sklearn/neural_network/tests/test_mlp.py`` is read at test
time (nothing is copied), its one import of ``MLPClassifier``/``MLPRegressor`` replaced
by glassnet's ``GlassMLPClassifier``/``GlassMLPRegressor`` under those names, and its
tests collected here as they are, with their parameters. Left out by name, each for the
reason given: those that reach scikit-learn's private attributes or a loss glassnet does
not have. Every other test must pass.
"""

from pathlib import Path

import pytest

sklearn = pytest.importorskip("sklearn")

SUITE = Path(sklearn.__file__).parent / "neural_network" / "tests" / "test_mlp.py"
IMPORT = "from sklearn.neural_network import MLPClassifier, MLPRegressor\n"
SUBSTITUTE = (
    "from glassnet.sklearn import GlassMLPClassifier as MLPClassifier\n"
    "from glassnet.sklearn import GlassMLPRegressor as MLPRegressor\n"
)

LEFT_OUT = {
    # the analytic gradient is read from scikit-learn's private _loss_grad_lbfgs
    "test_gradient": "reaches MLPClassifier._loss_grad_lbfgs",
    # MLPRegressor(loss="poisson"): glassnet has no Poisson loss (nor an exp output)
    "test_mlp_vs_poisson_glm_equivalent": "loss='poisson'",
}


def load_suite() -> dict:
    source = SUITE.read_text()
    assert source.count(IMPORT) == 1, f"{SUITE} no longer imports the MLPs in one line"
    namespace = {"__name__": "sklearn_test_mlp_on_glassnet", "__file__": str(SUITE)}
    exec(compile(source.replace(IMPORT, SUBSTITUTE), str(SUITE), "exec"), namespace)
    return namespace


SUITE_TESTS = {
    name: value
    for name, value in load_suite().items()
    if name.startswith("test_") and callable(value) and name not in LEFT_OUT
}
globals().update(SUITE_TESTS)


def test_the_suite_runs_on_glassnet_and_leaves_out_only_the_named_tests():
    namespace = load_suite()
    assert namespace["MLPClassifier"].__module__ == "glassnet.sklearn.classifier"
    assert namespace["MLPRegressor"].__module__ == "glassnet.sklearn.regressor"
    every = {name for name in namespace if name.startswith("test_")}
    assert set(LEFT_OUT) <= every
    assert len(SUITE_TESTS) == len(every) - len(LEFT_OUT) >= 40
