"""The fast serializer gives exactly what ask-sdk-core's DefaultSerializer gives."""

from __future__ import annotations

import json

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.web.codec import FastSerializer, encode
from skill.web.dispatch import SERIALIZER
from skill.web.envelopes import Session, slot


def envelopes() -> list[dict]:
    session = Session(locale="en-GB")
    session.open = True
    session.session_id = "amzn1.echo-api.session.x"
    session.attributes = {"last": {"topic": "how_heavy", "variant": None}, "n": [1, 2.5, None]}
    exercise = slot("Exercise", "goblet squats", "SQUAT", "EXERCISE", resolved_name="squats")
    return [
        session.launch(),
        session.intent("IsExerciseGoodIntent", {"Exercise": exercise}),
        session.intent(
            "IsExerciseGoodIntent", {"Exercise": slot("Exercise", "zumba", None, "EXERCISE")}
        ),
        session.intent(
            "LogSetIntent",
            {"Reps": "10", "Weight": "2.5", "Unit": slot("Unit", "kilos", "KILOGRAMS", "UNIT")},
        ),
        session.session_ended("ERROR", {"type": "INVALID_RESPONSE", "message": "bad"}),
        {**session.launch(), "unexpected": {"extra": True}},
    ]


@pytest.mark.parametrize("envelope", envelopes())
def test_requests_read_the_same(envelope):
    assert FastSerializer().deserialize(
        envelope, RequestEnvelope
    ) == DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)


@pytest.mark.parametrize("envelope", envelopes())
def test_responses_write_the_same(app, envelope):
    runtime = app.extensions["bone_builder"]
    request = SERIALIZER.deserialize(envelope, RequestEnvelope)
    response = runtime.skill.skill.invoke(request, None)
    assert FastSerializer().serialize(response) == DefaultSerializer().serialize(response)
    assert json.loads(encode(response)) == DefaultSerializer().serialize(response)


@pytest.mark.parametrize(
    "payload",
    [
        {"request": {"type": "No.Such.Type"}},
        {
            "request": {
                "type": "IntentRequest",
                "intent": {"name": "X", "slots": {"A": {"resolutions": "x"}}},
            }
        },
        {"session": [1, 2], "request": {"type": "LaunchRequest"}},
    ],
)
def test_malformed_requests_raise_the_sdk_exception(payload):
    with pytest.raises(SerializationException):
        FastSerializer().deserialize(payload, RequestEnvelope)
