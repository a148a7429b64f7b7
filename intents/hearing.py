"""What was heard, sorted into a ``Reply``: the intent, and the shape of its slots.

The same intent can be different replies: "done" and "twelve" are both ``LogSetIntent``
(one has a number), "no I said twelve" and "no I didn't" are both ``CorrectionIntent``. A
``SymptomIntent`` is a warning sign, tired muscles, or words the skill can't place.
"""

from __future__ import annotations

from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput

from skill.content.model import Content

from .meaning import Reply
from .safety import SYMPTOM_INTENT, Sign, read_sign
from .slots import SlotResolver

#: Intents that are one reply whatever their slots.
INTENT_REPLIES: dict[str, Reply] = {
    "AMAZON.YesIntent": Reply.YES,
    "AMAZON.NoIntent": Reply.NO,
    "AMAZON.NextIntent": Reply.NEXT,
    "AMAZON.ResumeIntent": Reply.GO_ON,
    "AMAZON.StopIntent": Reply.STOP,
    "AMAZON.CancelIntent": Reply.STOP,
    "AMAZON.NavigateHomeIntent": Reply.STOP,
    "AMAZON.PauseIntent": Reply.PAUSE,
    "AMAZON.HelpIntent": Reply.HELP,
    "AMAZON.RepeatIntent": Reply.REPEAT,
    "AMAZON.FallbackIntent": Reply.UNKNOWN,
    "AMAZON.PreviousIntent": Reply.PREVIOUS,
    "AMAZON.StartOverIntent": Reply.START_OVER,
    "TellMeMoreIntent": Reply.MORE,
    "WhereFromIntent": Reply.SOURCE,
    "StartWorkoutIntent": Reply.START,
    "SkipExerciseIntent": Reply.SKIP,
    "WhatsNextIntent": Reply.WHATS_NEXT,
    "SetsLeftIntent": Reply.SETS_LEFT,
    "FormIntent": Reply.FORM,
    "WhyExerciseIntent": Reply.WHY,
    "DifficultyIntent": Reply.DIFFICULTY,
    "UnitIntent": Reply.UNIT,
    "SetModeIntent": Reply.MODE,
    "OneRepMaxIntent": Reply.ONE_REP_MAX,
    "HowAmIDoingIntent": Reply.PROGRESS,
    "ForgetHistoryIntent": Reply.FORGET,
    "SetReminderIntent": Reply.SET_REMINDER,
    "ListRemindersIntent": Reply.LIST_REMINDERS,
    "MoveReminderIntent": Reply.MOVE_REMINDER,
    "StopRemindersIntent": Reply.STOP_REMINDERS,
    "SetGoalIntent": Reply.SET_GOAL,
}
LOG_SET_INTENT = "LogSetIntent"
CORRECTION_INTENT = "CorrectionIntent"
NUMBER_SLOTS = ("Reps", "Weight")

#: Custom intents answered by the conversation rather than by a content topic.
HANDLED_INTENTS = frozenset(
    {
        *(name for name in INTENT_REPLIES if not name.startswith("AMAZON.")),
        LOG_SET_INTENT,
        CORRECTION_INTENT,
        SYMPTOM_INTENT,
    }
)


@dataclass(frozen=True)
class Heard:
    """What was heard: the intent, its reply, the warning sign in it, and the program it
    names (a ``PROGRAM`` slot value), if any."""

    intent: str | None
    reply: Reply
    sign: Sign | None = None
    program: str | None = None


def intent_name(handler_input: HandlerInput) -> str | None:
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    return intent.name if intent is not None else None


def _has_number(intent) -> bool:
    slots = intent.slots or {}
    return any(
        slots.get(name) is not None and isinstance(slots[name].value, str) and slots[name].value
        for name in NUMBER_SLOTS
    )


class Hearing:
    """Sorts a request's intent and slots into a ``Reply``."""

    def __init__(self, content: Content, resolver: SlotResolver):
        self.content = content
        self.resolver = resolver

    def __call__(self, handler_input: HandlerInput) -> Heard:
        intent = getattr(handler_input.request_envelope.request, "intent", None)
        name = intent.name if intent is not None else None
        if name == SYMPTOM_INTENT:
            sign = read_sign(self.content.safety, self.resolver, intent)
            if sign is None:
                return Heard(name, Reply.UNKNOWN_SYMPTOM)
            return Heard(name, Reply.WARNING if sign.warning else Reply.TIRED, sign)
        if name in self.content.by_intent:
            return Heard(name, Reply.QUESTION)
        if name == LOG_SET_INTENT:
            return Heard(name, Reply.NUMBER if _has_number(intent) else Reply.DONE)
        if name == CORRECTION_INTENT:
            return Heard(name, Reply.CORRECTION if _has_number(intent) else Reply.NOT_DONE)
        program, _ = self.resolver.resolve(intent, "Program") if intent else (None, None)
        return Heard(name, INTENT_REPLIES.get(name or "", Reply.UNKNOWN), program=program)
