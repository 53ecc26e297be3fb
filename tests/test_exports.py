"""The public API: a small explicit __all__, complete and importable, documented."""

import inspect

import glassnet


def test_all_names_exist_and_are_documented():
    for name in glassnet.__all__:
        obj = getattr(glassnet, name)
        if name == "__version__":
            continue
        assert inspect.getdoc(obj), f"{name} has no docstring"


def test_every_public_name_is_in_all():
    public = {
        name
        for name, obj in vars(glassnet).items()
        if not name.startswith("_") and not inspect.ismodule(obj)
    }
    assert public <= set(glassnet.__all__), sorted(public - set(glassnet.__all__))


def test_importing_glassnet_does_not_import_optional_extras():
    import subprocess
    import sys

    code = (
        "import sys, glassnet; "
        "print(sorted(m for m in ('matplotlib', 'sklearn', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
