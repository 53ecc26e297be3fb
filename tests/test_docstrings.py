"""Every docstring example runs and prints what it shows."""

import doctest
import importlib

import pytest

MODULES = [
    "glassnet",
    "glassnet.activations",
    "glassnet.callbacks",
    "glassnet.datasets",
    "glassnet.gradcheck",
    "glassnet.initializers",
    "glassnet.layers",
    "glassnet.losses",
    "glassnet.metrics",
    "glassnet.network",
    "glassnet.optimizers",
    "glassnet.perceptron",
    "glassnet.trace",
    "glassnet.tutorials",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
