"""Malformed, oversized or strange requests get a 400 or a spoken recovery, never a 500."""

from __future__ import annotations

import json

import pytest

from skill.web.envelopes import Session
from tests.helpers import assert_session_rule, speech


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"{not json", "application/json", "not valid JSON"),
        (b"", "application/json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "application/json", "not valid JSON"),
        (b"hello", "text/plain", "not valid JSON"),
        (b"[1, 2, 3]", "application/json", "not a JSON object"),
        (b'"a string"', "application/json", "not a JSON object"),
        (b'{"version": "1.0"}', "application/json", "no request"),
        (b'{"version": "1.0", "request": "LaunchRequest"}', "application/json", "no request"),
        (b'{"version": "1.0", "request": {"type": 7}}', "application/json", "no request"),
    ],
)
def test_malformed_bodies(client, body, content_type, reason):
    reply = client.post("/alexa", data=body, content_type=content_type)
    assert reply.status_code == 400
    assert reason in reply.get_json()["error"]


def test_oversized_body(client):
    envelope = Session().launch()
    envelope["padding"] = "x" * 200_000
    reply = client.post("/alexa", json=envelope)
    assert reply.status_code == 400
    assert "too large" in reply.get_json()["error"]


def test_unknown_request_type(client):
    envelope = Session().launch()
    envelope["request"]["type"] = "Alexa.Presentation.Teleport"
    reply = client.post("/alexa", json=envelope)
    assert reply.status_code == 400
    assert "Alexa.Presentation.Teleport" in reply.get_json()["error"]


def test_known_event_without_handler_is_acknowledged(client):
    envelope = Session().launch()
    envelope["request"] = {
        "type": "System.ExceptionEncountered",
        "requestId": "amzn1.echo-api.request.1",
        "timestamp": envelope["request"]["timestamp"],
        "locale": "en-US",
        "error": {"type": "INVALID_RESPONSE", "message": "x"},
        "cause": {"requestId": "amzn1.echo-api.request.0"},
    }
    reply = client.post("/alexa", json=envelope)
    assert reply.status_code == 200
    assert "outputSpeech" not in reply.get_json()["response"]


@pytest.mark.parametrize("attributes", [[1, 2], "junk", 42])
def test_garbage_session_attributes_are_ignored(client, content, attributes):
    session = Session()
    session.open = True
    envelope = session.intent("TellMeMoreIntent")
    envelope["session"]["attributes"] = attributes
    reply = client.post("/alexa", json=envelope)
    assert reply.status_code == 200
    assert content.messages["nothing_to_expand"].speech in speech(reply.get_json())


@pytest.mark.parametrize(
    "last",
    [
        5,
        "how_heavy",
        {"topic": 3},
        {"topic": "no_such_topic"},
        {"topic": "how_heavy", "variant": []},
    ],
)
def test_garbage_last_answer_is_treated_as_none(client, content, last):
    session = Session()
    session.open = True
    session.attributes = {"last": last, "pending": {"x": 1}}
    reply = client.post("/alexa", json=session.intent("TellMeMoreIntent"))
    assert reply.status_code == 200
    body = reply.get_json()
    assert content.messages["nothing_to_expand"].speech in speech(body)
    assert_session_rule(body)


@pytest.mark.parametrize("value", ["", "   ", "🦴🦴🦴", "x" * 500, "DROP TABLE user_state"])
def test_odd_slot_values_get_a_spoken_answer(client, value):
    session = Session()
    session.open = True
    envelope = session.intent(
        "IsExerciseGoodIntent", {"Exercise": {"name": "Exercise", "value": value}}
    )
    reply = client.post("/alexa", json=envelope)
    assert reply.status_code == 200
    assert_session_rule(reply.get_json())


def test_structurally_broken_slot_is_refused(client):
    envelope = Session().intent("HowHeavyIntent")
    envelope["request"]["intent"]["slots"] = {"A": {"name": "A", "resolutions": "garbage"}}
    reply = client.post("/alexa", data=json.dumps(envelope), content_type="application/json")
    assert reply.status_code == 400


def test_get_on_the_webhook_is_not_allowed(client):
    reply = client.get("/alexa")
    assert reply.status_code == 405
    assert "error" in reply.get_json()


def test_healthz(client):
    reply = client.get("/healthz")
    assert reply.status_code == 200
    assert reply.get_json() == {"status": "ok"}


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_non_json_numbers_are_refused(client, constant):
    body = b'{"version": "1.0", "request": {"type": "LaunchRequest"}, "x": ' + constant + b"}"
    reply = client.post("/alexa", data=body, content_type="application/json")
    assert reply.status_code == 400


def test_deeply_nested_body_is_refused(client):
    reply = client.post("/alexa", data=b"[" * 5000 + b"]" * 5000, content_type="application/json")
    assert reply.status_code == 400
    assert "nested too deeply" in reply.get_json()["error"]


@pytest.mark.parametrize("kept", [None, "x", [1, "a", {"no": "exercise"}]])
def test_garbage_unsaved_sets_are_ignored(client, kept):
    session = Session()
    session.open = True
    session.attributes = {
        "workout": {
            "id": "w1",
            "program": "beginner",
            "ex": 0,
            "set": 0,
            "stage": "set",
            "started": "2026-01-01T00:00:00+00:00",
        },
        "unsaved_sets": kept,
    }
    reply = client.post("/alexa", json=session.intent("LogSetIntent", {"Reps": "10"}))
    body = reply.get_json()
    assert "ten reps" in speech(body)
    assert_session_rule(body)


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_request_nothing_can_answer_gets_the_contents_apology(app, client, locale, monkeypatch):
    """A failure outside every handler (here ask-sdk-core's dispatch itself) gets the
    content's apology in the request's locale and a closed session, never a 500. The
    dispatch is made to fail on purpose: nothing else is stood in."""

    def broken(*args, **kwargs):
        raise RuntimeError("the dispatch broke")

    monkeypatch.setattr(app.extensions["bone_builder"].skill.skill, "invoke", broken)
    envelope = Session(locale=locale).launch()
    reply = client.post("/alexa", json=envelope)
    assert reply.status_code == 200
    body = reply.get_json()
    said = app.extensions["bone_builder"].skill.content.at(locale).messages["error"].speech
    assert speech(body) == said
    assert body["response"]["shouldEndSession"] is True
    assert_session_rule(body)
