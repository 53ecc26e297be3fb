"""Element-wise work on every core: one pass over large arrays split into contiguous slices.

NumPy runs each element-wise formula (``m *= beta1``, ``np.sqrt(v, out=d)``, ...) on one
core, but it lets go of Python's lock inside the loop over a large array, so two threads
can run the same formula on two halves of the arrays at once. ``split`` does that with a
small pool of threads kept for the whole process: the calling thread takes the first
slice, each worker one more, and ``split`` returns when every slice is done. Every entry
goes through exactly the same operations as without the split, so the results are
bit-identical; only the time changes.

A hand-off to a sleeping thread costs about 10 microseconds (measured on a 2-core
virtual machine, the project's), more than a formula on a small array takes: ``split``
works in one thread below ``MIN_WORK`` element-passes (the arrays' length times the
passes the function makes over them). The optimizers' updates of the whole network's
flat array are what clear that bar (Adam: 11 passes over every parameter).

How many threads: ``GLASSNET_THREADS`` in the environment, read once, or
``set_threads(n)``; by default one per core the process may run on, at most
``MAX_THREADS``. ``set_threads(1)`` (or ``GLASSNET_THREADS=1``) turns the splitting off.
glassnet changes no other thread setting: the BLAS that NumPy uses for matrix products
keeps its own threads (``threadpoolctl`` shows and sets them), and the pool's threads
only run between the products, while the BLAS threads wait.

Example:
    >>> import numpy as np
    >>> x = np.arange(6.0)
    >>> split(np.multiply, (x, x, x), passes=1)  # x *= x, slice by slice
    >>> x.tolist()
    [0.0, 1.0, 4.0, 9.0, 16.0, 25.0]
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

from numpy.typing import NDArray

__all__ = ["MAX_THREADS", "MIN_WORK", "set_threads", "split", "threads"]

MAX_THREADS = 4
# Below this many element-passes a split costs more than it saves (hand-offs of ~10 us
# against passes of ~0.1 ns per float32 entry and core).
MIN_WORK = 1_000_000


def _default_threads() -> int:
    setting = os.environ.get("GLASSNET_THREADS", "").strip()
    if setting:
        try:
            return max(1, int(setting))
        except ValueError:
            raise ValueError(
                f"GLASSNET_THREADS must be a whole number of threads, got {setting!r}"
            ) from None
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_THREADS))


class _Worker:
    """A thread that runs one slice's task when told to, then says it is done."""

    def __init__(self) -> None:
        self.task: Callable[[], None] | None = None
        self.error: BaseException | None = None
        self.go = threading.Lock()
        self.go.acquire()
        self.done = threading.Lock()
        self.done.acquire()
        self.thread = threading.Thread(target=self._serve, name="glassnet-split", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            self.go.acquire()
            task = self.task
            if task is None:  # told to stop
                return
            try:
                task()
            except BaseException as error:  # handed to the caller, raised there
                self.error = error
            self.task = None
            self.done.release()

    def stop(self) -> None:
        self.task = None
        self.go.release()


class _Pool:
    def __init__(self, size: int) -> None:
        self.size = size
        self.workers = [_Worker() for _ in range(size - 1)]
        self.busy = threading.Lock()  # one split at a time; another thread's runs alone

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


_state: dict[str, Any] = {"threads": None, "pool": None, "pid": None}


def threads() -> int:
    """How many threads ``split`` uses (1: the calling thread alone).

    Example:
        >>> threads() >= 1
        True
    """
    if _state["threads"] is None:
        _state["threads"] = _default_threads()
    return int(_state["threads"])


def set_threads(count: int | None) -> None:
    """Use ``count`` threads for element-wise passes (1 turns the splitting off); None goes
    back to the default (``GLASSNET_THREADS``, else one per core, at most ``MAX_THREADS``).

    Only glassnet's own pool changes: NumPy's BLAS threads are left as they are.

    Example:
        >>> set_threads(1); threads()
        1
        >>> set_threads(None); threads() >= 1
        True
    """
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise ValueError(f"threads must be a positive whole number or None, got {count!r}")
    pool = _state["pool"]
    if pool is not None:
        pool.close()
    _state["pool"], _state["threads"] = None, count


def _pool() -> _Pool | None:
    """The pool of ``threads()`` threads, started on first use (and again in a forked child,
    which inherits no threads)."""
    size = threads()
    if size < 2:
        return None
    pool = _state["pool"]
    if pool is None or _state["pid"] != os.getpid():
        pool = _state["pool"] = _Pool(size)
        _state["pid"] = os.getpid()
    return pool


def split(
    function: Callable[..., Any],
    arrays: Sequence[NDArray[Any]],
    *constants: Any,
    passes: int = 1,
) -> None:
    """Call ``function(*parts, *constants)`` on contiguous slices of ``arrays`` (the same
    rows of each: slices along the first axis, which are views, so writes land in the
    arrays), in parallel when the work is large, else once on the whole arrays.

    ``passes`` is how many passes over the arrays the function makes; the split happens
    when the rows times the entries per row times ``passes`` reach ``MIN_WORK``. The
    function must treat every entry alike (an element-wise formula): then the result is
    the same, bit for bit, however the rows are cut.

    Example:
        >>> import numpy as np
        >>> w, g = np.ones(3_000_000, np.float32), np.full(3_000_000, 2.0, np.float32)
        >>> def sgd(w, g, lr):
        ...     w -= lr * g
        >>> split(sgd, (w, g), np.float32(0.25), passes=2)
        >>> float(w.min()), float(w.max())
        (0.5, 0.5)
    """
    first = arrays[0]
    if first.size * passes < MIN_WORK or first.ndim == 0:
        function(*arrays, *constants)
        return
    rows = first.shape[0]
    pool = _pool()
    if pool is None or not pool.busy.acquire(blocking=False):
        function(*arrays, *constants)
        return
    try:
        parts = min(pool.size, rows)
        bounds = [rows * k // parts for k in range(parts + 1)]
        used = pool.workers[: parts - 1]
        for worker, start, stop in zip(used, bounds[1:-1], bounds[2:], strict=True):
            sliced = [array[start:stop] for array in arrays]
            worker.task = lambda sliced=sliced: function(*sliced, *constants)
            worker.go.release()
        try:
            function(*[array[: bounds[1]] for array in arrays], *constants)
        finally:
            for worker in used:
                worker.done.acquire()
        for worker in used:
            error, worker.error = worker.error, None
            if error is not None:
                raise error
    finally:
        pool.busy.release()
