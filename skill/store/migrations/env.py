"""Alembic's entry point: migrations run on the engine ``alembic_config`` made."""

from __future__ import annotations

from alembic import context

from skill.store.tables import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    context.run_migrations()
