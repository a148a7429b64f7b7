"""Empty databases that nothing has migrated: a new SQLite file, or a new schema in the test
PostgreSQL database (reached through ``?options=-csearch_path=...`` in the URL, as an
operator keeping the skill in a schema of its own would)."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url

BACKENDS = ["sqlite", "postgresql"]


def postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (set by .ci/run, which starts one)")
    return url


@contextlib.contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A DATABASE_URL whose connections use a new, empty schema; dropped afterwards."""
    import psycopg

    schema = "fresh_" + uuid.uuid4().hex[:10]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield (
            make_url(url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@contextlib.contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a database with nothing in it, on ``backend``."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'fresh.sqlite3'}"
        return
    with fresh_schema(postgres_url()) as url:
        yield url
