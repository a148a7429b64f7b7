"""The HTTP face of the skill: ``POST /alexa`` for Alexa, ``GET /healthz`` for load balancers."""

from __future__ import annotations

import logging

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model import RequestEnvelope
from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from .verify import RequestRejected

log = logging.getLogger(__name__)

bp = Blueprint("webhook", __name__)

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
        response_envelope = runtime.skill.skill.invoke(request_envelope, None)
        payload = runtime.skill.serializer.serialize(response_envelope)
    except Exception:
        log.exception("could not answer %s", envelope["request"]["type"])
        payload = APOLOGY
    return jsonify(payload)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")
