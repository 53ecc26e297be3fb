"""The conventions every command follows (glassnet.cli.conventions): no abbreviations, an
unknown option named with the closest one, one name per idea with the old spellings hidden
but working for one release, --quiet and --verbose everywhere."""

from __future__ import annotations

import json

import pytest

from glassnet.cli.main import main
from glassnet.cli.parser import build_parser

COMMANDS = build_parser().commands()
TRAIN = ["train", "or.csv", "--target", "y", "--out", "never.glassnet"]


def test_every_command_takes_quiet_and_verbose_but_not_both():
    for name, command in COMMANDS.items():
        options = {s for action in command.visible_actions() for s in action.option_strings}
        assert {"-q", "--quiet", "-v", "--verbose"} <= options, name
        with pytest.raises(Exception, match="not allowed with argument -q/--quiet"):
            command.parse_args(["-q", "-v"])


def test_perceptron_quiet_is_no_longer_refused(inside, capsys):
    # The issue: "perceptron --quiet is refused".
    assert main(["perceptron", "or.csv", "--target", "y", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("epoch  weights") and "converged at epoch" in out


UNKNOWN = [
    ("a typo before the required options", ["train", "or.csv", "--targt", "y"],
     "unknown option --targt; did you mean --target? (see 'glassnet train --help')"),
    ("an abbreviation", [*TRAIN, "--epoch", "3"], "unknown option --epoch; did you mean --epochs?"),
    ("the issue's two abbreviations", ["train", "or.csv", "--epoch", "3", "--qui"],
     "unknown option --epoch; did you mean --epochs?"),
    ("an abbreviation of a flag", [*TRAIN, "--standard"],
     "unknown option --standard; did you mean --standardize?"),
    ("a value given with =", ["train", "or.csv", "--targt=y"], "unknown option --targt;"),
    ("an option of another command", ["info", "blobs.glassnet", "--target", "y"],
     "unknown option --target (see 'glassnet info --help')"),
    ("near an old spelling: the new name", ["perceptron", "or.csv", "--target", "y",
                                            "--max-epoch", "3"],
     "unknown option --max-epoch; did you mean --epochs?"),
    ("an unknown command", ["trian", "or.csv"], "unknown command 'trian'; did you mean 'train'?"),
    ("a top-level typo", ["--debgu", "info", "m"], "unknown option --debgu; did you mean --debug?"),
    ("a short option", ["evaluate", "blobs.glassnet", "blobs.csv", "-x"],
     "unknown option -x (see 'glassnet evaluate --help')"),
]  # fmt: skip


@pytest.mark.parametrize(
    "args,message", [case[1:] for case in UNKNOWN], ids=[case[0] for case in UNKNOWN]
)
def test_an_unknown_option_is_named_with_the_closest_one_exit_2(refused, args, message):
    refused(args, 2, message)


def test_the_suggestion_comes_through_the_console_script(refused_by_script):
    refused_by_script(["train", "or.csv", "--targt", "y"], 2, "did you mean --target?")


def test_values_that_start_with_a_dash_are_not_taken_for_options(inside, capsys):
    # "-" is standard input, "-0.5,0.2" a value: neither is an unknown option.
    args = ["perceptron", "or.csv", "--target", "y", "--weights=-0.5,0.2", "--bias", "-0.1"]
    assert main(args) == 0
    assert "unknown option" not in capsys.readouterr().err


def test_argparse_still_lists_the_commands_when_none_is_close(refused):
    refused(["zzzz"], 2, "invalid choice: 'zzzz'")


RENAMED = [
    (["perceptron", "or.csv", "--target", "y", "--json"], "--json", "--format json"),
    (["perceptron", "or.csv", "--target", "y", "--max-epochs", "2"], "--max-epochs", "--epochs"),
    (["evaluate", "blobs.glassnet", "blobs.csv", "--json"], "--json", "--format json"),
    (["info", "blobs.glassnet", "--json"], "--json", "--format json"),
    (["demo", "neuron", "--json"], "--json", "--format json"),
]


@pytest.mark.parametrize(
    "args,old,new", RENAMED, ids=[" ".join(c[0][:1] + [c[1]]) for c in RENAMED]
)
def test_an_old_spelling_works_with_one_warning_naming_the_new(inside, capsys, args, old, new):
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        f"glassnet: warning: {old} is renamed {new}; {old} goes in the next release\n"
    )
    current = [new.split()[0], *new.split()[1:]]
    new_args = [(current if word == old else [word]) for word in args]
    assert main([word for words in new_args for word in words]) == 0
    assert capsys.readouterr().out == captured.out  # the same output as the new spelling


def test_the_warning_is_shown_under_quiet_too(inside, capsys):
    assert main(["info", "blobs.glassnet", "--json", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["kind"] == "Network"
    assert captured.err.startswith("glassnet: warning: --json is renamed --format json")


def test_old_spellings_are_hidden_from_help(capsys):
    for command in ("perceptron", "evaluate", "info", "demo", "plot"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        assert "--json" not in text and "--max-epochs" not in text, command
        assert "--log " not in text and "--log]" not in text, command
    assert build_parser().parse_args(["plot", "loss", "--log", "--out", "x.png"]).log_scale


def test_one_name_per_idea_across_the_commands():
    # Each idea has one spelling: where two commands share it, it is the same option.
    spellings = {}
    for name, command in COMMANDS.items():
        for action in command.visible_actions():
            for option in action.option_strings:
                spellings.setdefault(option, set()).add(name)
    assert {"--json", "--max-epochs"}.isdisjoint(spellings)
    assert spellings["--format"] >= {"demo", "perceptron", "evaluate", "trace", "info", "export"}
    assert spellings["--epochs"] >= {"train", "perceptron", "plot"}
    assert "--log" in spellings and spellings["--log"] == {"train"}  # the log file only
    assert spellings["--delimiter"] == {"train", "perceptron", "evaluate", "predict", "trace",
                                        "plot"}  # fmt: skip


def test_format_json_on_every_command_that_printed_json(inside, capsys):
    for args in (["info", "blobs.glassnet"], ["evaluate", "blobs.glassnet", "blobs.csv"],
                 ["perceptron", "or.csv", "--target", "y"], ["demo", "neuron"],
                 ["trace", "blobs.glassnet", "blobs.csv"]):  # fmt: skip
        assert main([*args, "--format", "json"]) == 0
        json.loads(capsys.readouterr().out)
