"""What the machine and the arithmetic allow, checked before ``train`` builds a network:
memory for its parameters, and inputs small enough that their squares do not overflow.

Example:
    >>> largest(np.array([[1.0, -7.0], [3.0, 2.0]]))
    (7.0, 0, 1)
"""

from __future__ import annotations

import argparse
import math
import os

import numpy as np

from glassnet.cli.errors import CommandError
from glassnet.datasets import CSVData, DataError
from glassnet.engine.evaluation import CHUNK_ROWS

__all__ = ["available_memory", "check_memory", "check_scale", "largest"]


def largest(X: np.ndarray) -> tuple[float, int, int]:
    """(the largest |x|, its row, its column).

    Example:
        >>> largest(np.array([[0.5], [-2.0]]))
        (2.0, 1, 0)
    """
    row, column = np.unravel_index(np.argmax(np.abs(X)), X.shape)
    return float(abs(X[row, column])), int(row), int(column)


def check_scale(data: CSVData, args: argparse.Namespace, regression: bool = False) -> None:
    """Refuse features whose squares overflow ``args.dtype``, unless ``args.standardize``;
    with ``regression``, a target whose square does (``--standardize`` scales the features
    only).

    Training squares and sums them (gradients, Adam's second moments, the loss of a
    regression): past sqrt(max) of the dtype that overflows, and the run would end in
    infinities or learn nothing, with no word said about the inputs.

    Example:
        >>> check_scale(load_csv("huge.csv", "y"), args)  # doctest: +SKIP
        Traceback (most recent call last):
        glassnet.datasets.csvfile.DataError: huge.csv: row 2, column 'x': 1e+300 is too ...
    """
    limit = math.sqrt(float(np.finfo(args.dtype).max))
    if regression and data.y is not None and data.y.dtype.kind in "iuf":
        target = np.abs(data.y.astype(np.float64))
        if float(target.max()) >= limit:
            row = int(np.argmax(target))
            raise DataError(
                f"{data.path}: row {data.line(row)}, column {data.target_name!r}: "
                f"{data.y[row].item():g} is too large a target for the network's {args.dtype} "
                f"arithmetic (the square of its error overflows past {limit:.3g}); divide the "
                "column by a power of ten"
            )
    if args.standardize or not float(max(data.X.max(), -data.X.min())) >= limit:
        return
    value, row, column = largest(data.X)
    raise DataError(
        f"{data.path}: row {data.line(row)}, column {data.feature_names[column]!r}: {value:g} "
        f"is too large for the network's {args.dtype} arithmetic (its square overflows past "
        f"{limit:.3g}); use --standardize, or divide the column by a power of ten"
    )


def available_memory() -> int | None:
    """Bytes of memory free for a new allocation (Linux's MemAvailable, within a cgroup's
    limit if there is one), or None where this cannot be told.

    Example:
        >>> available_memory() is None or available_memory() > 0
        True
    """
    free = None
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    free = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        try:
            free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, AttributeError):
            return None
    try:  # a container's own limit (cgroup v2)
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as limit_file:
            limit = limit_file.read().strip()
        with open("/sys/fs/cgroup/memory.current", encoding="ascii") as used_file:
            used = int(used_file.read().strip())
        if limit != "max":
            free = min(free, max(int(limit) - used, 0)) if free is not None else int(limit) - used
    except (OSError, ValueError):
        pass
    return free


def check_memory(args: argparse.Namespace, n_inputs: int, n_rows: int, n_outputs: int) -> None:
    """Refuse, before anything is allocated, a network (``args.hidden``, ``args.dtype``)
    whose training cannot fit in the free memory.

    Example:
        >>> args = argparse.Namespace(hidden=(10**6, 10**6), dtype="float64", batch_size=32)
        >>> check_memory(args, 3, 90, 3)  # 64 TB  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        glassnet.cli.errors.CommandError: --hidden 1000000,1000000 gives 1,000,008,000,003 ...
    """
    sizes = [n_inputs, *args.hidden, n_outputs]
    parameters = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    itemsize = np.dtype(args.dtype).itemsize
    # Weights and gradients, the copies a run falls back on, Adam's two moments, the best
    # weights of early stopping, the file's bytes; the values of each layer for a batch
    # (forward and backward) and for a chunk of rows being evaluated.
    rows = max(min(args.batch_size, n_rows), CHUNK_ROWS)
    needed = itemsize * (8 * parameters + 4 * rows * sum(sizes))
    free = available_memory()
    if free is not None and needed > free:
        raise CommandError(
            f"--hidden {','.join(map(str, args.hidden)) or 0} gives {parameters:,} parameters "
            f"on {sizes[0]} inputs: training them takes about {_size(needed)} of memory, and "
            f"{_size(free)} is free; use fewer neurons"
            + (" or --dtype float32 (half the memory)" if args.dtype == "float64" else "")
        )


def _size(count: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1000:
            return f"{count:.3g} {unit}"
        count /= 1000
    return f"{count:,.0f} TB"
