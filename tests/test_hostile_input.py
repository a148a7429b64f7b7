"""Envelopes in shapes no handler can use get a 400 before dispatch; odd values get a valid,
strict, small answer. Verification is off here, as on a developer's machine."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from skill.web.envelopes import Session
from tests.helpers import assert_session_rule

MAX_RESPONSE_BYTES = 24 * 1024


def strict(text: str):
    def refuse(name):
        raise ValueError(f"{name} is not strict JSON")

    return json.loads(text, parse_constant=refuse)


def post(client, envelope) -> tuple[int, dict, bytes]:
    if isinstance(envelope, bytes):
        data = envelope
    else:
        try:  # UTF-8 as Alexa sends it; escaped only when the text has lone surrogates
            data = json.dumps(envelope, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            data = json.dumps(envelope).encode()
    reply = client.post("/alexa", data=data, content_type="application/json")
    raw = reply.get_data()
    return reply.status_code, strict(raw.decode("utf-8")), raw


def in_session(intent: str = "HowHeavyIntent", slots: dict | None = None) -> dict:
    session = Session()
    session.open = True
    return session.intent(intent, slots)


def without(envelope: dict, *path: str) -> dict:
    node = envelope
    for key in path[:-1]:
        node = node[key]
    node.pop(path[-1])
    return envelope


def with_value(envelope: dict, value, *path: str) -> dict:
    node = envelope
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return envelope


@pytest.mark.parametrize(
    ("envelope", "reason"),
    [
        (without(in_session(), "context"), "context.System.user"),
        (with_value(in_session(), None, "context"), "context.System.user"),
        (with_value(in_session(), None, "context", "System", "user"), "context.System.user"),
        (with_value(in_session(), None, "context", "System", "user", "userId"), "userId"),
        (with_value(in_session(), "", "context", "System", "user", "userId"), "userId"),
        (with_value(in_session(), 42, "context", "System", "user", "userId"), "userId"),
        (with_value(in_session(), "u" * 256, "context", "System", "user", "userId"), "userId"),
        (without(in_session(), "session"), "session"),
        (with_value(in_session(), None, "session"), "session"),
        (without(Session().launch(), "session"), "session"),
        (without(in_session(), "request", "intent"), "intent"),
        (with_value(in_session(), None, "request", "intent"), "intent"),
        (with_value(in_session(), ["HowHeavyIntent"], "request", "intent", "name"), "intent"),
        (without(in_session(), "request", "intent", "name"), "intent"),
        (with_value(in_session(), {}, "__dict__"), "__dict__"),
        (with_value(in_session(), {}, "request", "__dict__"), "__dict__"),
        (with_value(in_session(), {"a": 1}, "context", "System", "__class__"), "__class__"),
    ],
)
def test_envelopes_no_handler_can_use_get_400(client, envelope, reason):
    status, body, _ = post(client, envelope)
    assert status == 400, body
    assert reason in body["error"]


def test_model_attributes_cannot_be_set_through_extra_keys(app, client):
    envelope = Session().launch()
    envelope["request"]["object_type"] = "IntentRequest"
    envelope["context"]["System"]["user"]["user_id"] = "amzn1.ask.account.someone-else"
    status, body, _ = post(client, envelope)
    assert status == 200
    assert "Welcome to Bone Builder" in body["response"]["outputSpeech"]["ssml"]
    persistence = app.extensions["bone_builder"].persistence
    assert persistence.export("amzn1.ask.account.someone-else") == {
        "_person": "amzn1.ask.account.someone-else",
        "_row_version": None,
        "history": [],
    }


def nested(depth: int):
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.mark.parametrize("depth", [65, 600, 900])
def test_deep_nesting_is_refused(client, depth):
    envelope = in_session()
    envelope["session"]["attributes"] = {"x": nested(depth)}
    status, body, _ = post(client, envelope)
    assert status == 400
    assert "nested too deeply" in body["error"]


def test_modest_nesting_is_answered(client):
    envelope = in_session()
    envelope["session"]["attributes"] = {"x": nested(40)}
    status, body, _ = post(client, envelope)
    assert status == 200
    assert_session_rule(body)


@pytest.mark.parametrize("number", [b"1e999", b"-1e400", b"1E400"])
def test_non_finite_numbers_are_refused(client, number):
    body = json.dumps(in_session()).encode()
    body = body.replace(b'"attributes": {}', b'"attributes": {"x": ' + number + b"}")
    assert number in body
    status, answer, _ = post(client, body)
    assert status == 400
    assert "number" in answer["error"]


@pytest.mark.parametrize(
    "value", ["\u0001", "squats\u0000", "\ud800", "\x1b[31m", "\ufffe", "a\udfffb", "<x/>&"]
)
def test_echoed_slot_words_make_well_formed_ssml(client, value):
    envelope = in_session(
        "IsExerciseGoodIntent", {"Exercise": {"name": "Exercise", "value": value}}
    )
    status, body, _ = post(client, envelope)
    assert status == 200
    for holder in (body["response"], body["response"]["reprompt"]):
        root = ET.fromstring(holder["outputSpeech"]["ssml"])
        assert root.tag == "speak"


def test_echoed_slot_words_are_capped(client):
    envelope = in_session(
        "IsExerciseGoodIntent", {"Exercise": {"name": "Exercise", "value": "z" * 5000}}
    )
    status, body, _ = post(client, envelope)
    assert status == 200
    assert "z" * 61 not in body["response"]["outputSpeech"]["ssml"]


def test_foreign_session_attributes_are_not_echoed(client):
    envelope = in_session()
    envelope["session"]["attributes"] = {"x": "💪" * 15_000, "pending": "more"}
    status, body, raw = post(client, envelope)
    assert status == 200
    assert len(raw) <= MAX_RESPONSE_BYTES
    attributes = body["sessionAttributes"]
    assert "x" not in attributes
    assert attributes["last"] == {"topic": "how_heavy", "variant": None}


@pytest.mark.parametrize(
    "attributes",
    [
        {"last": {"topic": "💪" * 15_000, "variant": None}},
        {"workout": {"id": "💪" * 15_000}},
        {"pending": "💪" * 15_000},
        {"unsaved_sets": [{"exercise": "goblet_squat", "set": 1, "session": "x" * 255}] * 200},
    ],
)
def test_responses_stay_under_24_kb(client, attributes):
    envelope = in_session()
    envelope["session"]["attributes"] = attributes
    status, body, raw = post(client, envelope)
    assert status == 200
    assert len(raw) <= MAX_RESPONSE_BYTES
    assert_session_rule(body)


def test_responses_are_utf8_not_escaped(client):
    envelope = in_session()
    envelope["session"]["attributes"] = {"last": {"topic": "how_heavy", "variant": None}}
    _, _, raw = post(client, envelope)
    assert b"\\u" not in raw


@pytest.mark.parametrize(
    "key",
    [
        "\\u005f\\u005fdict\\u005f\\u005f",
        "_\\u005fclass__",
        "\\u005F_class__",
        "__class__",
    ],
)
def test_reserved_keys_written_with_escapes_get_400(client, key):
    text = json.dumps(in_session()).replace('"userId"', f'"{key}": {{}}, "userId"', 1)
    response = client.post("/alexa", data=text.encode(), content_type="application/json")
    assert response.status_code == 400
    assert "reserved key" in response.get_json()["error"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_reserved_keys_in_utf16_and_utf32_bodies_get_400(client, encoding):
    envelope = with_value(in_session(), {}, "request", "__dict__")
    data = json.dumps(envelope).encode(encoding)
    response = client.post("/alexa", data=data, content_type="application/json")
    assert response.status_code == 400
    assert "reserved key" in response.get_json()["error"]


@pytest.mark.parametrize("depth", [64, 65])
def test_nesting_at_the_limit_counts_the_same_in_a_flat_body(depth):
    """A body whose brackets all nest: the count of brackets is the depth itself."""
    from skill.web import shape
    from skill.web.rejected import RequestRejected

    body = json.dumps({"a": nested(depth - 1)}).encode()
    if depth <= shape.MAX_DEPTH:
        assert shape.parse(body) == json.loads(body)
    else:
        with pytest.raises(RequestRejected, match="nested too deeply"):
            shape.parse(body)
