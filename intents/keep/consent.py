"""Asking for the reminders permission by voice, and hearing the answer.

Amazon's current way is voice-forward consent: a ``Connections.StartConnection`` to
``connection://AMAZON.AskForPermissionsConsent/2`` hands the conversation to Alexa, who
asks; the skill gets it back as a ``SessionResumedRequest`` whose ``cause`` holds the
token it sent and ``result.status`` ACCEPTED, DENIED or NOT_ANSWERED. The older form, a
``Connections.SendRequest`` named AskFor, is answered by a ``Connections.Response`` with
the same statuses in its ``payload``: both answers are handled. A device that can't run
the connection answers with a status code other than 200; then the skill sends the
``AskForPermissionsConsent`` card, for the Alexa app.
"""

from __future__ import annotations

from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import OnCompletion
from ask_sdk_model.interfaces.connections.v1 import StartConnectionDirective

from ..request import system_of

SCOPE = "alexa::alerts:reminders:skill:readwrite"
CONSENT_URI = "connection://AMAZON.AskForPermissionsConsent/2"
#: Every token the skill sends with a consent request starts with this.
TOKEN_PREFIX = "reminders"
ACCEPTED, DENIED, NOT_ANSWERED, FAILED = "ACCEPTED", "DENIED", "NOT_ANSWERED", "FAILED"


def granted(handler_input: HandlerInput) -> bool:
    """True when the request says the person allowed reminders
    (``context.System.user.permissions``: the scope GRANTED, or a consent token)."""
    user = system_of(handler_input).user
    permissions = getattr(user, "permissions", None)
    if permissions is None:
        return False
    scopes = getattr(permissions, "scopes", None) or {}
    scope = scopes.get(SCOPE) if isinstance(scopes, dict) else None
    if scope is not None:
        status = getattr(scope, "status", None)
        return getattr(status, "value", status) == "GRANTED"
    return bool(getattr(permissions, "consent_token", None))


def ask_directive(token: str) -> StartConnectionDirective:
    """Hand the conversation to Alexa to ask for the reminders permission."""
    return StartConnectionDirective(
        uri=CONSENT_URI,
        on_completion=OnCompletion.RESUME_SESSION,
        input={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": SCOPE, "consentLevel": "ACCOUNT"}],
        },
        token=token,
    )


def _outcome(code, status) -> str:
    if str(code) != "200":
        return FAILED
    return status if status in (ACCEPTED, DENIED, NOT_ANSWERED) else NOT_ANSWERED


def answer(handler_input: HandlerInput) -> tuple[str, str] | None:
    """(outcome, token) when this request answers the skill's consent request, else None."""
    request = handler_input.request_envelope.request
    kind = getattr(request, "object_type", None)
    if kind == "SessionResumedRequest":
        cause = getattr(request, "cause", None)
        token = getattr(cause, "token", None)
        if getattr(cause, "object_type", None) != "ConnectionCompleted" or not _ours(token):
            return None
        result = getattr(cause, "result", None)
        status = result.get("status") if isinstance(result, dict) else None
        return _outcome(getattr(getattr(cause, "status", None), "code", None), status), str(token)
    if kind == "Connections.Response" and getattr(request, "name", None) == "AskFor":
        token = getattr(request, "token", None)
        if not _ours(token):
            return None
        payload = getattr(request, "payload", None)
        status = payload.get("status") if isinstance(payload, dict) else None
        return _outcome(getattr(getattr(request, "status", None), "code", None), status), str(token)
    return None


def _ours(token) -> bool:
    return isinstance(token, str) and token.startswith(TOKEN_PREFIX)


class ConsentAnswered(AbstractRequestHandler):
    """The person's answer to the permission request: ``then(handler_input, outcome,
    token)`` says what happens next."""

    def __init__(self, then: Callable[[HandlerInput, str, str], Response]):
        self.then = then

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return answer(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        answered = answer(handler_input)
        assert answered is not None  # can_handle said so
        outcome, token = answered
        return self.then(handler_input, outcome, token)
