"""Element-wise passes split over threads give the results of one thread, bit for bit."""

import os
import subprocess
import sys

import numpy as np
import pytest

import glassnet as gn
from glassnet.engine import parallel


@pytest.fixture
def two_threads():
    parallel.set_threads(2)
    yield
    parallel.set_threads(None)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adam"])
def test_a_split_update_is_the_update_of_one_thread(two_threads, optimizer, dtype):
    # 235,146 entries: the workload-1 network's flat array, large enough to be split
    rng = np.random.default_rng(0)
    start = rng.standard_normal(235_146).astype(dtype)
    grads = [(rng.standard_normal(start.size) * 10.0 ** rng.integers(-6, 2)).astype(dtype)
             for _ in range(4)]  # fmt: skip
    results = []
    for threads in (1, 2):
        parallel.set_threads(threads)
        param, stepper = start.copy(), gn.get_optimizer(optimizer, 0.01)
        for grad in grads:
            stepper.step([param], [grad])
        results.append(param)
    assert not np.array_equal(results[0], start)
    assert np.array_equal(results[0], results[1])  # NaN-free, so equality is bit equality
    assert results[0].tobytes() == results[1].tobytes()


def test_split_cuts_rows_into_contiguous_slices_of_every_array(two_threads):
    seen = []

    def record(a, b, offset):
        seen.append((a.shape[0], b.base is not None))
        a += offset  # a view: the write lands in the array given
        b[:] = a

    a, b = np.zeros((1_000_001,)), np.empty(1_000_001)
    parallel.split(record, (a, b), 2.0, passes=1)
    assert sorted(rows for rows, _ in seen) == [500_000, 500_001]
    assert all(view for _, view in seen)
    assert (a == 2.0).all() and (b == 2.0).all()


def test_small_work_runs_in_the_calling_thread_once(two_threads):
    calls = []
    parallel.split(lambda a: calls.append(a.shape), (np.zeros(1000),), passes=11)
    assert calls == [(1000,)]


def test_an_error_in_a_slice_reaches_the_caller_and_the_pool_still_works(two_threads):
    def fail_on_the_second_half(a):
        if a[0] >= 500_000:
            raise ArithmeticError(f"slice from {a[0]}")
        a += 1

    a = np.arange(1_000_000, dtype=np.float64)
    with pytest.raises(ArithmeticError, match="slice from 500000"):
        parallel.split(fail_on_the_second_half, (a,), passes=1)
    parallel.split(np.negative, (a, a), passes=1)
    assert a[0] == -1.0 and a[-1] == -999_999.0


def test_one_thread_turns_the_split_off():
    parallel.set_threads(1)
    try:
        calls = []
        parallel.split(lambda a: calls.append(a.size), (np.zeros(5_000_000),), passes=1)
        assert calls == [5_000_000] and parallel.threads() == 1
    finally:
        parallel.set_threads(None)


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "2"])
def test_a_thread_count_that_is_no_positive_whole_number_is_refused(bad):
    with pytest.raises(ValueError, match="threads must be a positive whole number or None"):
        parallel.set_threads(bad)


def _threads_in_a_fresh_process(value: str) -> subprocess.CompletedProcess:
    code = "from glassnet.engine import parallel; print(parallel.threads())"
    env = {**os.environ, "GLASSNET_THREADS": value}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_the_environment_sets_the_threads_and_a_bad_value_is_named():
    assert _threads_in_a_fresh_process("1").stdout.strip() == "1"
    assert _threads_in_a_fresh_process("3").stdout.strip() == "3"
    failed = _threads_in_a_fresh_process("many")
    assert failed.returncode != 0
    assert "GLASSNET_THREADS must be a whole number of threads, got 'many'" in failed.stderr


FORK = """
import os, warnings
import numpy as np
from glassnet.engine import parallel
parallel.set_threads(2)
a = np.zeros(2_000_000)
parallel.split(np.add, (a, np.ones_like(a), a), passes=1)  # the parent's pool exists
with warnings.catch_warnings():  # 3.12 on warns of a fork in a process with threads
    warnings.simplefilter("ignore", DeprecationWarning)
    pid = os.fork()
if pid == 0:  # the child: its pool must be new, or the split would wait forever
    b = np.zeros(2_000_000)
    parallel.split(np.add, (b, np.ones_like(b), b), passes=1)
    os._exit(0 if (b == 1.0).all() else 1)
_, status = os.waitpid(pid, 0)
print("child", os.waitstatus_to_exitcode(status))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_starts_its_own_threads():
    done = subprocess.run([sys.executable, "-c", FORK], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "child 0", done.stderr
