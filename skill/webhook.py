"""The HTTP face of the skill: ``POST /alexa`` for Alexa, ``GET /healthz`` for load balancers."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from .dispatch import answer
from .verify import RequestRejected

log = logging.getLogger(__name__)

bp = Blueprint("webhook", __name__)


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
        payload = answer(runtime.skill, envelope)
    except RequestRejected as exc:
        return reject(exc.reason)
    return jsonify(payload)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")
