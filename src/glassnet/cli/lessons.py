"""``glassnet lessons``: copy the lessons (Jupyter notebooks) to a folder and say how to open
them.

The notebooks ship inside the package (``glassnet/lessons/*.ipynb``), stored without
outputs. A learner's own copy is never overwritten: a lesson already in the folder is
kept (``--force`` replaces it). ``--quiet`` copies them saying nothing; ``--verbose`` names
each file.

Example:
    >>> from glassnet.cli.main import main
    >>> main(["lessons", "my-lessons"])  # doctest: +SKIP
    copied 8 lessons to my-lessons: ...
    0
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
from importlib import resources
from typing import TYPE_CHECKING

from glassnet.cli.errors import UsageError
from glassnet.files import write_atomically

if TYPE_CHECKING:  # what resources.files gives: a path or a file inside an archive
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = ["lesson_files", "run_lessons"]


def lesson_files() -> list[Traversable]:
    """The lessons shipped with glassnet, in order (their package resources).

    Example:
        >>> [lesson.name for lesson in lesson_files()][0]
        '01-one-neuron.ipynb'
    """
    folder = resources.files("glassnet") / "lessons"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".ipynb")),
                  key=lambda f: f.name)  # fmt: skip


def _how_to_open(folder: str) -> list[str]:
    """What to install (what is missing of it) and the command that opens the folder."""
    missing = [name for name, module in (("ipykernel", "ipykernel"), ("ipywidgets", "ipywidgets"),
                                         ("matplotlib", "matplotlib"))
               if importlib.util.find_spec(module) is None]  # fmt: skip
    lines = []
    if missing:
        lines.append(f"first: pip install 'glassnet[notebook]'   (missing: {', '.join(missing)})")
    if shutil.which("jupyter-lab"):
        lines.append(f"open them: jupyter lab {folder}")
    else:
        lines.append(f"open them: pip install jupyterlab, then jupyter lab {folder}")
    lines.append("(or open the folder in VS Code with its Jupyter extension); start with "
                 "01-one-neuron.ipynb")  # fmt: skip
    return lines


def run_lessons(args: argparse.Namespace) -> int:
    """``glassnet lessons [FOLDER]``: copy every lesson into FOLDER (made if needed).

    Example:
        >>> import tempfile
        >>> from glassnet.cli.main import main
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     main(["lessons", folder])  # doctest: +ELLIPSIS
        copied 8 lessons to ...
        0
    """
    folder = args.folder
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise UsageError(f"{folder} is a file, not a folder: give a folder for the lessons")
    os.makedirs(folder, exist_ok=True)
    copied, kept = [], []
    for lesson in lesson_files():
        target = os.path.join(folder, lesson.name)
        if os.path.exists(target) and not args.force:
            kept.append(lesson.name)
            continue
        data = lesson.read_bytes()

        def write(temporary: str, data: bytes = data) -> None:
            with open(temporary, "xb") as handle:
                handle.write(data)

        write_atomically(target, write)
        copied.append(lesson.name)
    if args.quiet:
        return 0
    if args.verbose:
        for name in copied:
            print(f"copied {os.path.join(folder, name)}")
        for name in kept:
            print(f"kept {os.path.join(folder, name)} (--force replaces it)")
    else:
        if copied:
            print(f"copied {len(copied)} lessons to {folder}: {', '.join(copied)}")
        if kept:
            print(f"kept {len(kept)} already there (yours, perhaps with your answers; --force "
                  f"replaces them): {', '.join(kept)}")  # fmt: skip
    print("\n".join(_how_to_open(folder)))
    return 0
