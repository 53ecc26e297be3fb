"""One machine's section of ``RESULTS.md``: its run's figures, targets and analysis.

``report.py`` summarizes a run and checks its targets; this module writes them as
Markdown, a level-2 heading per machine and level-3 headings inside, so that
``machines.py`` can keep one section per machine in one file.

Example:
    >>> _number(1.234, "x"), _number(0.5, "%"), _number(123456.0)
    ('1.23x', '50%', '123,456')
"""

from __future__ import annotations

import statistics

from cases import mlp_parameter_count

NAMES = {
    "glassnet": "glassnet",
    "scikit-learn": "scikit-learn",
    "pytorch": "PyTorch",
    "numpy": "bare NumPy loop",  # the reference cases bare_mlp and bare_xor
}


def find(rows: list[dict], library: str, optimizer: str, batch: int | None = None) -> dict | None:
    """The row of a library and optimizer (at a batch size, when given).

    Example:
        >>> find([{"library": "glassnet", "optimizer": "sgd", "batch": 64}], "glassnet", "sgd", 128)
    """
    return next(
        (
            r
            for r in rows
            if r["library"] == library
            and r["optimizer"] == optimizer
            and (batch is None or r.get("batch") == batch)
        ),
        None,
    )


def gemm_at(summary: dict, batch: int) -> dict | None:
    """The matrix products' reference at a batch size, if the run timed it."""
    return next((g for g in summary.get("gemms", []) if g["batch"] == batch), None)


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


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table, then an empty line.

    Example:
        >>> table(["a", "b"], [["1", "2"]])
        ['| a | b |', '|---|---|', '| 1 | 2 |', '']
    """
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


def target_rows(targets: list[dict]) -> list[list[str]]:
    """The target table's rows: target, measured, goal, verdict."""
    rows = []
    for t in targets:
        comparison = ">=" if t["higher_is_better"] else "<="
        verdict = "met" if t["met"] else f"missed by {100 * t['missed_by']:.0f}%"
        goal = f"{comparison} {_number(t['goal'], t['unit'])}"
        rows.append([t["target"], _number(t["value"], t["unit"]), goal, verdict])
    return rows


def machine_section(
    key: str, results: dict, summary: dict, targets: list[dict], plot: str | None
) -> str:
    """One machine's section (``key`` names the machine, as machines.machine_key does): a
    level-2 heading, the run's settings, then every workload.

    Example:
        >>> machine_section  # doctest: +ELLIPSIS
        <function machine_section at ...>
    """
    settings = results["settings"]
    lines = [
        f"## {key}: measured {results['started']}",
        "",
        f"Written by `benchmarks/run.py` ({settings['mode']} mode) on {results['started']}, "
        f"{results['seconds']:.0f} s. Each figure is the median of {settings['repeats']} "
        f"counted repetitions (min to max in brackets), after {settings['warmups']} warm-up "
        "round; the libraries take turns case by case (A B C A B C). A measurement during "
        "which other programs used more than a quarter of a CPU was taken again (at most 3 "
        "attempts, the cleanest kept).",
        "",
        *([results["note"], ""] if results.get("note") else []),
        "### Machine",
        "",
        *_environment_lines(results),
        "### Targets",
        "",
    ]
    if settings["mode"] != "full":
        lines += ["Not the full run: the sizes are smaller than the issue's workloads.", ""]
    lines += table(["target", "measured", "goal", "verdict"], target_rows(targets))
    lines += _workload_1(settings, summary)
    lines += _limit(summary, settings["mlp"]["batch"])
    lines += _phases(summary)
    lines += _profiles(results)
    lines += _workload_2(results, summary)
    lines += _workload_3(settings, summary)
    lines += analysis(summary, targets)
    lines += _workload_4(summary, plot)
    return "\n".join(lines)


def _workload_1(settings: dict, summary: dict) -> list[str]:
    mlp = settings["mlp"]
    batches = mlp.get("batches", [mlp["batch"]])
    lines = [
        f"### Workload 1: MLP 784-256-128-10 on {mlp['rows']:,} x 784 float32",
        "",
        f"ReLU hidden layers, softmax + cross-entropy, batches of "
        f"{', '.join(map(str, batches))}, {mlp['epochs']} epoch(s), learning rates "
        f"{mlp['learning_rates']}, float32 throughout; each library's default fit (glassnet's "
        "with `history.initial`, the epoch's accuracy and its checks); a synthetic data set of "
        "10 classes, each a mixture of 4 Gaussian clusters (seeded). GFLOP/s counts "
        f"6 x {mlp_parameter_count():,} parameters per sample. Peak memory is the peak RSS "
        "while loading the data and training, minus the RSS before loading (so it includes the "
        "data themselves). Test accuracy is on fresh rows of the same distribution. The bare "
        "NumPy loop is a reference, not a library: the same training written as the shortest "
        "fast NumPy loop (forward, backward, update over shuffled batches; no evaluation "
        "before training, no loss value, no metrics, no checks), run in the glassnet worker: "
        "what NumPy itself reaches on this machine.",
        "",
    ]
    rows = []
    for row in summary["mlp"]:
        gemm = gemm_at(summary, row["batch"])
        rows.append(
            [
                NAMES[row["library"]],
                row["optimizer"],
                str(row["batch"]),
                _spread_text(row["samples_per_second"]),
                f"{row['gflops']:.0f}",
                f"{row['gflops'] / gemm['gflops']:.0%}" if gemm else "-",
                f"{row['peak_mib']['median']:.0f}",
                f"{row['data_mib']:.0f}",
                "-" if row["loss"] is None else f"{row['loss']:.3f}",
                f"{row.get('test_accuracy', float('nan')):.3f}",
            ]
        )
    header = ["library", "optimizer", "batch", "samples/s", "GFLOP/s", "of GEMM", "peak MiB",
              "data MiB", "last loss", "test accuracy"]  # fmt: skip
    lines += table(header, rows)
    for batch in batches:
        for optimizer in mlp["learning_rates"]:
            ratios = _ratios(summary, optimizer, batch)
            if ratios:
                lines.append(f"- {optimizer}, batch {batch}: glassnet runs at {ratios}.")
    return lines + [""]


def _ratios(summary: dict, optimizer: str, batch: int) -> str:
    ours = find(summary["mlp"], "glassnet", optimizer, batch)
    texts = []
    for library in ("pytorch", "scikit-learn", "numpy"):
        theirs = find(summary["mlp"], library, optimizer, batch)
        if ours and theirs:
            ratio = ours["samples_per_second"]["median"] / theirs["samples_per_second"]["median"]
            rounds = [
                f"{ours['by_round'][key] / theirs['by_round'][key]:.2f}"
                for key in ours["by_round"]
                if key in theirs["by_round"]
            ]
            texts.append(f"{ratio:.2f}x {NAMES[library]} (round by round: {', '.join(rounds)})")
    return ", ".join(texts)


def _limit(summary: dict, batch: int) -> list[str]:
    gemms = summary.get("gemms", [])
    if not gemms:
        return []
    lines = [
        "#### The physical limit: the step's matrix products alone",
        "",
        "Each product timed by itself in the glassnet worker (same BLAS, same threads), in the "
        "layouts the training step uses. Over all nine products of a step (the 6 x parameters "
        "count) the BLAS reaches the GFLOP/s below: the reference for the 'of GEMM' column. "
        "glassnet skips the first layer's input gradient (the data need none); its eight "
        "products alone bound its speed.",
        "",
    ]
    rows = [
        [str(g["batch"]), f"{g['gflops']:.0f}", f"{g['step_seconds_glassnet'] * 1e6:.0f}",
         f"{g['bound_samples_per_second']:,.0f}"]
        for g in gemms
    ]  # fmt: skip
    lines += table(["batch", "GFLOP/s, nine products", "us, glassnet's eight", "bound samples/s"],
                   rows)  # fmt: skip
    gemm = gemm_at(summary, batch) or gemms[0]
    rows = [
        [str(p["layer"]), p["product"], f"{p['seconds'] * 1e6:.1f}", f"{p['gflops']:.0f}",
         "skipped" if p["skipped_by_glassnet"] else ""]
        for p in gemm["products"]
    ]  # fmt: skip
    lines += [f"The products at batch {gemm['batch']}:", ""]
    return lines + table(["layer", "product", "us", "GFLOP/s", "glassnet"], rows)


def _phases(summary: dict) -> list[str]:
    phases = summary.get("phases", {})
    if not phases:
        return []
    lines = [
        "#### Where glassnet's time goes (timed without a profiler)",
        "",
        "The default fit with timers around its parts: the forward and backward passes "
        "(`Network.loss_and_gradients`, the matrix products among them), the optimizer's "
        "update, the rest of each step and epoch (rows copied into the batch, outputs kept "
        "for the accuracy, checks, metrics, callbacks), and the evaluation of every row "
        "before the first update (`history.initial`). Microseconds per step; the products "
        "column is the reference above, timed alone.",
        "",
    ]
    rows = []
    for optimizer, p in phases.items():
        gemm = gemm_at(summary, p["batch"])
        rows.append(
            [optimizer, str(p["batch"]), f"{p['step_us']:.0f}", f"{p['passes_us']:.0f}",
             f"{gemm['step_seconds_glassnet'] * 1e6:.0f}" if gemm else "-",
             f"{p['update_us']:.0f}", f"{p['rest_us']:.0f}",
             f"{p['evaluation_s'] * 1e3:.0f} ms ({p['evaluation_share']:.0%} of the fit)"]
        )  # fmt: skip
    header = ["optimizer", "batch", "fit us/step", "passes", "of which products alone",
              "update", "rest", "evaluation before the first update"]  # fmt: skip
    return lines + table(header, rows)


def _profiles(results: dict) -> list[str]:
    profiles = results.get("profiles", [])
    if not profiles:
        return []
    lines = [
        "#### cProfile of one epoch (microseconds per step)",
        "",
        "Own time of each function; matrix products run inside `layers.py:forward` and "
        "`backward_delta` (the `@` operator) and the optimizer's element-wise passes inside "
        "its rule. cProfile adds its own overhead to every Python call.",
        "",
    ]
    for profile in profiles:
        rows = [
            [f["function"], f"{f['calls']:,}", f"{f['own_us_per_step']:.1f}",
             f"{f['total_us_per_step']:.1f}"]
            for f in profile["functions"][:10]
        ]  # fmt: skip
        lines += [f"{profile['optimizer']}, {profile['steps']} steps:", ""]
        lines += table(["function", "calls", "own us/step", "with callees us/step"], rows)
    return lines


def _workload_2(results: dict, summary: dict) -> list[str]:
    lines = [
        "### Workload 2: tiny networks, where overhead dominates",
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
        [r["workload"], NAMES[r["library"]], f"{r['epochs']:,}",
         _spread_text(r["microseconds_per_epoch"], 1), "yes" if r["solved"] else "no"]
        for r in summary["tiny"]
    ]  # fmt: skip
    lines += table(["workload", "library", "epochs", "us per epoch", "solved"], rows)
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
        lines += table(["function", "calls", "own us/epoch"], rows)
    return lines


def _workload_3(settings: dict, summary: dict) -> list[str]:
    digits = summary["digits"]
    if not digits:
        return []
    d = settings["digits"]
    lines = [
        "### Workload 3: scikit-learn's digits",
        "",
        f"64-64-10 ReLU, Adam (learning rate {d['learning_rate']}), batch {d['batch']}, "
        f"{d['epochs']} epochs, inputs / 16; 1,347 training and 450 test images (a fixed "
        f"permutation); seeds {d['seeds']}. glassnet and scikit-learn in float64, PyTorch in "
        "float32 (each library's default).",
        "",
    ]
    rows = [
        [NAMES[lib], f"{v['mean_accuracy']:.4f}", ", ".join(f"{a:.3f}" for a in v["accuracies"]),
         _spread_text(v["seconds_per_fit"], 3)]
        for lib, v in digits.items()
    ]  # fmt: skip
    return lines + table(["library", "mean test accuracy", "per seed", "seconds per fit"], rows)


def _workload_4(summary: dict, plot: str | None) -> list[str]:
    lines = [
        "### Workload 4: scaling",
        "",
        "One epoch of SGD (learning rate 0.05), float32, the workload-1 network.",
        "",
    ]
    if plot:
        lines += [f"![samples per second and memory as the batch and the data grow]({plot})", ""]
    for key, label in (("scaling_batch", "batch"), ("scaling_rows", "rows")):
        rows = [
            [f"{r[label]:,}", NAMES[r["library"]], _spread_text(r["samples_per_second"]),
             f"{r['peak_mib']['median']:.0f}", f"{r['data_mib']:.0f}"]
            for r in summary[key]
        ]  # fmt: skip
        first = "batch size" if label == "batch" else "rows (batch 128)"
        lines += table([first, "library", "samples/s", "peak MiB", "data MiB"], rows)
    return lines


def analysis(summary: dict, targets: list[dict]) -> list[str]:
    """Why each missed target is missed, with this run's numbers.

    Example:
        >>> analysis({"mlp": [], "tiny": []}, [{"target": "x", "met": True}])[2]
        'None: every target is met in this run.'
    """
    missed = [t["target"] for t in targets if not t["met"]]
    if not missed:
        return ["### Missed targets", "", "None: every target is met in this run.", ""]
    lines = ["### Missed targets: by how much, and where the time goes", ""]
    for row in summary["mlp"]:
        if row["library"] != "glassnet":
            continue
        label = f"workload 1 {row['optimizer']}, batch {row['batch']}:"
        if any(name.startswith(label) for name in missed):
            lines.append(_mlp_analysis(summary, row))
    xor = {r["library"]: r for r in summary["tiny"] if r["workload"] == "xor"}
    if "glassnet" in xor and any(name.startswith("workload 2") for name in missed):
        lines.append(_xor_analysis(xor))
    if any(name.startswith("workload 1") for name in missed):
        lines.append(
            "- What a NumPy program cannot change here: the matrix products run on the "
            "BLAS's threads, every element-wise pass on one core (a second thread is slower "
            "beside OpenBLAS's spinning threads, measured), Adam's update makes 11 passes "
            "over the 235,146 parameters, gathering a batch's rows reads them from memory, "
            "and `history.initial` is one forward pass over every row. Where the bare loop "
            "itself stays under a goal, no bookkeeping that glassnet could drop would reach it."
        )
    return lines + [""]


def _mlp_analysis(summary: dict, row: dict) -> str:
    optimizer, batch = row["optimizer"], row["batch"]
    speed = row["samples_per_second"]["median"]
    text = (
        f"- Workload 1, {optimizer}, batch {batch}. glassnet runs at {speed:,.0f} samples/s, "
        f"{batch / speed * 1e6:.0f} us per step."
    )
    gemm = gemm_at(summary, batch)
    if gemm:
        bound = gemm["bound_samples_per_second"]
        text += (
            f" The step's matrix products alone take {gemm['step_seconds_glassnet'] * 1e6:.0f} "
            f"us ({bound:,.0f} samples/s): glassnet runs at {speed / bound:.0%} of that bound."
        )
    bare = find(summary["mlp"], "numpy", optimizer, batch)
    if bare:
        floor = bare["samples_per_second"]["median"]
        text += (
            f" The bare NumPy loop (the same training with nothing recorded) reaches "
            f"{floor:,.0f} samples/s; glassnet runs at {speed / floor:.0%} of it."
        )
        peers = [
            f"{floor / theirs['samples_per_second']['median']:.2f}x {NAMES[library]}"
            for library in ("scikit-learn", "pytorch")
            if (theirs := find(summary["mlp"], library, optimizer, batch))
        ]
        if peers:
            text += f" The bare loop is {' and '.join(peers)}."
    phases = summary.get("phases", {}).get(optimizer)
    evaluation = summary.get("initial_evaluation_seconds", {}).get(optimizer)
    if not phases and evaluation and batch == 128 and "rows" in row:
        seconds = row["rows"] * row["epochs"] / speed
        text += (
            f" Of glassnet's {seconds:.3f} s, {evaluation:.3f} s ({evaluation / seconds:.0%}) "
            "is the evaluation of every row before the first update (`history.initial`)."
        )
    if phases and phases["batch"] == batch:
        products = gemm["step_seconds_glassnet"] * 1e6 if gemm else 0.0
        text += (
            f" Timed by part (batch {batch}): the forward and backward passes take "
            f"{phases['passes_us']:.0f} us per step, {phases['passes_us'] - products:.0f} us "
            f"more than their products alone (the element-wise work and the calls through "
            f"layers, activations and the loss), the update {phases['update_us']:.0f} us, the "
            f"rest of the step and epoch {phases['rest_us']:.0f} us; the evaluation of every "
            f"row before the first update is {phases['evaluation_share']:.0%} of the fit "
            f"({phases['evaluation_s'] * 1e3:.0f} ms, about one forward pass)."
        )
        share = GEMM_GOALS.get(optimizer)
        if share and gemm:
            allowed = products / share
            floor = products + phases["update_us"]
            text += (
                f" {share:.0%} of the GEMM throughput allows {allowed:.0f} us per step; the "
                f"products and the update alone take {floor:.0f} us"
                + (", so the goal is out of reach while the update runs on one core."
                   if floor > allowed else ".")
            )  # fmt: skip
    return text


# The share of the GEMM throughput per optimizer (report.GOALS holds the same).
GEMM_GOALS = {"sgd": 0.75, "adam": 0.65}


def _xor_analysis(xor: dict) -> str:
    us = xor["glassnet"]["microseconds_per_epoch"]["median"]
    theirs = xor.get("scikit-learn", {}).get("microseconds_per_epoch", {}).get("median")
    bare = xor.get("numpy", {}).get("microseconds_per_epoch", {}).get("median")
    text = f"- Workload 2. An XOR epoch costs glassnet {us:.1f} us"
    if bare:
        text += (
            f"; the bare NumPy epoch, the arithmetic alone in 20 NumPy calls on 4 x 4 arrays "
            f"with no loss value, record or check, costs {bare:.1f} us"
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
                f", {verdict} the bare loop's {bare:.1f} us: the most a NumPy program reaches "
                f"here is {theirs / bare:.1f}x scikit-learn's loop"
            )
        text += "."
    return text + (
        " What glassnet adds per epoch is what makes training transparent: the loss value "
        "(9 NumPy calls of its own), the accuracy for `history`, a copy of the weights to fall "
        "back on if training diverges, the check that the weights are still finite, and the "
        "callbacks; each NumPy call on arrays this small costs about 0.4 us, whatever it "
        "computes."
    )
