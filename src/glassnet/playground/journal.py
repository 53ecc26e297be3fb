"""Rebuilding a run to the last digit: its starting settings, its journal, its epoch count.

A page whose session has gone (the server restarted, or the run sat idle past
``store.SESSION_IDLE_SECONDS``) sends what it knows: the settings the run started from,
the journal of what changed while it trained (each entry the epoch it came at and either
the live settings that took effect or a weight edited by hand) and the epoch it was at.
``rebuild`` trains a new session of the same seed through the same changes at the same
epochs; training is deterministic, so the weights come out equal to the last digit.

Example:
    >>> from glassnet.playground.session import Session
    >>> from glassnet.playground.settings import Settings
    >>> first = Session.create(Settings(dataset="xor", points=40), {})
    >>> first.step(4); _ = first.change(Settings(dataset="xor", points=40, lr=0.1)); first.step(3)
    >>> again = Session.create(first.start, {})
    >>> rebuild(again, {"epoch": 7, "journal": first.journal})
    >>> pairs = zip(again.network.get_weights(), first.network.get_weights())
    >>> all((a == b).all() for a, b in pairs)
    True
"""

from __future__ import annotations

from typing import Any

from glassnet.engine.validation import check_integer
from glassnet.playground.session import Session
from glassnet.playground.settings import (
    LIVE,
    MAX_EPOCHS_PER_STEP,
    BadRequest,
    Settings,
    as_bad_request,
)

__all__ = ["MAX_JOURNAL", "MAX_REPLAY_EPOCHS", "rebuild"]

MAX_REPLAY_EPOCHS = 100_000  # a rebuild trains at most this many epochs
MAX_JOURNAL = 10_000  # changes and edits a run may record


def _train_to(session, epoch: int) -> None:
    """Train the session up to ``epoch`` in frames of at most MAX_EPOCHS_PER_STEP epochs,
    so that other sessions train in between; a run that stops (diverges) stops here too."""
    while session.epoch < epoch and not session.message:
        session.step(min(MAX_EPOCHS_PER_STEP, epoch - session.epoch))


def _entry(raw, index: int, last: int, target: int) -> tuple[int, dict[str, Any]]:
    """One journal entry as (epoch, entry), checked: epochs in order, a known kind."""
    what = f"replay: journal entry {index + 1}"
    if not isinstance(raw, dict) or len(raw.keys() & {"settings", "edit"}) != 1:
        raise BadRequest(f"{what} must be an object with an epoch and either settings or edit")
    with as_bad_request():
        epoch = check_integer(f"{what}'s epoch", raw.get("epoch"), last, target)
    changes = raw.get("settings", raw.get("edit"))
    if not isinstance(changes, dict):
        raise BadRequest(f"{what}: settings and edit must be objects")
    if "settings" in raw and not changes.keys() <= set(LIVE):
        others = sorted(changes.keys() - set(LIVE))
        raise BadRequest(f"{what}: only {', '.join(LIVE)} change during a run, not {others}")
    return epoch, raw


def rebuild(session: Session, replay: object) -> None:
    """Train a new ``session`` through ``replay`` = {"epoch": N, "journal": [...]}: each
    entry's change at its epoch, then on to epoch N. A bad replay is a ``BadRequest``.

    Example:
        >>> from glassnet.playground.session import Session
        >>> from glassnet.playground.settings import Settings
        >>> session = Session.create(Settings(dataset="xor", points=20), {})
        >>> rebuild(session, {"epoch": 12, "journal": []}); session.epoch
        12
        >>> rebuild(session, {"epoch": 2, "journal": "none"})
        Traceback (most recent call last):
        ...
        glassnet.playground.settings.BadRequest: replay: the journal must be a list ...
    """
    if not isinstance(replay, dict):
        raise BadRequest("replay must be an object with the epoch and the journal of the run")
    with as_bad_request():
        target = check_integer("replay: the epoch", replay.get("epoch", 0), 0, MAX_REPLAY_EPOCHS)
    journal = replay.get("journal", [])
    if not isinstance(journal, list) or len(journal) > MAX_JOURNAL:
        raise BadRequest(f"replay: the journal must be a list (of at most {MAX_JOURNAL} entries)")
    last = 0
    for index, raw in enumerate(journal):
        last, entry = _entry(raw, index, last, target)
        _train_to(session, last)
        if "settings" in entry:
            merged = {**session.settings.to_json(), **entry["settings"]}
            session.change(Settings.parse(merged))
        else:
            edit = entry["edit"]
            session.edit(edit.get("layer"), edit.get("neuron"), edit.get("source"),
                         edit.get("value"))  # fmt: skip
    _train_to(session, target)
