"""The benchmark code runs end to end at tiny sizes (``--smoke``), so it cannot rot.

No timing is asserted: only that every workload ran for every installed library, that the
figures are well formed, and that the target checks compute what they say.
"""

import doctest
import importlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_SKLEARN = importlib.util.find_spec("sklearn") is not None


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    output = tmp_path_factory.mktemp("bench")
    completed = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--smoke", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return _only_run(output), (output / "RESULTS.md").read_text(), completed.stdout, output


def _only_run(folder):
    """The one run a fresh output folder's results.json holds (one machine's)."""
    stored = json.loads((folder / "results.json").read_text())
    assert stored["format"] == 2 and len(stored["machines"]) == 1
    return next(iter(stored["machines"].values()))


def _machine_section(markdown):
    return markdown.split("<!-- machine: ")[1].split("<!-- /machine -->")[0]


@pytest.fixture
def report(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import report

    return report


def test_every_installed_library_ran_every_workload(smoke):
    results, _, _, _ = smoke
    expected = {"glassnet"} | ({"scikit-learn"} if HAS_SKLEARN else set())
    expected |= {"pytorch"} if HAS_TORCH else set()
    assert set(results["libraries"]) == expected
    kinds = {case["kind"] for case in results["cases"]}
    assert {"gemm", "mlp", "bare_mlp", "xor", "bare_xor", "perceptron"} <= kinds
    for index, case in enumerate(results["cases"]):
        libraries = {m["library"] for m in results["measurements"] if m["case"] == index}
        reference = case["kind"] in ("gemm", "bare_mlp", "bare_xor")
        assert libraries == ({"glassnet"} if reference else expected), case


def test_measurements_are_well_formed(smoke):
    results, _, _, _ = smoke
    for m in results["measurements"]:
        if "seconds" in m:
            assert m["seconds"] > 0, m
        if "data_bytes" in m:
            # X float32 (rows x 784) and y int64
            case = results["cases"][m["case"]]
            assert m["data_bytes"] == case["rows"] * (784 * 4 + 8)
    perceptrons = [
        m for m in results["measurements"] if results["cases"][m["case"]]["kind"] == "perceptron"
    ]
    assert perceptrons and all(m["solved"] for m in perceptrons)  # OR is separable


def test_the_results_file_is_strict_json(smoke):
    _, _, _, output = smoke

    def refuse(constant):
        raise AssertionError(f"{constant} in results.json")

    json.loads((output / "results.json").read_text(), parse_constant=refuse)


def test_results_file_states_machine_and_blas(smoke):
    results, markdown, stdout, _ = smoke
    assert results["machine"]["cpus"] >= 1
    threadpools = results["environment"]["glassnet"]["threadpools"]
    assert any(pool["user_api"] == "blas" for pool in threadpools)
    assert "RESULTS.md" in stdout


def test_markdown_has_every_section(smoke):
    _, markdown, _, _ = smoke
    section = _machine_section(markdown)
    for heading in ("### Machine", "### Targets", "### Workload 1", "### Workload 2",
                    "### Workload 4", "physical limit", "Where glassnet's time goes",
                    "cProfile of one epoch"):  # fmt: skip
        assert heading in section
    assert ("### Workload 3" in section) == HAS_SKLEARN
    # PyTorch has rows in the tables only when it ran (the prose names it either way).
    assert ("| PyTorch |" in section.split("### Targets")[1]) == HAS_TORCH
    # every batch size of workload 1 has its targets and its products' reference
    for batch in (64, 128):
        assert f"workload 1 sgd, batch {batch}: glassnet / " in section
        assert f"| {batch} |" in section.split("physical limit")[1].split("The products")[0]


def test_profiles_name_glassnets_own_functions(smoke):
    results, _, _, _ = smoke
    engine = {path.name for path in (ROOT / "src" / "glassnet" / "engine").glob("*.py")}
    for profile in [*results["profiles"], results["xor_profile"]]:
        assert any(f["function"].split(":")[0] in engine for f in profile["functions"])
    assert results["profiles"][0]["evaluate_seconds"] > 0


def test_render_writes_the_report_again_from_the_json(smoke, tmp_path):
    _, markdown, _, output = smoke
    completed = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--render", str(output / "results.json"),
         "--output", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "RESULTS.md").read_text() == markdown


def test_glassnet_alone_runs_without_the_other_libraries(tmp_path):
    completed = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--smoke", "--libraries", "glassnet",
         "--output", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    results = _only_run(tmp_path)
    assert results["libraries"] == ["glassnet"]
    assert {m["library"] for m in results["measurements"]} == {"glassnet"}
    targets = (tmp_path / "RESULTS.md").read_text().split("## Targets")[1].split("## ")[0]
    assert "PyTorch" not in targets and "scikit-learn" not in targets
    assert "XOR 2-4-1 microseconds per epoch" in targets


def test_an_unknown_library_is_refused():
    completed = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--smoke", "--libraries", "jax"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert completed.returncode == 2
    assert "unknown libraries ['jax']" in completed.stderr


def test_spread_is_median_min_max(report):
    assert report.spread([5.0, 1.0, 4.0, 2.0]) == {"median": 3.0, "min": 1.0, "max": 5.0}


def test_target_check_ratios_and_verdicts(report):
    def mlp(library, optimizer, speed, batch=128):
        return {"library": library, "optimizer": optimizer, "gflops": speed * 6e-6,
                "samples_per_second": {"median": speed}, "peak_mib": {"median": 240.0},
                "data_mib": 180.0, "batch": batch}  # fmt: skip

    summary = {
        "mlp": [mlp("glassnet", "sgd", 120.0), mlp("pytorch", "sgd", 100.0),
                mlp("scikit-learn", "sgd", 50.0), mlp("glassnet", "adam", 90.0, 64),
                mlp("pytorch", "adam", 100.0, 64)],
        "gemms": [{"batch": 128, "gflops": 1e-3}, {"batch": 64, "gflops": 1e-3}],
        "tiny": [{"workload": "xor", "library": "glassnet",
                  "microseconds_per_epoch": {"median": 50.0}},
                 {"workload": "xor", "library": "scikit-learn",
                  "microseconds_per_epoch": {"median": 400.0}}],
        "digits": {},
    }  # fmt: skip
    targets = {t["target"]: t for t in report.check_targets(summary)}
    torch_ratio = targets["workload 1 sgd, batch 128: glassnet / PyTorch samples/s"]
    assert torch_ratio["value"] == pytest.approx(1.2) and torch_ratio["met"]
    assert targets["workload 1 sgd, batch 128: glassnet / scikit-learn samples/s"]["value"] == 2.4
    share = targets["workload 1 sgd, batch 128: share of the measured GEMM throughput"]
    assert share["value"] == pytest.approx(0.72) and not share["met"]
    assert share["missed_by"] == pytest.approx(0.04)
    # Adam's goal is 65% of the GEMM throughput, and every batch size has its own targets
    adam_share = targets["workload 1 adam, batch 64: share of the measured GEMM throughput"]
    assert adam_share["goal"] == 0.65 and adam_share["value"] == pytest.approx(0.54)
    adam_torch = targets["workload 1 adam, batch 64: glassnet / PyTorch samples/s"]
    assert adam_torch["value"] == pytest.approx(0.9) and not adam_torch["met"]
    memory = targets["workload 1 sgd, batch 128: peak memory over the baseline (MiB)"]
    assert memory["goal"] == pytest.approx(1.1 * 180 + 50) and memory["met"]
    xor = targets["workload 2: XOR 2-4-1 microseconds per epoch"]
    assert xor["goal"] == 20.0 and not xor["met"] and xor["missed_by"] == pytest.approx(1.5)
    assert targets["workload 2: XOR speed-up over scikit-learn's fit loop"]["value"] == 8.0


@pytest.mark.parametrize("name", ["cases", "report", "run"])
def test_docstring_examples_of_the_benchmark_code(monkeypatch, name):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


def test_unknown_mode_is_refused(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import run

    with pytest.raises(ValueError, match="mode must be one of"):
        run.plan("huge")
    assert run.plan("full")["mlp"]["rows"] == 60000


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_the_bare_numpy_loop_is_a_real_training_loop(monkeypatch, optimizer):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import cases

    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 3000)
    centres = rng.standard_normal((10, 784)) * 0.3
    X = (centres[y] + rng.standard_normal((3000, 784))).astype(np.float32)
    learning_rate = {"sgd": 0.05, "adam": 0.001}[optimizer]
    predict = cases._bare_mlp_fit(X[:2000], y[:2000], 3, 64, optimizer, learning_rate, 0)
    assert np.mean(predict(X[2000:]) == y[2000:]) > 0.9
    xor = cases._bare_xor({"epochs": 3000, "seed": 1, "learning_rate": 0.5})
    assert xor["solved"] and xor["epochs"] == 3000


def test_the_missed_targets_are_explained_against_the_bare_loop(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import sections

    def row(library, speed):
        return {"library": library, "optimizer": "sgd", "gflops": speed * 1.4e-6,
                "samples_per_second": {"median": speed}, "batch": 128}  # fmt: skip

    def xor(library, us):
        return {"workload": "xor", "library": library, "microseconds_per_epoch": {"median": us}}

    summary = {
        "mlp": [row("glassnet", 160e3), row("scikit-learn", 110e3), row("numpy", 200e3)],
        "gemms": [{"gflops": 324.0, "batch": 128, "bound_samples_per_second": 336e3,
                   "step_seconds_glassnet": 380e-6}],
        "tiny": [xor("glassnet", 30.0), xor("scikit-learn", 45.0), xor("numpy", 17.0)],
        "phases": {"sgd": {"batch": 128, "passes_us": 500.0, "update_us": 40.0,
                           "rest_us": 30.0, "evaluation_s": 0.09, "evaluation_share": 0.14}},
    }  # fmt: skip
    targets = [{"target": "workload 1 sgd, batch 128: x", "met": False},
               {"target": "workload 2: y", "met": False}]  # fmt: skip
    text = "\n".join(sections.analysis(summary, targets))
    assert "reaches 200,000 samples/s" in text and "glassnet runs at 80% of it" in text
    assert "the forward and backward passes take 500 us per step, 120 us more" in text
    assert "the update 40 us" in text and "is 14% of the fit (90 ms" in text
    assert "The bare loop is 1.82x scikit-learn" in text
    assert "5 times faster would be 9.0 us, below the bare loop's 17.0 us" in text
    assert "reaches here is 2.6x scikit-learn's loop" in text


def test_render_refuses_a_foreign_json_and_writes_nothing(tmp_path):
    foreign = tmp_path / "other.json"
    foreign.write_text('{"cases": [{"kind": "mlp"}]}')
    output = tmp_path / "new" / "folder"
    completed = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--render", str(foreign),
         "--output", str(output)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 2
    assert "is not a results.json written by run.py (it has no settings, started" in (
        completed.stderr
    )
    assert "Traceback" not in completed.stderr
    assert list(output.iterdir()) == []  # the folder is made, nothing half-written in it


def test_an_output_folder_that_cannot_exist_is_refused(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    completed = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--smoke", "--output", str(blocker / "x")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 2
    assert "cannot make the output folder" in completed.stderr


def _run_of(cpu, started, speed=100.0):
    """A results.json run of one machine, as small as the report reads."""
    case = {"kind": "xor"}
    measurement = {"case": 0, "library": "glassnet", "round": 1, "counted": True,
                   "seconds": speed * 1e-4, "epochs": 1000, "solved": True,
                   "background_cpus": 0.0}  # fmt: skip
    settings = {"mode": "full", "repeats": 1, "warmups": 0, "digits": {},
                "mlp": {"rows": 10, "epochs": 1, "batch": 128, "learning_rates": {}}}  # fmt: skip
    return {"settings": settings, "started": started, "seconds": 1.0, "libraries": ["glassnet"],
            "machine": {"cpu": cpu, "cpus": 2, "memory_gib": 1.0, "system": "Linux",
                        "python": "3.11", "blas_environment": {}},
            "environment": {"glassnet": {"numpy": "2", "glassnet": "0.1", "threadpools": []}},
            "cases": [case], "measurements": [measurement], "profiles": [], "phases": [],
            "xor_profile": None}  # fmt: skip


def test_a_run_replaces_its_own_machines_section_and_keeps_the_others(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import report

    report.write_report(_run_of("Old CPU", "2026-01-01 10:00:00 UTC", speed=300.0), tmp_path)
    report.write_report(_run_of("New CPU", "2026-02-01 10:00:00 UTC", speed=100.0), tmp_path)
    report.write_report(_run_of("Old CPU", "2026-03-01 10:00:00 UTC", speed=200.0), tmp_path)
    stored = json.loads((tmp_path / "results.json").read_text())
    assert sorted(stored["machines"]) == ["New CPU, 2 logical CPUs", "Old CPU, 2 logical CPUs"]
    assert stored["machines"]["Old CPU, 2 logical CPUs"]["started"].startswith("2026-03-01")
    markdown = (tmp_path / "RESULTS.md").read_text()
    sections = [part.split(" -->")[0] for part in markdown.split("<!-- machine: ")[1:]]
    assert sections == ["Old CPU, 2 logical CPUs", "New CPU, 2 logical CPUs"]  # newest first
    assert markdown.count("## Old CPU, 2 logical CPUs: measured 2026-03-01") == 1
    assert "2026-01-01" not in markdown  # the earlier run of that machine is gone
    assert "| 20.0 (20.0 to 20.0) |" in markdown and "| 10.0 (10.0 to 10.0) |" in markdown
    # the machines only reported come last, labelled as not measured here
    reported = markdown.split("<!-- /machine -->")[-1]
    assert "reported in issue 20, not measured here" in reported
    assert "Quoted from issue 20" in reported and "0.89x PyTorch with SGD" in reported
    glance = markdown.split("## Every machine at a glance")[1].split("<!-- machine")[0]
    assert "| Intel Xeon (AVX-512) | reported, issue 20 | sgd | 128 | 108,975 | 0.89x" in glance


def _with_kernel(run, kernel, forced=None):
    pool = {"user_api": "blas", "internal_api": "openblas", "architecture": kernel,
            "num_threads": 2, "version": "0.3"}  # fmt: skip
    run["environment"]["glassnet"]["threadpools"] = [pool]
    if forced:
        run["machine"]["blas_environment"] = {"OPENBLAS_CORETYPE": forced}
    return run


def test_one_cpu_under_two_blas_kernels_keeps_two_sections(monkeypatch, tmp_path):
    # OPENBLAS_CORETYPE in the environment changes the products' speed: a run so set
    # must not replace the figures of the CPU's own kernel, nor be taken for them.
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import report

    own = _with_kernel(_run_of("Some CPU", "2026-01-01 10:00:00 UTC"), "SkylakeX")
    forced = _with_kernel(_run_of("Some CPU", "2026-02-01 10:00:00 UTC"), "Haswell", "Haswell")
    report.write_report(own, tmp_path)
    report.write_report(forced, tmp_path)
    stored = json.loads((tmp_path / "results.json").read_text())
    assert sorted(stored["machines"]) == [
        "Some CPU, 2 logical CPUs, OpenBLAS Haswell kernel (OPENBLAS_CORETYPE=Haswell)",
        "Some CPU, 2 logical CPUs, OpenBLAS SkylakeX kernel",
    ]
    markdown = (tmp_path / "RESULTS.md").read_text()
    assert "## Some CPU, 2 logical CPUs, OpenBLAS SkylakeX kernel: measured 2026-01-01" in markdown
    assert "OpenBLAS Haswell kernel (OPENBLAS_CORETYPE=Haswell): measured 2026-02-01" in markdown


def test_a_results_file_of_one_run_becomes_its_machines_run(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import machines

    single = _run_of("Some CPU", "2026-01-01 10:00:00 UTC")
    (tmp_path / "results.json").write_text(json.dumps({**single, "summary": {}, "targets": []}))
    store = machines.load(tmp_path / "results.json")
    assert list(store["machines"]) == ["Some CPU, 2 logical CPUs"]
    assert "summary" not in store["machines"]["Some CPU, 2 logical CPUs"]
    completed = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--render", str(tmp_path / "results.json"),
         "--output", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert (
        "## Some CPU, 2 logical CPUs: measured 2026-01-01"
        in (tmp_path / "out" / "RESULTS.md").read_text()
    )


def test_the_phases_are_medians_per_step(report):
    runs = [
        {
            "optimizer": "sgd",
            "batch": 128,
            "steps": 100,
            "seconds": s,
            "passes": p,
            "update": 0.01,
            "evaluation": 0.1,
        }
        for s, p in ((1.0, 0.5), (1.2, 0.6), (0.9, 0.4))
    ]
    phases = report._phases(runs)["sgd"]  # fmt: skip
    assert phases["step_us"] == pytest.approx(10_000.0) and phases["passes_us"] == 5_000.0
    assert phases["rest_us"] == pytest.approx(3_900.0)  # 1.0 - 0.5 - 0.01 - 0.1, per step
    assert phases["evaluation_share"] == pytest.approx(0.1)
