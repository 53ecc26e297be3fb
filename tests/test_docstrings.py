"""Every docstring example runs and prints what it shows."""

import doctest
import importlib
import inspect

import pytest

MODULES = [
    "glassnet",
    "glassnet.activations",
    "glassnet.callbacks",
    "glassnet.datasets",
    "glassnet.diagnostics",
    "glassnet.gradcheck",
    "glassnet.initializers",
    "glassnet.io",
    "glassnet.layers",
    "glassnet.losses",
    "glassnet.metrics",
    "glassnet.network",
    "glassnet.optimizers",
    "glassnet.perceptron",
    "glassnet.trace",
    "glassnet.tutorials",
    "glassnet.views",
    "glassnet.cli",
    "glassnet.plot",
    "glassnet.sklearn",
    "glassnet.playground",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_has_an_example(name):
    module = importlib.import_module(name)
    missing = [
        attribute
        for attribute in getattr(module, "__all__", [])
        if inspect.isfunction(getattr(module, attribute))
        and "Example" not in (getattr(module, attribute).__doc__ or "")
    ]
    assert missing == []
