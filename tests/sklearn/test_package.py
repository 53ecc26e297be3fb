"""glassnet.sklearn as a package: the optional extra, the public face, the examples."""

import doctest
import importlib
import subprocess
import sys

import pytest

pytest.importorskip("sklearn")

import glassnet.sklearn  # noqa: E402

MODULES = ["__init__", "checks", "mlp", "classifier", "regressor", "perceptron"]


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_importing_glassnet_does_not_import_scikit_learn():
    result = run_python("import sys, glassnet; print('sklearn' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_without_scikit_learn_the_error_names_the_extra():
    # None in sys.modules makes "import sklearn" fail as if it were not installed.
    result = run_python("import sys; sys.modules['sklearn'] = None; import glassnet.sklearn")
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ImportError")
    assert "pip install 'glassnet[sklearn]'" in last_line


def test_the_public_face_names_the_three_estimators():
    assert glassnet.sklearn.__all__ == [
        "GlassMLPClassifier",
        "GlassMLPRegressor",
        "GlassPerceptron",
    ]
    for name in glassnet.sklearn.__all__:
        estimator = getattr(glassnet.sklearn, name)
        assert estimator.__module__.startswith("glassnet.sklearn.")
    assert not hasattr(glassnet.sklearn, "validate_data")  # imported for the version check


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = (
        glassnet.sklearn
        if name == "__init__"
        else importlib.import_module(f"glassnet.sklearn.{name}")
    )
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
