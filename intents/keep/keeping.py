"""Keeping people training for months: reminders on their training days, a weekly goal with
a streak, and "how am I doing", heard and seen.

Each intent's behaviour is a plain callable ``(handler_input) -> Response``, which the
conversation's table of meanings calls; ``after_workout`` gives the lines said when a workout is finished, and
``consent_answered`` what follows the answer to the permission request. Calls to Alexa's
APIs never cost a workout: a failure is one honest line, and the time zone falls back to
the last one known, then UTC.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import AskForPermissionsConsentCard, Image, SimpleCard, StandardCard

from skill.store import training_log
from skill.store.persistence import StorageUnavailable

from .. import session as qa_session
from ..request import intent_of, locale_of, request_attributes, session_attributes
from ..respond import ask, ssml
from ..slots import SlotResolver
from ..words import Words
from ..workout.numbers import convert, parse_number, round_weight, say_number, say_weight
from ..workout.state import session_cursor, user_id
from ..workout.stored import Records
from . import said
from .apis import AlexaApis, ApiFailure, reminder_request
from .consent import ACCEPTED, DENIED, NOT_ANSWERED, SCOPE, TOKEN_PREFIX, ask_directive, granted
from .schedule import Schedule, from_kept, ordered_days, time_of
from .store import Habits, KeepStore
from .summary import LIFTS_SAID, chart_weeks, new_best, span_weeks, trends
from .weeks import MOST_GOAL, UTC, Week, missed_last_week, streak, this_week, week_start, zone_named

log = logging.getLogger(__name__)

#: Session attribute: {"declined": True} once the person said no to reminders.
SESSION_KEY = "reminders"
ASKED_DAYS = qa_session.ASKED_REMINDER_DAYS
ASKED_TIME = qa_session.ASKED_REMINDER_TIME
FAILURE_LINES = {
    "refused": "reminders_refused",
    "busy": "reminders_busy",
    "down": "reminders_unreachable",
    "missing": "reminders_unreachable",
}
HISTORY_WEEKS = 12
_ZONE = "keep_zone"
_HABITS = "keep_habits"


class ChartMaker(Protocol):
    """Keeps a chart's data and gives the link to its picture (``ChartLinks``)."""

    def make(self, person_id: str, data: dict) -> str: ...


def _unwired(handler_input: HandlerInput, *lines: str) -> Response:
    raise RuntimeError("KeepTraining.follow_on is given when the skill is built")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class KeepTraining:
    def __init__(
        self,
        words: Words,
        resolver: SlotResolver,
        records: Records,
        store: KeepStore,
        apis: AlexaApis | None = None,
        charts: ChartMaker | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ):
        """``records`` is the person's training log, ``store`` their habits; ``charts``
        makes chart links (``skill.web.charts.ChartLinks``) or is None; ``clock`` gives the
        time now (UTC)."""
        self.words = words
        self.resolver = resolver
        self.records = records
        self.store = store
        self.apis = apis or AlexaApis()
        self.charts = charts
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        #: Say lines, then carry on the conversation where it is (the conversation's own
        #: ``follow_on``, given once it is built).
        self.follow_on: Callable[..., Response] = _unwired

    def question(self, handler_input: HandlerInput, asked: str):
        """The reminder question pending (``ASKED_DAYS`` or ``ASKED_TIME``), as asked."""
        if asked == ASKED_DAYS:
            return self.words.prompt("reminder_days_question")
        days = ordered_days(qa_session.pending_data(handler_input).get("days") or ())
        return self.words.prompt("reminder_time_question", days=said.days(self.words, days))

    def help_line(self, asked: str) -> str:
        key = "again_reminder_days" if asked == ASKED_DAYS else "again_reminder_time"
        return self.words.prompt(key).speech

    # -- what the request says ---------------------------------------------------------

    def _slots(self, handler_input: HandlerInput) -> tuple[tuple[str, ...], tuple[int, int] | None]:
        intent = getattr(handler_input.request_envelope.request, "intent", None)
        chosen = []
        for name in ("Day", "DayTwo", "DayThree"):
            value_id, _ = self.resolver.resolve(intent, name)
            chosen.append(value_id)
        slots = getattr(intent, "slots", None) or {}
        time_slot = slots.get("Time")
        return ordered_days(chosen), time_of(getattr(time_slot, "value", None))

    def _habits(self, handler_input: HandlerInput) -> Habits:
        """The person's goal, zone and weeks, read once per request."""
        cache = request_attributes(handler_input)
        if _HABITS not in cache:
            cache[_HABITS] = self.store.habits(user_id(handler_input))
        return cache[_HABITS]

    def zone(self, handler_input: HandlerInput, habits: Habits | None = None):
        """The person's time zone: the device's (Settings API), else the last one known,
        else UTC. Asked once per request; a new zone is kept for next time."""
        cache = request_attributes(handler_input)
        if _ZONE in cache:
            return cache[_ZONE]
        zone = name = None
        try:
            name = self.apis.time_zone(handler_input)
            zone = zone_named(name)
        except ApiFailure:
            pass
        if zone is not None and name is not None and habits is not None and habits.zone != name:
            try:
                self.store.set_zone(user_id(handler_input), name)
            except StorageUnavailable:
                log.warning("could not keep the time zone")
        if zone is None:
            zone = zone_named(habits.zone if habits else None) or UTC
        cache[_ZONE] = zone
        return zone

    def _declined(self, handler_input: HandlerInput) -> bool:
        kept = session_attributes(handler_input).get(SESSION_KEY)
        return isinstance(kept, dict) and kept.get("declined") is True

    def _say(self, handler_input: HandlerInput, key: str, **fields) -> Response:
        return self.follow_on(handler_input, self.words(key, **fields))

    def _failed(self, handler_input: HandlerInput, failure: ApiFailure) -> Response:
        return self._say(handler_input, FAILURE_LINES.get(failure.kind, "reminders_unreachable"))

    # -- reminders ---------------------------------------------------------------------

    def set_reminder(self, handler_input: HandlerInput) -> Response:
        """ "Remind me to train on Tuesdays and Fridays at nine": asks for what is missing,
        then for the permission if need be, then sets one weekly reminder."""
        days, clock = self._slots(handler_input)
        data = qa_session.pending_data(handler_input)
        if qa_session.pending(handler_input) in (ASKED_DAYS, ASKED_TIME):
            days = days or ordered_days(data.get("days") or ())
            clock = clock or time_of(data.get("at"))
        if not days:
            at = f"{clock[0]:02d}:{clock[1]:02d}" if clock else None
            qa_session.set_pending(handler_input, ASKED_DAYS, {"at": at} if at else None)
            asked = self.words.prompt("reminder_days_question")
            return ask(handler_input, asked.speech, asked.follow_up)
        if clock is None:
            qa_session.set_pending(handler_input, ASKED_TIME, {"days": list(days)})
            asked = self.words.prompt("reminder_time_question", days=said.days(self.words, days))
            return ask(handler_input, asked.speech, asked.follow_up)
        qa_session.set_pending(handler_input, None)
        return self._with_permission(handler_input, Schedule(days, *clock))

    def time_answer(self, handler_input: HandlerInput) -> Response:
        """A bare number ("nine") after "What time shall I remind you?": that hour."""
        intent = intent_of(handler_input)
        slot = (intent.slots or {}).get("Reps")
        hour = parse_number(getattr(slot, "value", None))
        days = ordered_days(qa_session.pending_data(handler_input).get("days") or ())
        if hour is None or not hour.is_integer() or not 0 < hour < 24 or not days:
            return self.follow_on(handler_input, self.words.prompt("again_reminder_time").speech)
        qa_session.set_pending(handler_input, None)
        return self._with_permission(handler_input, Schedule(days, int(hour), 0))

    def _with_permission(self, handler_input: HandlerInput, schedule: Schedule) -> Response:
        if granted(handler_input):
            return self._set(handler_input, schedule)
        if self._declined(handler_input):
            return self._say(handler_input, "reminder_permission_declined")
        token = f"{TOKEN_PREFIX}:{','.join(schedule.days)}:{schedule.at}"
        builder = handler_input.response_builder
        builder.speak(ssml(self.words("reminder_permission_ask")))
        builder.add_directive(ask_directive(token))
        return builder.response

    def consent_answered(self, handler_input: HandlerInput, outcome: str, token: str):
        """After Alexa asked for the permission: set the reminder, or a kind word."""
        if outcome == ACCEPTED:
            _, _, kept = token.partition(":")
            days, _, at = kept.partition(":")
            schedule = from_kept(days, at)
            if schedule is not None:
                return self._set(handler_input, schedule)
            return self._say(handler_input, "reminders_unreachable")
        if outcome == DENIED:
            session_attributes(handler_input)[SESSION_KEY] = {"declined": True}
            return self._say(handler_input, "reminder_permission_denied")
        handler_input.response_builder.set_card(AskForPermissionsConsentCard(permissions=[SCOPE]))
        key = (
            "reminder_permission_unanswered"
            if outcome == NOT_ANSWERED
            else "reminder_permission_card"
        )
        return self._say(handler_input, key)

    def _reminder_text(self, handler_input: HandlerInput) -> str:
        records = self.records
        place = session_cursor(handler_input, records.programs) or records.saved_place(
            handler_input
        )
        if place is not None:
            program = records.programs.get(place.program)
        else:
            program = records.last_program(handler_input)
        if program is None:
            return self.words("reminder_text_any")
        return self.words("reminder_text", program=program.name)

    def _request(self, handler_input: HandlerInput, schedule: Schedule):
        try:
            habits = self._habits(handler_input)
        except StorageUnavailable:
            habits = None
        zone = self.zone(handler_input, habits)
        locale = locale_of(handler_input) or "en-US"
        now = self.clock().astimezone(zone)
        return reminder_request(schedule, zone.key, locale, self._reminder_text(handler_input), now)

    def _set(self, handler_input: HandlerInput, schedule: Schedule) -> Response:
        """One weekly reminder: the one made before is changed, else a new one is made."""
        person = user_id(handler_input)
        request = self._request(handler_input, schedule)
        try:
            kept = self.apis.reminders(handler_input)
            token = None
            for found in kept:
                if token is None:
                    try:
                        self.apis.update(handler_input, found.token, request)
                        token = found.token
                        continue
                    except ApiFailure as failure:
                        if failure.kind != "missing":
                            raise
                self.apis.delete(handler_input, found.token)
            if token is None:
                token = self.apis.create(handler_input, request)
        except ApiFailure as failure:
            return self._failed(handler_input, failure)
        try:
            self.store.drop_reminders(person)
            self.store.keep_reminder(person, token, schedule)
        except StorageUnavailable:
            log.warning("a reminder was set but could not be noted")
        return self._say(handler_input, "reminder_set", **said.schedule(self.words, schedule))

    def list_reminders(self, handler_input: HandlerInput) -> Response:
        """ "What reminders do I have?"."""
        if not granted(handler_input):
            return self._say(handler_input, "reminder_none")
        try:
            kept = [k.schedule for k in self.apis.reminders(handler_input) if k.schedule]
        except ApiFailure as failure:
            return self._failed(handler_input, failure)
        if not kept:
            return self._say(handler_input, "reminder_none")
        lines = [self.words("reminder_list", **said.schedule(self.words, s)) for s in kept[:2]]
        return self.follow_on(handler_input, " ".join(lines))

    def move_reminder(self, handler_input: HandlerInput) -> Response:
        """ "Move my reminder to ten", "change my reminder to Mondays and Thursdays"."""
        days, clock = self._slots(handler_input)
        if not granted(handler_input):
            return self._say(handler_input, "reminder_none")
        if not days and clock is None:
            return self.list_reminders(handler_input)
        try:
            kept = [k for k in self.apis.reminders(handler_input) if k.schedule]
            if not kept:
                return self._say(handler_input, "reminder_none")
            moved = []
            for found in kept:
                old = found.schedule
                assert old is not None  # only reminders with a schedule were kept
                new = Schedule(days or old.days, *(clock or (old.hour, old.minute)))
                self.apis.update(handler_input, found.token, self._request(handler_input, new))
                moved.append((found.token, new))
        except ApiFailure as failure:
            return self._failed(handler_input, failure)
        person = user_id(handler_input)
        try:
            for token, new in moved:
                self.store.keep_reminder(person, token, new)
        except StorageUnavailable:
            log.warning("a reminder was moved but could not be noted")
        return self._say(handler_input, "reminder_moved", **said.schedule(self.words, moved[0][1]))

    def stop_reminders(self, handler_input: HandlerInput) -> Response:
        """ "Stop reminding me": every reminder the skill made goes."""
        if not granted(handler_input):
            return self._say(handler_input, "reminder_none")
        try:
            kept = self.apis.reminders(handler_input)
            for found in kept:
                try:
                    self.apis.delete(handler_input, found.token)
                except ApiFailure as failure:
                    if failure.kind != "missing":
                        raise
        except ApiFailure as failure:
            return self._failed(handler_input, failure)
        try:
            self.store.drop_reminders(user_id(handler_input))
        except StorageUnavailable:
            log.warning("reminders were deleted but could not be unnoted")
        return self._say(handler_input, "reminders_stopped" if kept else "reminder_none")

    def forget_reminders(self, handler_input: HandlerInput) -> None:
        """Before a person is forgotten: delete the reminders the skill made, through the API
        when it answers (the database rows go with the person)."""
        tokens: set[str] = set()
        try:
            tokens |= {token for token, _ in self.store.reminders(user_id(handler_input))}
        except StorageUnavailable:
            log.warning("could not read the reminders to forget")
        if granted(handler_input):
            with contextlib.suppress(ApiFailure):
                tokens |= {k.token for k in self.apis.reminders(handler_input)}
        for token in sorted(tokens):
            try:
                self.apis.delete(handler_input, token)
            except ApiFailure as failure:
                log.warning("could not delete a reminder while forgetting (%s)", failure.kind)

    # -- the goal and the streak -------------------------------------------------------

    def set_goal(self, handler_input: HandlerInput) -> Response:
        """ "My goal is three workouts a week"."""
        intent = intent_of(handler_input)
        count = parse_number(getattr((intent.slots or {}).get("Count"), "value", None))
        if count is None:
            return self._say(handler_input, "goal_how")
        if not count.is_integer() or not 1 <= count <= MOST_GOAL:
            return self._say(handler_input, "goal_range")
        goal = int(count)
        person = user_id(handler_input)
        try:
            zone = self.zone(handler_input, self._habits(handler_input))
            week = week_start(self.clock(), zone)
            self.store.set_goal(person, goal, week.isoformat())
        except StorageUnavailable:
            return self._say(handler_input, "notes_unreachable")
        line = self.words("goal_set", sessions=said.sessions(self.words, goal))
        if goal >= 4:
            line += " " + self.words("goal_rest")
        return self.follow_on(handler_input, line)

    def _weeks_now(self, handler_input: HandlerInput, habits: Habits) -> tuple[list[Week], Week]:
        zone = self.zone(handler_input, habits)
        start = week_start(self.clock(), zone)
        return habits.weeks, this_week(habits.weeks, start, habits.goal)

    def after_workout(self, handler_input: HandlerInput, finished: dict) -> list[str]:
        """The week and the streak, said when a workout is finished: it counts once."""
        if not finished.get("sets"):
            return []
        person = user_id(handler_input)
        try:
            habits = self._habits(handler_input)
            weeks, current = self._weeks_now(handler_input, habits)
            if training_log.PRAISE_KEY in finished:
                self.store.count_week(person, current.start.isoformat(), habits.goal)
                current = Week(current.start, current.sessions + 1, current.goal)
                weeks = [w for w in weeks if w.start != current.start] + [current]
        except StorageUnavailable:
            log.warning("could not count the week")
            return []
        count = say_number(current.sessions)
        lines = []
        if current.met:
            lines.append(self.words("week_met", count=count))
            run = streak(weeks, current)
            if run >= 2:
                lines.append(_sentence(self.words("streak_run", weeks=said.weeks(self.words, run))))
            elif missed_last_week(weeks, current):
                lines.append(self.words("streak_new"))
        else:
            if missed_last_week(weeks, current) and current.sessions == 1:
                lines += [self.words("comeback"), self.words("fresh_start")]
            left = say_number(current.goal - current.sessions)
            lines.append(self.words("week_to_go", count=count, left=left))
        return lines

    # -- how am I doing ----------------------------------------------------------------

    def how_am_i_doing(self, handler_input: HandlerInput) -> tuple[str, bool]:
        """This week against the goal, the streak, the main lifts' trend and a new best;
        a progress chart on the card where one can be drawn. Returns the words and whether
        there was anything to tell (nothing yet: the conversation offers a workout)."""
        records, words = self.records, self.words
        try:
            attrs = records.read(handler_input)
            habits = self._habits(handler_input)
        except Exception:
            log.warning("could not read history for a summary", exc_info=True)
            return words("notes_unreachable"), True
        weeks, current = self._weeks_now(handler_input, habits)
        now = self.clock()
        since = (now - dt.timedelta(weeks=HISTORY_WEEKS)).isoformat(timespec="seconds")
        history = [w for w in records.store.history(attrs, since=since) if w.get("finished")]
        unit = records.unit(handler_input)
        names = {e.id: e.name for p in records.programs.values() for e in p.exercises}
        if not weeks and not history:
            return words("doing_nothing_yet"), False
        lines = [self._week_line(current)]
        run = streak(weeks, current)
        if run >= 2:
            lines.append(words("doing_streak", weeks=said.weeks(words, run)))
        elif missed_last_week(weeks, current) and not current.met:
            lines.append(words("fresh_start"))
        lifts = trends(history, unit, {e: n for n, e in enumerate(names)})
        today = now.astimezone(self.zone(handler_input, habits)).date()
        for n, trend in enumerate(lifts[:LIFTS_SAID]):
            trend_key = "steady"
            if trend.latest > trend.first:
                trend_key = "up"
            elif trend.latest < trend.first:
                trend_key = "down"
            span = words("span", weeks=said.weeks(words, span_weeks(trend, today)))
            lines.append(
                words(
                    f"doing_lift_{trend_key}" if n == 0 else f"doing_lift_next_{trend_key}",
                    span=span,
                    name=names.get(trend.exercise, trend.exercise.replace("_", " ")),
                    first=say_weight(trend.first, unit),
                    latest=say_weight(trend.latest, unit),
                )
            )
        best = new_best(history)
        if best is not None:
            exercise, kg = best
            weight = round_weight(convert(kg, "kg", unit), unit)
            lines.append(
                words(
                    "doing_best",
                    exercise=names.get(exercise, exercise),
                    weight=say_weight(weight, unit),
                )
            )
        self._card(handler_input, current, run, lifts[0] if lifts else None, names, weeks)
        return " ".join(lines), True

    def _week_line(self, current: Week) -> str:
        goal = say_number(current.goal)
        if current.sessions == 0:
            return self.words("doing_week_none", goal=goal)
        key = "doing_week_met" if current.met else "doing_week_some"
        return self.words(key, count=say_number(current.sessions), goal=goal)

    def _card(self, handler_input: HandlerInput, current: Week, run: int, lift, names: dict, weeks) -> None:
        words = self.words
        name = names.get(lift.exercise, lift.exercise) if lift else ""
        text = [words("card_week", count=current.sessions, goal=current.goal)]
        if run:
            text.append(words("card_streak", weeks=f"{run} week{'s' if run != 1 else ''}"))
        if lift:
            text.append(
                words(
                    "card_lift",
                    name=name.capitalize(),
                    first=f"{lift.first:g}",
                    latest=f"{lift.latest:g}",
                    unit=lift.unit,
                )
            )
        title, body = words("card_title"), "\n".join(text)
        url = None
        if self.charts is not None:
            data = {
                "weeks": chart_weeks(weeks, current),
                "lift": {
                    "title": words("chart_lift", name=name.capitalize()),
                    "unit": lift.unit,
                    "points": [list(p) for p in lift.points],
                }
                if lift
                else {},
                "labels": {
                    "sessions": words("chart_sessions"),
                    "goal": words("chart_goal"),
                    "no_lift": words("chart_no_lift"),
                },
            }
            try:
                url = self.charts.make(user_id(handler_input), data)
            except StorageUnavailable:
                log.warning("could not keep a chart")
        builder = handler_input.response_builder
        if url:
            image = Image(small_image_url=url, large_image_url=url)
            builder.set_card(StandardCard(title=title, text=body, image=image))
        else:
            builder.set_card(SimpleCard(title=title, content=body))
