"""Two people sharing one Echo: when Alexa recognises a voice (``context.System.person``),
each keeps their own workouts, weights, unit and first-use note; nobody recognised falls
back to the account."""

from __future__ import annotations

from skill.web.envelopes import Session
from tests.helpers import Talk, speech
from tests.test_workout import log, start, stored

ACCOUNT = "amzn1.ask.account.household"
DEVICE = "amzn1.ask.device.kitchen"
ANNE = "amzn1.ask.person.anne"
BOB = "amzn1.ask.person.bob"


def voice(client, person_id: str | None) -> Talk:
    return Talk(client, Session(user_id=ACCOUNT, device_id=DEVICE, person_id=person_id))


def test_two_people_on_one_device_keep_their_own_sets(app, client):
    anne, bob = voice(client, ANNE), voice(client, BOB)
    assert "not medical advice" in speech(anne.launch())
    assert "not medical advice" in speech(bob.launch())
    start(anne)
    log(anne, 10, 20, "POUNDS")
    start(bob)
    log(bob, 8, 5, "KILOGRAMS")
    anne_sets = stored(app, ANNE)["workout"]["sets"]
    bob_sets = stored(app, BOB)["workout"]["sets"]
    assert [(s["reps"], s["weight"], s["unit"]) for s in anne_sets] == [(10, 20, "lb")]
    assert [(s["reps"], s["weight"], s["unit"]) for s in bob_sets] == [(8, 5, "kg")]
    assert stored(app, ANNE)["unit"] == "lb" and stored(app, BOB)["unit"] == "kg"
    assert stored(app, ACCOUNT) == {"_person": ACCOUNT, "_row_version": None, "history": []}


def test_each_person_is_offered_their_own_workout_back(app, client):
    anne = voice(client, ANNE)
    anne.launch()
    start(anne, "BEGINNER")
    log(anne, 10)
    anne.session.open = False
    bob = voice(client, BOB)
    assert "beginner" not in speech(bob.launch())
    anne_again = voice(client, ANNE)
    assert "beginner" in speech(anne_again.launch()).lower()


def test_nobody_recognised_uses_the_account(app, client):
    someone = voice(client, None)
    someone.launch()
    start(someone)
    log(someone, 12)
    assert stored(app, ACCOUNT)["workout"]["sets"][0]["reps"] == 12
    assert "workout" not in stored(app, ANNE)
