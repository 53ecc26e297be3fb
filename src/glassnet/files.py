"""Writing files safely: all of a file, or nothing at all.

Every file glassnet writes (model files, predictions, pictures, training logs) goes
through ``write_atomically``: the content is written under a temporary name in the same
folder and renamed into place only when complete. A crash, an error or an interrupt
never leaves a half-written file, and an existing file is replaced only by a whole one.

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
import secrets
from collections.abc import Callable

__all__ = ["write_atomically"]


def write_atomically(path: str | os.PathLike, write: Callable[[str], None]) -> None:
    """Call ``write(temporary_path)`` to write the file, then rename it to ``path``.

    The temporary name keeps ``path``'s extension, so writers that choose a format from
    it (matplotlib) see the right one. On any failure the temporary file is removed and
    ``path`` is left as it was; an ``OSError`` is raised again as one line naming ``path``.

    Example:
        >>> write_atomically("/no/such/folder/x.csv", print)
        Traceback (most recent call last):
        OSError: cannot write /no/such/folder/x.csv: the folder /no/such/folder does not exist
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise OSError(f"cannot write {path}: the folder {directory} does not exist")
    if os.path.isdir(path):
        raise OSError(f"cannot write {path}: it is a folder")
    stem, extension = os.path.splitext(os.path.basename(path))
    temporary = os.path.join(
        directory, f".{stem}.{os.getpid()}-{secrets.token_hex(4)}.tmp{extension}"
    )
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise OSError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
