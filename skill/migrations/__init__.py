"""Alembic migrations for the training log: ``python -m skill db upgrade`` (see ``upgrade``)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


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
