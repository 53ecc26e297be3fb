"""``glassnet export``: a model file in another library's format (ONNX).

Example:
    >>> from glassnet.cli.main import main
    >>> main(["export", "iris.glassnet", "--out", "iris.onnx"])  # doctest: +SKIP
    0
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from glassnet.cli.errors import CommandError
from glassnet.cli.files import check_distinct, check_writable
from glassnet.engine.network import Network
from glassnet.modelfile import read

__all__ = ["EXPORT_FORMATS", "run_export"]

EXPORT_FORMATS = ("onnx",)


def run_export(args: argparse.Namespace) -> int:
    """``glassnet export MODEL --format onnx --out model.onnx [--dtype float64]``.

    The ONNX model takes ``X`` (N, n_inputs); a classifier gives ``label`` and
    ``probabilities``, a regressor ``variable``. A perceptron model is refused in one line.
    ``--quiet`` prints nothing; ``--verbose`` adds the outputs and the file's size.

    Example:
        >>> from glassnet.cli.parser import build_parser
        >>> args = build_parser().parse_args(["export", "m.glassnet", "--out", "m.onnx"])
        >>> args.handler is run_export, args.format, args.dtype
        (True, 'onnx', 'float32')
    """
    check_distinct({"the model file": args.model}, {"--out": args.out})
    check_writable(args.out)
    model = read(args.model).model
    if not isinstance(model, Network):
        raise CommandError(
            f"{args.model} holds a {type(model).__name__}; only networks export to ONNX"
        )
    try:
        from glassnet.interop import save_onnx

        save_onnx(model, args.out, dtype=np.dtype(args.dtype))
    except ImportError as error:
        raise CommandError(str(error)) from None
    if args.quiet:
        return 0
    print(f"wrote {args.out}: ONNX ({args.dtype}), input X of {model.n_inputs} columns")
    if args.verbose:
        outputs = "label and probabilities" if model.classes is not None else "variable"
        size = os.path.getsize(args.out) if os.path.isfile(args.out) else None
        print(f"outputs: {outputs}; {model.n_outputs} output columns"
              + ("" if size is None else f"; {size:,} bytes"))  # fmt: skip
    return 0
