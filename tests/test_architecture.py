"""The house rules of ARCHITECTURE.md, checked on the source: layers import downward only,
no import circles, modules and functions of one idea, tests through public names.

Read from the files as text and parsed with ``ast``; nothing of the package is imported.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "glassnet"
TESTS = ROOT / "tests"

MODULE_LINES_SOFT, MODULE_LINES_HARD = 500, 650
FUNCTION_LINES_SOFT, FUNCTION_LINES_HARD = 60, 90

# Each room and the rooms it may import at module level (ARCHITECTURE.md, "The layers").
# "glassnet" is the public face, __init__.py.
ALLOWED = {
    "text": set(),
    "files": set(),
    "engine": {"text", "files"},
    "datasets": {"engine"},
    "glassbox": {"engine", "datasets", "text"},
    "modelfile": {"engine", "files"},
    "plot": {"engine", "datasets", "files", "text"},
    "sklearn": {"engine", "glassbox", "text"},
    "playground": {"engine", "datasets", "modelfile", "glassbox", "text", "files"},
    "interop": {"engine", "text", "files"},
    "cli": {
        "engine",
        "datasets",
        "glassbox",
        "modelfile",
        "plot",
        "playground",
        "interop",
        "text",
        "files",
        "glassnet",
    },
    "glassnet": {"engine", "glassbox", "modelfile", "text"},
    "__main__": {"cli"},  # python -m glassnet
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "glassnet"


SOURCES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, top_level_only: bool, type_checking: bool = False) -> set[str]:
    """The glassnet modules a file imports: at module level (outside functions), or
    anywhere. Imports under ``if TYPE_CHECKING:`` never run; they count only when
    ``type_checking`` is set (a circle drawn through them is a circle all the same)."""
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()

    def visit(node: ast.AST, deferred: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                if type_checking:
                    visit(child, deferred)
                continue
            inside = deferred or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if not (top_level_only and inside):
                if isinstance(child, ast.ImportFrom) and (child.module or "").startswith(
                    "glassnet"
                ):
                    base = child.module
                    for alias in child.names:
                        name = f"{base}.{alias.name}"
                        found.add(name if name in SOURCES else base)
                elif isinstance(child, ast.Import):
                    found.update(a.name for a in child.names if a.name.startswith("glassnet"))
            visit(child, inside)

    visit(tree, False)
    return {name for name in found if name in SOURCES}


def test_every_room_imports_only_the_rooms_below_it():
    wrong = []
    for module, path in SOURCES.items():
        for target in imports(path, top_level_only=True):
            source_room, target_room = room(module), room(target)
            if source_room != target_room and target_room not in ALLOWED[source_room]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_the_engine_imports_nothing_above_it_even_inside_functions():
    # The one exception: Network.trace, the public door to the glass box.
    allowed = {("glassnet.engine.network", "glassnet.glassbox.record")}
    wrong = [
        f"{module} -> {target}"
        for module, path in SOURCES.items()
        if room(module) == "engine"
        for target in imports(path, top_level_only=False)
        if room(target) not in ALLOWED["engine"] | {"engine"} and (module, target) not in allowed
    ]
    assert wrong == []


def test_no_import_circle_between_modules():
    graph = defaultdict(set)
    for module, path in SOURCES.items():
        for target in imports(path, top_level_only=True, type_checking=True):
            if target != module and not module.startswith(target + "."):
                graph[module].add(target)
    circles, state = [], {}

    def walk(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                circles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                walk(target, [*trail, target])
        state[node] = "done"

    for module in sorted(SOURCES):
        if module not in state:
            walk(module, [module])
    assert circles == []


def test_modules_stay_small():
    lines = {module: len(path.read_text().splitlines()) for module, path in SOURCES.items()}
    too_long = {module: n for module, n in lines.items() if n > MODULE_LINES_HARD}
    assert too_long == {}


def code_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function's code: its span, less its docstring, blank lines and comments."""
    source = ast.get_source_segment(SOURCE_TEXT[function], function) or ""
    docstring = ast.get_docstring(function, clean=False)
    skip = set()
    body = function.body
    if docstring is not None and isinstance(body[0], ast.Expr):
        skip = set(range(body[0].lineno, body[0].end_lineno + 1))
    counted = 0
    for number, line in enumerate(source.splitlines(), start=function.lineno):
        text = line.strip()
        if number in skip or not text or text.startswith("#"):
            continue
        counted += 1
    return counted


SOURCE_TEXT: dict[ast.AST, str] = {}


def functions() -> list[tuple[str, int]]:
    found = []
    for module, path in SOURCES.items():
        text = path.read_text()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                SOURCE_TEXT[node] = text
                found.append((f"{module}:{node.name}", code_lines(node)))
    return found


def test_functions_do_one_job():
    too_long = {name: n for name, n in functions() if n > FUNCTION_LINES_HARD}
    assert too_long == {}


def test_the_size_checks_count_what_they_say(tmp_path):
    # A function of 3 code lines, a docstring of 3 and a comment: counted as 3.
    text = 'def f():\n    """One.\n\n    Two.\n    """\n    # why\n    a = 1\n\n    return a\n'
    tree = ast.parse(text)
    node = tree.body[0]
    SOURCE_TEXT[node] = text
    assert code_lines(node) == 3


def private_uses(path: Path) -> list[str]:
    """``_private`` names a test takes from glassnet: imported, or read as an attribute of
    a glassnet object (any attribute of the form ``x._name``, dunders and the notebook
    display protocol ``_repr_*_`` apart)."""
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("glassnet"):
            found += [f"import {a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Attribute):
            name = node.attr
            dunder = name.startswith("__") and name.endswith("__")
            display = name.startswith("_repr_") and name.endswith("_")
            if name.startswith("_") and not dunder and not display:
                found.append(f"line {node.lineno}: .{name}")
    return found


# Tests of the benchmark scripts reach their helpers: the scripts are not the package.
NOT_THE_PACKAGE = {"test_benchmarks.py"}


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(TESTS.rglob("test_*.py")) if p.name not in NOT_THE_PACKAGE],
    ids=lambda p: str(p.relative_to(TESTS)),
)
def test_tests_use_public_names_only(path):
    assert private_uses(path) == []


def test_tests_are_laid_out_like_the_package():
    rooms = {room(module) for module in SOURCES} - {"glassnet", "text", "files"}
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    packages = {r for r in rooms if (PACKAGE / r).is_dir()}
    assert packages <= folders, sorted(packages - folders)


def private_reaches(path: Path) -> list[str]:
    """``_private`` names a module takes from another: imported, or read as an attribute of
    anything but itself (``self``, ``cls``, ``super()`` or a class the module defines)."""
    tree = ast.parse(path.read_text(), str(path))
    own = {"self", "cls", "super()"} | {
        node.name for node in tree.body if isinstance(node, ast.ClassDef)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("glassnet"):
            found += [f"import {a.name}" for a in node.names if a.name.startswith("_")
                      and a.name != "__version__"]  # fmt: skip
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            name = node.attr
            if name.startswith("__") or name.startswith("_repr_"):
                continue
            if ast.unparse(node.value) not in own:
                found.append(f"line {node.lineno}: {ast.unparse(node.value)}.{name}")
    return found


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_modules_reach_no_private_name_of_another(module):
    assert private_reaches(SOURCES[module]) == []
