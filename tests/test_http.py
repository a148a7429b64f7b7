"""A whole conversation over real HTTP through a WSGI server on loopback."""

from __future__ import annotations

import json
import urllib.request

import pytest

from skill.web.envelopes import Session


def post(url: str, envelope: dict) -> dict:
    request = urllib.request.Request(
        url + "/alexa",
        data=json.dumps(envelope).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.status == 200
        return json.loads(reply.read())


def test_launch_question_more_and_stop_over_http(server, content):
    session = Session()
    turns = (
        session.launch,
        lambda: session.intent("HowHeavyIntent"),
        lambda: session.intent("TellMeMoreIntent"),
    )
    for turn in turns:
        body = post(server, turn())
        session.receive(body)
        assert session.open
    assert session.attributes["last"]["topic"] == "how_heavy"
    body = post(server, session.intent("AMAZON.StopIntent"))
    assert body["response"]["shouldEndSession"] is True


def test_bad_json_over_http_is_a_400(server):
    request = urllib.request.Request(
        server + "/alexa", data=b"{oops", headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 400
    assert "not valid JSON" in json.loads(caught.value.read())["error"]
