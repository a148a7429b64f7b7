"""A bare Flask app with the skill's URL: the floor that Flask, WSGI and JSON cost.

``POST /alexa`` parses the body, reads ``request.type`` and answers a fixed response
envelope; ``GET /healthz`` is there so servers can be polled the same way as the skill.
"""

from __future__ import annotations

import json

from flask import Flask, jsonify, request

RESPONSE = {
    "version": "1.0",
    "sessionAttributes": {},
    "response": {
        "outputSpeech": {"type": "SSML", "ssml": "<speak>Echo.</speak>"},
        "reprompt": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Anything else?</speak>"}},
        "shouldEndSession": False,
    },
}


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/alexa")
    def alexa():
        envelope = json.loads(request.get_data())
        if not isinstance(envelope["request"]["type"], str):
            return jsonify(error="body has no request with a type"), 400
        return jsonify(RESPONSE)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app


app = create_app()
