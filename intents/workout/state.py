"""Where a person is in a workout: in session attributes while they talk, in the database
after every set, so a dropped session picks up at the same exercise and set."""

from __future__ import annotations

import datetime as dt
import logging

from skill.content import Program
from skill.persistence import SqlPersistenceAdapter

from .flow import Place

log = logging.getLogger(__name__)

SESSION_KEY = "workout"
HOLD_KEY = "hold"
GO_AHEAD_KEY = "go_ahead"


#: The place in a workout (see ``flow.Place``); stored and sent in session attributes.
Cursor = Place


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def user_id(handler_input) -> str:
    return handler_input.request_envelope.context.system.user.user_id


def session_cursor(handler_input, programs: dict[str, Program]) -> Place | None:
    attrs = handler_input.attributes_manager.session_attributes
    return Place.from_dict(attrs.get(SESSION_KEY), programs)


def put_cursor(handler_input, cursor: Cursor | None) -> None:
    attrs = handler_input.attributes_manager.session_attributes
    if cursor is None:
        attrs.pop(SESSION_KEY, None)
    else:
        attrs[SESSION_KEY] = cursor.to_dict()


def _slot_of(entry: dict) -> tuple:
    """Sets are one per exercise, set number and session: redoing a set in the same
    session replaces it; a set logged from another device is kept beside it."""
    return entry.get("exercise"), entry.get("set"), entry.get("session")


class WorkoutStore:
    """Reads and writes a person's workouts through the persistence adapter.

    Every write goes through ``adapter.update``, which re-reads and re-applies the
    change if another request for the same user saved in between, so overlapping
    requests from two devices never drop each other's sets.
    """

    def __init__(self, adapter: SqlPersistenceAdapter, history_kept: int = 200):
        self.adapter = adapter
        self.history_kept = history_kept

    def in_progress(self, attributes: dict, programs: dict[str, Program]) -> Place | None:
        return Place.from_dict(attributes.get("workout"), programs)

    @staticmethod
    def history(attributes: dict) -> list[dict]:
        history = attributes.get("history")
        return [w for w in history if isinstance(w, dict)] if isinstance(history, list) else []

    def begin(self, user: str, cursor: Cursor) -> dict:
        """Start a new workout; an unfinished one is kept in the history with its sets."""

        def change(attrs: dict) -> None:
            current = attrs.get("workout")
            if isinstance(current, dict) and current.get("sets"):
                self._archive(attrs, current, finished=None)
            attrs["workout"] = {**cursor.to_dict(), "sets": []}

        return self.adapter.update(user, change)

    def record_sets(self, user: str, cursor: Cursor, entries: list[dict]) -> dict:
        """Save logged sets and the new position, whatever else has happened meanwhile."""

        def change(attrs: dict) -> None:
            workout = self._find(attrs, cursor)
            self._add_sets(attrs, workout, entries)
            if attrs.get("workout") is workout:
                workout.update({k: v for k, v in cursor.to_dict().items() if k != "started"})

        return self.adapter.update(user, change)

    def save_position(self, user: str, cursor: Cursor) -> dict:
        def change(attrs: dict) -> None:
            workout = self._find(attrs, cursor)
            if attrs.get("workout") is workout:
                workout.update({k: v for k, v in cursor.to_dict().items() if k != "started"})

        return self.adapter.update(user, change)

    def correct_last(self, user: str, cursor: Cursor, changes: dict, found: dict) -> dict:
        """Change the last set logged in this workout (``found`` gets the corrected entry)."""

        def change(attrs: dict) -> None:
            workout = self._find(attrs, cursor)
            sets = [s for s in workout.get("sets", []) if isinstance(s, dict)]
            found.clear()
            if sets:
                last = sets[-1]  # sets are appended as they are logged
                last.update(changes)
                found.update(last)

        return self.adapter.update(user, change)

    def record_feedback(self, user: str, cursor: Cursor, exercise: str, difficulty: str) -> dict:
        """How a set felt ("TOO_HARD", ...), kept with the workout for the next suggestion."""

        def change(attrs: dict) -> None:
            workout = self._find(attrs, cursor)
            feedback = workout.get("feedback")
            kept = (
                [f for f in feedback if isinstance(f, dict)] if isinstance(feedback, list) else []
            )
            kept = [f for f in kept if f.get("exercise") != exercise]
            workout["feedback"] = [*kept, {"exercise": exercise, "difficulty": difficulty}]

        return self.adapter.update(user, change)

    def hold(self, user: str, cursor: Cursor | None, hold: dict, entries: list[dict] = ()) -> dict:
        """After a warning symptom: keep the place (if any) with any sets still waiting, and
        hold training until checked."""

        def change(attrs: dict) -> None:
            if cursor is not None:
                workout = self._find(attrs, cursor)
                self._add_sets(attrs, workout, entries)
                if attrs.get("workout") is workout:
                    workout.update({k: v for k, v in cursor.to_dict().items() if k != "started"})
            attrs[HOLD_KEY] = hold

        return self.adapter.update(user, change)

    def remember(self, user: str, **values) -> dict:
        """Set (or, with None, remove) profile values such as the unit or a hold."""

        def change(attrs: dict) -> None:
            for key, value in values.items():
                if value is None:
                    attrs.pop(key, None)
                else:
                    attrs[key] = value

        return self.adapter.update(user, change)

    @staticmethod
    def held(attributes: dict) -> dict | None:
        hold = attributes.get(HOLD_KEY)
        return hold if isinstance(hold, dict) else None

    @staticmethod
    def go_ahead(attributes: dict, program_id: str) -> bool:
        given = attributes.get(GO_AHEAD_KEY)
        return isinstance(given, dict) and given.get(program_id) is True

    def finish(self, user: str, cursor: Cursor, entries: list[dict] = ()) -> dict:
        """Save ``entries`` and move the workout into the history, marked finished; return
        it (not the attributes)."""
        done: dict = {}

        def change(attrs: dict) -> None:
            workout = self._find(attrs, cursor)
            self._add_sets(attrs, workout, entries)
            if attrs.get("workout") is workout:
                attrs.pop("workout")
                self._archive(attrs, workout, finished=now_iso())
            else:
                workout["finished"] = workout.get("finished") or now_iso()
            done.clear()
            done.update(workout)

        self.adapter.update(user, change)
        return done

    @staticmethod
    def _add_sets(attrs: dict, workout: dict, entries: list[dict]) -> None:
        for entry in entries:
            sets = workout.setdefault("sets", [])
            sets[:] = [s for s in sets if _slot_of(s) != _slot_of(entry)]
            sets.append(entry)
            if entry.get("unit"):
                attrs["unit"] = entry["unit"]

    def _find(self, attrs: dict, cursor: Cursor) -> dict:
        """The stored workout this cursor belongs to: in progress, in the history, or new."""
        current = attrs.get("workout")
        if isinstance(current, dict) and current.get("id") == cursor.id:
            return current
        for past in self.history(attrs):
            if past.get("id") == cursor.id:
                return past
        workout = {**cursor.to_dict(), "sets": []}
        if isinstance(current, dict) and current.get("sets"):
            self._archive(attrs, current, finished=None)
        attrs["workout"] = workout
        return workout

    def _archive(self, attrs: dict, workout: dict, finished: str | None) -> None:
        history = self.history(attrs)
        entry = {
            "id": workout.get("id"),
            "program": workout.get("program"),
            "started": workout.get("started"),
            "finished": finished,
            "sets": workout.get("sets", []),
        }
        if workout.get("feedback"):
            entry["feedback"] = workout["feedback"]
        history.append(entry)
        attrs["history"] = history[-self.history_kept :]
