"""Which errors are the user's to fix, and with which exit code (glassnet.cli.errors)."""

from __future__ import annotations

import pytest

from glassnet.cli.errors import CommandError, UsageError, exit_code, reported_as_command_error
from glassnet.datasets import DataError
from glassnet.modelfile import ModelFileError


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (UsageError("--row 9 is past the end"), 2),
        (DataError("d.csv: the file is empty"), 1),
        (ModelFileError("m.glassnet: not a glassnet model file"), 1),
        (CommandError("training diverged in epoch 1"), 1),
        (FileNotFoundError("cannot write m: no such folder"), 1),
        (ValueError("operands could not be broadcast together"), None),
        (KeyError("W"), None),
        (TypeError("unsupported operand"), None),
    ],
)
def test_each_error_has_its_exit_code(error, code):
    assert exit_code(error) == code


def test_a_library_refusal_of_a_value_becomes_a_command_error():
    with pytest.raises(CommandError, match="^x.jpg: unknown picture format$"):
        with reported_as_command_error():
            raise ValueError("x.jpg: unknown picture format")


def test_recognised_errors_and_bugs_pass_through_unchanged():
    for error in (DataError("d.csv: empty"), UsageError("--x"), RuntimeError("a bug")):
        with pytest.raises(type(error)) as caught:
            with reported_as_command_error():
                raise error
        assert caught.value is error
