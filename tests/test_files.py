"""Writing files atomically: all of the new file, or the old one untouched."""

import os

import pytest

from glassnet.files import write_atomically


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "model.glassnet"
    path.write_text("the old, complete file")

    def half_then_crash(temporary):
        with open(temporary, "w") as handle:
            handle.write("half of the new")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, half_then_crash)
    assert path.read_text() == "the old, complete file"
    assert os.listdir(tmp_path) == ["model.glassnet"]


def test_a_complete_write_replaces_the_file_and_keeps_the_extension_for_the_writer(tmp_path):
    path = tmp_path / "picture.png"
    seen = []

    def write(temporary):
        seen.append(os.path.splitext(temporary)[1])
        with open(temporary, "w") as handle:
            handle.write("new")

    write_atomically(path, write)
    assert path.read_text() == "new" and seen == [".png"]
    assert os.listdir(tmp_path) == ["picture.png"]


def test_an_os_error_is_one_line_naming_the_path(tmp_path):
    def fail(temporary):
        raise PermissionError(13, "Permission denied")

    with pytest.raises(OSError, match=r"cannot write .*x\.csv: Permission denied$"):
        write_atomically(tmp_path / "x.csv", fail)
    with pytest.raises(OSError, match="it is a folder"):
        write_atomically(tmp_path, fail)
