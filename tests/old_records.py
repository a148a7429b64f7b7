"""Records as the skill stored them before the training log had tables: one JSON document
per user in ``user_state`` (schema 1: as written; schema 2: every set checked)."""

from __future__ import annotations

import json

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, func

from skill.store.persistence import make_engine

old_metadata = MetaData()
user_state = Table(
    "user_state",
    old_metadata,
    Column("user_id", String(255), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("schema", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)


def write_old_records(url: str, records: dict[str, dict | str], schema: int = 1) -> None:
    """An old-format database at ``url`` holding ``records`` (a str is stored as it is)."""
    engine = make_engine(url)
    try:
        old_metadata.create_all(engine)
        with engine.begin() as conn:
            for user_id, record in records.items():
                data = record if isinstance(record, str) else json.dumps(record)
                conn.execute(
                    user_state.insert().values(user_id=user_id, version=3, schema=schema, data=data)
                )
    finally:
        engine.dispose()
