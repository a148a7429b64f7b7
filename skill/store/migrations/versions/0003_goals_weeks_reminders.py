"""Goals, weeks, reminders and charts: what keeps people training for months.

- ``goals``: a person's weekly goal and the time zone their device last reported;
- ``training_weeks``: finished workouts per week (its Monday, in the person's time zone)
  with the goal in force that week, for the streak;
- ``reminders``: reminders created through Alexa's Reminders API, so forgetting can delete
  them;
- ``charts``: what a progress chart shows, until its link expires.

Workouts finished before this migration are counted into their weeks in UTC (no time zone
was known then) against the default goal of two.

The tables are written out here, not imported: a migration is a frozen copy.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import datetime as dt
import logging

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

DEFAULT_GOAL = 2


def upgrade() -> None:
    op.create_table(
        "goals",
        sa.Column(
            "person_id",
            sa.String(255),
            sa.ForeignKey("people.person_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("per_week", sa.Integer),
        sa.Column("time_zone", sa.String(64)),
    )
    weeks = op.create_table(
        "training_weeks",
        sa.Column(
            "person_id",
            sa.String(255),
            sa.ForeignKey("people.person_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("week", sa.String(10), primary_key=True),
        sa.Column("sessions", sa.Integer, nullable=False),
        sa.Column("goal", sa.Integer, nullable=False),
    )
    op.create_table(
        "reminders",
        sa.Column(
            "person_id",
            sa.String(255),
            sa.ForeignKey("people.person_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("alert_token", sa.String(255), primary_key=True),
        sa.Column("days", sa.String(32), nullable=False),
        sa.Column("at", sa.String(5), nullable=False),
    )
    op.create_table(
        "charts",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(255), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
    )
    op.create_index("ix_charts_person", "charts", ["person_id"])
    op.create_index("ix_charts_expires", "charts", ["expires_at"])
    _count_finished_workouts(op.get_bind(), weeks)


def downgrade() -> None:
    for name in ("charts", "reminders", "training_weeks", "goals"):
        op.drop_table(name)


def _monday(stamp: str | None) -> str | None:
    try:
        when = dt.datetime.fromisoformat(stamp or "")
    except ValueError:
        return None
    day = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).date()
    return (day - dt.timedelta(days=day.weekday())).isoformat()


def _count_finished_workouts(bind, weeks: sa.Table) -> None:
    workouts = sa.table(
        "workouts",
        sa.column("person_id", sa.String),
        sa.column("finished", sa.String),
    )
    counts: dict[tuple[str, str], int] = {}
    query = sa.select(workouts.c.person_id, workouts.c.finished).where(
        workouts.c.finished.is_not(None)
    )
    for row in bind.execute(query):
        week = _monday(row.finished)
        if week is not None:
            counts[(row.person_id, week)] = counts.get((row.person_id, week), 0) + 1
    if counts:
        bind.execute(
            weeks.insert(),
            [
                {"person_id": p, "week": w, "sessions": n, "goal": DEFAULT_GOAL}
                for (p, w), n in counts.items()
            ],
        )
    log.info("counted finished workouts into %d week(s)", len(counts))
