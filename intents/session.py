"""Typed, defensive access to the session attributes the Q&A flow keeps.

Session attributes come back from the client, so anything malformed is treated as
absent rather than trusted.
"""

from __future__ import annotations

LAST = "last"
PENDING = "pending"
OFFERED_MORE = "more"
ASKED_ANYTHING_ELSE = "anything_else"
OFFERED_WORKOUT = "start"
ASKED_PROGRAM = "program"
PENDING_VALUES = (OFFERED_MORE, ASKED_ANYTHING_ELSE, OFFERED_WORKOUT, ASKED_PROGRAM)


def is_one_shot(handler_input) -> bool:
    """True for "ask bone builder ..." with no session before it."""
    session = handler_input.request_envelope.session
    return session is None or bool(session.new)


def last_answer(handler_input) -> tuple[str, str | None] | None:
    """The topic id and variant id of the last answer given in this session, if any."""
    last = handler_input.attributes_manager.session_attributes.get(LAST)
    if not isinstance(last, dict):
        return None
    topic, variant = last.get("topic"), last.get("variant")
    if not isinstance(topic, str) or not (variant is None or isinstance(variant, str)):
        return None
    return topic, variant


def remember_answer(handler_input, topic: str, variant: str | None) -> None:
    attrs = handler_input.attributes_manager.session_attributes
    attrs[LAST] = {"topic": topic, "variant": variant}
    attrs[PENDING] = OFFERED_MORE


def pending(handler_input) -> str | None:
    value = handler_input.attributes_manager.session_attributes.get(PENDING)
    return value if value in PENDING_VALUES else None


def set_pending(handler_input, value: str | None) -> None:
    attrs = handler_input.attributes_manager.session_attributes
    if value is None:
        attrs.pop(PENDING, None)
    else:
        attrs[PENDING] = value
