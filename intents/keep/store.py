"""A person's goal, weeks, time zone and reminders in the database (``skill.store.habit_log``),
each read or write in one short transaction. ``StorageUnavailable`` passes through: the
caller decides what to say."""

from __future__ import annotations

from dataclasses import dataclass

from skill.store import habit_log
from skill.store.persistence import SqlPersistenceAdapter

from .schedule import Schedule, from_kept
from .weeks import DEFAULT_GOAL, Week, weeks_from_rows


@dataclass(frozen=True)
class Habits:
    """What the streak and the summary need: the goal, the last zone known, the weeks."""

    goal: int
    zone: str | None
    weeks: list[Week]


class KeepStore:
    def __init__(self, adapter: SqlPersistenceAdapter):
        self.adapter = adapter

    def habits(self, person: str) -> Habits:
        with self.adapter.reading() as conn:
            per_week, zone = habit_log.goal_row(conn, person)
            rows = habit_log.recent_weeks(conn, person)
        return Habits(per_week or DEFAULT_GOAL, zone, weeks_from_rows(rows))

    def set_goal(self, person: str, per_week: int, week: str) -> None:
        with self.adapter.transaction() as conn:
            habit_log.set_goal(conn, person, per_week=per_week)
            habit_log.set_week_goal(conn, person, week, per_week)

    def set_zone(self, person: str, zone: str) -> None:
        with self.adapter.transaction() as conn:
            habit_log.set_goal(conn, person, time_zone=zone)

    def count_week(self, person: str, week: str, goal: int) -> None:
        with self.adapter.transaction() as conn:
            habit_log.count_week(conn, person, week, goal)

    def reminders(self, person: str) -> list[tuple[str, Schedule | None]]:
        with self.adapter.reading() as conn:
            kept = habit_log.kept_reminders(conn, person)
        return [(token, from_kept(days, at)) for token, days, at in kept]

    def keep_reminder(self, person: str, token: str, schedule: Schedule) -> None:
        with self.adapter.transaction() as conn:
            habit_log.keep_reminder(conn, person, token, ",".join(schedule.days), schedule.at)

    def drop_reminders(self, person: str, tokens: list[str] | None = None) -> None:
        with self.adapter.transaction() as conn:
            habit_log.drop_reminders(conn, person, tokens)
