"""Launch, help, stop, fallback, session end and the apology when a handler fails."""

from __future__ import annotations

import logging

import pytest

from intents.questions import Answers
from skill.web.envelopes import Session
from tests.helpers import Talk, assert_session_rule, speech


def test_first_launch_has_the_medical_note_and_later_ones_do_not(client, content):
    user = Session()
    first = Talk(client, user).launch()
    note = content.messages["welcome_first"].speech
    assert note in speech(first)
    assert first["response"]["shouldEndSession"] is False
    assert_session_rule(first)
    again = Talk(client, Session(user_id=user.user_id)).launch()
    assert note not in speech(again)
    assert content.messages["welcome"].speech in speech(again)


def test_help_ends_with_a_question(talk, content):
    talk.launch()
    body = talk.intent("AMAZON.HelpIntent")
    assert content.messages["help"].speech in speech(body)
    assert_session_rule(body)
    assert body["response"]["shouldEndSession"] is False


@pytest.mark.parametrize(
    "intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"]
)
def test_stop_cancel_and_home_end_the_session(talk, content, intent):
    talk.launch()
    body = talk.intent(intent)
    assert content.messages["goodbye"].speech in speech(body)
    assert body["response"]["shouldEndSession"] is True
    assert_session_rule(body)


def test_fallback_says_what_it_can_do(talk, content):
    talk.launch()
    body = talk.intent("AMAZON.FallbackIntent")
    assert content.messages["fallback"].speech in speech(body)
    assert_session_rule(body)
    assert body["response"]["shouldEndSession"] is False


def test_unknown_intent_gets_the_fallback(talk, content):
    talk.launch()
    body = talk.intent("OrderPizzaIntent")
    assert content.messages["fallback"].speech in speech(body)
    assert_session_rule(body)


def test_session_ended_is_logged_and_silent(talk, caplog):
    caplog.set_level(logging.INFO)
    talk.launch()
    body = talk.send(talk.session.session_ended("EXCEEDED_MAX_REPROMPTS"))
    assert "outputSpeech" not in body["response"]
    assert any("EXCEEDED_MAX_REPROMPTS" in r.getMessage() for r in caplog.records)


def test_session_ended_with_an_error_is_logged(talk, caplog):
    talk.launch()
    talk.send(
        talk.session.session_ended("ERROR", {"type": "INVALID_RESPONSE", "message": "bad ssml"})
    )
    assert any("INVALID_RESPONSE" in r.getMessage() for r in caplog.records)


def test_a_failing_handler_apologises_in_speech(talk, content, monkeypatch, caplog):
    def broken(self, said, back):
        raise RuntimeError("content lookup exploded")

    monkeypatch.setattr(Answers, "answer", broken)
    talk.launch()
    body = talk.intent("HowHeavyIntent")
    assert content.messages["error"].speech in speech(body)
    assert "exploded" not in str(body) and "Traceback" not in str(body)
    assert_session_rule(body)
    assert any("handler failed" in r.getMessage() for r in caplog.records)
