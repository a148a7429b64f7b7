"""Typed, defensive access to the session attributes the conversation keeps.

Session attributes come back from the client, so anything malformed is treated as
absent rather than trusted. The question a response asked (``pending``) lives for one
turn: a response that asks nothing new forgets it (see ``ForgetUnasked``), so "yes"
and "no" only answer the question that was just asked.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput

from .request import request_attributes, session_attributes

LAST = "last"
MISSES = "misses"
PENDING = "pending"
PENDING_DATA = "pending_data"
ASKED_THIS_TURN = "asked_this_turn"
OFFERED_MORE = "more"
ASKED_ANYTHING_ELSE = "anything_else"
OFFERED_WORKOUT = "start"
ASKED_PROGRAM = "program"
ASKED_GATE = "gate"
ASKED_UNIT = "unit"
ASKED_ONE_REP_MAX = "one_rep_max"
OFFERED_SHORTER = "shorter"
ASKED_FORGET = "forget"
ASKED_WELCOME = "welcome"
ASKED_REMINDER_DAYS = "reminder_days"
ASKED_REMINDER_TIME = "reminder_time"
PENDING_VALUES = (
    ASKED_WELCOME,
    ASKED_REMINDER_DAYS,
    ASKED_REMINDER_TIME,
    ASKED_FORGET,
    OFFERED_SHORTER,
    OFFERED_MORE,
    ASKED_ANYTHING_ELSE,
    OFFERED_WORKOUT,
    ASKED_PROGRAM,
    ASKED_GATE,
    ASKED_UNIT,
    ASKED_ONE_REP_MAX,
)


def is_one_shot(handler_input: HandlerInput) -> bool:
    """True for "ask bone builder ..." with no session before it."""
    session = handler_input.request_envelope.session
    return session is None or bool(session.new)


def last_part(handler_input: HandlerInput) -> str:
    """Which part of the last answer was said: "answer", "more" or "source"."""
    last = session_attributes(handler_input).get(LAST)
    part = last.get("part") if isinstance(last, dict) else None
    return part if part in ("answer", "more", "source") else "answer"


def said_part(handler_input: HandlerInput, part: str, chunk: int = 0) -> None:
    """Remember which part of the last answer was said (and, for "more", which piece)."""
    last = session_attributes(handler_input).get(LAST)
    if isinstance(last, dict):
        last["part"] = part
        last["chunk"] = chunk


def last_chunk(handler_input: HandlerInput) -> int:
    last = session_attributes(handler_input).get(LAST)
    chunk = last.get("chunk") if isinstance(last, dict) else None
    return chunk if isinstance(chunk, int) and not isinstance(chunk, bool) and chunk >= 0 else 0


def last_answer(handler_input: HandlerInput) -> tuple[str, str | None] | None:
    """The topic id and variant id of the last answer given in this session, if any."""
    last = session_attributes(handler_input).get(LAST)
    if not isinstance(last, dict):
        return None
    topic, variant = last.get("topic"), last.get("variant")
    if not isinstance(topic, str) or not (variant is None or isinstance(variant, str)):
        return None
    return topic, variant


def remember_answer(handler_input: HandlerInput, topic: str, variant: str | None) -> None:
    attrs = session_attributes(handler_input)
    attrs[LAST] = {"topic": topic, "variant": variant}
    set_pending(handler_input, OFFERED_MORE)


def remember_topic(handler_input: HandlerInput, topic: str, variant: str | None) -> None:
    """Remember the answer given (for "where is that from?") without offering more."""
    session_attributes(handler_input)[LAST] = {"topic": topic, "variant": variant}


def pending(handler_input: HandlerInput) -> str | None:
    value = session_attributes(handler_input).get(PENDING)
    return value if value in PENDING_VALUES else None


def pending_data(handler_input: HandlerInput) -> dict:
    """What was kept with the pending question (say, the numbers awaiting a unit)."""
    data = session_attributes(handler_input).get(PENDING_DATA)
    return data if isinstance(data, dict) else {}


def set_pending(handler_input: HandlerInput, value: str | None, data: dict | None = None) -> None:
    attrs = session_attributes(handler_input)
    attrs.pop(PENDING_DATA, None)
    if value is None:
        attrs.pop(PENDING, None)
        return
    attrs[PENDING] = value
    if data:
        attrs[PENDING_DATA] = data
    request_attributes(handler_input)[ASKED_THIS_TURN] = True


class ForgetUnasked(AbstractResponseInterceptor):
    """Forget the pending question unless this turn's response asked it (again)."""

    def process(self, handler_input: HandlerInput, response):
        if not request_attributes(handler_input).get(ASKED_THIS_TURN):
            attrs = session_attributes(handler_input)
            attrs.pop(PENDING, None)
            attrs.pop(PENDING_DATA, None)
