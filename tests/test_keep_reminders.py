"""Reminders on training days, against the simulator's stand-in for Alexa's APIs over real
HTTP (it stands in for the Reminders and Settings APIs in Amazon's cloud): created,
listed, moved and deleted; the permission granted, denied or not answered; the API down,
slow or refusing; and forgetting a person deletes their reminders."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from skill.simulator.standin import AlexaApiStandIn
from skill.store.tables import goals, reminders, sets, training_weeks
from skill.web.envelopes import REMINDERS_SCOPE, Session
from tests.helpers import Talk, assert_session_rule, speech
from tests.test_workout import log, start

RULE = "FREQ=WEEKLY;BYDAY=TU,FR;BYHOUR=9;BYMINUTE=0"


@pytest.fixture
def apis():
    """Stands in for Alexa's APIs in Amazon's cloud."""
    with AlexaApiStandIn("Europe/London") as stand_in:
        yield stand_in


def person(app, apis, allowed: bool = True) -> Talk:
    session = Session(api_endpoint=apis.url)
    if allowed:
        session.permissions.add(REMINDERS_SCOPE)
        apis.grant(session.api_token)
    talk = Talk(app.test_client(), session)
    talk.launch()
    return talk


def day(value_id: str, name: str = "Day") -> dict:
    spoken = {"TU": "tuesdays", "FR": "fridays", "MO": "mondays", "TH": "thursdays"}[value_id]
    return {
        "name": name,
        "value": spoken,
        "resolutions": {
            "resolutionsPerAuthority": [
                {
                    "authority": "amzn1.er-authority.echo-sdk.x.TRAINING_DAY",
                    "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": spoken, "id": value_id}}],
                }
            ]
        },
    }


def set_reminder(talk: Talk, days=("TU", "FR"), at: str | None = "09:00") -> dict:
    slots: dict[str, Any] = {
        name: day(d, name) for name, d in zip(("Day", "DayTwo", "DayThree"), days, strict=False)
    }
    if at:
        slots["Time"] = at
    return talk.intent("SetReminderIntent", slots)


def rows(app, table, user_id: str) -> int:
    with app.extensions["bone_builder"].persistence.engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(table).where(table.c.person_id == user_id)
        ).scalar()


def test_a_reminder_is_created_with_recurrence_rules_in_the_person_time_zone(app, apis):
    talk = person(app, apis)
    start(talk, "OSTEOPOROSIS")
    body = set_reminder(talk)
    assert "I'll remind you on Tuesdays and Fridays at nine in the morning" in speech(body)
    assert talk.session.attributes.get("workout"), "the workout carries on"
    assert_session_rule(body)
    [kept] = apis.reminders(talk.session.api_token)
    recurrence = kept["trigger"]["recurrence"]
    assert recurrence["recurrenceRules"] == [RULE]
    assert "freq" not in recurrence and "byDay" not in recurrence
    assert kept["trigger"]["timeZoneId"] == "Europe/London"
    assert kept["alertInfo"]["spokenInfo"]["content"][0]["text"] == (
        "Time for your bone-safe workout. Say: Alexa, open Bone Builder."
    )
    calls = apis.calls(talk.session.api_token)
    assert [(c["method"], c["path"].split("/")[1]) for c in calls][-1] == ("POST", "v1")
    assert any(c["path"].endswith("/settings/System.timeZone") for c in calls)
    assert rows(app, reminders, talk.session.user_id) == 1


def test_listed_moved_and_deleted(app, apis):
    talk = person(app, apis)
    set_reminder(talk)
    assert "a reminder on Tuesdays and Fridays at nine in the morning" in speech(
        talk.intent("ListRemindersIntent")
    )
    body = talk.intent("MoveReminderIntent", {"Time": "18:30"})
    assert "now on Tuesdays and Fridays at six thirty in the evening" in speech(body)
    [kept] = apis.reminders(talk.session.api_token)
    assert kept["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=WEEKLY;BYDAY=TU,FR;BYHOUR=18;BYMINUTE=30"
    ]
    assert kept["version"] == "2", "the same reminder, changed"
    body = talk.intent("MoveReminderIntent", {"Day": day("MO"), "DayTwo": day("TH", "DayTwo")})
    assert "Mondays and Thursdays at six thirty in the evening" in speech(body)
    body = talk.intent("StopRemindersIntent")
    assert "stopped your workout reminders" in speech(body)
    assert apis.reminders(talk.session.api_token) == []
    assert rows(app, reminders, talk.session.user_id) == 0
    assert "don't have a reminder" in speech(talk.intent("ListRemindersIntent"))


def test_setting_again_changes_the_reminder_rather_than_adding_one(app, apis):
    talk = person(app, apis)
    set_reminder(talk)
    set_reminder(talk, ("MO",), "07:00")
    [kept] = apis.reminders(talk.session.api_token)
    assert kept["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=WEEKLY;BYDAY=MO;BYHOUR=7;BYMINUTE=0"
    ]


def test_missing_days_then_time_are_asked_for(app, apis):
    talk = person(app, apis)
    body = set_reminder(talk, (), None)
    assert "Which days shall I remind you?" in speech(body)
    body = set_reminder(talk, ("TU", "FR"), None)
    assert "What time shall I remind you?" in speech(body)
    body = talk.intent("LogSetIntent", {"Reps": "9"})
    assert "Tuesdays and Fridays at nine in the morning" in speech(body)


def asked_for_permission(app, apis) -> tuple[Talk, str]:
    """Someone without the permission asks for a reminder: (their talk, the token sent)."""
    talk = person(app, apis, allowed=False)
    body = set_reminder(talk)
    response = body["response"]
    [directive] = response["directives"]
    assert directive["type"] == "Connections.StartConnection"
    assert directive["uri"] == "connection://AMAZON.AskForPermissionsConsent/2"
    assert directive["input"]["permissionScopes"] == [
        {"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}
    ]
    assert "shouldEndSession" not in response and "reprompt" not in response
    assert apis.calls(talk.session.api_token) == [], "nothing was tried without the permission"
    assert_session_rule(body)
    return talk, directive["token"]


def test_without_the_permission_the_skill_asks_alexa_to_ask(app, apis):
    _, token = asked_for_permission(app, apis)
    assert token.startswith("reminders:")


def test_granted_by_voice_the_reminder_is_set(app, apis):
    talk, token = asked_for_permission(app, apis)
    apis.grant(talk.session.api_token)
    talk.session.permissions.add(REMINDERS_SCOPE)
    body = talk.send(talk.session.resumed(token, {"status": "ACCEPTED"}))
    assert "I'll remind you on Tuesdays and Fridays at nine" in speech(body)
    assert len(apis.reminders(talk.session.api_token)) == 1


def test_denied_gets_a_kind_word_and_is_not_asked_again_this_session(app, apis):
    talk, token = asked_for_permission(app, apis)
    body = talk.send(talk.session.resumed(token, {"status": "DENIED"}))
    assert "That's fine, no reminders" in speech(body)
    assert body["response"]["shouldEndSession"] is False
    again = set_reminder(talk)
    assert "directives" not in again["response"]
    assert "leave them off" in speech(again)
    later = Talk(talk.client, Session(user_id=talk.session.user_id, api_endpoint=apis.url))
    later.launch()
    assert set_reminder(later)["response"]["directives"], "a new session may ask again"


def test_not_answered_sends_the_permission_card(app, apis):
    talk, token = asked_for_permission(app, apis)
    body = talk.send(talk.session.resumed(token, {"status": "NOT_ANSWERED"}))
    assert body["response"]["card"] == {
        "type": "AskForPermissionsConsent",
        "permissions": [REMINDERS_SCOPE],
    }
    assert "sent a card" in speech(body)
    assert apis.reminders(talk.session.api_token) == []


def test_a_device_that_cannot_ask_by_voice_gets_the_card(app, apis):
    talk, token = asked_for_permission(app, apis)
    body = talk.send(talk.session.resumed(token, {}, code="400"))
    assert body["response"]["card"]["type"] == "AskForPermissionsConsent"


def test_the_older_connections_response_is_understood(app, apis):
    talk, token = asked_for_permission(app, apis)
    apis.grant(talk.session.api_token)
    payload = {"permissionScope": REMINDERS_SCOPE, "status": "ACCEPTED"}
    body = talk.send(talk.session.connections_response("AskFor", token, payload))
    assert "I'll remind you" in speech(body)


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (401, "didn't let me change your reminders"),
        (403, "didn't let me change your reminders"),
        (429, "busy just now"),
        (500, "couldn't reach Alexa's reminders"),
        (503, "couldn't reach Alexa's reminders"),
    ],
)
def test_an_api_failure_is_one_honest_line_and_the_workout_goes_on(app, apis, status, said):
    talk = person(app, apis)
    start(talk)
    apis.fail_with(status)
    body = set_reminder(talk)
    assert said in speech(body)
    assert speech(body).count("reminders") <= 2, "one line, not a list of errors"
    assert talk.session.attributes.get("workout"), "the workout is still under way"
    assert_session_rule(body)
    apis.fail_with(None)
    log(talk, 10, 20, "POUNDS")
    assert rows(app, sets, talk.session.user_id) == 1, "the set is saved as ever"


def test_the_api_down_or_slow(app, apis):
    talk = person(app, apis)
    start(talk)
    apis.delay(2.0)
    body = set_reminder(talk)
    assert "couldn't reach Alexa's reminders" in speech(body)
    assert talk.session.attributes.get("workout")
    apis.delay(0)
    apis.close()
    body = talk.intent("ListRemindersIntent")
    assert "couldn't reach Alexa's reminders" in speech(body)
    body = log(talk, 10, 20, "POUNDS")
    assert body["response"]["shouldEndSession"] is False, "the workout goes on"
    assert rows(app, sets, talk.session.user_id) == 1


def test_forgetting_deletes_goal_weeks_and_reminders(app, apis):
    talk = person(app, apis)
    set_reminder(talk)
    talk.intent("SetGoalIntent", {"Count": "3"})
    user = talk.session.user_id
    assert rows(app, reminders, user) == rows(app, goals, user) == 1
    talk.intent("ForgetHistoryIntent")
    body = talk.intent("AMAZON.YesIntent")
    assert "forgotten" in speech(body)
    assert apis.reminders(talk.session.api_token) == [], "deleted through the API"
    assert any(c["method"] == "DELETE" for c in apis.calls(talk.session.api_token))
    for table in (reminders, goals, training_weeks):
        assert rows(app, table, user) == 0


@pytest.mark.slow
def test_simulate_json_shows_each_call_to_alexa_apis(tmp_path):
    """``simulate`` runs its own stand-in for Alexa's APIs; each turn lists the calls."""
    from tests.test_cli import run

    said = ["open bone builder", "remind me to train on tuesdays and fridays at nine"]
    result = run(tmp_path, "simulate", "--json", "--timezone", "Europe/London", *said)
    assert result.returncode == 0, result.stderr
    turns = [json.loads(line) for line in result.stdout.splitlines()]
    asked, resumed = turns[1], turns[2]
    assert asked["response"]["response"]["directives"][0]["type"] == "Connections.StartConnection"
    assert asked["api_calls"] == []
    assert resumed["intent"] == "SessionResumedRequest"
    created = [c for c in resumed["api_calls"] if c["method"] == "POST"]
    assert created[0]["path"] == "/v1/alerts/reminders"
    assert created[0]["body"]["trigger"]["timeZoneId"] == "Europe/London"
    assert created[0]["body"]["trigger"]["recurrence"]["recurrenceRules"] == [RULE]
    denied = run(tmp_path, "simulate", "--json", "--consent", "deny", *said)
    assert "no reminders" in json.loads(denied.stdout.splitlines()[2])["speech"]
    allowed = run(tmp_path, "simulate", "--json", "--permissions", "reminders", *said)
    turns = [json.loads(line) for line in allowed.stdout.splitlines()]
    assert len(turns) == 2 and "I'll remind you" in turns[1]["speech"]
