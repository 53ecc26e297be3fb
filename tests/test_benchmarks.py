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
    results = json.loads((output / "results.json").read_text())
    return results, (output / "RESULTS.md").read_text(), completed.stdout, output


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
    for heading in ("## Machine", "## Targets", "## Workload 1", "## Workload 2",
                    "## Workload 4", "physical limit", "Where glassnet's time goes"):  # fmt: skip
        assert heading in markdown
    assert ("## Workload 3" in markdown) == HAS_SKLEARN
    # PyTorch has rows in the tables only when it ran (the prose names it either way).
    assert ("| PyTorch |" in markdown.split("## Targets")[1]) == HAS_TORCH


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
    results = json.loads((tmp_path / "results.json").read_text())
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
    def mlp(library, optimizer, speed):
        return {"library": library, "optimizer": optimizer, "gflops": speed * 6e-6,
                "samples_per_second": {"median": speed}, "peak_mib": {"median": 240.0},
                "data_mib": 180.0}  # fmt: skip

    summary = {
        "mlp": [mlp("glassnet", "sgd", 120.0), mlp("pytorch", "sgd", 100.0),
                mlp("scikit-learn", "sgd", 50.0)],
        "gemm": {"gflops": 1e-3},
        "tiny": [{"workload": "xor", "library": "glassnet",
                  "microseconds_per_epoch": {"median": 50.0}},
                 {"workload": "xor", "library": "scikit-learn",
                  "microseconds_per_epoch": {"median": 400.0}}],
        "digits": {},
    }  # fmt: skip
    targets = {t["target"]: t for t in report.check_targets(summary)}
    torch_ratio = targets["workload 1 sgd: glassnet / PyTorch samples/s"]
    assert torch_ratio["value"] == pytest.approx(1.2) and torch_ratio["met"]
    assert targets["workload 1 sgd: glassnet / scikit-learn samples/s"]["value"] == 2.4
    share = targets["workload 1 sgd: share of the measured GEMM throughput"]
    assert share["value"] == pytest.approx(0.72) and not share["met"]
    assert share["missed_by"] == pytest.approx(0.04)
    memory = targets["workload 1 sgd: peak memory over the baseline (MiB)"]
    assert memory["goal"] == pytest.approx(1.1 * 180 + 50) and memory["met"]
    xor = targets["workload 2: XOR 2-4-1 microseconds per epoch"]
    assert not xor["met"] and xor["missed_by"] == pytest.approx(0.25)
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


def test_the_missed_targets_are_explained_against_the_bare_loop(report):
    def row(library, speed):
        return {"library": library, "optimizer": "sgd", "gflops": speed * 1.4e-6,
                "samples_per_second": {"median": speed}}  # fmt: skip

    def xor(library, us):
        return {"workload": "xor", "library": library, "microseconds_per_epoch": {"median": us}}

    summary = {
        "mlp": [row("glassnet", 160e3), row("scikit-learn", 110e3), row("numpy", 200e3)],
        "gemm": {"gflops": 324.0, "batch": 128, "bound_samples_per_second": 336e3,
                 "step_seconds_glassnet": 380e-6},
        "tiny": [xor("glassnet", 30.0), xor("scikit-learn", 45.0), xor("numpy", 17.0)],
    }  # fmt: skip
    targets = [{"target": "workload 1 sgd: x", "met": False},
               {"target": "workload 2: y", "met": False}]  # fmt: skip
    text = "\n".join(report._analysis(summary, targets))
    assert "reaches 200,000 samples/s" in text and "glassnet runs at 80% of it" in text
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
    assert "is not a results.json written by run.py (no settings, started" in completed.stderr
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
