"""Per-user storage for ask-sdk-core's persistent attributes, on SQLAlchemy Core.

One row per Alexa user id, holding the attributes as JSON with a version number.
Writes are conditional on the version that was read, so two overlapping requests
for the same user (two devices) cannot silently overwrite each other: the loser
gets ``StaleWrite`` and can re-read and re-apply its change (see ``update``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
from collections.abc import Callable
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DisconnectionError, IntegrityError, SQLAlchemyError

from .deadlines import DatabaseBusy, Deadlines
from .privacy import user_tag

log = logging.getLogger(__name__)

#: 2: every set in the record has been checked against the stored-set schema.
SCHEMA_VERSION = 2
VERSION_KEY = "_row_version"
DEFAULT_SQLITE = Path("instance") / "bone_builder.sqlite3"

metadata = MetaData()
user_state = Table(
    "user_state",
    metadata,
    Column("user_id", String(255), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("schema", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)


# Built once: SQLAlchemy then reuses their compiled form instead of rebuilding them per query.
_SELECT = select(user_state.c.version, user_state.c.schema, user_state.c.data).where(
    user_state.c.user_id == bindparam("uid")
)
_INSERT = insert(user_state).values(
    user_id=bindparam("uid"), version=1, schema=SCHEMA_VERSION, data=bindparam("body")
)
_UPDATE = (
    update(user_state)
    .where(user_state.c.user_id == bindparam("uid"), user_state.c.version == bindparam("expected"))
    .values(
        version=bindparam("new_version"),
        schema=SCHEMA_VERSION,
        data=bindparam("body"),
        updated_at=func.now(),
    )
)


class StaleWrite(Exception):
    """Someone else saved this user's attributes since they were read."""


class StorageUnavailable(Exception):
    """The database could not be reached, or did not answer in time.

    Its message is only the kind of failure: a driver's own message can quote the row
    (a user id, a workout), and it must not reach the logs.
    """


def user_key(request_envelope) -> str:
    return request_envelope.context.system.user.user_id


def postgres_connect_args(busy_timeout_ms: int) -> dict:
    """libpq settings that bound every wait: connecting, statements, locks, a dead peer."""
    ms = int(busy_timeout_ms)
    return {
        "connect_timeout": max(2, math.ceil(ms / 1000)),  # libpq's minimum is 2 s
        "options": f"-c statement_timeout={ms} -c lock_timeout={ms}"
        f" -c idle_in_transaction_session_timeout={max(10_000, 5 * ms)}",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,
        "application_name": "bone-builder",
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
        engine = create_engine(
            url,
            pool_size=5,
            max_overflow=5,
            pool_timeout=busy_timeout_ms / 1000,
            pool_recycle=1800,
            hide_parameters=True,
            connect_args=postgres_connect_args(busy_timeout_ms),
        )
        _watch_connections(engine, deadlines)

    @event.listens_for(engine, "before_cursor_execute")
    def _in_time(conn, cursor, statement, parameters, context, executemany):
        deadlines.check()

    return engine


class SqlPersistenceAdapter(AbstractPersistenceAdapter):
    """ask-sdk-core persistence adapter keyed by ``context.System.user.userId``."""

    def __init__(
        self,
        engine,
        keygen: Callable = user_key,
        upgrade: Callable[[dict], int] | None = None,
        deadlines: Deadlines | None = None,
    ):
        """``upgrade`` repairs a record stored by an earlier schema version, in place, and
        returns how many parts it had to drop. ``deadlines`` should be the engine's."""
        self.engine = engine
        self.keygen = keygen
        self.upgrade = upgrade
        self.deadlines = deadlines or Deadlines(2.0)
        self._table_ready = False
        try:
            self._ensure_table()
        except Exception:
            log.warning("database unavailable at start-up; will retry on first use", exc_info=True)

    @contextlib.contextmanager
    def _guarded(self):
        """Within the request's deadline; database errors become StorageUnavailable."""
        with self.deadlines.scope():
            try:
                yield
            except (SQLAlchemyError, DatabaseBusy) as exc:
                kind = type(getattr(exc, "orig", None) or exc).__name__
                raise StorageUnavailable(kind) from None

    def _ensure_table(self) -> None:
        if not self._table_ready:
            with self._guarded():
                metadata.create_all(self.engine)
            self._table_ready = True

    def ready(self) -> bool:
        """True when the database answers within the deadline (for ``/readyz``)."""
        try:
            self._ensure_table()
            with self._guarded(), self.engine.connect() as conn:
                conn.execute(select(1)).scalar()
            return True
        except StorageUnavailable as exc:
            log.warning("database not ready: %s", exc)
            return False

    def get_attributes(self, request_envelope) -> dict:
        return self.read(self.keygen(request_envelope))

    def save_attributes(self, request_envelope, attributes) -> None:
        self.write(self.keygen(request_envelope), attributes)

    def delete_attributes(self, request_envelope) -> None:
        with self._guarded(), self.engine.begin() as conn:
            conn.execute(
                user_state.delete().where(user_state.c.user_id == self.keygen(request_envelope))
            )

    def read(self, user_id: str) -> dict:
        """The user's attributes, with the row version under ``VERSION_KEY``.

        A row that cannot be read (corrupt JSON, an unknown schema) starts the user
        afresh; a row from an earlier schema is repaired, keeping what is valid. The next
        write replaces it.
        """
        self._ensure_table()
        with self._guarded(), self.engine.connect() as conn:
            row = conn.execute(_SELECT, {"uid": user_id}).first()
        if row is None:
            return {VERSION_KEY: None}
        try:
            if not 1 <= row.schema <= SCHEMA_VERSION:
                raise ValueError(f"unknown schema version {row.schema}")
            data = json.loads(row.data)
            if not isinstance(data, dict):
                raise ValueError("stored attributes are not an object")
            if row.schema < SCHEMA_VERSION and self.upgrade is not None:
                dropped = self.upgrade(data)
                if dropped:
                    log.warning(
                        "stored state for %s: dropped %d invalid part(s)",
                        user_tag(user_id),
                        dropped,
                    )
        except ValueError as exc:
            log.warning(
                "stored state for %s is unreadable (%s); starting afresh", user_tag(user_id), exc
            )
            data = {}
        data[VERSION_KEY] = row.version
        return data

    def write(self, user_id: str, attributes: dict) -> None:
        """Save ``attributes`` if nobody has saved since they were read; else raise StaleWrite."""
        self._ensure_table()
        expected = attributes.get(VERSION_KEY)
        body = json.dumps(
            {k: v for k, v in attributes.items() if k != VERSION_KEY}, allow_nan=False
        )
        with self._guarded(), self.engine.begin() as conn:
            if expected is None:
                try:
                    conn.execute(_INSERT, {"uid": user_id, "body": body})
                except IntegrityError:
                    raise StaleWrite(user_tag(user_id)) from None
                attributes[VERSION_KEY] = 1
                return
            result = conn.execute(
                update(user_state)
                .where(user_state.c.user_id == user_id, user_state.c.version == expected)
                .values(
                    version=expected + 1, schema=SCHEMA_VERSION, data=body, updated_at=func.now()
                )
            )
            if result.rowcount != 1:
                raise StaleWrite(user_tag(user_id))
            attributes[VERSION_KEY] = expected + 1

    def update(self, user_id: str, change: Callable[[dict], None], attempts: int = 8) -> dict:
        """Read, apply ``change``, and write; on a concurrent write, re-read and re-apply."""
        with self.deadlines.scope():
            for _ in range(attempts):
                attributes = self.read(user_id)
                change(attributes)
                try:
                    self.write(user_id, attributes)
                    return attributes
                except StaleWrite:
                    continue
        raise StaleWrite(user_tag(user_id))
