"""Read a response envelope as a listener would: what it asks for, and which kind of turn
it is for the turn budgets: "start" (the first response of a workout), "set" (a set
announcement: it waits for the set to be done), "more" (tell me more) or "other".

The question is the reprompt, or else the last sentence said; the workout's place comes
from the session attributes the skill sends back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from .speech import to_text

KINDS = ("start", "set", "more", "other")

# What a response asks for.
COUNT, SET_RESULT, CHOICE, YES_NO, NOTHING = "count", "set", "choice", "yes/no", "nothing"
_COUNT = re.compile(r"\bhow many\b[^.!?]*\?", re.IGNORECASE)
_SET_RESULT = re.compile(r"\bsay\b[^.!?]*\bdone\b", re.IGNORECASE)
_OR = re.compile(r"\bor\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class SessionNames(Protocol):
    """The session attributes a listener reads to follow the conversation, as the built
    skill names them (``BuiltSkill.session_names``): the workout under way, the question
    pending, the pending value that offers more of an answer, and those that ask to choose
    among named options."""

    @property
    def workout(self) -> str: ...
    @property
    def pending(self) -> str: ...
    @property
    def offered_more(self) -> str: ...
    @property
    def choices(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class Exchange:
    """One request sent and the response envelope that came back."""

    request: dict
    response: dict

    @property
    def intent(self) -> str | None:
        return (self.request["request"].get("intent") or {}).get("name")

    @property
    def before(self) -> dict:
        return (self.request.get("session") or {}).get("attributes") or {}

    @property
    def after(self) -> dict:
        return self.response.get("sessionAttributes") or {}

    @property
    def ssml(self) -> str | None:
        speech = self.response.get("response", {}).get("outputSpeech") or {}
        return speech.get("ssml") or speech.get("text")

    @property
    def is_open(self) -> bool:
        return self.response.get("response", {}).get("shouldEndSession") is False


def _cursor(attributes: dict, names: SessionNames) -> dict | None:
    cursor = attributes.get(names.workout)
    return cursor if isinstance(cursor, dict) else None


def position(attributes: dict, names: SessionNames) -> tuple[int, int] | None:
    """The exercise and set (0-based) of the workout under way, if the attributes carry one."""
    cursor = _cursor(attributes, names) or {}
    ex, at = cursor.get("ex"), cursor.get("set")
    return (ex, at) if isinstance(ex, int) and isinstance(at, int) else None


def question(exchange: Exchange) -> str:
    """What the response asks: its reprompt, else the last sentence of its speech."""
    reprompt = (exchange.response.get("response", {}).get("reprompt") or {}).get(
        "outputSpeech"
    ) or {}
    text = to_text(reprompt.get("ssml") or reprompt.get("text"))
    if not text:
        text = _SENTENCE_END.split(to_text(exchange.ssml))[-1]
    return text.strip()


def asks(exchange: Exchange, names: SessionNames) -> str:
    """Which kind of answer the response waits for (the constants above)."""
    asked = question(exchange)
    cursor = _cursor(exchange.after, names) or {}
    if _COUNT.search(asked):
        return COUNT
    if _SET_RESULT.search(asked) or (exchange.is_open and cursor.get("stage") == "set"):
        return SET_RESULT
    if not exchange.is_open:
        return NOTHING
    if exchange.after.get(names.pending) in names.choices or _OR.search(asked):
        return CHOICE
    return YES_NO if asked.endswith("?") else NOTHING


def classify(exchange: Exchange, workout_started: bool, names: SessionNames) -> str:
    """ "more", "start", "set" or "other" (see the module docstring)."""
    offered_more = exchange.before.get(names.pending) == names.offered_more
    more = exchange.intent == "TellMeMoreIntent" or (
        exchange.intent == "AMAZON.YesIntent" and offered_more
    )
    if more:
        return "more"
    if not workout_started and _cursor(exchange.after, names) is not None:
        return "start"
    if asks(exchange, names) in (COUNT, SET_RESULT):
        return "set"
    return "other"
