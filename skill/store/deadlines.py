"""One deadline for all the database work of a request, on SQLite and PostgreSQL alike.

PostgreSQL is told to give up by itself (``statement_timeout``, ``lock_timeout``), but a
server never sees a query sent down a silently frozen network path, and the client would
wait for the kernel to give up, many minutes later. So a watchdog thread shuts the socket
of a PostgreSQL connection that is still checked out when the deadline has passed: the
wait ends in an error the skill can answer. Once the time is used up, further database
work in the same request fails at once instead of waiting again.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import socket
import threading
import time

log = logging.getLogger(__name__)


class DatabaseBusy(Exception):
    """The request's time for database work is used up."""


class Watchdog:
    """Shuts sockets whose deadline has passed; one thread for the whole process."""

    def __init__(self):
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._cond = threading.Condition()
        self._armed: dict[int, tuple[float, socket.socket]] = {}
        self._tokens = itertools.count(1)
        self._thread: threading.Thread | None = None

    def arm(self, fd: int, when: float) -> int:
        """Shut the socket ``fd`` at monotonic time ``when`` unless disarmed first."""
        sock = socket.socket(fileno=os.dup(fd))  # holds the socket: its number can't be reused
        with self._cond:
            token = next(self._tokens)
            self._armed[token] = (when, sock)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
                self._thread.start()
            self._cond.notify()
        return token

    def disarm(self, token: int | None) -> None:
        if token is None:
            return
        with self._cond:
            entry = self._armed.pop(token, None)
        if entry is not None:
            entry[1].close()

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for token in [t for t, (when, _) in self._armed.items() if when <= now]:
                    _, sock = self._armed.pop(token)
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                    log.warning("a database connection passed its deadline and was cut")
                soonest = min((when for when, _ in self._armed.values()), default=None)
                self._cond.wait(None if soonest is None else max(0.0, soonest - now))


class Deadlines:
    """The deadline of the current request (or of one database operation outside one)."""

    def __init__(self, seconds: float, grace: float = 0.5):
        self.seconds = seconds
        self.grace = grace
        self.watchdog = Watchdog()
        self._local = threading.local()

    def scope(self) -> _Scope:
        """Everything inside shares one deadline; an inner scope keeps the outer one's."""
        return _Scope(self)

    def deadline(self) -> float:
        current = getattr(self._local, "deadline", None)
        return current if current is not None else time.monotonic() + self.seconds

    def check(self) -> None:
        """Fail at once if this request has no time left for database work."""
        if self.deadline() <= time.monotonic():
            raise DatabaseBusy("no time left for database work in this request")

    def cut_at(self) -> float:
        """When the watchdog shuts a connection: after the server's own timeouts had their go."""
        return self.deadline() + self.grace


class _Scope:
    """``Deadlines.scope``: a class rather than a generator, as it wraps every request."""

    __slots__ = ("_deadlines", "_outermost")

    def __init__(self, deadlines: Deadlines):
        self._deadlines = deadlines
        self._outermost = False

    def __enter__(self) -> None:
        local = self._deadlines._local
        if getattr(local, "deadline", None) is None:
            local.deadline = time.monotonic() + self._deadlines.seconds
            self._outermost = True

    def __exit__(self, *exc: object) -> None:
        if self._outermost:
            self._deadlines._local.deadline = None
