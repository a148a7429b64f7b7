"""Answer one parsed Alexa request envelope with the built skill.

Shared by the web app (``skill/web/webhook.py``) and the Lambda entry point, so both hand the
same requests to the same handlers and answer failures the same way.
"""

from __future__ import annotations

import logging
from html import escape

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model import RequestEnvelope, Response, ResponseEnvelope
from ask_sdk_model.ui import SsmlOutputSpeech

from ..builder import BuiltSkill
from .codec import FastSerializer
from .verify import RequestRejected

log = logging.getLogger(__name__)

#: Reads request envelopes into the SDK's models and writes responses back as JSON.
SERIALIZER = FastSerializer()


def apology(built: BuiltSkill, locale: str | None) -> ResponseEnvelope:
    """What a request the skill could not answer gets: the content's apology in the
    request's locale, and the session closed (its attributes could not be trusted)."""
    speech = built.content.at(locale).messages["error"].speech
    said = SsmlOutputSpeech(ssml=f"<speak>{escape(speech)}</speak>")
    return ResponseEnvelope(
        version="1.0", response=Response(output_speech=said, should_end_session=True)
    )


def locale_of(envelope: dict) -> str | None:
    locale = envelope.get("request", {}).get("locale")
    return locale if isinstance(locale, str) else None


def _tidy(envelope: dict) -> None:
    """Drop session attributes that are not an object, as a new session would have none."""
    session = envelope.get("session")
    if isinstance(session, dict) and not isinstance(session.get("attributes", {}), dict):
        log.info("ignoring malformed session attributes")
        session["attributes"] = {}


def answer(built: BuiltSkill, envelope: dict) -> ResponseEnvelope:
    """The response envelope; RequestRejected if the request cannot be read.

    A handler that fails gets the spoken apology, never an error. Callers hold the
    persistence adapter's deadline scope around it, so that one deadline bounds every
    database wait of the request as a whole.
    """
    _tidy(envelope)
    try:
        request_envelope = SERIALIZER.deserialize(envelope, RequestEnvelope)
    except SerializationException as exc:
        raise RequestRejected(
            f"unsupported or malformed {envelope['request']['type']} request"
        ) from exc
    try:
        return built.skill.invoke(request_envelope, None)
    except Exception:
        log.exception("could not answer %s", envelope["request"]["type"])
        return apology(built, locale_of(envelope))
