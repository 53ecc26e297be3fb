"""What the notebook tests share: a real Jupyter kernel (nbclient with ipykernel), one
session per notebook, every cell run in order with a bounded time per cell.

Skipped with the reason when the notebook extra is missing."""

from __future__ import annotations

import copy

import pytest

nbformat = pytest.importorskip("nbformat", reason="needs the notebook extra: nbformat")
nbclient = pytest.importorskip("nbclient", reason="needs the notebook extra: nbclient")
pytest.importorskip("ipykernel", reason="the notebooks run in a kernel: needs ipykernel")

CELL_TIMEOUT = 120  # seconds for any one cell (the longest, 25,000 epochs, takes ~2)


def text_of(outputs) -> str:
    """Everything a cell showed as text: its streams, and the text/plain of its results."""
    parts = []
    for output in outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            parts.append(output.data.get("text/plain", ""))
        elif output.output_type == "error":
            parts.append("\n".join(output.traceback))
    return "\n".join(parts)


def stderr_of(outputs) -> str:
    return "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")


def run_notebook(book, folder, variants=None):
    """Run ``book`` top to bottom in one kernel (working folder ``folder``). ``variants``
    maps a cell's index to sources run just before it (their outputs are returned too).

    Returns {index: [outputs of each variant]}; the notebook's cells get their outputs."""
    variants = variants or {}
    client = nbclient.NotebookClient(book, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(folder)}})  # fmt: skip
    seen: dict[int, list] = {}
    with client.setup_kernel():
        for index, cell in enumerate(book.cells):
            for source in variants.get(index, ()):
                other = copy.deepcopy(cell)
                other.source = source
                client.execute_cell(other, index)
                seen.setdefault(index, []).append(other.outputs)
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
    return seen


def run_sources(sources, folder):
    """Run code cells in one fresh kernel; returns the executed notebook."""
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    run_notebook(book, folder)
    return book
