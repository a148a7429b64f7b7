"""Alembic's entry point: migrations run on the engine ``alembic_config`` made.

Like the revisions, it imports no live code: ``tests/test_migrations.py`` holds the tables
the revisions make to ``skill.store.tables``.
"""

from __future__ import annotations

from alembic import context

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection)
    context.run_migrations()
