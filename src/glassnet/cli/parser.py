"""The parser of the command line: one function per command group adds its subcommands.

Each subcommand sets ``handler`` to its ``run_NAME`` function; ``glassnet.cli.main`` calls
it. A new command is a ``run_NAME`` in the module of its group and an ``_add_NAME`` here,
with the shared options of ``glassnet.cli.conventions``: ``--quiet`` and ``--verbose``
(saying what each does for it), ``--format`` for a choice of output, ``--delimiter`` if it
reads CSV files; an option renamed keeps its old spelling as a ``Renamed`` alias.

Example:
    >>> args = build_parser().parse_args(["train", "or.csv", "--target", "y", "--out", "m"])
    >>> args.handler.__name__, args.hidden, args.learning_rate
    ('run_train', (16,), 0.01)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, Protocol

from glassnet import __version__
from glassnet.cli.completion import SHELLS, run_completion
from glassnet.cli.conventions import (
    Parser,
    Renamed,
    add_delimiter,
    add_format,
    add_verbosity,
)
from glassnet.cli.export import EXPORT_FORMATS, run_export
from glassnet.cli.inspection import run_evaluate, run_info, run_predict, run_trace
from glassnet.cli.lessons import run_lessons
from glassnet.cli.options import (
    check_value,
    column_pair,
    count,
    fraction,
    hidden_sizes,
    non_negative_count,
    numbers,
    port,
    positive_number,
    significant_digits,
)
from glassnet.cli.perceptron import run_perceptron
from glassnet.cli.pictures import PICTURE_KINDS, run_demo_command, run_plot
from glassnet.cli.playground import run_playground
from glassnet.cli.train import HIDDEN_ACTIVATIONS, MAX_INTEGER_CLASSES, run_train
from glassnet.engine.optimizers import OPTIMIZERS
from glassnet.engine.recipes import CLASSIFICATION_LOSSES, REGRESSION_LOSSES
from glassnet.glassbox.tutorials import DEMOS

__all__ = ["build_parser"]


class Commands(Protocol):
    """What the ``_add_NAME`` functions are given: argparse's list of commands."""

    def add_parser(self, name: str, **kwargs: Any) -> Parser: ...


def _command(commands: Commands, name: str, handler: Callable[[argparse.Namespace], int],
             help: str, example: str, description: str | None = None) -> Parser:  # fmt: skip
    parser = commands.add_parser(
        name,
        help=help,
        summary=help,
        description=description or help[0].upper() + help[1:] + ".",
        epilog=f"Example: {example}",
    )
    parser.set_defaults(handler=handler)
    return parser


def _add_demo(commands: Commands) -> None:
    demo = _command(commands, "demo", run_demo_command,
                    "reproduce the tutorials as worked examples",
                    "glassnet demo perceptron-or --format json",
                    "Reproduce the tutorials glassnet grew from, every number printed: "
                    + ", ".join(DEMOS) + ". With no NAME, all of them.")  # fmt: skip
    demo.add_argument(
        "name", nargs="?", choices=list(DEMOS), metavar="NAME", help="one of: " + ", ".join(DEMOS)
    )
    add_format(demo, "the numbers")
    add_verbosity(demo, "the worked examples only, no line about the pictures",
                  "each picture's path on its own line")  # fmt: skip
    demo.add_argument("--decimals", type=non_negative_count, metavar="PLACES",
                      help="round the printed numbers to PLACES decimal places, as the "
                      "tutorials print them (the JSON keeps every digit)")  # fmt: skip
    demo.add_argument("--pictures", metavar="DIR",
                      help="where the pictures go (default glassnet-demo; drawn when all "
                      "demos run or this is given; needs the plot extra)")  # fmt: skip


def _add_plot(commands: Commands) -> None:
    picture = _command(commands, "plot", run_plot,
                       "draw decision regions, a loss curve, a network, a training GIF or "
                       "one row's computation graph",
                       "glassnet plot boundary --model iris.glassnet --data iris.csv "
                       "--features 0,2 --out iris.png")  # fmt: skip
    picture.add_argument("kind", choices=list(PICTURE_KINDS),
                         help="boundary: decision regions; loss: per epoch; network: neurons "
                         "and weights; animation: a GIF of the regions while training; graph: "
                         "one row's computation graph, each node's value and gradient")  # fmt: skip
    picture.add_argument("--model", metavar="MODEL", help="a model file")
    picture.add_argument("--example", choices=["or", "xor", "spirals"],
                         help="a built-in example trained on the spot: or (tutorial 002's "
                         "perceptron), xor (2-4-1), spirals (2-32-32-3)")  # fmt: skip
    picture.add_argument("--data", metavar="DATA.csv",
                         help="boundary, animation, graph: the rows (with --model)")  # fmt: skip
    picture.add_argument("--row", type=non_negative_count, metavar="N",
                         help="graph: the data row drawn, counting from 0 (default 0)")  # fmt: skip
    picture.add_argument("--target", metavar="COLUMN",
                         help="the target column, if the model file does not name it")  # fmt: skip
    picture.add_argument("--history", metavar="LOG.csv",
                         help="loss: a training log as glassnet.CSVLogger writes it")  # fmt: skip
    picture.add_argument("--features", type=column_pair, metavar="I,J",
                         help="boundary, animation: the two columns drawn, from 0")  # fmt: skip
    picture.add_argument("--x", type=numbers, metavar="X1,X2,...",
                         help="network: one sample, whose z and a label the neurons")  # fmt: skip
    picture.add_argument("--metric", help="loss: also draw this metric, e.g. accuracy")
    picture.add_argument("--log-scale", action="store_true",
                         help="loss: a logarithmic loss axis")  # fmt: skip
    picture.add_argument("--log", dest="log_scale", action=Renamed, nargs=0, const=True,
                         replacement="--log-scale")  # fmt: skip
    picture.add_argument("--epochs", type=count, help="animation: epochs to train")
    picture.add_argument("--learning-rate", type=positive_number, metavar="RATE",
                         help="animation: a network's learning rate")  # fmt: skip
    picture.add_argument("--out", required=True, metavar="PATH",
                         help="the picture: .png, .svg, .pdf (.gif: animation)")  # fmt: skip
    add_delimiter(picture)
    add_verbosity(picture, "print nothing but errors", "also what was read and the picture's "
                  "size in bytes")  # fmt: skip


def _add_network_options(train: argparse.ArgumentParser) -> None:
    """The network ``train`` builds: its task, layers and loss."""
    train.add_argument(
        "--task",
        choices=["auto", "classification", "regression"],
        default="auto",
        help=f"auto: text labels or at most {MAX_INTEGER_CLASSES} distinct integers are classes",
    )
    train.add_argument(
        "--hidden",
        type=hidden_sizes,
        default=(16,),
        metavar="SIZES",
        help="neurons per hidden layer, e.g. 16,8 (default 16; 0 for none)",
    )
    train.add_argument("--activation", choices=HIDDEN_ACTIVATIONS, default="relu",
                       help="hidden layers' activation (default relu)")  # fmt: skip
    train.add_argument("--dropout", type=fraction, default=0.0, metavar="RATE",
                       help="dropout after each hidden layer (default 0)")  # fmt: skip
    train.add_argument(
        "--loss",
        choices=["auto", *REGRESSION_LOSSES, *CLASSIFICATION_LOSSES],
        default="auto",
        help="auto: crossentropy for classes (binary for two), mse for values",
    )
    train.add_argument(
        "--standardize",
        action="store_true",
        help="scale each feature to mean 0 and standard deviation 1 (saved "
        "with the model and applied to new data)",
    )
    train.add_argument("--dtype", choices=["float64", "float32"], default="float64",
                       help="float32 halves the memory and is faster")  # fmt: skip


def _add_fit_options(train: argparse.ArgumentParser) -> None:
    """How ``train`` fits the network: optimizer, rate, epochs, batches, validation."""
    train.add_argument(
        "--optimizer", choices=sorted(OPTIMIZERS), default="adam", help="default adam"
    )
    train.add_argument(
        "--learning-rate", type=positive_number, default=0.01, metavar="RATE", help="default 0.01"
    )
    train.add_argument("--epochs", type=count, default=100, help="default 100")
    train.add_argument(
        "--batch-size", type=count, default=32, metavar="ROWS", help="rows per update (default 32)"
    )
    train.add_argument("--validation-split", type=fraction, default=0.2, metavar="SHARE",
                       help="share of rows held out to validate (default 0.2)")  # fmt: skip
    train.add_argument(
        "--early-stopping",
        type=non_negative_count,
        metavar="PATIENCE",
        help="stop when the validation loss (the training loss, with --validation-split 0) "
        "has not improved for PATIENCE epochs, keeping the best weights",
    )
    train.add_argument("--log", metavar="FILE.csv",
                       help="write the loss and metrics of every epoch to a CSV file")  # fmt: skip
    train.add_argument(
        "--seed",
        type=non_negative_count,
        default=0,
        help="seeds the starting weights, the split and the batch order",
    )


def _add_train(commands: Commands) -> None:
    train = _command(
        commands,
        "train",
        run_train,
        "train a network on a CSV file and save it",
        "glassnet train iris.csv --target species --hidden 8 --standardize --out iris.glassnet",
    )
    train.add_argument("data", metavar="DATA.csv",
                       help="a CSV file with a header row (- for standard input)")  # fmt: skip
    train.add_argument("--target", required=True, metavar="COLUMN", help="the column to predict")
    train.add_argument("--out", required=True, metavar="MODEL",
                       help="where to save the model (- for standard output)")  # fmt: skip
    _add_network_options(train)
    _add_fit_options(train)
    add_delimiter(train)
    add_verbosity(train, "no progress and no notes: the figures table only",
                  "also what was read, every epoch's figures and the time of each "
                  "stage")  # fmt: skip


def _add_perceptron(commands: Commands) -> None:
    perceptron = _command(
        commands,
        "perceptron",
        run_perceptron,
        "train a Rosenblatt perceptron and print its epoch table",
        "glassnet perceptron and.csv --target y --no-bias --weights 0.3,-0.1 --threshold 0.2 "
        "--step-at-zero 1 --mode online --rows (Negnevitsky's table)",
    )
    perceptron.add_argument("data", metavar="DATA.csv", help="a CSV file with a header row")
    perceptron.add_argument(
        "--target", required=True, metavar="COLUMN", help="the column to predict (two classes)"
    )
    perceptron.add_argument(
        "--learning-rate", type=positive_number, default=0.1, metavar="RATE", help="default 0.1"
    )
    perceptron.add_argument("--epochs", type=count, default=100,
                            help="at most this many epochs (default 100)")  # fmt: skip
    perceptron.add_argument("--max-epochs", dest="epochs", type=count, action=Renamed,
                            replacement="--epochs")  # fmt: skip
    perceptron.add_argument("--mode", choices=["batch", "online"], default="batch",
                            help="batch: one update per epoch; online: one per row")  # fmt: skip
    perceptron.add_argument("--activation", choices=["step", "sign"],
                            help="step (0/1 targets) or sign (-1/1, Fausett's)")  # fmt: skip
    perceptron.add_argument("--no-bias", action="store_true", help="no bias term")
    perceptron.add_argument("--bias", type=float, metavar="B", help="the starting bias, default 0")
    perceptron.add_argument("--weights", type=numbers, metavar="W1,W2,...",
                            help="the starting weights, one per feature")  # fmt: skip
    perceptron.add_argument("--threshold", type=float, default=0.0, metavar="THETA",
                            help="theta, subtracted from the net input, never learned")  # fmt: skip
    perceptron.add_argument("--step-at-zero", type=int, choices=[0, 1], default=0,
                            help="the output at z = 0 (Negnevitsky's step gives 1)")  # fmt: skip
    perceptron.add_argument("--rule", choices=["rosenblatt", "fausett"], default="rosenblatt",
                            help="rosenblatt: w += alpha e x; fausett: bipolar targets, "
                                 "w += alpha t x only when wrong")  # fmt: skip
    perceptron.add_argument("--band", type=float, default=0.0, metavar="THETA",
                            help="fausett: the output is 0 for -THETA <= z <= THETA")  # fmt: skip
    perceptron.add_argument("--arithmetic", choices=["auto", "float64", "exact"], default="auto",
                            help="auto: exact for small tables of short decimals")  # fmt: skip
    perceptron.add_argument("--rows", action="store_true",
                            help="print the books' table, a row per sample")  # fmt: skip
    perceptron.add_argument(
        "--shuffle", action="store_true", help="online mode: a new row order each epoch"
    )
    perceptron.add_argument(
        "--seed", type=non_negative_count, default=0, help="seeds the starting weights"
    )
    perceptron.add_argument("--out", metavar="MODEL", help="save the perceptron")
    add_format(perceptron, "the table")
    add_delimiter(perceptron)
    add_verbosity(perceptron, "the table and the verdict only: no heading, rule or saved line",
                  "also what was read and how long training took")  # fmt: skip


def _add_model_and_data(command: argparse.ArgumentParser) -> None:
    """The arguments of every command that runs a saved model on a data file."""
    command.add_argument("model", metavar="MODEL", help="a model file")
    command.add_argument(
        "data",
        metavar="DATA.csv",
        help="a CSV file (- for standard input); columns are matched to the model's by name",
    )
    command.add_argument(
        "--target", metavar="COLUMN", help="the target column, if the model file does not name it"
    )


def _add_allow_nonfinite(command: argparse.ArgumentParser) -> None:
    command.add_argument("--allow-nonfinite", action="store_true",
                         help="go on when the model's outputs are NaN or infinite (refused "
                         "otherwise, naming the first such row)")  # fmt: skip


def _add_evaluate_and_predict(commands: Commands) -> None:
    evaluate = _command(commands, "evaluate", run_evaluate,
                        "the loss and metrics of a saved model on a CSV file",
                        "glassnet evaluate iris.glassnet iris.csv")  # fmt: skip
    _add_model_and_data(evaluate)
    add_format(evaluate, "the metrics")
    _add_allow_nonfinite(evaluate)
    add_delimiter(evaluate)
    add_verbosity(evaluate, "the figures only, without the heading line",
                  "also what was read and the model's layers")  # fmt: skip
    predict = _command(
        commands,
        "predict",
        run_predict,
        "one prediction per row of a CSV file, as CSV",
        "glassnet predict iris.glassnet new.csv --proba --out predictions.csv",
    )
    _add_model_and_data(predict)
    predict.add_argument("--proba", action="store_true", help="add each class's probability")
    predict.add_argument("--out", metavar="FILE", help="write here instead of standard output "
                         "(- writes standard output, its text exactly as it is)")  # fmt: skip
    _add_allow_nonfinite(predict)
    add_delimiter(predict)
    add_verbosity(predict, "the predictions only, no note on standard error",
                  "also what was read and how many rows were predicted, on standard "
                  "error")  # fmt: skip


def _add_trace(commands: Commands) -> None:
    trace = _command(commands, "trace", run_trace,
                     "the worked example of one training step on one row",
                     "glassnet trace iris.glassnet iris.csv --row 3 --format markdown")  # fmt: skip
    _add_model_and_data(trace)
    trace.add_argument("--row", type=non_negative_count, default=0, metavar="N",
                       help="the data row to trace, counting from 0 (the first after the "
                       "header is row 0)")  # fmt: skip
    add_format(trace, "the step", ("text", "markdown", "json", "ipynb"),
               "text (default), markdown, json; ipynb: a notebook that recomputes the step "
               "in NumPy (with --out)")  # fmt: skip
    trace.add_argument("--out", metavar="STEP.ipynb", help="where --format ipynb writes")
    trace.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default=None,
                       help="the step's rule (default: the model's own)")  # fmt: skip
    trace.add_argument("--learning-rate", type=positive_number, default=None, metavar="RATE",
                       help="its learning rate (default: the model's, else 0.1)")  # fmt: skip
    trace.add_argument("--digits", type=significant_digits, default=None,
                       help="significant digits, 1 to 17 (default: full precision)")  # fmt: skip
    trace.add_argument("--decimals", type=non_negative_count, default=None, metavar="PLACES",
                       help="decimal places instead, as the tutorials print them")  # fmt: skip
    trace.add_argument(
        "--check",
        type=check_value,
        action="append",
        metavar="NAME=VALUE",
        help="a value worked by hand, marked right or wrong (repeatable)",
    )
    trace.add_argument("--tolerance", type=fraction, default=0.01,
                       help="relative tolerance of --check (default 0.01)")  # fmt: skip
    add_delimiter(trace)
    add_verbosity(trace, "the step only, without the line saying which row and rule",
                  "also what was read and the model's layers")  # fmt: skip


def _add_info(commands: Commands) -> None:
    info = _command(commands, "info", run_info,
                    "what a model file holds: layers, how it was trained, its metrics",
                    "glassnet info iris.glassnet")  # fmt: skip
    info.add_argument("model", metavar="MODEL", help="a model file")
    add_format(info, "what the file holds")
    add_verbosity(info, "the layers and the figures only",
                  "also the diagnostics of its training, as the file keeps them")  # fmt: skip


def _add_export(commands: Commands) -> None:
    export = _command(commands, "export", run_export,
                      "a model file in another library's format: ONNX (the onnx extra)",
                      "glassnet export iris.glassnet --format onnx --out iris.onnx")  # fmt: skip
    export.add_argument("model", metavar="MODEL", help="a model file")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="onnx",
                        help="the format to write (default onnx)")  # fmt: skip
    export.add_argument("--out", required=True, help="the file to write")
    export.add_argument("--dtype", choices=("float32", "float64"), default="float32",
                        help="the numbers of the exported model (default float32)")  # fmt: skip
    add_verbosity(export, "print nothing but errors", "also the file's size and the model's "
                  "outputs")  # fmt: skip


def _add_lessons(commands: Commands) -> None:
    lessons = _command(commands, "lessons", run_lessons,
                       "copy the lessons (Jupyter notebooks) to a folder and say how to open "
                       "them", "glassnet lessons my-lessons")  # fmt: skip
    lessons.add_argument("folder", nargs="?", default="glassnet-lessons", metavar="FOLDER",
                         help="where the lessons go (default glassnet-lessons)")  # fmt: skip
    lessons.add_argument("--force", action="store_true",
                         help="replace lessons already in the folder")  # fmt: skip
    add_verbosity(lessons, "print nothing but errors", "each lesson's path on its own line")


def _add_playground(commands: Commands) -> None:
    playground = _command(
        commands,
        "playground",
        run_playground,
        "a local web page that trains a network live and shows the maths of every neuron",
        "glassnet playground --open",
    )
    playground.add_argument("--port", type=port, default=0,
                            help="port on 127.0.0.1 (default 0: any free port, printed on "
                            "start)")  # fmt: skip
    playground.add_argument("--open", action="store_true", help="open the page in a browser")
    add_verbosity(playground, "the address line only (the server prints nothing else)",
                  "also where the page's files are served from")  # fmt: skip


def _add_completion(commands: Commands) -> None:
    completion = _command(commands, "completion", run_completion,
                          "print a shell completion script for bash or zsh",
                          "glassnet completion bash > ~/.glassnet.bash   (then in ~/.bashrc: "
                          "source ~/.glassnet.bash)",
                          "Print a script that completes glassnet's commands, options and "
                          "choices in bash or zsh, generated from this parser.")  # fmt: skip
    completion.add_argument("shell", choices=list(SHELLS), help="bash or zsh")
    add_verbosity(completion, "the script only (as by default)",
                  "also how to install it, on standard error")  # fmt: skip


def build_parser() -> Parser:
    """The parser of every subcommand; each sets ``handler`` to its ``run_NAME`` function.

    Example:
        >>> build_parser().parse_args(["info", "m.glassnet"]).handler.__name__
        'run_info'
        >>> build_parser().parse_args(["--debug", "info", "m.glassnet"]).debug
        True
    """
    parser = Parser(
        prog="glassnet",
        description="Neural networks that hide nothing: every number of a forward and "
        "backward pass, traced.",
        epilog="Example: glassnet demo neuron",
    )
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="on a bug in glassnet, show its traceback")  # fmt: skip
    parser.set_defaults(renamed=())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for add in (_add_demo, _add_plot, _add_train, _add_perceptron, _add_evaluate_and_predict,
                _add_trace, _add_info, _add_export, _add_lessons, _add_playground,
                _add_completion):  # fmt: skip
        add(commands)
    parser.commands()["completion"].set_defaults(parser=parser)  # the script is made from it
    return parser
