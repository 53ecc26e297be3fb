"""glassnet.plot, the public face: an optional extra, its names, and its docstring examples."""

import doctest
import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from glassnet import plot  # noqa: E402


def test_importing_glassnet_never_imports_matplotlib():
    code = (
        "import sys, glassnet, glassnet.cli.main\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("module", ["glassnet.plot", "glassnet.plot.diagram"])
def test_without_matplotlib_the_import_error_says_how_to_install_it(module):
    code = (
        "import sys\n"
        "sys.modules['matplotlib'] = None  # as if it were not installed\n"
        "try:\n"
        f"    import {module}\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "pip install 'glassnet[plot]'" in result.stdout


def test_every_public_name_is_the_one_its_module_defines():
    for name in plot.__all__:
        value = getattr(plot, name)
        if inspect.isfunction(value) or inspect.isclass(value):  # not PALETTE, EXAMPLES
            assert value.__module__.startswith("glassnet.plot.")
            assert getattr(importlib.import_module(value.__module__), name) is value


def test_docstring_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    modules = [plot] + [
        importlib.import_module(info.name)
        for info in pkgutil.iter_modules(plot.__path__, "glassnet.plot.")
    ]
    attempted = failed = 0
    for module in modules:
        result = doctest.testmod(
            module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        )
        attempted, failed = attempted + result.attempted, failed + result.failed
    assert attempted > 10 and failed == 0
