"""The database seam for ask-sdk-core: engines with bounded waits, and the adapter that reads
a person's profile and workout in progress (see ``skill.store.tables``; the training log's writes
and bounded history reads are in ``skill.store.training_log``).

Tables are made by the Alembic migrations (``python -m skill db upgrade``), never at
start-up.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Callable, Iterator
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError

from . import habit_log, training_log
from .deadlines import DatabaseBusy, Deadlines

log = logging.getLogger(__name__)

VERSION_KEY = training_log.VERSION_KEY
PERSON_KEY = training_log.PERSON_KEY
DEFAULT_SQLITE = Path("instance") / "bone_builder.sqlite3"


class StorageUnavailable(Exception):
    """The database could not be reached, or did not answer in time.

    Its message is only the kind of failure: a driver's own message can quote the row
    (a user id, a workout), and it must not reach the logs.
    """


def user_key(request_envelope) -> str:
    """Whose training log this request is about: the person Alexa recognised by voice
    (``context.System.person.personId``) when there is one, else the account's user id."""
    system = request_envelope.context.system
    person = getattr(system, "person", None)
    person_id = getattr(person, "person_id", None) if person is not None else None
    if isinstance(person_id, str) and person_id:
        return person_id
    return system.user.user_id


def device_key(request_envelope) -> str | None:
    """The device whose workout in progress this is, when no voice was recognised (two
    Echos on one account keep their own); None when a person was recognised, whose workout
    follows them from device to device."""
    system = request_envelope.context.system
    person = getattr(system, "person", None)
    if person is not None and isinstance(person.person_id, str) and person.person_id:
        return None
    device = getattr(system, "device", None)
    device_id = getattr(device, "device_id", None) if device is not None else None
    return device_id if isinstance(device_id, str) and device_id else None


def postgres_connect_args(busy_timeout_ms: int, options: str = "") -> dict:
    """libpq settings that bound every wait: connecting, statements, locks, a dead peer.

    ``options`` (from the URL's ``?options=``, such as a ``search_path``) come first; the
    bounds are added after them, so they always hold.
    """
    ms = int(busy_timeout_ms)
    return {
        "connect_timeout": max(2, math.ceil(ms / 1000)),  # libpq's minimum is 2 s
        "options": f"{options} -c statement_timeout={ms} -c lock_timeout={ms}".lstrip()
        + f" -c idle_in_transaction_session_timeout={max(10_000, 5 * ms)}",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,
        "application_name": "bone-builder",
        # Never prepare statements on the server, so a pooler in transaction mode (PgBouncer
        # pool_mode=transaction) can hand each transaction to any server connection.
        "prepare_threshold": None,
    }


def _watch_connections(engine, deadlines: Deadlines) -> None:
    """PostgreSQL: a checked-out connection is pinged, and cut by the watchdog if it is
    still in use after the deadline (a frozen network path never answers at all)."""

    @event.listens_for(engine, "do_connect")
    def _connect(dialect, record, cargs, cparams):
        deadlines.check()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, record, proxy):
        deadlines.check()
        record.info["watchdog"] = deadlines.watchdog.arm(dbapi_conn.fileno(), deadlines.cut_at())
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            deadlines.watchdog.disarm(record.info.pop("watchdog", None))
            raise DisconnectionError("the pooled connection did not answer") from exc

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_conn, record):
        deadlines.watchdog.disarm(record.info.pop("watchdog", None))

    @event.listens_for(engine, "invalidate")
    def _invalidate(dbapi_conn, record, exc):
        deadlines.watchdog.disarm(record.info.pop("watchdog", None))


def make_engine(url: str | None, busy_timeout_ms: int = 2000, deadlines: Deadlines | None = None):
    """An engine for ``url``; a SQLite file under ``instance/`` when none is given.

    Each request's database work has ``busy_timeout_ms`` in all (see ``deadlines``): a
    locked SQLite file, a held PostgreSQL lock, a slow statement, a full pool or a frozen
    network path all end in an error well inside Alexa's deadline. SQL parameters are
    never put into error messages, so they can't reach a log.
    """
    deadlines = deadlines or Deadlines(busy_timeout_ms / 1000)
    if not url:
        DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DEFAULT_SQLITE}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
            hide_parameters=True,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cur.close()

    else:
        parsed = make_url(url)
        options = parsed.query.get("options", "")
        if not isinstance(options, str):  # given more than once
            options = " ".join(options)
        engine = create_engine(
            parsed.difference_update_query(["options"]),
            pool_size=3,
            max_overflow=2,
            pool_timeout=busy_timeout_ms / 1000,
            pool_recycle=1800,
            hide_parameters=True,
            connect_args=postgres_connect_args(busy_timeout_ms, options),
        )
        _watch_connections(engine, deadlines)

    @event.listens_for(engine, "before_cursor_execute")
    def _in_time(conn, cursor, statement, parameters, context, executemany):
        deadlines.check()

    return engine


#: The lock every INSERT and UPDATE takes on a table; it waits only for locks that would
#: hold up writes (never for another session's row lock or for readers).
_LOCK_FOR_WRITING = "LOCK TABLE people, workouts, sets, bests IN ROW EXCLUSIVE MODE"


class SqlPersistenceAdapter(AbstractPersistenceAdapter):
    """ask-sdk-core persistence adapter: ``persistent_attributes`` is the person's profile
    and workout in progress (see ``training_log.read_person``), never their whole history.

    Writes don't go through ``save_attributes``: ``WorkoutStore`` makes them, each in one
    ``transaction``, as append-only set inserts and small conditional updates.
    """

    def __init__(
        self,
        engine,
        keygen: Callable = user_key,
        deadlines: Deadlines | None = None,
    ):
        """``deadlines`` should be the engine's."""
        self.engine = engine
        self.keygen = keygen
        self.deadlines = deadlines or Deadlines(2.0)

    @contextlib.contextmanager
    def _guarded(self):
        """Within the request's deadline; database errors become StorageUnavailable."""
        with self.deadlines.scope():
            try:
                yield
            except (SQLAlchemyError, DatabaseBusy) as exc:
                kind = type(getattr(exc, "orig", None) or exc).__name__
                raise StorageUnavailable(kind) from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator:
        """A connection in one transaction, within the deadline, committed on success."""
        with self._guarded(), self.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def reading(self) -> Iterator:
        with self._guarded(), self.engine.connect() as conn:
            yield conn

    def ready(self) -> bool:
        """True when a set could be saved now (for ``/readyz``): within the deadline, the
        database answers and its tables can be locked for writing, as every write locks
        them. Nothing is written. A table locked by a migration, a ``VACUUM FULL`` or
        another session's ``LOCK TABLE`` makes it False, as does a SQLite file that another
        process is writing to for longer than the deadline."""
        try:
            with self.reading() as conn:
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql(_LOCK_FOR_WRITING)
                else:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                conn.rollback()
            return True
        except StorageUnavailable as exc:
            log.warning("database not ready: %s", exc)
            return False

    def get_attributes(self, request_envelope) -> dict:
        return self.read(self.keygen(request_envelope), device_key(request_envelope))

    def save_attributes(self, request_envelope, attributes) -> None:
        """Nothing to do: every change is written where it is made (``WorkoutStore``)."""

    def delete_attributes(self, request_envelope) -> None:
        self.forget(self.keygen(request_envelope))

    def read(self, user_id: str, device: str | None = None) -> dict:
        """The person's profile and workout in progress (``training_log.read_person``)."""
        with self.reading() as conn:
            return training_log.read_person(conn, user_id, device)

    def export(self, user_id: str) -> dict:
        """Everything kept about this person: profile, workout in progress and the whole
        history (for operators and tests; requests read bounded slices instead)."""
        with self.reading() as conn:
            found = training_log.read_person(conn, user_id)
            if "workout" not in found:
                device = training_log.latest_device(conn, user_id)
                if device is not None:
                    found = training_log.read_person(conn, user_id, device)
            found["history"] = training_log.history(conn, user_id, limit=None)
        return found

    def forget(self, user_id: str) -> int:
        """Delete everything kept about this person (goals, weeks, reminders and charts too);
        return how many rows went."""
        with self.transaction() as conn:
            return habit_log.forget(conn, user_id) + training_log.forget(conn, user_id)


def open_adapter(url: str | None, busy_timeout_ms: int) -> SqlPersistenceAdapter:
    """The adapter for ``url``, its engine and itself sharing one per-request deadline of
    ``busy_timeout_ms`` (the web app and the Lambda handler both open theirs here)."""
    deadlines = Deadlines(busy_timeout_ms / 1000)
    return SqlPersistenceAdapter(make_engine(url, busy_timeout_ms, deadlines), deadlines=deadlines)
