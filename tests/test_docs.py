"""make docs: the API reference builds with pdoc (Google style), without a warning, with a
page for every public module and an entry for every name of their ``__all__``."""

import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docs" / "make_api.py"
PUBLIC = {
    "glassnet": "glassnet.html",
    "glassnet.datasets": "glassnet/datasets.html",
    "glassnet.plot": "glassnet/plot.html",
    "glassnet.sklearn": "glassnet/sklearn.html",
}

pytestmark = [
    pytest.mark.skipif(not SCRIPT.is_file(), reason="docs/make_api.py is not here"),
    *(
        pytest.mark.skipif(
            importlib.util.find_spec(package) is None,
            reason=f"the API reference needs {package} (the dev extra has it)",
        )
        for package in ("pdoc", "matplotlib", "sklearn")
    ),
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), str(folder)], capture_output=True, text=True, timeout=600
    )
    return completed, folder


@pytest.fixture
def make_api():
    spec = importlib.util.spec_from_file_location("make_api", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reference_builds_without_a_warning(reference):
    completed, folder = reference
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    assert (folder / "index.html").is_file()


def test_every_public_module_has_a_page_naming_every_public_name(reference):
    _, folder = reference
    for module_name, page in PUBLIC.items():
        html = (folder / page).read_text()
        names = [n for n in importlib.import_module(module_name).__all__ if n != "__version__"]
        missing = [name for name in names if f'id="{name}"' not in html]
        assert missing == [], f"{page} lacks {missing}"


def test_docstrings_are_read_as_google_style(reference):
    _, folder = reference
    html = (folder / "glassnet.html").read_text()
    # "Example:" and "Args:" become headings of their own, and the examples code blocks.
    assert '<h6 id="example">Example:</h6>' in html
    assert '<span class="gp">&gt;&gt;&gt; </span>' in html


def test_the_engine_and_the_glass_box_are_documented_as_internals(reference):
    _, folder = reference
    assert (folder / "glassnet" / "engine" / "network.html").is_file()
    assert (folder / "glassnet" / "glassbox" / "trace.html").is_file()


def test_a_warning_from_pdoc_fails_the_build(make_api, tmp_path, monkeypatch, capsys):
    package = tmp_path / "halfdone"
    package.mkdir()
    (package / "__init__.py").write_text(
        '"""A module with a type nobody defined."""\n\n\n'
        'def f(x: "Missing") -> None:\n    """Doc."""\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert make_api.main([str(tmp_path / "out")], modules=("halfdone",)) == 1
    assert "Missing" in capsys.readouterr().err


def test_a_module_that_does_not_import_fails_the_build_in_one_line(
    make_api, tmp_path, monkeypatch, capsys
):
    (tmp_path / "broken.py").write_text('"""Broken."""\nimport not_a_module_anywhere\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    assert make_api.main([str(tmp_path / "out")], modules=("broken",)) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "not_a_module_anywhere" in error
