"""Alembic migrations for the training log: ``python -m skill db upgrade`` (see ``upgrade``)."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import inspect, text

HERE = Path(__file__).parent
#: A revision's file name starts with its id: ``0002_unreadable_records.py`` is ``0002``.
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


def known_revisions() -> tuple[str, ...]:
    """This version's revisions, oldest first; the last is the one it needs.

    Read from the file names, without importing Alembic (the server checks its database at
    start-up, and Alembic would add to every cold start). ``tests/test_migrations.py`` holds
    the names to Alembic's own order.
    """
    names = (path.name for path in (HERE / "versions").iterdir())
    return tuple(sorted(m.group(1) for m in map(_REVISION_FILE.match, names) if m))


def revision_of(conn) -> str | None:
    """The revision the database behind ``conn`` is at; None if it was never migrated."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(engine):
    """Alembic's settings for migrating through ``engine``, without an ini file."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["engine"] = engine
    return config


def upgrade(url: str | None, revision: str = "head", engine=None) -> None:
    """Bring the database at ``url`` (the local SQLite file when None), or behind
    ``engine``, up to ``revision``; safe to run again."""
    from alembic import command

    from ..persistence import make_engine

    own = engine is None
    engine = make_engine(url, busy_timeout_ms=30_000) if own else engine
    try:
        command.upgrade(alembic_config(engine), revision)
    finally:
        if own:
            engine.dispose()


def current(url: str | None) -> str | None:
    """The revision the database is at (None before the first migration)."""
    from alembic.runtime.migration import MigrationContext

    from ..persistence import make_engine

    engine = make_engine(url, busy_timeout_ms=30_000)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
