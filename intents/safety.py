"""Warning symptoms, heard at any point: say what to do, pause the workout, ask nothing else.

Which symptom and body part mean which kind of help is content (``content/safety.json``):
urgent ones (chest pain, feeling faint, breathlessness, a racing heart) say to sit down and
call the emergency number if it's severe or doesn't settle; pain, injury and falls say to
stop for today and see a doctor or physical therapist before going on.
"""

from __future__ import annotations

from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name

from skill.content import Content, Safety

from .respond import tell
from .slots import SlotResolver

SYMPTOM_INTENT = "SymptomIntent"
DEFER_DISCLAIMER = "defer_disclaimer"


def classify(safety: Safety, symptom: str | None, body_part: str | None) -> tuple[str, str]:
    """(kind, what it was) for a symptom and body part, either of them possibly unknown.

    The more serious of the two wins: "a sharp pain in my chest" is urgent; on a tie the
    body part names it ("my knee popped": you had pain in your knee).
    """
    found: list[tuple[str, str]] = []
    if body_part in safety.body_parts:
        found.append(safety.body_parts[body_part])
    if symptom in safety.symptoms:
        kind = safety.symptoms[symptom]
        found.append((kind, safety.kinds[kind].label))
    if not found:
        kind = safety.without_symptom
        return kind, safety.kinds[kind].label
    return max(found, key=lambda pair: safety.kinds[pair[0]].severity)


class SymptomHandler(AbstractRequestHandler):
    """ "I feel dizzy", "my knee popped", "I fell": in any state, before anything else.

    ``hold(handler_input, kind, what)`` pauses any workout, holds training until the
    person says they've been checked, and returns a line saying what it did. The words
    are ``content.safety``, read for each request so that they are the request's locale's.
    """

    def __init__(
        self,
        content: Content,
        resolver: SlotResolver,
        hold: Callable[[HandlerInput, str, str], str],
    ):
        self.content = content
        self.resolver = resolver
        self.hold = hold

    def can_handle(self, handler_input: HandlerInput) -> bool:
        """A symptom or body part it knows, or a symptom phrase with no slot words ("it
        hurts"). Words it can't place in either slot ("I'm seventy") are not taken as a
        warning: they go on to the fallback."""
        if not is_intent_name(SYMPTOM_INTENT)(handler_input):
            return False
        intent = handler_input.request_envelope.request.intent
        heard = False
        for name in ("Symptom", "BodyPart"):
            value_id, words = self.resolver.resolve(intent, name)
            if value_id:
                return True
            heard = heard or bool(words)
        return not heard

    def handle(self, handler_input: HandlerInput):
        intent = handler_input.request_envelope.request.intent
        symptom, _ = self.resolver.resolve(intent, "Symptom")
        body_part, _ = self.resolver.resolve(intent, "BodyPart")
        safety = self.content.safety
        kind, what = classify(safety, symptom, body_part)
        locale = handler_input.request_envelope.request.locale
        speech = safety.kinds[kind].speech.format(emergency=safety.emergency_number(locale))
        done = self.hold(handler_input, kind, what)
        handler_input.attributes_manager.request_attributes[DEFER_DISCLAIMER] = True
        return tell(handler_input, f"{speech} {done}".strip())
