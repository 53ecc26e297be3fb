"""Writing files atomically: all of the new file, or the old one untouched."""

import os
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

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


def writing(text):
    """A writer that puts text in the temporary file it is given, and closes it."""
    return lambda temporary: Path(temporary).write_text(text)


def test_a_device_is_written_as_a_stream_never_replaced(tmp_path):
    before = os.stat("/dev/null")
    write_atomically("/dev/null", writing("gone"))
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    assert os.listdir(tmp_path) == []


def test_a_fifo_gets_the_content_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(Path(fifo).read_text()))
    reader.start()
    write_atomically(fifo, writing("a,b\n1,2\n"))
    reader.join(timeout=10)
    assert received == ["a,b\n1,2\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["pipe"]


def test_dash_writes_to_standard_output(capfd):
    write_atomically("-", writing("x,y\n"))
    assert capfd.readouterr().out == "x,y\n"


def test_a_link_to_a_file_stays_a_link_and_its_file_gets_the_content(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_atomically(link, writing("new"))
    assert link.is_symlink() and real.read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["link.csv", "real.csv"]


def test_what_is_neither_a_file_nor_a_stream_is_refused_in_one_line(tmp_path):
    server = socket.socket(socket.AF_UNIX)
    address = tmp_path / "sock"
    server.bind(str(address))
    try:
        with pytest.raises(OSError, match=r"^cannot write .*sock: it is a socket$"):
            write_atomically(address, lambda temporary: None)
    finally:
        server.close()
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OSError, match="it is a link to nothing"):
        write_atomically(dangling, lambda temporary: None)


def test_a_long_name_fits_because_the_temporary_name_is_short(tmp_path):
    path = tmp_path / ("p" * 245 + ".csv")  # 249 characters: the limit is 255
    write_atomically(path, writing("ok"))
    assert path.read_text() == "ok"


def test_a_killed_writers_temporary_is_swept_at_the_next_write(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # a process id that no longer runs
    stale = tmp_path / f".gn{child.pid}-0123abcd.tmp.glassnet"
    stale.write_text("half a model")
    mine = tmp_path / f".gn{os.getpid()}-89abcdef.tmp.csv"  # a live writer's: kept
    mine.write_text("being written")
    write_atomically(tmp_path / "model.glassnet", writing("whole"))
    assert sorted(os.listdir(tmp_path)) == [mine.name, "model.glassnet"]


def test_a_killed_stream_writers_folder_is_swept_at_the_next_stream_write(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    left = Path(tempfile.gettempdir()) / f"glassnet-{child.pid}-abcd1234"
    left.mkdir()
    (left / ".gn1-00000000.tmp").write_text("half")
    write_atomically("/dev/null", writing("x"))
    assert not left.exists()
