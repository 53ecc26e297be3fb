"""Every ```python block of README.md runs (in order, each in a fresh namespace)."""

import importlib.util
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def missing_packages(block: str) -> list[str]:
    """The top-level packages a block imports that are not installed (torch, say)."""
    roots = re.findall(r"^(?:import|from) (\w+)", block, flags=re.MULTILINE)
    return sorted({root for root in roots if importlib.util.find_spec(root) is None})


def test_readme_has_examples():
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs(index, tmp_path, monkeypatch, capsys):
    missing = missing_packages(BLOCKS[index])
    if missing:
        pytest.skip(f"README block {index + 1} imports {', '.join(missing)}: not installed")
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    exec(compile(BLOCKS[index], f"README.md block {index + 1}", "exec"), {})


def test_a_block_importing_a_missing_package_is_named():
    block = "import numpy as np\nimport not_a_package_anywhere\nfrom glassnet import Dense\n"
    assert missing_packages(block) == ["not_a_package_anywhere"]
