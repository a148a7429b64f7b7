"""Old records that could not be moved always have a table, with the reason they were kept.

Revision 0001 made ``user_state_unreadable`` only when some record could not be moved, and
before it kept the reason. This makes the table wherever it is missing, and adds ``reason``
where it was made without one, so ``forget`` can always delete a person's rows from it.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLE = "user_state_unreadable"


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table(TABLE):
        op.create_table(
            TABLE,
            sa.Column("user_id", sa.String(255), primary_key=True),
            sa.Column("schema", sa.Integer),
            sa.Column("data", sa.Text),
            sa.Column("reason", sa.String(200)),
        )
    elif "reason" not in {column["name"] for column in inspector.get_columns(TABLE)}:
        op.add_column(TABLE, sa.Column("reason", sa.String(200)))


def downgrade() -> None:
    raise NotImplementedError("old records kept aside are not put back")
