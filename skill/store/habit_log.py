"""Queries on goals, training weeks, reminders and charts (``skill.store.tables``), each on a
connection the caller holds.

Every read is bounded: one row for the goal, the last ``limit`` weeks for a streak, a
person's few reminders, one chart by its id.
"""

from __future__ import annotations

import json

from sqlalchemy import delete, select, update

from .tables import charts, goals, reminders, training_weeks
from .training_log import _insert_ignoring, ensure_person

#: Enough weeks to count a streak of five years.
WEEKS_READ = 260


def goal_row(conn, person_id: str) -> tuple[int | None, str | None]:
    """(sessions a week, or None for the default; the last time zone known, or None)."""
    row = conn.execute(
        select(goals.c.per_week, goals.c.time_zone).where(goals.c.person_id == person_id)
    ).first()
    return (row.per_week, row.time_zone) if row is not None else (None, None)


def set_goal(conn, person_id: str, **values) -> None:
    """Set ``per_week`` and/or ``time_zone`` for this person."""
    ensure_person(conn, person_id)
    _insert_ignoring(conn, goals, {"person_id": person_id})
    conn.execute(update(goals).where(goals.c.person_id == person_id).values(**values))


def count_week(conn, person_id: str, week: str, goal: int) -> None:
    """One more finished workout in ``week`` (its Monday, ``YYYY-MM-DD``); the week keeps
    the goal in force when it was last counted."""
    ensure_person(conn, person_id)
    _insert_ignoring(
        conn,
        training_weeks,
        {"person_id": person_id, "week": week, "sessions": 0, "goal": goal},
    )
    conn.execute(
        update(training_weeks)
        .where(training_weeks.c.person_id == person_id, training_weeks.c.week == week)
        .values(sessions=training_weeks.c.sessions + 1, goal=goal)
    )


def set_week_goal(conn, person_id: str, week: str, goal: int) -> None:
    """A goal changed during ``week`` holds for that whole week."""
    conn.execute(
        update(training_weeks)
        .where(training_weeks.c.person_id == person_id, training_weeks.c.week == week)
        .values(goal=goal)
    )


def recent_weeks(conn, person_id: str, limit: int = WEEKS_READ) -> list[tuple[str, int, int]]:
    """(week, sessions, goal), newest first, at most ``limit`` of them."""
    query = (
        select(training_weeks.c.week, training_weeks.c.sessions, training_weeks.c.goal)
        .where(training_weeks.c.person_id == person_id)
        .order_by(training_weeks.c.week.desc())
        .limit(limit)
    )
    return [(row.week, row.sessions, row.goal) for row in conn.execute(query)]


def kept_reminders(conn, person_id: str) -> list[tuple[str, str, str]]:
    """(alert token, days, time) of the reminders the skill created for this person."""
    query = select(reminders.c.alert_token, reminders.c.days, reminders.c.at).where(
        reminders.c.person_id == person_id
    )
    return [(row.alert_token, row.days, row.at) for row in conn.execute(query)]


def keep_reminder(conn, person_id: str, token: str, days: str, at: str) -> None:
    ensure_person(conn, person_id)
    conn.execute(
        delete(reminders).where(
            reminders.c.person_id == person_id, reminders.c.alert_token == token
        )
    )
    conn.execute(
        reminders.insert().values(person_id=person_id, alert_token=token, days=days, at=at)
    )


def drop_reminders(conn, person_id: str, tokens: list[str] | None = None) -> int:
    """Forget these reminders (all of this person's when ``tokens`` is None)."""
    query = delete(reminders).where(reminders.c.person_id == person_id)
    if tokens is not None:
        query = query.where(reminders.c.alert_token.in_(tokens))
    return conn.execute(query).rowcount


def put_chart(conn, chart_id: str, person_id: str, data: dict, expires_at: float, now: float):
    """Keep what one chart shows until ``expires_at``; charts already expired go."""
    conn.execute(delete(charts).where(charts.c.expires_at < now))
    conn.execute(
        charts.insert().values(
            id=chart_id,
            person_id=person_id,
            data=json.dumps(data, allow_nan=False),
            expires_at=expires_at,
        )
    )


def chart_data(conn, chart_id: str, now: float) -> dict | None:
    """What the chart ``chart_id`` shows, if it is kept and not expired."""
    row = conn.execute(
        select(charts.c.data, charts.c.expires_at).where(charts.c.id == chart_id)
    ).first()
    if row is None or row.expires_at < now:
        return None
    data = json.loads(row.data)
    return data if isinstance(data, dict) else None


def forget(conn, person_id: str) -> int:
    """Delete this person's goal, weeks, reminders and charts; return how many rows went."""
    gone = 0
    for table in (charts, reminders, training_weeks, goals):
        gone += conn.execute(delete(table).where(table.c.person_id == person_id)).rowcount
    return gone
