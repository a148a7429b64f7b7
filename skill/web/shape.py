"""Read a request body into an envelope whose shape every handler can rely on.

Alexa always sends these parts; a body without them did not come from Alexa, so it gets a
400 with the reason before any skill code runs, rather than a crash somewhere inside.
"""

from __future__ import annotations

import json
import math

import orjson

from .rejected import RequestRejected

MAX_DEPTH = 64
MAX_USER_ID = 255
IN_SESSION = ("LaunchRequest", "IntentRequest", "SessionEndedRequest")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("number out of range")
    return number


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


#: ``json.loads(body, parse_constant=..., parse_float=...)`` would make a decoder per call.
_DECODER = json.JSONDecoder(parse_constant=_no_constants, parse_float=_finite)


def parse(body: bytes) -> dict:
    """The JSON object in ``body``: finite numbers, at most ``MAX_DEPTH`` deep, no dunder keys.

    orjson reads UTF-8 JSON as Alexa sends it, refusing NaN, the infinities and numbers too
    large for a float, as JSON itself does; what it can't read (another encoding, a lone
    surrogate escape, a malformed body) goes to ``_parse_slowly``, which reads what the
    standard library can and names what is wrong with the rest. orjson reads an integer
    beyond 64 bits as a float, where the standard library keeps it whole.
    """
    try:
        envelope = orjson.loads(body)
    except orjson.JSONDecodeError:
        envelope = _parse_slowly(body)
    if not isinstance(envelope, dict):
        raise RequestRejected("body is not a JSON object")
    if not _plainly_safe(body):
        check_tree(envelope)
    return envelope


def _parse_slowly(body: bytes) -> object:
    """The standard library's reading of ``body``, or the reason it is not JSON we take."""
    try:
        return _DECODER.decode(body.decode(json.detect_encoding(body), "surrogatepass"))
    except (ValueError, UnicodeDecodeError) as exc:
        if "out of range" in str(exc):
            raise RequestRejected("body has a number too large to use") from exc
        raise RequestRejected("body is not valid JSON") from exc
    except RecursionError as exc:
        raise RequestRejected("body is nested too deeply") from exc


def _plainly_safe(body: bytes) -> bool:
    """True when the raw text alone shows what ``check_tree`` would find: no more brackets in
    all than ``MAX_DEPTH`` allows (no path can nest deeper) and no key that could begin with
    "__". Such a key needs two underscores in a row or a ``\\u`` escape for one of them, and
    Alexa's requests have neither; any other body is walked in full, as is JSON in UTF-16 or
    UTF-32 (whose ASCII characters carry zero bytes; UTF-8 JSON has none). Single bytes are
    looked for first: CPython finds those with ``memchr``, and longer needles byte by byte."""
    if b"\x00" in body or b"\\" in body:
        return False
    if b"_" in body and b"__" in body:
        return False
    return body.count(b"{") + body.count(b"[") <= MAX_DEPTH


def check_tree(root: dict) -> None:
    """Depth everywhere, and keys that could reach a model object's attributes (all but
    the skill's own session attributes, which stay plain dicts); walked without recursion
    so no depth can overflow the stack."""
    session = root.get("session")
    attributes = session.get("attributes") if isinstance(session, dict) else None
    stack: list[tuple[object, int, bool]] = [(root, 1, True)]
    while stack:
        node, depth, model = stack.pop()
        if depth > MAX_DEPTH:
            raise RequestRejected("body is nested too deeply")
        model = model and node is not attributes
        if isinstance(node, dict):
            for key, value in node.items():
                if model and key.startswith("__"):
                    raise RequestRejected(f"body has a reserved key {key[:20]!r}")
                if isinstance(value, dict | list):
                    stack.append((value, depth + 1, model))
        elif isinstance(node, list):
            stack.extend(
                (value, depth + 1, model) for value in node if isinstance(value, dict | list)
            )


def check(envelope: dict) -> None:
    """The parts every handler reads: a request type, a user, a session, an intent name."""
    request = envelope.get("request")
    if not isinstance(request, dict) or not isinstance(request.get("type"), str):
        raise RequestRejected("body has no request with a type")
    system = envelope.get("context", {})
    system = system.get("System") if isinstance(system, dict) else None
    user = system.get("user") if isinstance(system, dict) else None
    if not isinstance(user, dict):
        raise RequestRejected("body has no context.System.user")
    user_id = user.get("userId")
    if not isinstance(user_id, str) or not 0 < len(user_id) <= MAX_USER_ID:
        raise RequestRejected(f"userId must be a string of 1 to {MAX_USER_ID} characters")
    kind = request["type"]
    if kind in IN_SESSION and not isinstance(envelope.get("session"), dict):
        raise RequestRejected(f"{kind} has no session")
    if kind == "IntentRequest":
        intent = request.get("intent")
        if not isinstance(intent, dict) or not isinstance(intent.get("name"), str):
            raise RequestRejected("IntentRequest has no intent with a name")
