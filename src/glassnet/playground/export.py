"""The model on screen as a file to download (``GET /api/export``), with the run in its metadata.

The file is a glassnet model file (``glassnet.load`` reads it back) whose metadata holds
the run's settings, the settings it started from, its journal of changes, the data's
feature and target names, its classes, its epoch and its metric values. It is written to
the playground's private folder, read into memory and removed at once.

Example:
    >>> from glassnet.playground.session import Session
    >>> from glassnet.playground.settings import Settings
    >>> import tempfile
    >>> session = Session.create(Settings.parse({"dataset": "xor", "seed": 0}), {})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     print(model_file(session, folder)[1])
    playground-xor-epoch0.glassnet
"""

from __future__ import annotations

import os
import uuid

from glassnet import modelfile
from glassnet.playground.session import Session

__all__ = ["model_file"]


def model_file(session: Session, folder: str) -> tuple[bytes, str]:
    """The session's model file as bytes, and the name to download it under.

    Example:
        >>> import os, tempfile
        >>> from glassnet.playground.session import Session
        >>> from glassnet.playground.settings import Settings
        >>> session = Session.create(Settings.parse({"dataset": "xor", "seed": 0}), {})
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     content, name = model_file(session, folder)
        ...     left = os.listdir(folder)
        >>> content[:2], left  # a zip archive, and nothing left in the folder
        (b'PK', [])
    """
    path = os.path.join(folder, f"{uuid.uuid4().hex}.glassnet")
    with session.lock:
        data = session.data
        metadata = {
            "source": "glassnet playground",
            "settings": session.settings.to_json(),
            "started_with": session.start.to_json(),
            "journal": session.journal,
            "features": data.input_names,
            "target": data.target_name,
            "classes": data.classes,
            "epoch": session.epoch,
            # "figures" is the model file's key for metric values (glassnet.modelfile).
            "figures": session.model_metrics(),
        }
        try:
            modelfile.save(session.model_on_screen(), path, metadata=metadata)
            with open(path, "rb") as handle:
                content = handle.read()
        finally:
            if os.path.exists(path):
                os.remove(path)
    name = f"playground-{session.settings.dataset}-epoch{session.epoch}.glassnet"
    return content, name
