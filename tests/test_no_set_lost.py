"""No set lost and none invented: a self-paced set that couldn't be saved is retried when
the session closes, a set reported while the log is down is answered honestly, two Echos on
one account keep their own workouts, and the small things people noticed."""

from __future__ import annotations

import pytest

from skill.web.envelopes import Session, slot
from tests.helpers import Talk, assert_session_rule, reprompt, speech
from tests.test_unsaved_sets import UNSAVED_SETS, backend, stored_sets  # noqa: F401
from tests.test_workout import log, start


def kept_in_the_session(backend, talk: Talk) -> None:  # noqa: F811
    """A counted set logged while the database is down: kept in the session."""
    talk.launch()
    start(talk, "STANDARD")
    backend.break_db()
    body = log(talk, 10, 20, "POUNDS")
    assert "couldn't save that set" in speech(body)
    assert len(talk.session.attributes[UNSAVED_SETS]) == 1


def test_a_self_paced_set_that_closes_the_session_saves_the_kept_set(backend):  # noqa: F811
    talk = Talk(backend.app.test_client(), Session())
    kept_in_the_session(backend, talk)
    backend.mend_db()
    body = talk.intent("SetModeIntent", {"Mode": slot("Mode", "count myself", "SELF_PACED", "SET_MODE")})
    assert body["response"]["shouldEndSession"] is True, "the self-paced set closes the session"
    assert [s["reps"] for s in stored_sets(backend.app, talk.session.user_id)] == [10]


def test_a_self_paced_set_that_closes_the_session_says_when_the_kept_set_is_lost(backend):  # noqa: F811
    talk = Talk(backend.app.test_client(), Session())
    kept_in_the_session(backend, talk)
    body = talk.intent("SetModeIntent", {"Mode": slot("Mode", "count myself", "SELF_PACED", "SET_MODE")})
    assert body["response"]["shouldEndSession"] is True
    assert "couldn't save your last set just now, sorry" in speech(body)
    backend.mend_db()
    assert stored_sets(backend.app, talk.session.user_id) == []


def test_a_set_reported_while_the_log_is_down_is_answered_honestly(backend):  # noqa: F811
    talk = Talk(backend.app.test_client(), Session())
    talk.launch()
    start(talk, "STANDARD", counted=False)
    backend.break_db()
    one_shot = Talk(backend.app.test_client(), Session(user_id=talk.session.user_id))
    body = log(one_shot, 10, 20, "POUNDS")
    said = speech(body)
    assert "couldn't reach your workout log" in said or "couldn't save that set" in said
    assert "don't have a workout" not in said
    backend.mend_db()


def test_two_echos_on_one_account_keep_their_own_workouts(client):
    account = Session().user_id
    kitchen = Talk(client, Session(user_id=account, device_id="amzn1.ask.device.kitchen"))
    bedroom = Talk(client, Session(user_id=account, device_id="amzn1.ask.device.bedroom"))
    kitchen.launch()
    bedroom.launch()
    start(kitchen, "BEGINNER")
    start(bedroom, "STANDARD")
    assert "ten reps" in speech(log(kitchen, 10))
    assert "eight reps" in speech(log(bedroom, 8, 20, "POUNDS"))
    kitchen_again = Talk(client, Session(user_id=account, device_id="amzn1.ask.device.kitchen"))
    bedroom_again = Talk(client, Session(user_id=account, device_id="amzn1.ask.device.bedroom"))
    assert "sit to stand, in the beginner workout" in speech(kitchen_again.launch())
    assert "goblet squat, in the standard workout" in speech(bedroom_again.launch())


def test_a_recognised_voice_carries_its_workout_from_device_to_device(client):
    account = Session().user_id
    person = "amzn1.ask.person.ann"
    kitchen = Talk(client, Session(user_id=account, person_id=person, device_id="amzn1.ask.device.k"))
    kitchen.launch()
    start(kitchen, "BEGINNER")
    log(kitchen, 10)
    bedroom = Talk(client, Session(user_id=account, person_id=person, device_id="amzn1.ask.device.b"))
    assert "set two of two of the sit to stand" in speech(bedroom.launch())


def test_how_am_i_doing_for_someone_new_offers_to_start(talk, content):
    talk.launch()
    body = talk.intent("HowAmIDoingIntent")
    assert body["response"]["shouldEndSession"] is False
    assert reprompt(body) == content.messages["no_workout"].follow_up
    assert_session_rule(body)
    body = talk.intent("AMAZON.YesIntent")
    assert "Which one would you like?" in speech(body)


@pytest.mark.parametrize("spoken", [60, 90, 120, 180])
def test_a_rest_says_the_length_of_its_silence(talk, content, spoken):
    from intents.words import Words
    from intents.workout.render import Renderer

    render = Renderer(content, Words(content.lines))
    parts = render.rest(spoken)
    silence = sum(int(p.split('"')[1].removesuffix("ms")) for p in parts if "break" in p)
    said = render.duration(silence // 1000)
    assert said in parts[0]
    half = parts.index(content.lines["halfway"]) if content.lines["halfway"] in parts else None
    if half is not None:
        before = sum(int(p.split('"')[1].removesuffix("ms")) for p in parts[:half] if "break" in p)
        assert before * 2 == silence


def test_whats_next_mid_set_names_the_next_set_and_asks_about_this_one(talk):
    talk.launch()
    start(talk, "STANDARD")
    body = talk.intent("WhatsNextIntent")
    assert "Next is set two of three of the goblet squat." in speech(body)
    assert speech(body).endswith("How many reps?") and reprompt(body) == "How many reps?"
