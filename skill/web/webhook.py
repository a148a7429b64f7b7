"""The HTTP face of the skill: ``POST /alexa`` for Alexa; ``GET /healthz`` (the process is
up) and ``GET /readyz`` (and its database can take a set now) for load balancers."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_model import ResponseEnvelope
from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from .codec import encode
from .dispatch import answer, apology, locale_of
from .verify import RequestRejected

log = logging.getLogger(__name__)

bp = Blueprint("webhook", __name__)

#: The strictest total response size Alexa has documented.
MAX_RESPONSE_BYTES = 24 * 1024


def reject(reason: str, status: int = 400) -> tuple[Response, int]:
    log.warning("rejected request from %s: %s", request.remote_addr, reason)
    return jsonify(error=reason), status


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
    deadlines = runtime.persistence.deadlines
    with deadlines.scope():
        refused = runtime.schema.refusal()
        if refused:
            return jsonify(error=refused), 503
        try:
            payload = answer(runtime.skill, envelope)
        except RequestRejected as exc:
            return reject(exc.reason)
    return _answer(payload, lambda: apology(runtime.skill, locale_of(envelope)))


def _answer(envelope: ResponseEnvelope, sorry: Callable[[], ResponseEnvelope]) -> Response:
    """The response body, kept strict and under ``MAX_RESPONSE_BYTES`` (else ``sorry``)."""
    try:
        data = encode(envelope)
        if len(data) > MAX_RESPONSE_BYTES and envelope.session_attributes is not None:
            log.warning("a %d-byte response: session attributes left out", len(data))
            envelope.session_attributes = None
            data = encode(envelope)
        if len(data) > MAX_RESPONSE_BYTES:
            raise ValueError(f"a {len(data)}-byte response")
    except ValueError as exc:
        log.error("could not send the answer (%s); apologising instead", exc)
        data = encode(sorry())
    return Response(data, content_type="application/json")


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """200 when a set could be saved now; 503 naming the cause when the database is not
    migrated, is behind the code, can't be reached, or has its tables locked against writes
    for longer than the request's database deadline."""
    runtime = current_app.extensions["bone_builder"]
    with runtime.persistence.deadlines.scope():
        schema = runtime.schema.state()
        if schema.refused:
            return jsonify(status=schema.status, reason=schema.reason), 503
        if runtime.persistence.ready():
            return jsonify(status="ready")
    return jsonify(status="database unavailable"), 503
