"""Hypothesis fuzzing of POST /alexa: any body gets a 400 with a reason or a valid Alexa reply."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
import xml.etree.ElementTree as ET
from functools import reduce
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from intents.hearing import HANDLED_INTENTS, INTENT_REPLIES
from skill.simulator.signing import StandInPKI
from skill.web.envelopes import ER_AUTHORITY, LOCAL_SKILL_ID, Session, slot
from tests.helpers import assert_session_rule, make_app

ROOT = Path(__file__).resolve().parent.parent
MODEL = json.loads((ROOT / "interaction_model.json").read_text())["interactionModel"]
INTENTS = {
    i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])}
    for i in MODEL["languageModel"]["intents"]
}
TYPES = {t["name"]: t["values"] for t in MODEL["languageModel"]["types"]}
WORDS = sorted(
    {
        w
        for vs in TYPES.values()
        for v in vs
        for w in [v["name"]["value"], *v["name"].get("synonyms", [])]
    }
)
IDS = sorted({v["id"] for vs in TYPES.values() for v in vs})
TOPICS = sorted(
    json.loads(p.read_text())["id"] for p in (ROOT / "content" / "topics").glob("*.json")
)
PROGRAMS = ["beginner", "standard", "osteoporosis"]
CONVERSATION_INTENTS = sorted({*INTENT_REPLIES, *HANDLED_INTENTS})
QA_INTENTS = sorted(set(INTENTS) - set(CONVERSATION_INTENTS))
STATUS_CODES = ["ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH", "ER_ERROR_TIMEOUT", "ER_ERROR_EXCEPTION"]
FUZZ: dict[str, Any] = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# -- values ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
texts = st.text(max_size=40) | st.text(min_size=500, max_size=2000)
numbers = st.from_regex(r"-?\d{1,6}(\.\d{1,3})?", fullmatch=True)
slot_values = st.sampled_from(WORDS) | texts | numbers | st.sampled_from(["?", "", " "])


def resolutions(slot_type: str):
    value = st.fixed_dictionaries(
        {"name": slot_values, "id": st.sampled_from(IDS) | st.text(max_size=20)}
    )
    authority = st.fixed_dictionaries(
        {
            "authority": st.just(ER_AUTHORITY.format(skill_id=LOCAL_SKILL_ID, slot_type=slot_type)),
            "status": st.fixed_dictionaries({"code": st.sampled_from(STATUS_CODES)}),
        },
        optional={"values": st.lists(st.fixed_dictionaries({"value": value}), max_size=3)},
    )
    return st.fixed_dictionaries(
        {"resolutionsPerAuthority": st.lists(authority, min_size=1, max_size=2)}
    )


def random_slot(name: str, slot_type: str):
    return st.fixed_dictionaries(
        {"name": st.just(name), "confirmationStatus": st.just("NONE")},
        optional={"value": slot_values, "resolutions": resolutions(slot_type)},
    )


@st.composite
def random_slots(draw, intent: str) -> dict:
    defined = INTENTS.get(intent, {})
    names = draw(st.lists(st.sampled_from(sorted(defined)), unique=True)) if defined else []
    # Keys starting with "__" are refused with a 400 before dispatch (skill/web/shape.py).
    extra = st.text(min_size=1, max_size=12).filter(lambda s: not s.startswith("__"))
    names += draw(st.lists(extra, max_size=2))
    return {n: draw(random_slot(n, defined.get(n, "UNKNOWN"))) for n in names}


cursors = st.fixed_dictionaries(  # in range for every program, unless drawn from st.integers()
    {
        "id": st.text(max_size=12),
        "program": st.sampled_from(PROGRAMS),
        "ex": st.integers(0, 4) | st.integers(),
        "set": st.integers(0, 1) | st.integers(),
        "stage": st.sampled_from(["set", "ready", "resume"]),
        "started": st.just("2025-01-01T09:00:00+00:00"),
    }
)
plausible = {
    "last": st.fixed_dictionaries(
        {"topic": st.sampled_from(TOPICS) | st.text(), "variant": st.none() | st.sampled_from(IDS)}
    ),
    "pending": st.sampled_from(["more", "anything_else", "start", "program"]),
    "workout": cursors,
    "said": st.fixed_dictionaries({"speech": json_values | texts, "ask": json_values | texts}),
    "unsaved_sets": st.lists(
        st.dictionaries(
            st.sampled_from(["exercise", "set", "session", "reps", "weight", "unit"]), json_values
        )
    ),
    "unit": st.sampled_from(["kg", "lb"]),
}
attributes = (
    st.dictionaries(st.text(max_size=10), json_values, max_size=4)
    | st.fixed_dictionaries({}, optional={k: v | json_values for k, v in plausible.items()})
    | st.fixed_dictionaries(
        {"workout": cursors},
        optional={k: v | json_values for k, v in plausible.items() if k != "workout"},
    )
)
locales = st.sampled_from(["en-US", "en-GB", "de-DE", "en-AU", "fr-FR"]) | st.text(max_size=12)
user_ids = st.sampled_from(["amzn1.ask.account.", ""]) | st.text(max_size=200)
timestamps = st.datetimes(min_value=dt.datetime(1970, 1, 1)).map(
    lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
) | st.datetimes(
    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5, minutes=-30))])
).map(dt.datetime.isoformat)
WORKOUT_INTENTS = CONVERSATION_INTENTS
intent_names = (
    st.sampled_from(sorted(INTENTS)) | st.sampled_from(WORKOUT_INTENTS) | st.text(max_size=40)
)
ended_errors = st.none() | st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["INVALID_RESPONSE", "DEVICE_COMMUNICATION_ERROR", "INTERNAL_SERVICE_ERROR"]
        ),
        "message": texts,
    }
)


@st.composite
def envelopes(draw) -> dict:
    # A unique suffix keeps examples from meeting each other's stored state in the shared app.
    session = Session(user_id=draw(user_ids) + uuid.uuid4().hex, locale=draw(locales))
    kind = draw(st.sampled_from(["LaunchRequest", "SessionEndedRequest", "IntentRequest"]))
    if kind == "LaunchRequest":
        envelope = session.launch()
    elif kind == "SessionEndedRequest":
        reason = draw(st.sampled_from(["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS"]))
        envelope = session.session_ended(reason, draw(ended_errors))
    else:
        name = draw(intent_names)
        envelope = session.intent(name, draw(random_slots(name)))
    envelope["session"]["new"] = draw(st.booleans())
    envelope["session"]["attributes"] = draw(attributes)
    envelope["request"]["timestamp"] = draw(timestamps)
    return envelope


# -- broken envelopes and raw bodies -----------------------------------------------------

DELETE = object()
wrong_types = (
    st.sampled_from([7, -1, 2.5, True, None, "", "junk", [], [1, "a"], {}, {"x": 1}]) | json_values
)
NAMED_BREAKS = [
    (("request",), DELETE),
    (("request", "type"), 7),
    (("session",), [1, 2]),
    (("context",), DELETE),
    (("request", "intent"), "HowHeavyIntent"),
    (("request", "intent", "slots"), [{"name": "Reps", "value": "3"}]),
    (("request", "intent", "name"), None),
    (("session", "new"), "yes"),
    (("session", "user"), DELETE),
    (("context", "System", "user", "userId"), 42),
    (("request", "locale"), ["en-US"]),
    (("request", "timestamp"), 1700000000),
    (("request", "timestamp"), "yesterday"),
]


def paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))


def now_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def broken_envelopes(draw, fresh: bool = False) -> dict:
    """An envelope with one or two parts deleted or of the wrong type; ``fresh`` stamps it
    with the current time first, so that with verification on it gets past the clock."""
    envelope = draw(envelopes())
    if fresh:
        envelope["request"]["timestamp"] = now_stamp()
    for _ in range(draw(st.integers(1, 2))):
        path, value = draw(
            st.sampled_from(NAMED_BREAKS)
            | st.tuples(
                st.sampled_from(list(paths(envelope))),
                st.just(DELETE) | wrong_types,
            )
        )
        parent = reduce(
            lambda node, key: node.get(key) if isinstance(node, dict) else None, path[:-1], envelope
        )
        if not isinstance(parent, dict):
            continue
        if value is DELETE:
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = value
    return envelope


raw_bodies = (
    st.binary(max_size=2000)
    | json_values.map(json.dumps).map(str.encode)
    | broken_envelopes().map(json.dumps).map(str.encode)
    # JSON nested deeper than Python's recursion limit, still under the 64 KB body limit.
    | st.integers(1, 20_000).map(
        lambda n: b'{"request": {"type": "LaunchRequest"}, "x": ' + b"[" * n + b"]" * n + b"}"
    )
)

# -- the properties ----------------------------------------------------------------------


MAX_RESPONSE_BYTES = 24 * 1024


def _not_strict_json(name: str):
    raise AssertionError(f"{name} in a response: not strict JSON")


def check(reply, must_answer: bool = False) -> dict | None:
    """A 400 with a JSON reason, or a 200 with a well-formed Alexa response that keeps the rule."""
    text = reply.get_data(as_text=True)
    assert reply.status_code < 500, text
    assert "Traceback" not in text and 'File "' not in text, text
    assert reply.status_code in ((200,) if must_answer else (200, 400)), text
    body = json.loads(text, parse_constant=_not_strict_json)
    assert len(reply.get_data()) <= MAX_RESPONSE_BYTES, f"{len(reply.get_data())} bytes"
    if reply.status_code == 400:
        assert isinstance(body, dict) and list(body) == ["error"] and isinstance(body["error"], str)
        return None
    assert body["version"] == "1.0" and isinstance(body["response"], dict), body
    response = body["response"]
    for holder in (response, response.get("reprompt") or {}):
        if "outputSpeech" in holder:
            assert holder["outputSpeech"]["type"] == "SSML", holder
            ssml = holder["outputSpeech"]["ssml"]
            assert ssml.startswith("<speak>") and ssml.endswith("</speak>"), ssml
            assert len(ssml) <= 8000, f"{len(ssml)} characters of SSML"
            assert ET.fromstring(ssml).tag == "speak", ssml
    card = response.get("card", {"title": "no card"})
    assert isinstance(card, dict) and card.get("title"), card
    assert_session_rule(body)
    return body


CURSOR = {"id": "w1", "program": "beginner", "ex": 0, "set": 0, "stage": "set", "started": "x"}


def pinned(intent: str, slots: dict | None = None, **attributes) -> dict:
    """A fixed envelope for @example: a failure found while fuzzing, kept minimal."""
    envelope = Session().intent(intent, slots)
    envelope["session"]["attributes"] = attributes
    return envelope


@settings(max_examples=300, **FUZZ)
@given(envelope=envelopes())
# Found: "repeat" speaks the client's "said" back (breaks the session rule and the 8000 limit);
# an unknown slot value is echoed, and escaping "&" five-fold pushes the SSML past 8000.
@example(envelope=pinned("AMAZON.RepeatIntent", workout=CURSOR, said={"speech": "", "ask": ""}))
@example(envelope=pinned("IsExerciseGoodIntent", {"Exercise": "&" * 1600}))
def test_any_envelope_gets_a_valid_answer(client, envelope):
    """Well-formed envelopes, however odd their values, are always answered."""
    check(client.post("/alexa", json=envelope), must_answer=True)


@settings(max_examples=300, **FUZZ)
@given(body=raw_bodies)
# Found: nesting past the recursion limit is a 500 (depth ~1000 live; Hypothesis raises the limit).
@example(body=b"[" * 5000 + b"]" * 5000)
def test_any_body_gets_a_400_or_a_valid_answer(client, body):
    check(client.post("/alexa", data=body, content_type="application/json"))


# -- a conversation ------------------------------------------------------------------------

weights = numbers | st.sampled_from(["?", "0", "10000.5", "1e9", "nan"])
unit_slot = st.sampled_from(["kilos", "kilograms", "pounds", "pound", "stone"]).map(
    lambda w: slot("Unit", w, slot_type="UNIT")
)
number_slots = st.fixed_dictionaries(
    {},
    optional={
        "Reps": weights.map(lambda v: slot("Reps", v)),
        "Weight": weights.map(lambda v: slot("Weight", v)),
        "Unit": unit_slot,
    },
)
programs = st.sampled_from(PROGRAMS).map(
    lambda p: {"Program": slot("Program", p, p.upper(), "PROGRAM")}
)
steps: st.SearchStrategy[tuple[str, dict[str, Any]]] = st.one_of(
    st.tuples(st.just("StartWorkoutIntent"), st.just({}) | programs),
    st.tuples(st.sampled_from(["LogSetIntent", "OneRepMaxIntent"]), number_slots),
    st.tuples(
        st.sampled_from(
            sorted(set(CONVERSATION_INTENTS) - {"LogSetIntent", "StartWorkoutIntent", "OneRepMaxIntent"})
        ),
        st.just({}),
    ),
    st.sampled_from(QA_INTENTS).flatmap(lambda name: st.tuples(st.just(name), random_slots(name))),
    st.tuples(st.sampled_from(["LaunchRequest", "SessionEndedRequest"]), st.just({})),
)


@settings(max_examples=100, **FUZZ)
@given(conversation=st.lists(steps, min_size=1, max_size=8))
def test_a_conversation_keeps_its_promises(client, conversation):
    session = Session()
    for name, slots in conversation:
        if name == "LaunchRequest":
            envelope = session.launch()
        elif name == "SessionEndedRequest":
            envelope = session.session_ended()
        else:
            envelope = session.intent(name, slots)
        body = check(client.post("/alexa", json=envelope), must_answer=True)
        session.receive(body)


# -- the same with verification on, signed by the test CA --------------------------------
# Amazon's S3 (where the real signing chain lives) is the one stand-in: a local server
# serves the test CA's chain, through the test-only ALEXA_CERT_MIRROR setting.

CHAIN_URL = "https://s3.amazonaws.com/echo.api/fuzz.pem"


@pytest.fixture(scope="module")
def signing():
    pki = StandInPKI()
    chain = pki.chain_pem()

    class Chain(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(chain)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Chain)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield pki, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def signed(tmp_path, signing):
    pki, mirror = signing
    app = make_app(
        {
            "ALEXA_VERIFY_SIGNATURES": True,
            "ALEXA_SKILL_ID": LOCAL_SKILL_ID,
            "ALEXA_TRUSTED_ROOTS": [pki.root],
            "ALEXA_CERT_MIRROR": mirror,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'signed.sqlite3'}",
        }
    )
    client = app.test_client()

    def post(body: bytes):
        headers = {"Signature-256": pki.sign(body), "SignatureCertChainUrl": CHAIN_URL}
        return client.post("/alexa", data=body, content_type="application/json", headers=headers)

    return post


@settings(max_examples=150, **FUZZ)
@given(envelope=envelopes(), fresh=st.booleans())
def test_signed_envelope_gets_a_400_or_a_valid_answer(signed, envelope, fresh):
    if fresh:
        envelope["request"]["timestamp"] = now_stamp()
    body = check(signed(json.dumps(envelope).encode()))
    if not fresh:  # answered only if the drawn time happens to be within 150 s of now
        assert body is None or abs(
            dt.datetime.fromisoformat(envelope["request"]["timestamp"]) - dt.datetime.now(dt.UTC)
        ) <= dt.timedelta(seconds=150)


@settings(max_examples=150, **FUZZ)
@given(body=raw_bodies | broken_envelopes(fresh=True).map(json.dumps).map(str.encode))
def test_signed_body_gets_a_400_or_a_valid_answer(signed, body):
    check(signed(body))
