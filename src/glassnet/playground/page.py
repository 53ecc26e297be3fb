"""The page before any run: its files and the choices, limits, lessons and presets it offers.

``read_static`` reads the page's files from the package once (``static/`` beside this
module, through ``importlib.resources``), so that no request ever names a path;
``page_options`` is the answer to ``GET /api/options``, gathered from the settings, the
engine's optimizers and perceptron rules, the textbooks' tables and the lessons.

Example:
    >>> sorted(read_static())[:3]
    ['/', '/api.js', '/app.js']
    >>> page_options()["defaults"]["dataset"]
    'xor'
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from glassnet.engine.optimizers import OPTIMIZERS
from glassnet.engine.perceptron_rules import RULES
from glassnet.glassbox.tutorials import TEXTBOOK_TABLES
from glassnet.playground.journal import MAX_JOURNAL, MAX_REPLAY_EPOCHS
from glassnet.playground.lessons import HIDEABLE, LESSONS, PRESETS
from glassnet.playground.settings import (
    DATASETS,
    FEATURES,
    HIDDEN_ACTIVATIONS,
    LIVE,
    LOSSES,
    MAX_CLASSES,
    MAX_EPOCHS_PER_STEP,
    MAX_LAYERS,
    MAX_LEARNING_RATE,
    MAX_NEURONS,
    MAX_POINTS,
    MAX_UPLOAD_BYTES,
    REGRESSION_DATASETS,
    REGULARIZATIONS,
    Settings,
)
from glassnet.playground.store import SESSION_IDLE_SECONDS

__all__ = ["page_options", "read_static"]

STATIC_NAME = re.compile(r"^[a-z][a-z0-9_-]*\.(html|js|css)$")
CONTENT_TYPES = {"html": "text/html", "js": "text/javascript", "css": "text/css"}


def read_static() -> dict[str, tuple[str, bytes]]:
    """The page's files by route, each with its content type, read once from the package.

    Example:
        >>> read_static()["/"][0]
        'text/html; charset=utf-8'
    """
    folder = resources.files("glassnet.playground") / "static"
    pages = {}
    for entry in folder.iterdir():
        match = STATIC_NAME.match(entry.name)
        if match:
            content_type = CONTENT_TYPES[match.group(1)] + "; charset=utf-8"
            route = "/" if entry.name == "index.html" else f"/{entry.name}"
            pages[route] = (content_type, entry.read_bytes())
    return pages


def page_options() -> dict[str, Any]:
    """The choices, limits, lessons and presets the page offers (``GET /api/options``).

    Example:
        >>> options = page_options()
        >>> options["datasets"][:5], options["limits"]["epochs_per_step"]
        (['and', 'or', 'nand', 'nor', 'xor'], 100)
    """
    defaults = Settings().to_json()
    for key in ("layers", "activations", "features"):
        defaults[key] = ",".join(map(str, defaults[key]))
    return {
        "datasets": list(DATASETS),
        "one_feature": ["sine"],
        "regression": list(REGRESSION_DATASETS),
        "features": FEATURES,
        "activations": list(HIDDEN_ACTIVATIONS),
        "losses": list(LOSSES),
        "optimizers": list(OPTIMIZERS),
        "regularizations": list(REGULARIZATIONS),
        "live": list(LIVE),
        "defaults": defaults,
        "hideable": list(HIDEABLE),
        "books": {name: book.citation for name, book in TEXTBOOK_TABLES.items()},
        "rules": list(RULES),
        "lessons": LESSONS,
        "presets": PRESETS,
        "limits": {
            "points": MAX_POINTS,
            "layers": MAX_LAYERS,
            "neurons": MAX_NEURONS,
            "classes": MAX_CLASSES,
            "learning_rate": MAX_LEARNING_RATE,
            "upload_bytes": MAX_UPLOAD_BYTES,
            "epochs_per_step": MAX_EPOCHS_PER_STEP,
            "replay_epochs": MAX_REPLAY_EPOCHS,
            "journal": MAX_JOURNAL,
            "idle_seconds": SESSION_IDLE_SECONDS,
        },
    }
