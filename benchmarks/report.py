"""Turn the measurements of ``run.py`` into figures, target checks and ``RESULTS.md``.

Every figure is the median of the counted repetitions, with their minimum and maximum.

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

from cases import MLP_SIZES, mlp_parameter_count

from glassnet.files import write_atomically

MIB = 2**20
NAMES = {
    "glassnet": "glassnet",
    "scikit-learn": "scikit-learn",
    "pytorch": "PyTorch",
    "numpy": "bare NumPy loop",  # the reference cases bare_mlp and bare_xor
}


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
    summary["initial_evaluation_seconds"] = {
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
                summary["gemm"] = _gemm(runs, case["batch"])
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


def _find(rows: list[dict], library: str, optimizer: str) -> dict | None:
    return next((r for r in rows if r["library"] == library and r["optimizer"] == optimizer), None)


def check_targets(summary: dict) -> list[dict]:
    """Each target of the issue: the measured figure, the goal and whether it is met.

    Example:
        >>> xor = {"workload": "xor", "library": "glassnet",
        ...        "microseconds_per_epoch": {"median": 38.0}}
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

    gemm = summary.get("gemm")
    for optimizer in ("sgd", "adam"):
        ours = _find(summary["mlp"], "glassnet", optimizer)
        if ours is None:
            continue
        speed = ours["samples_per_second"]["median"]
        for library, goal in (("pytorch", 1.2), ("scikit-learn", 2.0)):
            theirs = _find(summary["mlp"], library, optimizer)
            if theirs:
                ratio = speed / theirs["samples_per_second"]["median"]
                add(
                    f"workload 1 {optimizer}: glassnet / {NAMES[library]} samples/s",
                    ratio,
                    goal,
                    True,
                    "x",
                )
        if gemm:
            add(
                f"workload 1 {optimizer}: share of the measured GEMM throughput",
                ours["gflops"] / gemm["gflops"],
                0.75,
                True,
                "%",
            )
        allowed = 1.1 * ours["data_mib"] + 50
        add(
            f"workload 1 {optimizer}: peak memory over the baseline (MiB)",
            ours["peak_mib"]["median"],
            allowed,
            False,
            "MiB",
        )
    xor = {r["library"]: r for r in summary["tiny"] if r["workload"] == "xor"}
    if "glassnet" in xor:
        ours = xor["glassnet"]["microseconds_per_epoch"]["median"]
        add("workload 2: XOR 2-4-1 microseconds per epoch", ours, 40.0, False, "us")
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


# ---------------------------------------------------------------- text
def _number(value: float, unit: str = "") -> str:
    if unit == "%":
        return f"{100 * value:.0f}%"
    if unit == "x":
        return f"{value:.2f}x"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


def _spread_text(figure: dict, digits: int = 0) -> str:
    return (
        f"{figure['median']:,.{digits}f} ({figure['min']:,.{digits}f} to "
        f"{figure['max']:,.{digits}f})"
    )


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _pool_text(pool: dict) -> str:
    """One thread pool as threadpoolctl reports it: library, version, kernel, threads."""
    words = [pool["internal_api"], pool.get("version") or ""]
    if pool.get("architecture"):
        words.append(f"{pool['architecture']} kernel")
    return " ".join(word for word in words if word) + f", {pool['num_threads']} threads"


def _environment_lines(results: dict) -> list[str]:
    machine = results["machine"]
    lines = [
        f"- CPU: {machine['cpu']}, {machine['cpus']} logical CPUs, {machine['memory_gib']} GiB; "
        f"{machine['system']}; Python {machine['python']}",
    ]
    blas_env = machine["blas_environment"]
    lines.append(
        "- BLAS environment variables: "
        + (", ".join(f"{k}={v}" for k, v in blas_env.items()) or "none set")
    )
    for library, info in results["environment"].items():
        version = info.get(library if library != "pytorch" else "torch", "")
        pools = "; ".join(_pool_text(pool) for pool in info["threadpools"])
        extra = ""
        if library == "pytorch":
            extra = f"; torch threads {info['torch_threads']}, BLAS {info['torch_blas']}"
        lines.append(f"- {NAMES[library]} {version} (numpy {info['numpy']}): {pools}{extra}")
    loads = [m["background_cpus"] for m in results["measurements"] if m["counted"]]
    if loads:
        lines.append(
            f"- Other programs' CPU use during each counted measurement: median "
            f"{statistics.median(loads):.2f}, max {max(loads):.2f} CPUs"
        )
    return lines + [""]


def _markdown(results: dict, summary: dict, targets: list[dict], plot: str | None) -> str:
    settings = results["settings"]
    mlp = settings["mlp"]
    lines = [
        "# Benchmarks: glassnet, scikit-learn and PyTorch",
        "",
        f"Written by `benchmarks/run.py` ({settings['mode']} mode) on {results['started']}, "
        f"{results['seconds']:.0f} s. Each figure is the median of {settings['repeats']} "
        f"counted repetitions (min to max in brackets), after {settings['warmups']} warm-up "
        "round; the libraries take turns case by case (A B C A B C). A measurement during "
        "which other programs used more than a quarter of a CPU was taken again (at most 3 "
        "attempts, the cleanest kept). Re-run with `make bench`.",
        "",
        *([results["note"], ""] if results.get("note") else []),
        "## Machine",
        "",
        *_environment_lines(results),
        "## Targets",
        "",
    ]
    if settings["mode"] != "full":
        lines += ["Not the full run: the sizes are smaller than the issue's workloads.", ""]
    rows = []
    for t in targets:
        comparison = ">=" if t["higher_is_better"] else "<="
        verdict = "met" if t["met"] else f"missed by {100 * t['missed_by']:.0f}%"
        rows.append(
            [
                t["target"],
                _number(t["value"], t["unit"]),
                f"{comparison} {_number(t['goal'], t['unit'])}",
                verdict,
            ]
        )
    lines += _table(["target", "measured", "goal", "verdict"], rows)

    gemm = summary.get("gemm")
    lines += [
        "## Workload 1: MLP 784-256-128-10 on 60,000 x 784 float32"
        if settings["mode"] == "full"
        else f"## Workload 1: MLP 784-256-128-10 on {mlp['rows']:,} x 784 float32",
        "",
        f"ReLU hidden layers, softmax + cross-entropy, batch {mlp['batch']}, {mlp['epochs']} "
        f"epoch(s), learning rates {mlp['learning_rates']}, float32 throughout; a synthetic "
        "data set of 10 classes, each a mixture of 4 Gaussian clusters (seeded). GFLOP/s counts "
        f"6 x {mlp_parameter_count():,} parameters per sample. Peak memory is the peak RSS "
        "while loading the data and training, minus the RSS before loading (so it includes the "
        "data themselves). Test accuracy is on 10,000 fresh rows of the same distribution. "
        "The bare NumPy loop is a reference, not a library: the same training written as the "
        "shortest fast NumPy loop (forward, backward, update over shuffled batches; no "
        "evaluation before training, no loss value, no metrics, no checks), run in the "
        "glassnet worker: what NumPy itself reaches on this machine.",
        "",
    ]
    rows = []
    for row in summary["mlp"]:
        share = f"{row['gflops'] / gemm['gflops']:.0%}" if gemm else "-"
        rows.append(
            [
                NAMES[row["library"]],
                row["optimizer"],
                _spread_text(row["samples_per_second"]),
                f"{row['gflops']:.0f}",
                share,
                f"{row['peak_mib']['median']:.0f}",
                f"{row['data_mib']:.0f}",
                "-" if row["loss"] is None else f"{row['loss']:.3f}",
                f"{row.get('test_accuracy', float('nan')):.3f}",
            ]
        )
    lines += _table(
        [
            "library",
            "optimizer",
            "samples/s",
            "GFLOP/s",
            "of GEMM",
            "peak MiB",
            "data MiB",
            "last loss",
            "test accuracy",
        ],
        rows,
    )
    for optimizer in mlp["learning_rates"]:
        ours = _find(summary["mlp"], "glassnet", optimizer)
        ratios = []
        for library in ("pytorch", "scikit-learn", "numpy"):
            theirs = _find(summary["mlp"], library, optimizer)
            if ours and theirs:
                ratio = (
                    ours["samples_per_second"]["median"] / theirs["samples_per_second"]["median"]
                )
                rounds = [
                    f"{ours['by_round'][key] / theirs['by_round'][key]:.2f}"
                    for key in ours["by_round"]
                    if key in theirs["by_round"]
                ]
                ratios.append(
                    f"{ratio:.2f}x {NAMES[library]} (round by round: {', '.join(rounds)})"
                )
        if ratios:
            lines.append(f"- {optimizer}: glassnet runs at {', '.join(ratios)}.")
    lines.append("")
    if gemm:
        lines += [
            f"### The physical limit: the step's matrix products alone (batch {gemm['batch']})",
            "",
            "Each product timed by itself in the glassnet worker (same BLAS, same threads), in "
            "the layouts the training step uses. Over all nine products of a step (the 6 x "
            f"parameters count) the BLAS reaches **{gemm['gflops']:.0f} GFLOP/s**: the "
            "reference for the 'of GEMM' column. glassnet skips the first layer's input "
            "gradient (the data need none); its eight products alone take "
            f"{gemm['step_seconds_glassnet'] * 1e6:.0f} us per step, a bound of "
            f"{gemm['bound_samples_per_second']:,.0f} samples/s.",
            "",
        ]
        rows = [
            [
                str(p["layer"]),
                p["product"],
                f"{p['seconds'] * 1e6:.1f}",
                f"{p['gflops']:.0f}",
                "skipped" if p["skipped_by_glassnet"] else "",
            ]
            for p in gemm["products"]
        ]
        lines += _table(["layer", "product", "us", "GFLOP/s", "glassnet"], rows)
    profiles = results.get("profiles", [])
    if profiles:
        lines += [
            "### Where glassnet's time goes (cProfile of one epoch, microseconds per step)",
            "",
            "Own time of each function; matrix products run inside `layers.py:forward` and "
            "`backward_delta` (the `@` operator) and the optimizer's element-wise passes "
            "inside `update`. cProfile adds its own overhead to every Python call.",
            "",
        ]
        for profile in profiles:
            rows = [
                [
                    f["function"],
                    f"{f['calls']:,}",
                    f"{f['own_us_per_step']:.1f}",
                    f"{f['total_us_per_step']:.1f}",
                ]
                for f in profile["functions"][:10]
            ]
            lines += [f"{profile['optimizer']}, {profile['steps']} steps:", ""]
            lines += _table(["function", "calls", "own us/step", "with callees us/step"], rows)
            if "evaluate_seconds" in profile:
                lines += [
                    f"Timed without the profiler: one epoch {profile['fit_seconds']:.3f} s, of "
                    f"which {profile['evaluate_seconds']:.3f} s is the evaluation of every row "
                    "before the first update (`history.initial`, one forward pass).",
                    "",
                ]

    lines += [
        "## Workload 2: tiny networks, where overhead dominates",
        "",
        "The OR perceptron (tutorial 002's batch rule and starting weights; glassnet's "
        "converges in 3 epochs, so fresh perceptrons are trained until the epochs add up; "
        "scikit-learn's Perceptron updates sample by sample and runs every epoch with "
        "tol=None; PyTorch runs the batch rule as tensor operations) and XOR with a 2-4-1 "
        "sigmoid network (full batch, SGD, learning rate 0.5, float64, cross-entropy). The "
        "bare NumPy loop is the XOR epoch's arithmetic alone, as a reference.",
        "",
    ]
    rows = [
        [
            r["workload"],
            NAMES[r["library"]],
            f"{r['epochs']:,}",
            _spread_text(r["microseconds_per_epoch"], 1),
            "yes" if r["solved"] else "no",
        ]
        for r in summary["tiny"]
    ]
    lines += _table(["workload", "library", "epochs", "us per epoch", "solved"], rows)
    xor_profile = results.get("xor_profile")
    if xor_profile:
        rows = [
            [f["function"], f"{f['calls']:,}", f"{f['own_us_per_step']:.2f}"]
            for f in xor_profile["functions"][:12]
        ]
        lines += [
            f"Where an XOR epoch goes (cProfile, {xor_profile['steps']:,} epochs; the profiler "
            "roughly doubles the cost of each Python call):",
            "",
        ]
        lines += _table(["function", "calls", "own us/epoch"], rows)

    digits = summary["digits"]
    if digits:
        d = settings["digits"]
        lines += [
            "## Workload 3: scikit-learn's digits",
            "",
            f"64-64-10 ReLU, Adam (learning rate {d['learning_rate']}), batch {d['batch']}, "
            f"{d['epochs']} epochs, inputs / 16; 1,347 training and 450 test images (a "
            f"fixed permutation); seeds {d['seeds']}. glassnet and scikit-learn in float64, "
            "PyTorch in float32 (each library's default).",
            "",
        ]
        rows = [
            [
                NAMES[lib],
                f"{v['mean_accuracy']:.4f}",
                ", ".join(f"{a:.3f}" for a in v["accuracies"]),
                _spread_text(v["seconds_per_fit"], 3),
            ]
            for lib, v in digits.items()
        ]
        lines += _table(["library", "mean test accuracy", "per seed", "seconds per fit"], rows)

    lines += _analysis(summary, targets)
    lines += [
        "## Workload 4: scaling",
        "",
        "One epoch of SGD (learning rate 0.05), float32, the workload-1 network.",
        "",
    ]
    if plot:
        lines += [f"![samples per second and memory as the batch and the data grow]({plot})", ""]
    for key, label in (("scaling_batch", "batch"), ("scaling_rows", "rows")):
        rows = [
            [
                f"{r[label]:,}",
                NAMES[r["library"]],
                _spread_text(r["samples_per_second"]),
                f"{r['peak_mib']['median']:.0f}",
                f"{r['data_mib']:.0f}",
            ]
            for r in summary[key]
        ]
        first = "batch size" if label == "batch" else "rows (batch 128)"
        lines += _table([first, "library", "samples/s", "peak MiB", "data MiB"], rows)
    return "\n".join(lines)


def _analysis(summary: dict, targets: list[dict]) -> list[str]:
    """Why each missed target is missed, with this run's numbers."""
    missed = [t["target"] for t in targets if not t["met"]]
    if not missed:
        return ["## Missed targets", "", "None: every target is met in this run.", ""]
    lines = ["## Missed targets: by how much, and where the time goes", ""]
    gemm = summary.get("gemm")
    ours = {r["optimizer"]: r for r in summary["mlp"] if r["library"] == "glassnet"}
    if gemm and any(name.startswith("workload 1") for name in missed):
        bound = gemm["bound_samples_per_second"]
        text = (
            f"- Workload 1. The step's matrix products alone allow {bound:,.0f} samples/s "
            f"({gemm['step_seconds_glassnet'] * 1e6:.0f} us per step of {gemm['batch']})."
        )
        for name, row in ours.items():
            speed = row["samples_per_second"]["median"]
            text += (
                f" With {name}, glassnet runs at {speed:,.0f} samples/s, "
                f"{gemm['batch'] / speed * 1e6:.0f} us per step, {speed / bound:.0%} of that "
                "bound."
            )
            bare = _find(summary["mlp"], "numpy", name)
            if bare:
                floor = bare["samples_per_second"]["median"]
                text += (
                    f" The bare NumPy loop (the same training with nothing recorded) reaches "
                    f"{floor:,.0f} samples/s, {bare['gflops'] / gemm['gflops']:.0%} of the GEMM "
                    f"throughput; glassnet runs at {speed / floor:.0%} of it."
                )
            peers = [
                f"{floor / theirs['samples_per_second']['median']:.2f}x {NAMES[library]}"
                for library in ("scikit-learn", "pytorch")
                if bare and (theirs := _find(summary["mlp"], library, name))
            ]
            if peers:
                text += f" The bare loop is {' and '.join(peers)}."
            evaluation = summary.get("initial_evaluation_seconds", {}).get(name)
            theirs = _find(summary["mlp"], "scikit-learn", name)
            if evaluation and "rows" in row:
                seconds = row["rows"] * row["epochs"] / speed
                without = row["rows"] * row["epochs"] / (seconds - evaluation)
                text += (
                    f" Of glassnet's {seconds:.3f} s, {evaluation:.3f} s "
                    f"({evaluation / seconds:.0%}) is the evaluation of every row before the "
                    f"first update (`history.initial`); without it glassnet would run at "
                    f"about {without:,.0f} samples/s"
                    + (
                        f", {without / theirs['samples_per_second']['median']:.2f}x scikit-learn."
                        if theirs
                        else "."
                    )
                )
        text += (
            " Between the bare loop and glassnet lie what `fit` records: the evaluation of "
            "every row before the first update, the loss of every batch, the batch outputs "
            "kept for the epoch's accuracy, and the calls through layers, activations and "
            "losses. "
            "Element-wise NumPy work runs on one core: a second thread only slows it here "
            "(measured), while PyTorch's element-wise kernels use both. scikit-learn's "
            "MLPClassifier is the same kind of program as glassnet (vectorised NumPy on the "
            "same OpenBLAS, float32 kept)."
        )
        lines.append(text)
    xor = {r["library"]: r for r in summary["tiny"] if r["workload"] == "xor"}
    if "glassnet" in xor and any(name.startswith("workload 2") for name in missed):
        us = xor["glassnet"]["microseconds_per_epoch"]["median"]
        theirs = xor.get("scikit-learn", {}).get("microseconds_per_epoch", {}).get("median")
        bare = xor.get("numpy", {}).get("microseconds_per_epoch", {}).get("median")
        text = f"- Workload 2. An XOR epoch costs glassnet {us:.1f} us"
        if bare:
            text += (
                f"; the bare NumPy epoch, the arithmetic alone in 20 NumPy calls on 4 x 4 "
                f"arrays with no loss value, record or check, costs {bare:.1f} us"
            )
        text += "."
        if theirs:
            text += (
                f" scikit-learn's loop does the same SGD work in {theirs:.1f} us per epoch; 5 "
                f"times faster would be {theirs / 5:.1f} us"
            )
            if bare:
                verdict = "below" if theirs / 5 < bare else "above"
                text += (
                    f", {verdict} the bare loop's {bare:.1f} us: the most a NumPy program "
                    f"reaches here is {theirs / bare:.1f}x scikit-learn's loop"
                )
            text += "."
        text += (
            " What glassnet adds per epoch is what makes training transparent: the loss "
            "and accuracy for `history`, a copy of the weights to fall back on if training "
            "diverges, the check that the weights are still finite, and the callbacks."
        )
        lines.append(text)
    lines.append("")
    return lines


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


def write_report(results: dict, folder: Path) -> tuple[Path, Path]:
    """Write ``results.json`` (raw and summarized) and ``RESULTS.md``; return their paths.

    Example (what ``run.py --render`` does):
        >>> results = json.loads(Path("benchmarks/results.json").read_text())  # doctest: +SKIP
        >>> write_report(results, Path("benchmarks"))  # doctest: +SKIP
    """
    summary = summarize(results)
    targets = check_targets(summary)
    plot_name = "scaling.png"
    document = {**results, "summary": summary, "targets": targets, "network": list(MLP_SIZES)}
    json_text = json.dumps(_strict(document), indent=1, allow_nan=False) + "\n"
    plot = plot_name if importlib.util.find_spec("matplotlib") else None
    markdown_text = _markdown(results, summary, targets, plot) + "\n"  # before any write
    if plot:
        _draw(summary, folder / plot_name)
    json_path, markdown_path = folder / "results.json", folder / "RESULTS.md"
    for path, text in ((json_path, json_text), (markdown_path, markdown_text)):
        write_atomically(path, lambda temporary, text=text: Path(temporary).write_text(text))
    return json_path, markdown_path
