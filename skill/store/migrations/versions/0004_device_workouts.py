"""The workout in progress on each device, for accounts with no recognised voice.

Two Echos on one account, with nobody's voice recognised, each keep their own workout in
progress: ``device_workouts`` points from (person, device) to it. A recognised voice keeps
using ``people.workout_id``, so that person's workout follows them from device to device.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_workouts",
        sa.Column(
            "person_id",
            sa.String(255),
            sa.ForeignKey("people.person_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("device_id", sa.String(255), primary_key=True),
        sa.Column(
            "workout_id",
            sa.BigInteger().with_variant(sa.Integer, "sqlite"),
            sa.ForeignKey("workouts.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_table("device_workouts")
