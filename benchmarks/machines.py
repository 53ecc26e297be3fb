"""``RESULTS.md`` as one section per machine, and ``results.json`` as one run per machine.

A run of ``run.py`` measures the machine it runs on: its section replaces that machine's
earlier one and every other machine's section stays, newest first. Machines whose
figures were reported rather than measured here (quoted from an issue, in ``REPORTED``)
come last, labelled as such, so that the file says which CPU each figure came from.

Example:
    >>> machine_key({"machine": {"cpu": "AMD EPYC", "cpus": 2}})
    'AMD EPYC, 2 logical CPUs'
    >>> plot_name({"machine": {"cpu": "AMD EPYC", "cpus": 2}})
    'scaling-amd-epyc-2-cpus.png'
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sections import table

FORMAT = 2  # results.json: {"format": 2, "machines": {key: run}}; format 1 was one run


def machine_key(results: dict) -> str:
    """The machine a run measured: its CPU model, logical CPU count and, when known, the
    kernel glassnet's OpenBLAS ran (OPENBLAS_CORETYPE in the environment chooses another
    than the CPU's own, and the products' speed with it: the same CPU so set is measured
    as a machine of its own, beside the other).

    Example:
        >>> pool = {"internal_api": "openblas", "architecture": "Haswell"}
        >>> machine_key({"machine": {"cpu": "AMD EPYC", "cpus": 2, "blas_environment":
        ...     {"OPENBLAS_CORETYPE": "Haswell"}}, "environment": {"glassnet":
        ...     {"threadpools": [pool]}}})
        'AMD EPYC, 2 logical CPUs, OpenBLAS Haswell kernel (OPENBLAS_CORETYPE=Haswell)'
    """
    machine = results["machine"]
    key = f"{machine['cpu']}, {machine['cpus']} logical CPUs"
    kernel = _blas_kernel(results)
    if kernel:
        key += f", OpenBLAS {kernel} kernel"
        forced = machine.get("blas_environment", {}).get("OPENBLAS_CORETYPE")
        if forced:
            key += f" (OPENBLAS_CORETYPE={forced})"
    return key


def _blas_kernel(results: dict) -> str | None:
    pools = results.get("environment", {}).get("glassnet", {}).get("threadpools", [])
    return next((p.get("architecture") for p in pools if p.get("internal_api") == "openblas"), None)


def plot_name(results: dict) -> str:
    """The file name of a machine's scaling figure (one per machine key)."""
    machine = results["machine"]
    kernel = _blas_kernel(results)
    words = f"{machine['cpu']} {machine['cpus']} cpus" + (f" {kernel}" if kernel else "")
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower())
    return f"scaling-{slug.strip('-')}.png"


def load(path: Path) -> dict:
    """The runs a results.json holds, by machine; a results.json of one run (format 1)
    becomes the run of its machine; no file, no runs.

    Example:
        >>> load(Path("/nonexistent/results.json"))
        {'format': 2, 'machines': {}}
    """
    if not path.exists():
        return {"format": FORMAT, "machines": {}}
    stored = json.loads(path.read_text())
    if "machines" in stored:  # keyed again: a key of an older run may lack its kernel
        runs = stored["machines"].values()
        return {"format": FORMAT, "machines": {machine_key(run): run for run in runs}}
    run = {key: value for key, value in stored.items() if key not in ("summary", "targets")}
    return {"format": FORMAT, "machines": {machine_key(run): run}}


def add(store: dict, results: dict) -> dict:
    """The store with ``results`` as its machine's run (an earlier run of it replaced).

    Example:
        >>> run = {"machine": {"cpu": "X", "cpus": 4}, "started": "2026-12-01"}
        >>> sorted(add({"machines": {"Y, 2 logical CPUs": {}}}, run)["machines"])
        ['X, 4 logical CPUs', 'Y, 2 logical CPUs']
    """
    return {"format": FORMAT, "machines": {**store["machines"], machine_key(results): results}}


def document(store: dict, sections: dict[str, str]) -> str:
    """The whole RESULTS.md: the introduction, every machine at a glance, each measured
    machine's section (newest first), then the machines only reported.

    Example:
        >>> text = document({"machines": {}}, {})
        >>> text.startswith("# Benchmarks"), "reported in issue 20" in text
        (True, True)
    """
    runs = sorted(store["machines"].items(), key=lambda item: item[1]["started"], reverse=True)
    lines = [
        "# Benchmarks: glassnet, scikit-learn and PyTorch",
        "",
        "Written by `benchmarks/run.py` (`make bench`), one section per machine it measured, "
        "newest first: a run measures the machine it runs on and replaces that machine's "
        "section only, so the figures of each CPU stay beside the others. Machines whose "
        "figures were reported rather than measured here come last, labelled as such. "
        "`python benchmarks/run.py --render benchmarks/results.json` writes this file again "
        "from the raw measurements.",
        "",
        "## Every machine at a glance",
        "",
        "Workload 1 (MLP 784-256-128-10, float32, the default fit) as ratios measured in one "
        "interleaved run on each machine, and XOR 2-4-1's microseconds per epoch.",
        "",
    ]
    rows = [row for key, run in runs for row in _glance_rows(key, run)]
    rows += [row for machine in REPORTED for row in machine["glance"]]
    header = ["machine", "figures", "optimizer", "batch", "glassnet samples/s", "/ PyTorch",
              "/ scikit-learn", "of GEMM", "XOR us/epoch"]  # fmt: skip
    lines += table(header, rows)
    for key, _ in runs:
        lines += [f"<!-- machine: {key} -->", sections[key], "<!-- /machine -->", ""]
    for machine in REPORTED:
        lines += _reported_section(machine)
    return "\n".join(lines).rstrip("\n")


def _glance_rows(key: str, run: dict) -> list[list[str]]:
    summary = run.get("summary", {})
    xor = next(
        (
            r
            for r in summary.get("tiny", [])
            if r["workload"] == "xor" and r["library"] == "glassnet"
        ),
        None,
    )
    xor_text = f"{xor['microseconds_per_epoch']['median']:.1f}" if xor else "-"
    rows = []
    for ours in summary.get("mlp", []):
        if ours["library"] != "glassnet":
            continue
        speed = ours["samples_per_second"]["median"]
        ratios = []
        for library in ("pytorch", "scikit-learn"):
            theirs = next(
                (r for r in summary["mlp"] if r["library"] == library
                 and r["optimizer"] == ours["optimizer"] and r["batch"] == ours["batch"]),
                None,
            )  # fmt: skip
            ratios.append(
                f"{speed / theirs['samples_per_second']['median']:.2f}x" if theirs else "-"
            )
        gemm = next((g for g in summary.get("gemms", []) if g["batch"] == ours["batch"]), None)
        share = f"{ours['gflops'] / gemm['gflops']:.0%}" if gemm else "-"
        rows.append([key, f"measured {run['started'][:10]}", ours["optimizer"],
                     str(ours["batch"]), f"{speed:,.0f}", *ratios, share, xor_text])  # fmt: skip
    return rows


def _reported_section(machine: dict) -> list[str]:
    lines = [f"## {machine['title']}", "", machine["source"], ""]
    lines += table(machine["header"], machine["rows"])
    for paragraph in machine["text"]:
        lines += [paragraph, ""]
    return lines


# Figures quoted from the issues, for machines run.py has not measured. Each is what the
# issue says, not a measurement of this file's runs: replace a machine's quote by running
# `make bench` on it (its measured section then comes first, the quote stays for history).
REPORTED = [
    {
        "title": "Intel Xeon with AVX-512, PyTorch on MKL: reported in issue 20, not measured here",
        "source": 'Quoted from issue 20 ("Lead PyTorch on every CPU, not only on one"): the '
        "same `make bench` (full mode, interleaved, five counted rounds) on an Intel Xeon with "
        "AVX-512, PyTorch using MKL, before this round's changes to the training step. These "
        "figures were not measured by `run.py` for this file; the CPU model, BLAS kernels and "
        "thread counts beyond this are not known here.",
        "header": [
            "workload 1, float32, batch 128",
            "glassnet",
            "PyTorch",
            "scikit-learn",
            "bare NumPy loop",
        ],  # fmt: skip
        "rows": [
            ["SGD samples/s", "108,975", "122,805", "73,367", "128,557"],
            ["Adam samples/s", "83,507", "85,834", "49,260", "91,513"],
            [
                "share of the step's GEMM throughput (SGD / Adam)",
                "61% / 47%",
                "69% / 48%",
                "41% / 28%",
                "72% / 51%",
            ],  # fmt: skip
        ],
        "glance": [
            [
                "Intel Xeon (AVX-512)",
                "reported, issue 20",
                "sgd",
                "128",
                "108,975",
                "0.89x",
                "1.49x",
                "61%",
                "32",
            ],  # fmt: skip
            [
                "Intel Xeon (AVX-512)",
                "reported, issue 20",
                "adam",
                "128",
                "83,507",
                "0.97x",
                "1.70x",
                "47%",
                "32",
            ],  # fmt: skip
        ],
        "text": [
            "glassnet ran at 0.89x PyTorch with SGD and 0.97x with Adam, 1.49x and 1.70x "
            "scikit-learn. On another shape (600-300-100-10, batch 100) the same machine gave "
            "1.16x PyTorch (SGD) and 1.21x (Adam). XOR 2-4-1: 32 us per epoch (the bare NumPy "
            "epoch: 15 us).",
            "Where the time went, by the issue's figures: the step's matrix products alone "
            "allow 251,321 samples/s (509 us per step of 128); glassnet's step took 1,175 us "
            "with SGD (128 / 108,975 samples/s) and 1,533 us with Adam, so 666 us and 1,024 us "
            "per step were not matrix products: element-wise work on one core (where PyTorch's "
            "kernels use both), the calls through layers, activations and the loss, and what "
            "`fit` records; the evaluation of every row before the first update was 11% of a "
            "2-epoch fit. The targets missed there: glassnet / PyTorch >= 1.2x (missed by 26% "
            "with SGD, 19% with Adam), >= 75% / 65% of the GEMM throughput (61% and 47%), "
            "glassnet / scikit-learn >= 2.0x (1.49x, 1.70x), XOR <= 20 us (32 us).",
            "This round's changes to the step (kept arrays instead of allocations, the "
            "optimizer's element-wise passes on both cores, less Python per epoch) aim at those "
            "parts on both vendors; they are measured on the AMD machine above and not yet "
            "here: run `make bench` on such a machine to add its measured section.",
        ],
    },
]
