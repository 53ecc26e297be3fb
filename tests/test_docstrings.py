"""Every docstring example runs and prints what it shows, and every public name has one.

"Public" means each name in a module's ``__all__``: a function, or a class and each method
(plain, static or class method) defined in the class itself (``vars(cls)``) whose name does
not start with ``_``. Properties are not checked. Only a name's own docstring counts.

Exempt: a method that overrides a base-class method whose own docstring has an example. It
inherits the base's example, which shows how every override is called: ``Activation.forward``
covers ``Sigmoid.forward``, ``Loss.value`` every loss's ``value``, ``Layer.backward``
``Dense.backward``, ``Callback.on_epoch_end`` every callback's hook, ``Optimizer.config``
``Adam.config``.
"""

import ast
import doctest
import importlib
import importlib.util
import inspect

import pytest


def _modules() -> list[str]:
    """Every module of the package, found by walking it (a new module is checked at once)."""
    import pkgutil

    import glassnet

    found = ["glassnet"]
    for info in pkgutil.walk_packages(glassnet.__path__, "glassnet."):
        found.append(info.name)
    return sorted(found)


MODULES = _modules()


def has_example(obj) -> bool:
    """Whether obj's own docstring has an ``Example:`` section (``inspect.getdoc`` would
    inherit one)."""
    return "Example:" in (obj.__doc__ or "")


def inherits_example(cls: type, name: str) -> bool:
    """Whether a base class of ``cls`` defines ``name`` with an example in its docstring."""
    return any(name in vars(base) and has_example(vars(base)[name]) for base in cls.__mro__[1:])


def methods_without_example(cls: type) -> list[str]:
    missing = []
    for name, member in vars(cls).items():
        if isinstance(member, (staticmethod, classmethod)):
            member = member.__func__
        if name.startswith("_") or not inspect.isfunction(member):
            continue
        if not has_example(member) and not inherits_example(cls, name):
            missing.append(f"{cls.__name__}.{name}")
    return missing


def missing_packages(module) -> list[str]:
    """The top-level packages a module imports anywhere (lazily too, as glassnet.interop
    imports torch) that are not installed: its examples cannot run without them."""
    roots = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return sorted(root for root in roots if importlib.util.find_spec(root) is None)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    missing = missing_packages(module)
    if missing:
        pytest.skip(f"{name}'s examples need {', '.join(missing)}: not installed")
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


@pytest.mark.parametrize("name", MODULES)
def test_every_public_class_and_method_has_an_example(name):
    module = importlib.import_module(name)
    classes = [
        getattr(module, attribute)
        for attribute in getattr(module, "__all__", [])
        if inspect.isclass(getattr(module, attribute))
    ]
    missing = [cls.__name__ for cls in classes if not has_example(cls)]
    missing += [method for cls in classes for method in methods_without_example(cls)]
    assert missing == []


def test_a_module_importing_a_missing_package_is_named(tmp_path, monkeypatch):
    (tmp_path / "lazy_module.py").write_text(
        "import numpy\n\n\ndef load():\n    import not_a_package_anywhere.sub\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert missing_packages(importlib.import_module("lazy_module")) == ["not_a_package_anywhere"]
