"""The AWS Lambda entry point, called with request envelopes as the Alexa trigger sends them.

Lambda itself lives in Amazon's cloud: here the handler is called directly, in this process
and, through ``skill.lambda_function``, in a fresh interpreter configured by environment.
PostgreSQL runs when TEST_DATABASE_URL points at a server (``.ci/run`` starts one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from skill.config import PROJECT_ROOT, ConfigError
from skill.deploy.aws_lambda import create_handler
from skill.web.envelopes import Session, slot
from skill.web.verify import RequestRejected
from tests.helpers import (
    assert_session_rule,
    local_app,
    prepare_database,
    speech,
)

SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


@pytest.fixture
def handler(database_url):
    return create_handler({"ALEXA_SKILL_ID": SKILL_ID, "DATABASE_URL": database_url})


def test_launch_and_a_question_in_one_session(handler):
    session = Session(skill_id=SKILL_ID)
    welcome = handler(session.launch(), None)
    session.receive(welcome)
    assert welcome["response"]["shouldEndSession"] is False
    assert_session_rule(welcome)
    answer = handler(session.intent("HowHeavyIntent"), None)
    assert "eight to twelve" in speech(answer) or "8 to 12" in speech(answer)
    assert_session_rule(answer)


def test_the_answers_are_the_web_apps(handler, tmp_path):
    app = local_app(f"sqlite:///{tmp_path / 'web.sqlite3'}", ALEXA_SKILL_ID=SKILL_ID)
    envelope = Session(skill_id=SKILL_ID).intent("HowOftenIntent")
    over_http = app.test_client().post("/alexa", json=envelope).get_json()
    assert handler(envelope, None) == over_http


def test_a_workout_survives_a_new_container(database_url):
    user = "amzn1.ask.account.lambda-" + os.urandom(6).hex()
    settings = {"ALEXA_SKILL_ID": SKILL_ID, "DATABASE_URL": database_url}
    first = create_handler(settings)
    session = Session(user_id=user, skill_id=SKILL_ID)
    program = {"Program": slot("Program", "beginner", "BEGINNER", "PROGRAM", SKILL_ID)}
    session.receive(first(session.launch(), None))
    session.receive(first(session.intent("StartWorkoutIntent", program), None))
    session.receive(first(session.intent("AMAZON.YesIntent"), None))  # ready
    session.receive(first(session.intent("AMAZON.YesIntent"), None))  # count for me
    session.receive(first(session.intent("LogSetIntent"), None))

    second = create_handler(settings)  # a cold start elsewhere, same database
    later = Session(user_id=user, skill_id=SKILL_ID)
    resumed = speech(second(later.launch(), None))
    assert "Welcome back: you were on set two of" in resumed, resumed


def test_a_request_for_another_skill_is_refused(handler, caplog):
    envelope = Session(skill_id="amzn1.ask.skill.someone-else").launch()
    with pytest.raises(RequestRejected, match="different skill"):
        handler(envelope, None)
    assert any("different skill" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("event", [None, [], "launch", {"version": "1.0"}, {"request": {}}])
def test_an_event_that_is_no_request_is_refused(handler, event):
    with pytest.raises(RequestRejected):
        handler(event, None)


def test_a_malformed_request_is_refused(handler):
    session = Session(skill_id=SKILL_ID)
    broken = session.launch()
    broken["request"]["timestamp"] = "not a time"
    with pytest.raises(RequestRejected, match="malformed LaunchRequest"):
        handler(broken, None)


@pytest.mark.parametrize(
    ("missing", "says"), [("ALEXA_SKILL_ID", "ALEXA_SKILL_ID"), ("DATABASE_URL", "postgresql://")]
)
def test_it_will_not_start_without_its_settings(tmp_path, missing, says):
    settings = {"ALEXA_SKILL_ID": SKILL_ID, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    settings[missing] = None
    with pytest.raises(ConfigError, match=says):
        create_handler(settings)


@pytest.mark.slow
def test_the_entry_module_takes_its_settings_from_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALEXA_", "DATABASE_"))}
    env.update(ALEXA_SKILL_ID=SKILL_ID, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    prepare_database(env["DATABASE_URL"])  # migrated first, as before every deploy
    call = (
        "import json, sys\n"
        "from skill.lambda_function import handler\n"
        "print(json.dumps(handler(json.load(sys.stdin), None)))\n"
    )
    envelope = Session(skill_id=SKILL_ID).intent("HowHeavyIntent")
    result = subprocess.run(
        [sys.executable, "-c", call],
        input=json.dumps(envelope),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["response"]["shouldEndSession"] is True
    assert "eight to twelve" in speech(reply) or "8 to 12" in speech(reply)

    del env["ALEXA_SKILL_ID"]
    result = subprocess.run(
        [sys.executable, "-c", "import skill.lambda_function"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1 and "ALEXA_SKILL_ID is not set" in result.stderr
