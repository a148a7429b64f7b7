"""Warning signs: which kind of help a symptom and a body part call for, and saying it.

Which symptom and body part mean which kind of help is content (``content/safety.json``):
stroke signs and urgent ones (chest pain, fainting, breathlessness) say to call the
emergency number now; a fall says not to get up if hurt; back pain, injuries and anything
unclear say to stop. Every warning pauses the workout and holds training until the person
says they've been checked; tired muscles are not a warning sign.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput

from skill.content.model import Content, Safety

from .request import locale_of, request_attributes
from .respond import tell
from .slots import SlotResolver

SYMPTOM_INTENT = "SymptomIntent"
DEFER_DISCLAIMER = "defer_disclaimer"


@dataclass(frozen=True)
class Sign:
    """What a person said they feel: the kind of help, and what to call it later."""

    kind: str
    label: str
    warning: bool


def classify(safety: Safety, symptom: str | None, body_part: str | None) -> tuple[str, str]:
    """(kind, label) for a symptom and a body part, either of them possibly unknown.

    A symptom that takes another kind with this body part ("numb" with "arm") says so; plain
    pain takes the body part's ("my knee hurts"); tired muscles stay tired unless the body
    part is urgent ("my chest"); otherwise the more serious reading wins, and on a tie the
    body part names it ("you had pain in your knee").
    """
    entry = safety.symptoms.get(symptom or "")
    part = safety.body_parts.get(body_part or "")
    if entry is not None and part is not None and body_part in entry.with_body_part:
        kind = entry.with_body_part[body_part]
        return kind, safety.kinds[kind].label
    if entry is not None and part is not None and entry.body_part_decides:
        return part
    found: list[tuple[str, str]] = []
    if part is not None:
        found.append(part)
    if entry is not None:
        if not safety.kinds[entry.kind].warning:
            if part is not None and safety.kinds[part[0]].severity >= 7:
                return part  # urgent wherever it is felt ("my chest")
            return entry.kind, entry.label
        found.append((entry.kind, entry.label))
    if not found:
        kind = safety.without_symptom
        return kind, safety.kinds[kind].label
    return max(found, key=lambda pair: safety.kinds[pair[0]].severity)


def read_sign(safety: Safety, resolver: SlotResolver, intent) -> Sign | None:
    """The sign in a ``SymptomIntent``; None when it has words the skill can't place in
    either slot ("I'm seventy"). With no slot words at all ("it hurts") it is unclear. When
    the words name several things ("terrible vertigo"), the most serious reading wins."""
    found: dict[str, list[str | None]] = {
        name: list(resolver.all_inside(intent, name)) for name in ("Symptom", "BodyPart")
    }
    heard = any(resolver.resolve(intent, name)[1] for name in found)
    if heard and not any(found.values()):
        return None
    readings = [
        classify(safety, symptom, body_part)
        for symptom in found["Symptom"] or [None]
        for body_part in found["BodyPart"] or [None]
    ]
    kind, label = max(readings, key=lambda reading: safety.kinds[reading[0]].severity)
    return Sign(kind, label, safety.kinds[kind].warning)


class Warning:
    """Says the help for a sign, then pauses any workout and holds training.

    ``hold(handler_input, kind, label)`` pauses the workout (in this session or saved),
    holds training until the person says they've been checked, and returns a line saying
    what it did. The words are ``content.safety``, in the request's locale.
    """

    def __init__(self, content: Content, hold: Callable[[HandlerInput, str, str], str]):
        self.content = content
        self.hold = hold

    def speech(self, kind: str, locale: str | None) -> str:
        safety = self.content.safety
        return safety.kinds[kind].speech.format(emergency=safety.emergency_number(locale))

    def __call__(self, handler_input: HandlerInput, sign: Sign):
        locale = locale_of(handler_input)
        done = self.hold(handler_input, sign.kind, sign.label)
        request_attributes(handler_input)[DEFER_DISCLAIMER] = True
        return tell(handler_input, f"{self.speech(sign.kind, locale)} {done}".strip())
