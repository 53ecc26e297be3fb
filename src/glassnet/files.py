"""Writing files safely: all of a file, or nothing at all, and never over what is not a file.

Every file glassnet writes (model files, predictions, pictures, training logs) goes
through ``write_atomically``. What happens depends on what the path names:

- a new name, or a regular file (also through a symbolic link): the content is written
  under a short temporary name in the same folder and renamed into place only when
  complete. A crash, an error or an interrupt never leaves a half-written file, and an
  existing file is replaced only by a whole one. A link stays a link: the file it points
  to gets the new content.
- a stream: ``-`` (standard output), a character device such as ``/dev/null`` or a
  terminal, a FIFO, or ``/dev/stdout``: the content is still made whole in a temporary
  file first, then copied into the stream. The device, the pipe or the link is never
  replaced by a regular file.
- anything else (a folder, a socket, a block device) is refused in one line.

Temporary files are named ``.gnPID-XXXXXXXX.tmp`` plus the target's extension: short, so
a target name near the file system's limit still fits, and marked with the writer's
process id, so that a temporary left by a process that was killed (SIGKILL leaves no
chance to clean up) is swept away at the next write into the same folder.

Example:
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "note.txt")
    ...     write_atomically(path, lambda temporary: open(temporary, "w").close())
    ...     os.listdir(folder)
    ['note.txt']
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable

__all__ = [
    "STANDARD_OUTPUT",
    "remove_unfinished",
    "sweep_stale_temporaries",
    "target_kind",
    "write_atomically",
]

STANDARD_OUTPUT = "-"
_UNFINISHED: set[str] = set()  # the temporaries this process has begun and not finished
_TEMPORARY = re.compile(r"^\.gn(?P<pid>\d+)-[0-9a-f]{8}\.tmp")


def target_kind(path: str | os.PathLike[str]) -> str:
    """What writing to ``path`` would do: "new", "file" (a regular file, maybe through a
    link) or "stream" (standard output, a character device, a FIFO); raises OSError in
    one line for anything else.

    Example:
        >>> target_kind("-"), target_kind("/dev/null")
        ('stream', 'stream')
        >>> target_kind("/")
        Traceback (most recent call last):
        OSError: cannot write /: it is a folder
    """
    path = os.fspath(path)
    if path == STANDARD_OUTPUT:
        return "stream"
    try:
        mode = os.stat(path).st_mode  # follows links: /dev/stdout is a link to fd 1
    except FileNotFoundError:
        if os.path.islink(path):
            raise OSError(f"cannot write {path}: it is a link to nothing") from None
        return "new"
    except OSError as error:
        raise OSError(f"cannot write {path}: {error.strerror or error}") from None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "stream"
    what = "a folder" if stat.S_ISDIR(mode) else "a socket" if stat.S_ISSOCK(mode) else (
        "a block device" if stat.S_ISBLK(mode) else "not a regular file")  # fmt: skip
    raise OSError(f"cannot write {path}: it is {what}")


def write_atomically(path: str | os.PathLike[str], write: Callable[[str], None]) -> None:
    """Call ``write(temporary_path)`` to write the file, then put it at ``path``.

    The temporary name keeps ``path``'s extension, so writers that choose a format from
    it (matplotlib) see the right one. On any failure the temporary file is removed and
    ``path`` is left as it was; an ``OSError`` is raised again as one line naming ``path``.

    Example:
        >>> write_atomically("/no/such/folder/x.csv", print)
        Traceback (most recent call last):
        OSError: cannot write /no/such/folder/x.csv: the folder /no/such/folder does not exist
    """
    path = os.fspath(path)
    kind = target_kind(path)
    if kind == "stream":
        _write_stream(path, write)
        return
    destination = os.path.realpath(path) if kind == "file" else os.path.abspath(path)
    directory = os.path.dirname(destination)
    if not os.path.isdir(directory):
        shown = os.path.dirname(os.path.abspath(path))
        raise OSError(f"cannot write {path}: the folder {shown} does not exist")
    sweep_stale_temporaries(directory)
    temporary = _temporary_name(directory, path)
    _UNFINISHED.add(temporary)  # before the file exists: remove_unfinished can always find it
    try:
        write(temporary)
        os.replace(temporary, destination)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise OSError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
    finally:
        _UNFINISHED.discard(temporary)


def remove_unfinished() -> list[str]:
    """Remove every temporary file this process is still writing; returns their paths.

    A program that ends on a signal calls this last, so that no temporary survives even
    when the signal arrived where no clean-up of the writer itself could run.

    Example:
        >>> remove_unfinished()
        []
    """
    removed = []
    for temporary in sorted(_UNFINISHED):
        with contextlib.suppress(OSError):
            os.remove(temporary)
            removed.append(temporary)
    _UNFINISHED.clear()
    return removed


def _temporary_name(directory: str, path: str) -> str:
    extension = os.path.splitext(path)[1]
    return os.path.join(directory, f".gn{os.getpid()}-{secrets.token_hex(4)}.tmp{extension}")


def _write_stream(path: str, write: Callable[[str], None]) -> None:
    """Make the content whole in a private temporary folder, then copy it into the stream."""
    _sweep_stale_stream_folders()
    # The folder names its writer's process, so that one left by a killed writer is swept.
    with tempfile.TemporaryDirectory(prefix=f"glassnet-{os.getpid()}-") as folder:
        temporary = _temporary_name(folder, path)
        try:
            write(temporary)
            with open(temporary, "rb") as source:
                if path == STANDARD_OUTPUT:
                    sys.stdout.flush()
                    shutil.copyfileobj(source, sys.stdout.buffer)
                    sys.stdout.buffer.flush()
                else:
                    with open(path, "wb") as stream:
                        shutil.copyfileobj(source, stream)
        except OSError as error:
            shown = "standard output" if path == STANDARD_OUTPUT else path
            raise OSError(f"cannot write {shown}: {error.strerror or error}") from None


_STREAM_FOLDER = re.compile(r"^glassnet-(?P<pid>\d+)-")


def _sweep_stale_stream_folders() -> None:
    """Remove the temporary folders of stream writes whose process is gone."""
    root = tempfile.gettempdir()
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        match = _STREAM_FOLDER.match(name)
        if match is not None and not _alive(int(match["pid"])):
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)


def sweep_stale_temporaries(directory: str) -> list[str]:
    """Remove the temporary files in ``directory`` whose writing process is gone (killed
    before it could clean up); returns their names. Files of live processes stay.

    Example:
        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     dead = os.path.join(folder, ".gn999999999-0123abcd.tmp.csv")
        ...     open(dead, "w").close()
        ...     sweep_stale_temporaries(folder), os.listdir(folder)
        (['.gn999999999-0123abcd.tmp.csv'], [])
    """
    removed: list[str] = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        match = _TEMPORARY.match(name)
        if match is None or _alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            os.remove(os.path.join(directory, name))
            removed.append(name)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # no such process; no process has that number
        return False
    except OSError:
        return True  # another user's process: leave its file be
    return True
