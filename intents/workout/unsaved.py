"""Sets kept in the session because the database could not take them yet.

They ride in session attributes until a later turn saves them. Every turn that closes the
session tries once more; what still can't be saved is said out loud, never hidden.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.content.model import Content

from ..request import session_attributes
from ..words import Words
from .numbers import say_number
from .records import clean_set

UNSAVED_KEY = "unsaved_sets"
#: More sets than any program has: older ones are dropped rather than growing the session.
MAX_KEPT = 30


def kept(handler_input: HandlerInput) -> list[dict]:
    """The sets waiting to be saved, each checked against the stored-set schema."""
    raw = session_attributes(handler_input).get(UNSAVED_KEY)
    if not isinstance(raw, list):
        return []
    return [s for s in (clean_set(e) for e in raw[-MAX_KEPT:]) if s is not None]


def keep(handler_input: HandlerInput, entries: list[dict]) -> None:
    session_attributes(handler_input)[UNSAVED_KEY] = entries[-MAX_KEPT:]


def clear(handler_input: HandlerInput) -> None:
    session_attributes(handler_input).pop(UNSAVED_KEY, None)


def lost_line(content: Content, count: int) -> str:
    """What to say when ``count`` sets are lost because the session is closing."""
    words = Words(content.lines)
    sets = words("lost_one") if count == 1 else words("lost_many", n=say_number(count))
    return content.messages["sets_not_saved"].speech.format(sets=sets)
