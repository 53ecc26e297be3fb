"""Turn the measurements of ``run.py`` into figures, target checks and ``RESULTS.md``.

Every figure is the median of the counted repetitions, with their minimum and maximum.
``sections.py`` writes one machine's run as Markdown; ``machines.py`` keeps one section
per machine in ``RESULTS.md`` (and one run per machine in ``results.json``).

Example:
    >>> spread([3.0, 1.0, 2.0])
    {'median': 2.0, 'min': 1.0, 'max': 3.0}
"""

from __future__ import annotations

import importlib.util
import json
import math
import statistics
from pathlib import Path

import machines
from cases import MLP_SIZES, mlp_parameter_count
from sections import GEMM_GOALS, NAMES, find, gemm_at, machine_section

from glassnet.files import write_atomically

MIB = 2**20
# The goals: glassnet / PyTorch and / scikit-learn at every batch size measured,
# the share of the step's GEMM throughput per optimizer, and XOR's microseconds per epoch.
GOALS = {"pytorch": 1.2, "scikit-learn": 2.0, "gemm": GEMM_GOALS, "xor": 20.0}


def spread(values: list[float]) -> dict[str, float]:
    """Median, minimum and maximum of a list of numbers."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def _counted(results: dict, case_index: int, library: str) -> list[dict]:
    return [
        m
        for m in results["measurements"]
        if m["case"] == case_index and m["library"] == library and m["counted"]
    ]


def summarize(results: dict) -> dict:
    """Figures per case and library, and the GEMM reference, from the raw measurements.

    Example:
        >>> run = {"case": 0, "library": "glassnet", "counted": True, "seconds": 0.4,
        ...        "epochs": 10000, "solved": True}
        >>> results = {"libraries": ["glassnet"], "cases": [{"kind": "xor"}],
        ...            "measurements": [run]}
        >>> summarize(results)["tiny"][0]["microseconds_per_epoch"]["median"]
        40.0
    """
    parameters = mlp_parameter_count()
    summary = {"mlp": [], "scaling_batch": [], "scaling_rows": [], "tiny": [], "digits": {}}
    summary["gemms"] = []
    summary["phases"] = _phases(results.get("phases", []))
    summary["initial_evaluation_seconds"] = {  # runs before the phases: the profile's timing
        p["optimizer"]: p["evaluate_seconds"]
        for p in results.get("profiles", [])
        if "evaluate_seconds" in p
    }
    for index, case in enumerate(results["cases"]):
        for library in results["libraries"]:
            runs = _counted(results, index, library)
            if not runs:
                continue
            kind = case["kind"]
            if kind.startswith("bare_"):  # a reference loop, shown as a library of its own
                kind, library = kind.removeprefix("bare_"), "numpy"
            if kind == "gemm":
                summary["gemms"].append(_gemm(runs, case["batch"]))
            elif kind == "mlp":
                samples = [case["rows"] * case["epochs"] / r["seconds"] for r in runs]
                row = {
                    "library": library,
                    "optimizer": case["optimizer"],
                    "rows": case["rows"],
                    "batch": case["batch"],
                    "epochs": case["epochs"],
                    "samples_per_second": spread(samples),
                    "by_round": {str(r["round"]): s for r, s in zip(runs, samples, strict=True)},
                    "gflops": statistics.median(samples) * 6 * parameters / 1e9,
                    "peak_mib": spread([r["peak_over_baseline"] / MIB for r in runs]),
                    "data_mib": runs[0]["data_bytes"] / MIB,
                    "loss": None
                    if runs[0]["loss"] is None
                    else statistics.median(r["loss"] for r in runs),
                }
                if "test_accuracy" in runs[0]:
                    row["test_accuracy"] = statistics.median(r["test_accuracy"] for r in runs)
                summary[case["workload"]].append(row)
            elif kind in ("xor", "perceptron"):
                summary["tiny"].append(
                    {
                        "workload": kind,
                        "library": library,
                        "epochs": runs[0]["epochs"],
                        "microseconds_per_epoch": spread(
                            [r["seconds"] / r["epochs"] * 1e6 for r in runs]
                        ),
                        "solved": all(r["solved"] for r in runs),
                    }
                )
            elif kind == "digits":
                summary["digits"][library] = {
                    "seconds_per_fit": spread([r["seconds"] for r in runs]),
                    "accuracies": runs[0]["accuracies"],
                    "mean_accuracy": statistics.fmean(runs[0]["accuracies"]),
                }
    return summary


def _gemm(runs: list[dict], batch: int) -> dict:
    """The matrix products of one step timed alone: the physical limit of the step."""
    products = []
    for position, product in enumerate(runs[0]["products"]):
        seconds = statistics.median(r["products"][position]["seconds"] for r in runs)
        products.append({**product, "seconds": seconds, "gflops": product["flops"] / seconds / 1e9})
    all_seconds = sum(p["seconds"] for p in products)
    done_seconds = sum(p["seconds"] for p in products if not p["skipped_by_glassnet"])
    return {
        "batch": batch,
        "products": products,
        "gflops": sum(p["flops"] for p in products) / all_seconds / 1e9,
        "step_seconds_all": all_seconds,
        "step_seconds_glassnet": done_seconds,
        "bound_samples_per_second": batch / done_seconds,
    }


def _phases(runs: list[dict]) -> dict[str, dict]:
    """Per optimizer, the median over the repetitions of each part of a fit, per step."""
    phases = {}
    for optimizer in dict.fromkeys(run["optimizer"] for run in runs):
        mine = [run for run in runs if run["optimizer"] == optimizer]

        def median(key: str, mine: list[dict] = mine) -> float:
            return statistics.median(run[key] for run in mine)

        steps = mine[0]["steps"]
        rest = [run["seconds"] - run["passes"] - run["update"] - run["evaluation"] for run in mine]
        phases[optimizer] = {
            "batch": mine[0]["batch"],
            "step_us": median("seconds") / steps * 1e6,
            "passes_us": median("passes") / steps * 1e6,
            "update_us": median("update") / steps * 1e6,
            "rest_us": statistics.median(rest) / steps * 1e6,
            "evaluation_s": median("evaluation"),
            "evaluation_share": statistics.median(
                run["evaluation"] / run["seconds"] for run in mine
            ),
        }
    return phases


def check_targets(summary: dict) -> list[dict]:
    """Each target of the issue: the measured figure, the goal and whether it is met.

    Example:
        >>> xor = {"workload": "xor", "library": "glassnet",
        ...        "microseconds_per_epoch": {"median": 18.0}}
        >>> check_targets({"mlp": [], "tiny": [xor], "digits": {}})[0]["met"]
        True
    """
    targets = []

    def add(name: str, value: float, goal: float, higher_is_better: bool, unit: str = "") -> None:
        met = value >= goal if higher_is_better else value <= goal
        missed_by = 0.0 if met else abs(goal - value) / goal
        targets.append(
            {
                "target": name,
                "value": value,
                "goal": goal,
                "unit": unit,
                "higher_is_better": higher_is_better,
                "met": met,
                "missed_by": missed_by,
            }
        )

    for ours in summary["mlp"]:
        if ours["library"] != "glassnet":
            continue
        optimizer, batch = ours["optimizer"], ours["batch"]
        label = f"workload 1 {optimizer}, batch {batch}:"
        speed = ours["samples_per_second"]["median"]
        for library in ("pytorch", "scikit-learn"):
            theirs = find(summary["mlp"], library, optimizer, batch)
            if theirs:
                ratio = speed / theirs["samples_per_second"]["median"]
                name = f"{label} glassnet / {NAMES[library]} samples/s"
                add(name, ratio, GOALS[library], True, "x")
        gemm = gemm_at(summary, batch)
        if gemm:
            share = ours["gflops"] / gemm["gflops"]
            goal = GOALS["gemm"].get(optimizer, 0.65)
            add(f"{label} share of the measured GEMM throughput", share, goal, True, "%")
        allowed = 1.1 * ours["data_mib"] + 50
        name = f"{label} peak memory over the baseline (MiB)"
        add(name, ours["peak_mib"]["median"], allowed, False, "MiB")
    xor = {r["library"]: r for r in summary["tiny"] if r["workload"] == "xor"}
    if "glassnet" in xor:
        ours = xor["glassnet"]["microseconds_per_epoch"]["median"]
        add("workload 2: XOR 2-4-1 microseconds per epoch", ours, GOALS["xor"], False, "us")
        if "scikit-learn" in xor:
            theirs = xor["scikit-learn"]["microseconds_per_epoch"]["median"]
            add(
                "workload 2: XOR speed-up over scikit-learn's fit loop",
                theirs / ours,
                5.0,
                True,
                "x",
            )
    digits = summary["digits"]
    if "glassnet" in digits:
        add(
            "workload 3: digits mean test accuracy",
            digits["glassnet"]["mean_accuracy"],
            0.975,
            True,
        )
        if "scikit-learn" in digits:
            add(
                "workload 3: glassnet seconds / scikit-learn seconds",
                digits["glassnet"]["seconds_per_fit"]["median"]
                / digits["scikit-learn"]["seconds_per_fit"]["median"],
                1.0,
                False,
                "x",
            )
    return targets


def _draw(summary: dict, path: Path) -> None:
    """The scaling figure (matplotlib is needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 3, figsize=(14, 4))
    panels = (
        ("scaling_batch", "batch", "samples_per_second", "samples/s vs batch size"),
        ("scaling_rows", "rows", "samples_per_second", "samples/s vs rows (batch 128)"),
        ("scaling_rows", "rows", "peak_mib", "peak memory (MiB) vs rows"),
    )
    for axis, (key, x_name, y_name, title) in zip(axes, panels, strict=True):
        for library in NAMES:
            rows = [r for r in summary[key] if r["library"] == library]
            if rows:
                axis.plot(
                    [r[x_name] for r in rows],
                    [r[y_name]["median"] for r in rows],
                    marker="o",
                    label=NAMES[library],
                )
        axis.set_xscale("log")
        axis.set_ylim(bottom=0)
        axis.set_title(title)
        axis.set_xlabel(x_name)
        axis.grid(True, alpha=0.3)
    axes[0].legend()
    figure.tight_layout()
    write_atomically(path, lambda temporary: figure.savefig(temporary, dpi=90))
    plt.close(figure)


def _strict(value):
    """``value`` with every NaN or infinity as None: strict JSON, which any reader takes.

    Example:
        >>> _strict({"loss": float("nan"), "runs": [1.5, float("inf")]})
        {'loss': None, 'runs': [1.5, None]}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _strict(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_strict(item) for item in value]
    return value


def render(results: dict) -> dict:
    """One run's summary, targets and Markdown section, from its raw measurements.

    Example:
        >>> sorted(render(run(plan("smoke"), 0.0)))  # doctest: +SKIP
        ['plot', 'section', 'summary', 'targets']
    """
    summary = summarize(results)
    targets = check_targets(summary)
    drawable = summary["scaling_batch"] or summary["scaling_rows"]
    plot = (
        machines.plot_name(results) if drawable and importlib.util.find_spec("matplotlib") else None
    )
    section = machine_section(machines.machine_key(results), results, summary, targets, plot)
    return {"summary": summary, "targets": targets, "plot": plot, "section": section}


def write_report(results: dict, folder: Path) -> tuple[Path, Path]:
    """Add ``results`` (one run) to the runs ``folder/results.json`` holds, one per machine
    (the earlier run of its own machine replaced), then write both files; see
    ``write_store``.

    Example:
        >>> write_report(run(plan("smoke"), 0.0), Path("/tmp/bench"))  # doctest: +SKIP
    """
    store = machines.add(machines.load(folder / "results.json"), results)
    return write_store(store, folder)


def write_store(store: dict, folder: Path) -> tuple[Path, Path]:
    """Write ``results.json`` (every machine's run, raw and summarized) and ``RESULTS.md``
    (every machine's section, newest first, then the machines only reported) into
    ``folder``; return their paths.

    Example (what ``run.py --render`` does):
        >>> write_store(machines.load(Path("benchmarks/results.json")), Path("benchmarks"))
        ... # doctest: +SKIP
    """
    json_path, markdown_path = folder / "results.json", folder / "RESULTS.md"
    rendered = {key: render(run) for key, run in store["machines"].items()}
    for key, run in store["machines"].items():
        run.update(summary=rendered[key]["summary"], targets=rendered[key]["targets"])
    document = {**store, "network": list(MLP_SIZES)}
    json_text = json.dumps(_strict(document), indent=1, allow_nan=False) + "\n"
    sections = {key: page["section"] for key, page in rendered.items()}
    markdown_text = machines.document(store, sections) + "\n"  # before any write
    for page in rendered.values():
        if page["plot"]:
            _draw(page["summary"], folder / page["plot"])
    for path, text in ((json_path, json_text), (markdown_path, markdown_text)):
        write_atomically(path, lambda temporary, text=text: Path(temporary).write_text(text))
    return json_path, markdown_path
