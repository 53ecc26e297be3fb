"""The parser: every command, its options and its help (glassnet.cli.parser)."""

from __future__ import annotations

import pytest

from glassnet.cli.errors import UsageError
from glassnet.cli.main import main
from glassnet.cli.parser import build_parser

COMMANDS = ["demo", "plot", "train", "perceptron", "evaluate", "predict", "trace", "info",
            "export", "lessons", "playground", "completion"]  # fmt: skip
TRAIN = ["train", "--target", "label", "--out", "never.glassnet"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert "Example: glassnet " + command in capsys.readouterr().out


def test_each_command_runs_its_handler():
    parser = build_parser()
    handlers = {
        "train": ["train", "d.csv", "--target", "y", "--out", "m"],
        "perceptron": ["perceptron", "d.csv", "--target", "y"],
        "evaluate": ["evaluate", "m", "d.csv"],
        "predict": ["predict", "m", "d.csv"],
        "trace": ["trace", "m", "d.csv"],
        "info": ["info", "m"],
        "demo_command": ["demo"],
        "plot": ["plot", "loss", "--out", "x.png"],
        "playground": ["playground"],
        "completion": ["completion", "zsh"],
    }
    for name, args in handlers.items():
        assert parser.parse_args(args).handler.__name__ == f"run_{name}"


def test_the_defaults_of_train():
    args = build_parser().parse_args(["train", "d.csv", "--target", "y", "--out", "m"])
    assert (args.hidden, args.activation, args.loss, args.optimizer) == ((16,), "relu", "auto",
                                                                         "adam")  # fmt: skip
    assert (args.learning_rate, args.epochs, args.batch_size) == (0.01, 100, 32)
    assert (args.validation_split, args.early_stopping, args.seed) == (0.2, None, 0)
    assert args.debug is False


def test_a_usage_error_names_the_command_help():
    with pytest.raises(UsageError, match=r"\(see 'glassnet train --help'\)"):
        build_parser().parse_args(["train", "d.csv"])


BAD_INPUT = [
    (
        "unknown activation",
        [*TRAIN, "blobs.csv", "--activation", "swish"],
        2,
        "argument --activation: invalid choice: 'swish'",
    ),
    (
        "unknown optimizer",
        [*TRAIN, "blobs.csv", "--optimizer", "adamw"],
        2,
        "argument --optimizer: invalid choice: 'adamw'",
    ),
    ("no target", ["train", "blobs.csv", "--out", "never.glassnet"], 2, "--target"),
    ("unknown command", ["fit", "blobs.csv"], 2, "invalid choice: 'fit'"),
]


@pytest.mark.parametrize(
    "args,code,message", [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_in_process(refused, args, code, message):
    refused(args, code, message)


@pytest.mark.parametrize(
    "args,code,message", [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_through_the_console_script(refused_by_script, args, code, message):
    refused_by_script(args, code, message)
