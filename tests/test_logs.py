"""Logs keep people's data out: no Alexa user ids, no SQL parameters, no spoken words.

The soak test (tests/test_soak.py) checks the same over a whole server's log.
"""

from __future__ import annotations

import logging
import sqlite3

from skill.store.privacy import RedactingFormatter, user_tag
from skill.web.envelopes import Session, slot
from tests.helpers import Talk, local_app


def test_failed_save_logs_no_user_id_no_sql_parameters(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "state.sqlite3"
    app = local_app(f"sqlite:///{path}", DATABASE_BUSY_TIMEOUT_MS=100)
    talk = Talk(app.test_client(), Session())
    talk.launch()
    talk.intent(
        "StartWorkoutIntent", {"Program": slot("Program", "standard", "STANDARD", "PROGRAM")}
    )
    blocker = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        talk.intent("LogSetIntent", {"Reps": "11", "Weight": "20"})
        talk.intent("AMAZON.StopIntent")
    finally:
        blocker.execute("COMMIT")
    logged = caplog.text
    assert "could not save" in logged
    assert talk.session.user_id not in logged
    assert "parameters" not in logged and '"reps"' not in logged


def test_spoken_words_are_not_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    session = Session()
    session.open = True
    words = "aqua zumba with my neighbour margaret"
    client.post(
        "/alexa",
        json=session.intent(
            "IsExerciseGoodIntent", {"Exercise": {"name": "Exercise", "value": words}}
        ),
    )
    assert "zumba" not in caplog.text and "margaret" not in caplog.text


def test_user_ids_that_slip_into_a_line_are_hashed():
    user = "amzn1.ask.account.AEXAMPLE-123_abc"
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "oops for %s", (user,), None)
    line = RedactingFormatter("%(message)s").format(record)
    assert user not in line and user_tag(user) in line


def test_person_ids_that_slip_into_a_line_are_hashed():
    person = "amzn1.ask.person.AEXAMPLE-456_def"
    account = "amzn1.ask.account.AEXAMPLE-123_abc"
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "%s speaks for %s", (person, account), None
    )
    line = RedactingFormatter("%(message)s").format(record)
    assert person not in line and account not in line
    assert user_tag(person) in line and user_tag(account) in line
    assert user_tag(person) != user_tag(account)
