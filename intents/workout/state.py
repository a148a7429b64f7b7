"""Where a person is in a workout: in session attributes while they talk, in the database
after every set, so a dropped session picks up at the same exercise and set."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput

from skill.content.model import Program
from skill.store import training_log
from skill.store.persistence import (
    PERSON_KEY,
    SqlPersistenceAdapter,
    StorageUnavailable,
    device_key,
    user_key,
)

from ..request import session_attributes
from .flow import Place

log = logging.getLogger(__name__)

SESSION_KEY = "workout"
HOLD_KEY = "hold"
GO_AHEAD_KEY = "go_ahead"


#: The place in a workout (see ``flow.Place``); stored and sent in session attributes.
Cursor = Place


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def user_id(handler_input: HandlerInput) -> str:
    """The person whose training log this is (see ``skill.store.persistence.user_key``)."""
    return user_key(handler_input.request_envelope)


@dataclass(frozen=True)
class Who:
    """Whose workout: the person, and the device when no voice was recognised (each device
    on the account has its own workout in progress)."""

    person: str
    device: str | None = None


def as_who(who: Who | str) -> Who:
    """A person id alone is the person, on no particular device."""
    return who if isinstance(who, Who) else Who(who)


def who(handler_input: HandlerInput) -> Who:
    envelope = handler_input.request_envelope
    return Who(user_key(envelope), device_key(envelope))


def session_cursor(handler_input: HandlerInput, programs: dict[str, Program]) -> Place | None:
    attrs = session_attributes(handler_input)
    return Place.from_dict(attrs.get(SESSION_KEY), programs)


def put_cursor(handler_input: HandlerInput, cursor: Cursor | None) -> None:
    attrs = session_attributes(handler_input)
    if cursor is None:
        attrs.pop(SESSION_KEY, None)
    else:
        attrs[SESSION_KEY] = cursor.to_dict()


def _request_of(entries: list[dict]) -> str | None:
    requests = [e.get("request") for e in entries if isinstance(e.get("request"), str)]
    return requests[-1] if requests else None


class WorkoutStore:
    """Reads and writes a person's workouts in the training log (``skill.store.training_log``).

    Each write is one transaction. Sets are appended, never rewritten, so overlapping
    requests from two devices never drop each other's sets, and a retried request (same
    Alexa request id) does not log a set twice. Writes return the person's attributes as
    they now are, so the request's cached copy stays true.
    """

    def __init__(self, adapter: SqlPersistenceAdapter, history_kept: int = 200):
        self.adapter = adapter
        self.history_kept = history_kept

    def in_progress(self, attributes: dict, programs: dict[str, Program]) -> Place | None:
        return Place.from_dict(attributes.get("workout"), programs)

    def history(
        self,
        attributes: dict,
        exercise: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[dict]:
        """Filed workouts, oldest first, read with a bounded query: the last ``limit``
        (``history_kept`` by default), only with ``exercise``, only since ``since``."""
        person = attributes.get(PERSON_KEY)
        if not isinstance(person, str):
            return []
        try:
            with self.adapter.reading() as conn:
                return training_log.history(
                    conn, person, exercise, since, limit or self.history_kept
                )
        except StorageUnavailable:
            log.warning("could not read the history", exc_info=True)
            return []

    def praise_facts(self, attributes: dict, finished: dict) -> tuple[int, dict[str, float]]:
        """For the praise after ``finished``: how many other workouts were finished (up to
        11: only the first and tenth are praised) and each of its exercises' earlier top
        weight in kg. Read when it was filed; else (a retried last set) read now, when the
        tops already include today's."""
        facts = finished.get(training_log.PRAISE_KEY)
        if facts is not None:
            return facts
        person = attributes.get(PERSON_KEY)
        if not isinstance(person, str):
            return 0, {}
        exercises = {s.get("exercise") for s in finished.get("sets", []) if isinstance(s, dict)}
        try:
            with self.adapter.reading() as conn:
                count = training_log.finished_count(conn, person, finished.get("id"), most=11)
                return count, training_log.top_weights(conn, person, exercises)
        except StorageUnavailable:
            log.warning("could not read the history for praise", exc_info=True)
            return 0, {}

    def _write(self, who: Who | str, change) -> dict:
        who = as_who(who)
        with self.adapter.transaction() as conn:
            change(conn)
            return training_log.read_person(conn, who.person, who.device)

    def begin(self, who: Who | str, cursor: Cursor) -> dict:
        """Start a new workout; an unfinished one is kept in the history with its sets."""
        who = as_who(who)
        return self._write(
            who, lambda conn: training_log.begin(conn, who.person, cursor.to_dict(), who.device)
        )

    def _place_and_sets(self, conn, who: Who, cursor: Cursor, entries) -> tuple[int, bool]:
        place = cursor.to_dict()
        workout_id, current = training_log.find(conn, who.person, place, who.device)
        entries = list(entries)
        training_log.add_sets(conn, who.person, workout_id, entries, _request_of(entries))
        if current:
            training_log.move(conn, workout_id, place)
        return workout_id, current

    def record_sets(self, who: Who | str, cursor: Cursor, entries: list[dict]) -> dict:
        """Save logged sets and the new position, whatever else has happened meanwhile."""
        who = as_who(who)
        return self._write(who, lambda conn: self._place_and_sets(conn, who, cursor, entries))

    def save_position(self, who: Who | str, cursor: Cursor) -> dict:
        who = as_who(who)
        return self._write(who, lambda conn: self._place_and_sets(conn, who, cursor, ()))

    def correct_last(self, who: Who | str, cursor: Cursor, changes: dict, found: dict) -> dict:
        """Change the last set logged in this workout (``found`` gets the corrected entry).
        The correction is a new row that supersedes the set it corrects."""
        who = as_who(who)
        user = who.person

        def change(conn) -> None:
            workout_id, _ = training_log.find(conn, user, cursor.to_dict(), who.device)
            logged = training_log.workout_sets(conn, workout_id)
            found.clear()
            if logged:
                last = {**logged[-1], **changes}  # the set logged last (rows in insert order)
                training_log.add_sets(conn, user, workout_id, [last], None)
                found.update(last)

        return self._write(who, change)

    def record_feedback(self, who: Who | str, cursor: Cursor, exercise: str, difficulty: str) -> dict:
        """How a set felt ("TOO_HARD", ...), kept with the workout for the next suggestion."""
        who = as_who(who)

        def change(conn) -> None:
            workout_id, _ = training_log.find(conn, who.person, cursor.to_dict(), who.device)
            training_log.set_feedback(conn, workout_id, exercise, difficulty)

        return self._write(who, change)

    def hold(
        self, who: Who | str, cursor: Cursor | None, hold: dict, entries: Sequence[dict] = ()
    ) -> dict:
        """After a warning symptom: keep the place (if any) with any sets still waiting, and
        hold training until checked."""
        who = as_who(who)

        def change(conn) -> None:
            if cursor is not None:
                self._place_and_sets(conn, who, cursor, entries)
            training_log.set_profile(conn, who.person, {HOLD_KEY: hold})

        return self._write(who, change)

    def remember(self, who: Who | str, **values) -> dict:
        """Set (or, with None, remove) profile values such as the unit or a hold."""
        person = who.person if isinstance(who, Who) else who
        return self._write(who, lambda conn: training_log.set_profile(conn, person, values))

    @staticmethod
    def held(attributes: dict) -> dict | None:
        hold = attributes.get(HOLD_KEY)
        return hold if isinstance(hold, dict) else None

    @staticmethod
    def go_ahead(attributes: dict, program_id: str) -> bool:
        given = attributes.get(GO_AHEAD_KEY)
        return isinstance(given, dict) and given.get(program_id) is True

    def finish(self, who: Who | str, cursor: Cursor, entries: Sequence[dict] = ()) -> dict:
        """Save ``entries`` and move the workout into the history, marked finished; return
        it (not the attributes)."""
        who = as_who(who)
        with self.adapter.transaction() as conn:
            workout_id, current = self._place_and_sets(conn, who, cursor, entries)
            return training_log.finish(
                conn, who.person, workout_id, current, now_iso(), who.device
            )

    def forget(self, user: str) -> int:
        """Delete everything kept about this person."""
        return self.adapter.forget(user)
