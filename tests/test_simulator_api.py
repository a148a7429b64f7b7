"""The simulator page's JSON API: suggestions, one turn a call with the state sent back."""

from __future__ import annotations

import pytest

from skill.simulator.web import progress
from tests.helpers import make_app


def say(client, utterance: str, state: dict | None = None, **extra):
    reply = client.post(
        "/simulator/api/say", json={"utterance": utterance, "state": state, **extra}
    )
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return reply.get_json()


def test_page_and_its_files_are_served(client):
    assert b"Bone Builder simulator" in client.get("/simulator").data
    for name in ("simulator.css", "simulator.js"):
        assert client.get(f"/simulator/static/{name}").status_code == 200


def test_suggestions_start_with_the_starters(client):
    phrases = client.get("/simulator/api/suggestions").get_json()["phrases"]
    texts = [p["text"] for p in phrases]
    assert texts[0] == "open bone builder" and "how many sets are left" in texts
    assert len(phrases) > 7 and all(p["intent"] for p in phrases)
    assert len(texts) == len(set(texts))


def test_state_carries_the_session_between_calls(client):
    first = say(client, "open bone builder")
    assert first["turn"]["request"]["request"]["type"] == "LaunchRequest"
    assert first["state"]["open"] is True
    second = say(client, "how heavy should i lift", first["state"])
    assert second["turn"]["intent"] == "HowHeavyIntent"
    assert second["state"]["session_id"] == first["state"]["session_id"]
    assert second["state"]["user_id"] == first["state"]["user_id"]
    assert second["turn"]["request"]["session"]["new"] is False


def test_the_person_switch_keeps_each_speakers_workout(app, client):
    anne = "amzn1.ask.person.local-a"
    state = say(client, "open bone builder", person=anne)["state"]
    turn = say(client, "start the standard workout", state, person=anne)
    assert turn["turn"]["request"]["context"]["System"]["person"] == {"personId": anne}
    assert turn["state"]["person_id"] == anne
    persistence = app.extensions["bone_builder"].persistence
    assert persistence.export(anne)["workout"]["program"] == "standard"
    bob = say(client, "open bone builder", {**turn["state"], "open": False}, person=None)
    assert "person" not in bob["turn"]["request"]["context"]["System"]
    assert "workout" not in persistence.export(turn["state"]["user_id"])


def test_workout_progress_follows_the_sets(client):
    state = say(client, "open bone builder")["state"]
    started = say(client, "start the beginner workout", state)
    assert started["progress"] == {
        "program": "beginner workout",
        "exercise": "sit to stand",
        "exercise_number": 1,
        "exercises": 6,
        "set": 1,
        "sets": 2,
        "stage": "ready",
    }
    ready = say(client, "yes", started["state"])
    counting = say(client, "yes", ready["state"])
    assert counting["progress"]["stage"] == "set"
    done = say(client, "done", counting["state"])
    assert done["progress"]["set"] == 2 and done["progress"]["stage"] == "ready"


def test_each_turn_names_its_tier_and_strict_turns_off_the_statistical_one(client):
    state = say(client, "open bone builder")["state"]
    exact = say(client, "how heavy should i lift", state)["turn"]
    assert (exact["intent"], exact["tier"], exact["confidence"]) == ("HowHeavyIntent", "exact", 1)
    guessed = say(client, "how big should my dumbbells be then", state)["turn"]
    assert (guessed["intent"], guessed["tier"]) == ("HowHeavyIntent", "statistical")
    assert (
        guessed["top"][0] == ["HowHeavyIntent", guessed["confidence"]] and len(guessed["top"]) == 3
    )
    strict = say(client, "how big should my dumbbells be then", state, strict=True)["turn"]
    assert (strict["intent"], strict["tier"], strict["top"]) == (
        "AMAZON.FallbackIntent",
        "exact",
        [],
    )


def test_locale_is_sent_to_the_skill(client):
    reply = say(client, "open bone builder", locale="en-GB")
    assert reply["turn"]["request"]["request"]["locale"] == "en-GB"
    assert reply["state"]["locale"] == "en-GB"


def test_silence_with_no_session_is_no_turn(client):
    reply = say(client, "   ")
    assert reply["turn"] is None and reply["progress"] is None
    assert reply["state"]["open"] is False


def test_malformed_state_starts_afresh(client):
    reply = say(client, "open bone builder", {"user_id": 7, "open": "yes", "attributes": []})
    assert reply["turn"]["request"]["session"]["new"] is True


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        b'{"state": null}',
        b'{"utterance": 5}',
        b'{"utterance": "hi", "state": "x"}',
        b'{"utterance": "hi", "locale": "fr-FR"}',
        b'{"utterance": "hi", "strict": "yes"}',
        b'{"utterance": "hi", "person": 7}',
        b'{"utterance": "hi", "person": ""}',
        b'{"utterance": "' + b"a" * 501 + b'"}',
    ],
)
def test_bad_input_is_a_400(client, body):
    reply = client.post("/simulator/api/say", data=body, content_type="application/json")
    assert reply.status_code == 400
    assert reply.get_json()["error"]


def test_progress_ignores_malformed_workouts(content):
    good = {"program": "beginner", "ex": 0, "set": 0, "stage": "set"}
    assert progress({"workout": good}, content)["set"] == 1
    for bad in (
        None,
        [],
        {"workout": "x"},
        {"workout": {**good, "program": ["beginner"]}},
        {"workout": {**good, "program": "nope"}},
        {"workout": {**good, "ex": 99}},
        {"workout": {**good, "ex": True}},
        {"workout": {**good, "set": -1}},
        {"workout": {**good, "set": "0"}},
        {"workout": {**good, "stage": "dancing"}},
    ):
        assert progress(bad, content) is None, bad


def test_no_simulator_when_verification_is_on(tmp_path):
    app = make_app(
        {
            "ALEXA_VERIFY_SIGNATURES": True,
            "ALEXA_SKILL_ID": "amzn1.ask.skill.x",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'state.sqlite3'}",
        }
    )
    client = app.test_client()
    assert client.get("/simulator").status_code == 404
    assert client.post("/simulator/api/say", json={"utterance": "hi"}).status_code == 404
    assert client.get("/").status_code == 404
    assert client.get("/favicon.ico").status_code == 404


def test_the_front_page_and_favicon_lead_to_the_simulator(client):
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and b"Bone Builder simulator" in home.data
    icon = client.get("/favicon.ico", follow_redirects=True)
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_try_saying_follows_the_conversation(client):
    from skill.simulator.nlu import FALLBACK, LanguageModel

    model = LanguageModel(client.application.extensions["bone_builder"].skill.model)
    starters = [p["text"] for p in client.get("/simulator/api/suggestions").get_json()["phrases"]]
    opened = say(client, "open bone builder")
    started = say(client, "start the beginner workout", opened["state"])
    asked = say(client, "yes", started["state"])
    counting = say(client, "count for me", asked["state"])
    resting = say(client, "done", counting["state"])
    gone = say(client, "stop", resting["state"])
    offered = {
        "no session": starters[:4],
        "session": opened["suggestions"],
        "set": counting["suggestions"],
        "rest": resting["suggestions"],
        "closed": gone["suggestions"],
    }
    assert "done" not in offered["no session"] and "done" not in offered["session"]
    assert "done" in offered["set"] and "start the beginner workout" not in offered["set"]
    assert "yes" in offered["rest"] and "done" not in offered["rest"]
    assert "open bone builder" in offered["closed"]
    assert "i did ten reps with twenty pounds" in offered["set"]
    for where, phrases in offered.items():
        for phrase in phrases:
            assert model.resolve(phrase).intent != FALLBACK, (where, phrase)


def test_try_saying_uses_the_locale_unit(client):
    opened = say(client, "open bone builder", locale="en-GB")
    started = say(client, "start the beginner workout", opened["state"], locale="en-GB")
    asked = say(client, "yes", started["state"], locale="en-GB")
    counting = say(client, "count for me", asked["state"], locale="en-GB")
    assert "i did ten reps with twenty kilos" in counting["suggestions"]


@pytest.mark.parametrize(
    ("locale", "number"),
    [
        ("en-US", "nine one one"),
        ("en-CA", "nine one one"),
        ("en-GB", "nine nine nine"),
        ("en-AU", "triple zero"),
        ("en-IN", "one one two"),
    ],
)
def test_every_locale_speaks_its_own_emergency_number(client, locale, number):
    reply = say(client, "ask bone builder i have chest pain", locale=locale)
    assert reply["state"]["locale"] == locale
    assert f"call {number}" in reply["turn"]["response"]["response"]["outputSpeech"]["ssml"]


def test_the_page_offers_every_locale(client):
    from skill.content.locales import LOCALES

    page = client.get("/simulator").get_data(as_text=True)
    assert all(f'<option value="{locale}">' in page for locale in LOCALES)
