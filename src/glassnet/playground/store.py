"""What the playground keeps between requests: its sessions and uploads, while they are used.

A session or an upload left idle for ``SESSION_IDLE_SECONDS`` goes at the next request
that looks; to bound memory, the longest idle goes when a store holds more than its limit
(``playground.server`` gives the limits). Every read and write holds ``lock``: requests
come on threads of their own. ``clock`` gives the time they idle by (a test moves it).

Example:
    >>> store = Store()
    >>> store.keep(store.uploads, "u1", "an upload", limit=2)
    >>> list(store.uploads), store.uploads_in_use("u1")
    (['u1'], {'u1': 'an upload'})
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from glassnet.playground.data import Upload
from glassnet.playground.session import Session
from glassnet.playground.settings import BadRequest

__all__ = ["SESSION_IDLE_SECONDS", "Store"]

SESSION_IDLE_SECONDS = 30 * 60  # a session (or upload) unused this long goes


class Store:
    """The sessions and uploads of one playground, each with the time of its last use.

    Example:
        >>> store = Store(clock=lambda: 100.0)
        >>> store.keep(store.sessions, "s1", "a session", limit=3)
        >>> store.used
        {'s1': 100.0}
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock: Callable[[], float] = clock
        self.sessions: OrderedDict[str, Session] = OrderedDict()
        self.uploads: OrderedDict[str, Upload] = OrderedDict()
        self.used: dict[str, float] = {}  # each session's and upload's last use
        self.lock: threading.Lock = threading.Lock()

    def expire(self) -> None:
        """Drop the sessions and uploads idle past SESSION_IDLE_SECONDS (the lock is held).

        Example:
            >>> now = [0.0]
            >>> store = Store(clock=lambda: now[0])
            >>> store.keep(store.sessions, "s1", "a session", limit=3)
            >>> now[0] = SESSION_IDLE_SECONDS + 1
            >>> with store.lock:
            ...     store.expire()
            >>> dict(store.sessions)
            {}
        """
        now = self.clock()
        for store in (self.sessions, self.uploads):
            for key in [key for key in store if now - self.used[key] > SESSION_IDLE_SECONDS]:
                del store[key], self.used[key]

    def keep(self, store: OrderedDict, key: str, value: Any, limit: int) -> None:
        """Keep ``value`` under ``key`` in ``store`` (``sessions`` or ``uploads``), used now;
        past ``limit`` entries the longest idle goes.

        Example:
            >>> store = Store()
            >>> for key in ("a", "b", "c"):
            ...     store.keep(store.uploads, key, key.upper(), limit=2)
            >>> list(store.uploads)
            ['b', 'c']
        """
        with self.lock:
            self.expire()
            store[key] = value
            self.used[key] = self.clock()
            while len(store) > limit:  # memory stays bounded: the longest idle goes
                oldest = min(store, key=self.used.__getitem__)
                del store[oldest], self.used[oldest]

    def session(self, key: Any) -> Session:
        """The session called ``key``, its use renewed; a 404 ``BadRequest`` if it has gone.

        Example:
            >>> Store().session("gone")  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            glassnet.playground.settings.BadRequest: unknown or expired session: ...
        """
        key = str(key)
        with self.lock:
            self.expire()
            if key not in self.sessions:
                raise BadRequest("unknown or expired session: the page rebuilds it from its "
                                 "settings (press Reset to start anew)",
                                 HTTPStatus.NOT_FOUND)  # fmt: skip
            self.used[key] = self.clock()
            return self.sessions[key]

    def uploads_in_use(self, name: str) -> dict[str, Upload]:
        """The uploads kept now (a copy, to build a session from), the one called ``name``
        (the upload a new session reads, if any) renewed.

        Example:
            >>> now = [0.0]
            >>> store = Store(clock=lambda: now[0])
            >>> store.keep(store.uploads, "u1", "an upload", limit=2)
            >>> now[0] = 60.0
            >>> store.uploads_in_use("u1"), store.used["u1"]
            ({'u1': 'an upload'}, 60.0)
        """
        with self.lock:
            self.expire()
            uploads = dict(self.uploads)
            if name in self.uploads:
                self.used[name] = self.clock()
        return uploads

    def drop_replaced(self, old: Any, new: str) -> None:
        """Drop the session ``old`` that the page's new session ``new`` replaces.

        Example:
            >>> store = Store()
            >>> store.keep(store.sessions, "s1", "a session", limit=3)
            >>> store.keep(store.sessions, "s2", "its successor", limit=3)
            >>> store.drop_replaced("s1", "s2"); list(store.sessions)
            ['s2']
        """
        old = str(old)
        with self.lock:
            if old in self.sessions and old != new:
                del self.sessions[old], self.used[old]
