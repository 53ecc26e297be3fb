"""Benchmarks: glassnet side by side with scikit-learn and PyTorch, in one interleaved run.

    python benchmarks/run.py            # the full run (about 10 minutes on 2 cores)
    python benchmarks/run.py --quick    # smaller sizes, under 2 minutes
    python benchmarks/run.py --smoke    # tiny sizes, one repetition: checks that it runs

One worker process per library stays up for the whole run, so imports are paid once and
each library's memory is its own. Every case runs for every library in turn (A B C A B
C ...): first a warm-up round that is not counted, then ``--repeats`` counted rounds.
Before each measurement the run waits (up to ``--patience`` seconds) for other programs
to leave the CPUs idle; a measurement during which they used more than a quarter of a
CPU is taken again (3 attempts at most, the cleanest kept, the same rule for every
library). Results go to ``results.json`` and ``RESULTS.md`` in ``--output`` (default:
this folder).

Example:
    >>> plan("smoke")["mlp"]["rows"]
    512
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
LIBRARIES = ("glassnet", "scikit-learn", "pytorch")
MODULES = {"glassnet": "glassnet", "scikit-learn": "sklearn", "pytorch": "torch"}
# Cases that measure a limit rather than a library, run in the glassnet worker (same NumPy,
# same BLAS): the step's matrix products alone, and the bare NumPy training loops.
REFERENCES = ("gemm", "bare_mlp", "bare_xor")
# What run() returns, and so what --render needs in a results.json.
RESULT_KEYS = ("settings", "started", "seconds", "machine", "environment", "libraries",
               "cases", "measurements", "profiles", "xor_profile")  # fmt: skip


def plan(mode: str) -> dict:
    """The sizes of every workload in a mode: ``"full"``, ``"quick"`` or ``"smoke"``.

    Example:
        >>> plan("full")["xor"]["epochs"]
        10000
    """
    if mode not in SIZES:
        raise ValueError(f"mode must be one of {sorted(SIZES)}, got {mode!r}")
    sizes = SIZES[mode]
    return {
        "mode": mode,
        "repeats": sizes["repeats"],
        "warmups": sizes["warmups"],
        "mlp": {
            "rows": sizes["mlp_rows"],
            "epochs": sizes["mlp_epochs"],
            "batch": 128,  # the profiles' and the phases' batch
            "batches": sizes["mlp_batches"],  # each measured with both optimizers
            "learning_rates": {"sgd": 0.05, "adam": 0.001},
        },
        "test_rows": sizes["test_rows"],
        "xor": {"epochs": sizes["tiny_epochs"], "learning_rate": 0.5},
        "perceptron": {"epochs": sizes["tiny_epochs"]},
        "digits": {
            "seeds": sizes["digits_seeds"],
            "epochs": sizes["digits_epochs"],
            "batch": 32,
            "learning_rate": 0.001,
        },
        "scaling_batches": sizes["scaling_batches"],
        "scaling_batch_rows": sizes["mlp_rows"],
        "scaling_rows": sizes["scaling_rows"],
        "gemm_repeats": sizes["gemm_repeats"],
    }


SIZES = {
    "full": {
        "repeats": 5,  # this machine's speed drifts by a third over seconds: more rounds
        "warmups": 1,
        "mlp_rows": 60000,
        "mlp_epochs": 2,
        "mlp_batches": [64, 128, 256],
        "test_rows": 10000,
        "tiny_epochs": 10000,
        "digits_seeds": [0, 1, 2, 3, 4],
        "digits_epochs": 50,
        "scaling_batches": [32, 64, 128, 256, 512, 1024],
        "scaling_rows": [10000, 30000, 100000, 200000],
        "gemm_repeats": 200,
    },
    "quick": {
        "repeats": 3,
        "warmups": 1,
        "mlp_rows": 10000,
        "mlp_epochs": 1,
        "mlp_batches": [64, 128, 256],
        "test_rows": 5000,
        "tiny_epochs": 1000,
        "digits_seeds": [0],
        "digits_epochs": 10,
        "scaling_batches": [32, 1024],
        "scaling_rows": [5000, 20000],
        "gemm_repeats": 100,
    },
    "smoke": {
        "repeats": 1,
        "warmups": 0,
        "mlp_rows": 512,
        "mlp_epochs": 1,
        "mlp_batches": [64, 128],
        "test_rows": 256,
        "tiny_epochs": 30,
        "digits_seeds": [0],
        "digits_epochs": 2,
        "scaling_batches": [64, 128],
        "scaling_rows": [256, 512],
        "gemm_repeats": 5,
    },
}


# ---------------------------------------------------------------- data
def _make_mlp_data(folder: Path, rows: int, test_rows: int, seed: int = 0) -> dict:
    """A seeded, learnable 10-class data set of 784 float32 features, written as .npy files.

    Each class is a mixture of 4 clusters: X = center[class, cluster] + N(0, 1) noise,
    centers ~ N(0, 0.25^2), so the classes overlap a little and a network must learn
    several regions per class. Rows are made in chunks, never all in float64.
    """
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((10, 4, 784), dtype=np.float32) * np.float32(0.25)
    paths = {}
    for name, n in (("train", rows), ("test", test_rows)):
        x_path, y_path = folder / f"mlp_{name}_x.npy", folder / f"mlp_{name}_y.npy"
        X = np.lib.format.open_memmap(x_path, mode="w+", dtype=np.float32, shape=(n, 784))
        y = rng.integers(0, 10, n)
        for start in range(0, n, 8192):
            stop = min(start + 8192, n)
            clusters = rng.integers(0, 4, stop - start)
            X[start:stop] = rng.standard_normal((stop - start, 784), dtype=np.float32)
            X[start:stop] += centers[y[start:stop], clusters]
        X.flush()
        del X
        np.save(y_path, y)
        paths[f"{name}_x"], paths[f"{name}_y"] = str(x_path), str(y_path)
    return paths


def _make_digits_data(folder: Path) -> str | None:
    """scikit-learn's digits scaled to [0, 1], split 75/25 with a fixed permutation."""
    if importlib.util.find_spec("sklearn") is None:
        return None
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))
    X, y = X[order] / 16.0, y[order]
    cut = int(0.75 * len(y))
    path = folder / "digits.npz"
    np.savez(path, X_train=X[:cut], y_train=y[:cut], X_test=X[cut:], y_test=y[cut:])
    return str(path)


# ---------------------------------------------------------------- workers
class _Worker:
    """A process with one library imported, running cases sent as JSON lines."""

    def __init__(self, library: str) -> None:
        self.library = library
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", library],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def cpu_ticks(self) -> int:
        """CPU time of the worker, all its threads, in clock ticks (as /proc/stat counts)."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime

    def run(self, case: dict) -> dict:
        self.process.stdin.write(json.dumps(case) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.library} worker stopped during {case['kind']}")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"{self.library} {case['kind']}: {answer['error']}")
        return answer

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def _serve(library: str) -> None:
    """The worker loop: read a case, run it, answer with one JSON line."""
    sys.path.insert(0, str(HERE))
    from cases import CASES

    protocol = sys.stdout
    sys.stdout = sys.stderr  # anything a library prints stays out of the answers
    for line in sys.stdin:
        case = json.loads(line)
        try:
            answer = json.dumps(CASES[library][case["kind"]](case))
        except Exception as error:  # the parent reports it with the case's name
            answer = json.dumps({"error": f"{type(error).__name__}: {error}"})
        protocol.write(answer + "\n")
        protocol.flush()


# ---------------------------------------------------------------- the quiet machine
def _cpu_times() -> tuple[float, float]:
    with open("/proc/stat") as stat:
        fields = [float(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _background_load(seconds: float = 0.25) -> float:
    """How many CPUs other programs kept busy over a short window (our workers are idle)."""
    busy_before, total_before = _cpu_times()
    time.sleep(seconds)
    busy_after, total_after = _cpu_times()
    cpus = os.cpu_count() or 1
    return cpus * (busy_after - busy_before) / max(total_after - total_before, 1e-9)


def _measure(worker: _Worker, case: dict, patience: float, attempts: int = 3) -> dict:
    """Run a case, again (up to ``attempts`` times) if other programs used the CPUs meanwhile.

    ``background_cpus`` is how many CPUs other programs kept busy during the run: all
    CPU time on the machine minus the worker's own. The attempt with the least is kept,
    by the same rule for every library.
    """
    best = None
    for _ in range(attempts if patience else 1):
        _wait_for_quiet(patience)
        busy_before, total_before = _cpu_times()
        own_before = worker.cpu_ticks()
        answer = worker.run(case)
        busy_after, total_after = _cpu_times()
        own = worker.cpu_ticks() - own_before
        cpus = os.cpu_count() or 1
        others = cpus * (busy_after - busy_before - own) / max(total_after - total_before, 1)
        answer["background_cpus"] = round(max(others, 0.0), 3)
        if best is None or answer["background_cpus"] < best["background_cpus"]:
            best = answer
        if best["background_cpus"] <= QUIET:
            break
    return best


QUIET = 0.25  # CPUs that other programs may use while a measurement counts as clean


def _wait_for_quiet(patience: float, threshold: float = QUIET) -> float:
    """Wait up to ``patience`` seconds for the background load to fall below ``threshold``.

    The load counts the workers too: a library's threads spin for a while after its
    case ends (OpenMP, OpenBLAS), and the next case should not run beside them. Short
    windows end the wait soon after they stop.
    """
    deadline = time.monotonic() + patience
    load = _background_load(0.1 if patience else 0.05)
    while load > threshold and time.monotonic() < deadline:
        load = _background_load(0.2)
    return load


# ---------------------------------------------------------------- the run
def _cases_of(settings: dict, paths: dict, digits_path: str | None) -> list[dict]:
    """Every measured case of one round, in order."""
    mlp = settings["mlp"]
    data = {"x_path": paths["train_x"], "y_path": paths["train_y"], "seed": 0}
    test = {"test_x_path": paths["test_x"], "test_y_path": paths["test_y"]}
    batches = mlp.get("batches", [mlp["batch"]])
    cases = [
        {"kind": "gemm", "batch": batch, "repeats": settings["gemm_repeats"]} for batch in batches
    ]
    for batch in batches:
        for optimizer, learning_rate in mlp["learning_rates"].items():
            cases.append(
                {
                    "kind": "mlp",
                    "workload": "mlp",
                    **data,
                    **test,
                    "rows": mlp["rows"],
                    "epochs": mlp["epochs"],
                    "batch": batch,
                    "optimizer": optimizer,
                    "learning_rate": learning_rate,
                }
            )
    cases += [{**case, "kind": "bare_mlp"} for case in cases if case["kind"] == "mlp"]
    cases.append({"kind": "perceptron", "seed": 0, **settings["perceptron"]})
    cases.append({"kind": "xor", "seed": 1, **settings["xor"]})
    cases.append({"kind": "bare_xor", "seed": 1, **settings["xor"]})
    if digits_path:
        cases.append({"kind": "digits", "digits_path": digits_path, **settings["digits"]})
    for batch in settings["scaling_batches"]:
        cases.append(
            {
                "kind": "mlp",
                "workload": "scaling_batch",
                **data,
                "rows": settings["scaling_batch_rows"],
                "epochs": 1,
                "batch": batch,
                "optimizer": "sgd",
                "learning_rate": 0.05,
            }
        )
    for rows in settings["scaling_rows"]:
        cases.append(
            {
                "kind": "mlp",
                "workload": "scaling_rows",
                **data,
                "rows": rows,
                "epochs": 1,
                "batch": mlp["batch"],
                "optimizer": "sgd",
                "learning_rate": 0.05,
            }
        )
    return cases


def _available_libraries() -> list[str]:
    return [name for name in LIBRARIES if importlib.util.find_spec(MODULES[name]) is not None]


def _describe_machine() -> dict:
    cpu = platform.processor()
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        cpu = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
            cpu,
        )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "blas_environment": {
            key: os.environ[key]
            for key in sorted(os.environ)
            if key.startswith(("OPENBLAS", "OMP_", "MKL_"))
        },
    }


def run(settings: dict, patience: float, wanted: tuple[str, ...] = LIBRARIES, log=print) -> dict:
    """Make the data, start the workers, run every round and return all measurements.

    Example:
        >>> results = run(plan("smoke"), patience=0.0)  # doctest: +SKIP
        >>> sorted(results["libraries"])  # doctest: +SKIP
        ['glassnet', 'pytorch', 'scikit-learn']
    """
    libraries = [name for name in _available_libraries() if name in wanted]
    for name in wanted:
        if name not in libraries:
            log(f"{name} is not installed: its columns are left out")
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="glassnet-bench-") as folder:
        rows = max(
            [settings["mlp"]["rows"], settings["scaling_batch_rows"], *settings["scaling_rows"]]
        )
        log(f"making the data sets ({rows} + {settings['test_rows']} rows x 784) ...")
        paths = _make_mlp_data(Path(folder), rows, settings["test_rows"])
        digits_path = _make_digits_data(Path(folder))  # None without scikit-learn
        workers = {name: _Worker(name) for name in libraries}
        try:
            environment = {
                name: w.run({"kind": "environment", "library": name}) for name, w in workers.items()
            }
            cases = _cases_of(settings, paths, digits_path)
            measurements = []
            rounds = settings["warmups"] + settings["repeats"]
            for round_index in range(rounds):
                counted = round_index >= settings["warmups"]
                log(f"round {round_index + 1} of {rounds}" + ("" if counted else " (warm-up)"))
                for case_index, case in enumerate(cases):
                    for name in ["glassnet"] if case["kind"] in REFERENCES else libraries:
                        result = _measure(workers[name], case, patience)
                        measurements.append(
                            {
                                "case": case_index,
                                "library": name,
                                "round": round_index,
                                "counted": counted,
                                **result,
                            }
                        )
            profiles, phases = [], []
            for optimizer in settings["mlp"]["learning_rates"]:
                mlp_case = next(
                    case
                    for case in cases
                    if case.get("workload") == "mlp"
                    and case["optimizer"] == optimizer
                    and case["batch"] == settings["mlp"]["batch"]
                )
                profile_case = {**mlp_case, "kind": "profile"}
                profiles.append({"optimizer": optimizer, **workers["glassnet"].run(profile_case)})
                for _ in range(settings["repeats"]):  # timed without a profiler: a median
                    phases_case = {**mlp_case, "kind": "phases"}
                    phases.append(
                        {"optimizer": optimizer, **_measure(workers["glassnet"], phases_case,
                                                           patience)}
                    )  # fmt: skip
            xor_case = {"kind": "xor_profile", "seed": 1, **settings["xor"]}
            xor_profile = workers["glassnet"].run(xor_case)
        finally:
            for worker in workers.values():
                worker.close()
    public_cases = [{k: v for k, v in case.items() if not k.endswith("_path")} for case in cases]
    return {
        "settings": settings,
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)),
        "seconds": round(time.time() - started, 1),
        "machine": _describe_machine(),
        "environment": environment,
        "libraries": libraries,
        "cases": public_cases,
        "measurements": measurements,
        "profiles": profiles,
        "phases": phases,
        "xor_profile": xor_profile,
    }


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status.

    Example:
        >>> main(["--smoke", "--output", "/tmp/glassnet-bench"])  # doctest: +SKIP
        0
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="smaller sizes, under 2 minutes")
    size.add_argument("--smoke", action="store_true", help="tiny sizes, one repetition")
    parser.add_argument("--output", type=Path, default=HERE, help="folder for the results")
    parser.add_argument(
        "--repeats", type=int, help="counted repetitions (default: 5 in the full run, 3 quick)"
    )
    parser.add_argument("--note", help="a sentence for RESULTS.md, e.g. how the run was made")
    parser.add_argument(
        "--libraries",
        default=",".join(LIBRARIES),
        help="comma-separated; glassnet is always included (default: all three)",
    )
    parser.add_argument(
        "--patience",
        type=float,
        default=None,
        help="seconds to wait for idle CPUs before each measurement",
    )
    parser.add_argument("--render", type=Path, metavar="RESULTS_JSON",
                        help="only write RESULTS.md again from a results.json")  # fmt: skip
    parser.add_argument("--worker", choices=LIBRARIES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _serve(args.worker)
        return 0
    sys.path.insert(0, str(HERE))
    from report import write_report, write_store

    try:
        args.output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        parser.error(f"cannot make the output folder {args.output}: {error}")
    if args.render:
        import machines

        try:
            stored = json.loads(args.render.read_text())
        except (OSError, ValueError) as error:
            parser.error(f"cannot read {args.render}: {error}")
        if not isinstance(stored, dict):
            stored = {}
        runs = stored.get("machines", {"": stored})
        for key, run_results in runs.items():
            missing = [
                k for k in RESULT_KEYS if not isinstance(run_results, dict) or k not in run_results
            ]
            if missing:
                what = f"its run of {key}" if key else "it"
                parser.error(
                    f"{args.render} is not a results.json written by run.py ({what} has no "
                    f"{', '.join(missing)})"
                )
        store = machines.load(args.render)
        if args.note and store["machines"]:
            newest = max(store["machines"].values(), key=lambda run: run["started"])
            newest["note"] = args.note
        json_path, markdown_path = write_store(store, args.output)
        print(f"wrote {json_path} and {markdown_path}")
        return 0
    mode = "quick" if args.quick else "smoke" if args.smoke else "full"
    settings = plan(mode)
    if args.repeats is not None:
        if args.repeats < 1:
            parser.error(f"--repeats must be at least 1, got {args.repeats}")
        settings["repeats"] = args.repeats
    patience = args.patience if args.patience is not None else (0.0 if args.smoke else 20.0)
    wanted = tuple(name.strip() for name in args.libraries.split(",") if name.strip())
    unknown = sorted(set(wanted) - set(LIBRARIES))
    if unknown:
        parser.error(f"unknown libraries {unknown}; choose from {', '.join(LIBRARIES)}")
    results = run(settings, patience, ("glassnet", *wanted))
    if args.note:
        results["note"] = args.note
    json_path, markdown_path = write_report(results, args.output)
    print(f"wrote {json_path} and {markdown_path} ({results['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
