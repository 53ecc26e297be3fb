"""A CSV the page uploads: read by ``glassnet.datasets.load_csv``, kept as an ``Upload``;
its values separated by commas, semicolons or tabs (the reader finds which).

The page sends the file's bytes (base64), never text its browser decoded: a file that is
not UTF-8 is then refused with the byte and line that are not, instead of reaching the
server with U+FFFD in place of its letters (which merged the labels "été" and "ètè" into
one class). The file lives in the server's temporary folder only while it is read.

Example:
    >>> import base64, tempfile
    >>> text = b"x1,x2,label\\n0,0,a\\n0,1,b\\n1,0,b\\n1,1,a\\n"
    >>> upload = read_upload("gate.csv", {"data": base64.b64encode(text).decode()}, None,
    ...                      tempfile.gettempdir())
    >>> upload.classes, upload.features, upload.delimiter
    (['a', 'b'], ['x1', 'x2'], ',')
"""

from __future__ import annotations

import base64
import binascii
import csv
import os
import uuid
from http import HTTPStatus
from typing import Any

import numpy as np

from glassnet import datasets
from glassnet.datasets.csvfile import detect_delimiter
from glassnet.playground.data import Upload, encode_classes
from glassnet.playground.settings import MAX_CLASSES, MAX_POINTS, MAX_UPLOAD_BYTES, BadRequest

__all__ = ["read_upload"]


def _content(filename: str, payload: dict[str, Any]) -> bytes:
    """The file's bytes: ``data`` (base64, what the page sends) or ``text`` (an API client's)."""
    if isinstance(payload.get("data"), str):
        try:
            return base64.b64decode(payload["data"], validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest(f"upload: 'data' of {filename} is not base64") from None
    text = payload.get("text")
    if not isinstance(text, str):
        raise BadRequest("upload: 'data' (the file's bytes in base64) or 'text' must hold the "
                         "CSV file's content")  # fmt: skip
    if "\ufffd" in text:
        raise BadRequest(
            f"{filename} holds U+FFFD replacement characters: it was not UTF-8 when it was "
            "read as text, and letters may have merged; save it as UTF-8, or send its bytes"
        )
    return text.encode("utf-8")


def _header(filename: str, content: bytes) -> tuple[list[str], str]:
    """The header row's names (for the target) and the file's delimiter (a comma, a
    semicolon or a tab, as ``datasets.load_csv`` finds it), or ``BadRequest``."""
    text = content.lstrip(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    first = text.splitlines()
    if not first or not first[0].strip():
        raise BadRequest(f"{filename}: the file is empty; expected a header row and data rows")
    delimiter = detect_delimiter(text)
    names = [name.strip() for name in next(csv.reader([first[0]], delimiter=delimiter), [])]
    return names, delimiter


def _load(
    content: bytes, filename: str, target: str, folder: str, delimiter: str
) -> datasets.CSVData:
    """``datasets.load_csv`` of the bytes, through a file in ``folder`` that is gone after."""
    path = os.path.join(folder, f"{uuid.uuid4().hex}.csv")
    try:
        with open(path, "wb") as handle:
            handle.write(content)
        return datasets.load_csv(path, target=target, delimiter=delimiter)
    except datasets.DataError as error:
        raise BadRequest(str(error).replace(path, filename)) from None  # the path stays private
    finally:
        if os.path.exists(path):
            os.remove(path)


def read_upload(filename: str, payload: dict[str, Any], target: str | None, folder: str) -> Upload:
    """An uploaded CSV's two features and target, or ``BadRequest`` saying what is wrong.

    ``payload`` holds ``data`` (the bytes in base64) or ``text``; ``target`` names the target
    column (None: the header's last); the file is written to ``folder`` while it is read.

    Example:
        >>> import tempfile
        >>> read_upload("one.csv", {"text": "a,b\\n1,2\\n"}, None, tempfile.gettempdir())
        Traceback (most recent call last):
        ...
        glassnet.playground.settings.BadRequest: one.csv: the playground needs exactly two feature
        columns besides the target 'b'; found 1: ['a']
    """
    content = _content(filename, payload)
    if len(content) > MAX_UPLOAD_BYTES:
        raise BadRequest(
            f"{filename} is {len(content) / 1e6:.1f} MB; the playground takes CSV files up to "
            f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB (two features and a target need far less)",
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        )
    names, delimiter = _header(filename, content)
    if not target:
        if not names or not names[-1]:
            raise BadRequest(f"{filename}: the first row must name its columns, the target last")
        target = names[-1]
    loaded = _load(content, filename, target, folder, delimiter)
    X, y = loaded.X, loaded.y
    if y is None:  # the target column was named, so load_csv reads it
        raise BadRequest(f"{filename}: no target column {target!r}")
    if X.shape[1] != 2:
        raise BadRequest(
            f"{filename}: the playground needs exactly two feature columns besides the "
            f"target {target!r}; found {X.shape[1]}: {loaded.feature_names}"
        )
    if len(X) > MAX_POINTS * 5:
        raise BadRequest(f"{filename}: {len(X)} rows; the playground takes up to "
                         f"{MAX_POINTS * 5}")  # fmt: skip
    whole = y.dtype.kind in "iU" or (y.dtype.kind == "f" and np.all(y == np.round(y)))
    if y.dtype.kind == "U" or (whole and len(np.unique(y)) <= MAX_CLASSES):
        y, classes = encode_classes(y, f"{filename}: the target column {target!r}")
    else:
        y, classes = y.astype(np.float64), []
    return Upload(X, y, classes, loaded.feature_names, target, delimiter)
