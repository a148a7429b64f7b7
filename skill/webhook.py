"""The HTTP face of the skill: ``POST /alexa`` for Alexa; ``GET /healthz`` (the process is
up) and ``GET /readyz`` (and can reach its database) for load balancers."""

from __future__ import annotations

import json
import logging

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model import RequestEnvelope
from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from .verify import RequestRejected

log = logging.getLogger(__name__)

bp = Blueprint("webhook", __name__)

#: The strictest total response size Alexa has documented.
MAX_RESPONSE_BYTES = 24 * 1024

APOLOGY = {
    "version": "1.0",
    "response": {
        "outputSpeech": {
            "type": "SSML",
            "ssml": "<speak>Sorry, something went wrong on my side. Please try again in a moment.</speak>",
        },
        "shouldEndSession": True,
    },
}


def reject(reason: str, status: int = 400) -> tuple[Response, int]:
    log.warning("rejected request from %s: %s", request.remote_addr, reason)
    return jsonify(error=reason), status


def _tidy(envelope: dict) -> None:
    """Drop session attributes that are not an object, as a new session would have none."""
    session = envelope.get("session")
    if isinstance(session, dict) and not isinstance(session.get("attributes", {}), dict):
        log.info("ignoring malformed session attributes")
        session["attributes"] = {}


@bp.post("/alexa")
def alexa():
    runtime = current_app.extensions["bone_builder"]
    try:
        body = request.get_data(cache=False)
    except RequestEntityTooLarge:
        return reject("request body is too large")
    try:
        envelope = runtime.gate.admit(request.headers, body)
    except RequestRejected as exc:
        return reject(exc.reason)
    _tidy(envelope)
    try:
        request_envelope = runtime.skill.serializer.deserialize(envelope, RequestEnvelope)
    except SerializationException:
        return reject(f"unsupported or malformed {envelope['request']['type']} request")
    try:
        with runtime.persistence.deadlines.scope():
            response_envelope = runtime.skill.skill.invoke(request_envelope, None)
        payload = runtime.skill.serializer.serialize(response_envelope)
    except Exception:
        log.exception("could not answer %s", envelope["request"]["type"])
        payload = APOLOGY
    return _answer(payload)


def _encode(payload: dict) -> bytes:
    """Strict JSON (no NaN or Infinity) in UTF-8; escaped only if text can't be UTF-8."""
    try:
        text = json.dumps(payload, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(payload, allow_nan=False, separators=(",", ":")).encode("ascii")


def _answer(payload: dict) -> Response:
    """The response body, kept strict and under ``MAX_RESPONSE_BYTES``."""
    try:
        data = _encode(payload)
        if len(data) > MAX_RESPONSE_BYTES and "sessionAttributes" in payload:
            log.warning("a %d-byte response: session attributes left out", len(data))
            data = _encode({k: v for k, v in payload.items() if k != "sessionAttributes"})
        if len(data) > MAX_RESPONSE_BYTES:
            raise ValueError(f"a {len(data)}-byte response")
    except ValueError as exc:
        log.error("could not send the answer (%s); apologising instead", exc)
        data = _encode(APOLOGY)
    return Response(data, mimetype="application/json")


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    if current_app.extensions["bone_builder"].persistence.ready():
        return jsonify(status="ready")
    return jsonify(status="database unavailable"), 503
