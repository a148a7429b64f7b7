"""Request bodies read and response bodies written: orjson for speed, the standard library
for what orjson reads or writes differently, and the same answers either way."""

from __future__ import annotations

import json

import pytest
from ask_sdk_model import Response, ResponseEnvelope
from ask_sdk_model.ui import SsmlOutputSpeech

from skill.web import shape
from skill.web.rejected import RequestRejected
from skill.web.webhook import MAX_RESPONSE_BYTES, _answer

SORRY = ResponseEnvelope(version="1.0", response=Response(should_end_session=True))


def envelope(ssml: str = "<speak>Hi.</speak>", **attributes) -> ResponseEnvelope:
    said = Response(output_speech=SsmlOutputSpeech(ssml=ssml), should_end_session=False)
    return ResponseEnvelope(version="1.0", session_attributes=attributes or None, response=said)


def body(answer: ResponseEnvelope) -> bytes:
    return _answer(answer, lambda: SORRY).get_data()


def written(answer: ResponseEnvelope) -> dict:
    return json.loads(body(answer))


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_a_response_with_a_number_json_cannot_hold_gets_the_apology(number):
    assert written(envelope(weight=number)) == {
        "version": "1.0",
        "response": {"shouldEndSession": True},
    }


def test_a_real_null_is_written_as_null():
    said = written(envelope(switch_to=None, text="null"))
    assert said["sessionAttributes"] == {"switch_to": None, "text": "null"}


def test_text_that_cannot_be_utf8_is_escaped_not_lost():
    raw = body(envelope("<speak>a\ud800b</speak>"))
    assert raw.isascii() and b"\\ud800" in raw
    assert json.loads(raw)["response"]["outputSpeech"]["ssml"] == "<speak>a\ud800b</speak>"


def test_unicode_is_sent_as_utf8():
    assert "Genügend".encode() in body(envelope("<speak>Genügend Wiederholungen</speak>"))


def test_an_oversized_response_drops_its_session_attributes_then_apologises():
    big = "x" * MAX_RESPONSE_BYTES
    kept = written(envelope(notes=big))
    assert "sessionAttributes" not in kept and kept["response"]["outputSpeech"]["ssml"]
    assert written(envelope(f"<speak>{big}</speak>")) == written(SORRY)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_bodies_in_other_unicode_encodings_are_read(encoding):
    envelope = {"version": "1.0", "request": {"type": "LaunchRequest", "locale": "de-DE"}}
    assert shape.parse(json.dumps(envelope).encode(encoding)) == envelope


def test_a_lone_surrogate_escape_is_read_as_the_standard_library_reads_it():
    body = b'{"request": {"type": "IntentRequest", "text": "a\\ud800b"}}'
    assert shape.parse(body) == json.loads(body)


def test_an_integer_beyond_64_bits_is_read_as_a_float():
    assert shape.parse(b'{"n": 123456789012345678901234567890}') == {"n": 1.2345678901234568e29}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"a": NaN}', "not valid JSON"),
        (b'{"a": 1e999}', "number too large"),
        (b'{"a": 1,}', "not valid JSON"),
        (b"\xff\xfe\x00", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
    ],
)
def test_bodies_we_do_not_take_are_refused_with_the_reason(body, reason):
    with pytest.raises(RequestRejected, match=reason):
        shape.parse(body)
