"""Whether the database is at the revision this version of the skill needs.

On a database that was never migrated, or is behind this version's migrations, every write
would fail and every logged set would be answered "I couldn't save that set". So the server
(and the Lambda handler) looks at start-up, says what is wrong in one log line, and refuses
requests until ``python -m skill db upgrade`` has run: ``/alexa`` answers 503 naming the
cause, and so does ``/readyz``. While it refuses, it looks again at most every
``recheck_seconds``, so the upgrade needs no restart. Once the database is right, requests
cost nothing more.

A database ahead of this version (a newer version migrated it, as in a rolling deploy) is
served with a warning: every migration leaves the database usable by the version before it
(see docs/operations.md). A database that can't be reached is not refused here: requests
go on and are answered without it, as in any outage, and it is looked at again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from .deadlines import DatabaseBusy, Deadlines
from .migrations import known_revisions, revision_of
from .persistence import SqlPersistenceAdapter

log = logging.getLogger(__name__)

UPGRADE = "run `python -m skill db upgrade` with this DATABASE_URL"


class SchemaNotReady(RuntimeError):
    """A request refused because the database is not at this version's revision."""


@dataclass(frozen=True)
class SchemaState:
    """What was found: ``refused`` requests, a short ``status`` for ``/readyz``, and the
    ``reason`` in one sentence (for the log line and the refusal)."""

    refused: bool
    status: str
    reason: str
    settled: bool  # nothing will change it without a restart: never looked at again


class SchemaGuard:
    """Looks at the database's revision (``alembic_version``) and keeps what it found."""

    def __init__(
        self,
        engine,
        deadlines: Deadlines,
        revisions: tuple[str, ...] | None = None,
        recheck_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.engine = engine
        self.deadlines = deadlines
        self.revisions = revisions or known_revisions()
        self.recheck_seconds = recheck_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._state: SchemaState | None = None
        self._looked_at = 0.0

    @property
    def needed(self) -> str:
        return self.revisions[-1]

    def state(self) -> SchemaState:
        """What the database is like, looked at again when due (within the current
        request's database deadline, if there is one)."""
        found = self._state
        if found is not None and (
            found.settled or self.clock() - self._looked_at < self.recheck_seconds
        ):
            return found
        with self._lock:
            found = self._state
            if found is None or not (
                found.settled or self.clock() - self._looked_at < self.recheck_seconds
            ):
                found = self._look()
                self._report(found)
                self._state, self._looked_at = found, self.clock()
        return found

    def refusal(self) -> str | None:
        """Why requests are refused now, or None when they may go on."""
        found = self.state()
        return found.reason if found.refused else None

    def _look(self) -> SchemaState:
        try:
            with self.deadlines.scope(), self.engine.connect() as conn:
                at = revision_of(conn)
        except (SQLAlchemyError, DatabaseBusy) as exc:
            kind = type(getattr(exc, "orig", None) or exc).__name__
            return SchemaState(
                False,
                "database unavailable",
                f"Could not read the database's revision ({kind}); looking again shortly.",
                settled=False,
            )
        if at == self.needed:
            return SchemaState(False, "ready", "", settled=True)
        if at is None:
            return SchemaState(
                True,
                "database not migrated",
                f"The database was never migrated: refusing requests until you {UPGRADE}.",
                settled=False,
            )
        if at in self.revisions:
            return SchemaState(
                True,
                "database behind the code",
                f"The database is at revision {at}, behind this version's {self.needed}: "
                f"refusing requests until you {UPGRADE}.",
                settled=False,
            )
        return SchemaState(
            False,
            "ready",
            f"The database is at revision {at}, which this version (at {self.needed}) does "
            "not know: a newer version migrated it. Serving anyway.",
            settled=True,
        )

    def _report(self, found: SchemaState) -> None:
        """One log line whenever what was found changes."""
        before = self._state
        if before is not None and (before.status, before.reason) == (found.status, found.reason):
            return
        if found.refused:
            log.error("%s", found.reason)
        elif found.reason:
            log.warning("%s", found.reason)
        elif before is not None:
            log.info("The database is at revision %s now: serving requests.", self.needed)


def guard_at_start(persistence: SqlPersistenceAdapter, recheck_seconds: float) -> SchemaGuard:
    """The guard for ``persistence``'s database, which it looks at now, so that a database
    that is not migrated is named in the log at start-up, not at the first request; a
    database found behind is looked at again every ``recheck_seconds``."""
    guard = SchemaGuard(persistence.engine, persistence.deadlines, recheck_seconds=recheck_seconds)
    guard.state()
    return guard
