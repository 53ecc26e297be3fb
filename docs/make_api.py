"""Write glassnet's API reference as HTML with pdoc: ``python docs/make_api.py [FOLDER]``.

``make docs`` runs it (the folder defaults to ``docs/api``). The public modules come first:
``glassnet``, ``glassnet.datasets``, ``glassnet.plot`` and ``glassnet.sklearn``, each with
the names of its ``__all__``. The engine's and the glass box's modules follow as internals,
for contributors: their paths may move (ARCHITECTURE.md). Docstrings are read as Google
style (``Args:``, ``Returns:``, ``Example:``).

Every warning pdoc gives (a module that does not import, a docstring it cannot read, a
reference it cannot resolve) is printed, and the script then exits with 1, so a warning
fails ``make docs`` and the test that builds the reference (tests/test_docs.py).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

PUBLIC = ["glassnet", "glassnet.datasets", "glassnet.plot", "glassnet.sklearn"]
INTERNALS = ["glassnet.engine", "glassnet.glassbox"]  # pdoc walks their modules
MODULES = (*PUBLIC, *INTERNALS)
DEFAULT_FOLDER = Path(__file__).resolve().parent / "api"


def build(folder: Path, modules: tuple[str, ...] = MODULES) -> list[str]:
    """Render the modules' reference into ``folder``; returns pdoc's warnings, one line each.

    A module that fails to import raises pdoc's RuntimeError (its cause says why)."""
    import pdoc
    import pdoc.render

    import glassnet

    pdoc.render.configure(
        docformat="google",
        footer_text=f"glassnet {glassnet.__version__}",
        search=True,
        show_source=True,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdoc.pdoc(*modules, output_directory=folder)
    return [f"{w.category.__name__}: {' '.join(str(w.message).split())}" for w in caught]


def main(argv: list[str], modules: tuple[str, ...] = MODULES) -> int:
    """Build the reference; 0 when pdoc gave no warning, 1 otherwise, 2 for bad arguments."""
    if len(argv) > 1:
        print("usage: python docs/make_api.py [FOLDER]", file=sys.stderr)
        return 2
    folder = Path(argv[0]) if argv else DEFAULT_FOLDER
    try:
        import pdoc  # noqa: F401
    except ImportError:
        print("make_api: pdoc is not installed (pip install -e '.[dev]')", file=sys.stderr)
        return 1
    try:
        problems = build(folder, modules)
    except RuntimeError as error:  # pdoc's "Error importing MODULE", the cause attached
        problems = [f"{error}: {error.__cause__!r}"]
    for line in problems:
        print(f"make_api: {line}", file=sys.stderr)
    if problems:
        return 1
    print(f"API reference written to {folder}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
