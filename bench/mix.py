"""The skill app as the benchmarks build it, and the request mix they replay.

The mix is recorded once from a live conversation, so session attributes are the real
ones: a launch, a question with an entity-resolved slot, "tell me more" about it, and a
set logged mid-workout (which reads and conditionally writes the database).
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

from skill import create_app
from skill.web.envelopes import LOCAL_SKILL_ID, Session, slot

from .wsgi_call import Request, post

KINDS = ("launch", "question", "tell_me_more", "log_set")


def skill_app(workdir: Path, **config) -> Flask:
    """The real app: verification off, a fresh SQLite file in ``workdir``, upgraded."""
    from skill.store.migrations import upgrade

    url = f"sqlite:///{workdir / 'state.sqlite3'}"
    settings = {"ALEXA_VERIFY_SIGNATURES": False, "ALEXA_SKILL_ID": None, "DATABASE_URL": url}
    upgrade(url)
    return create_app({**settings, **config})


def question(session: Session, skill_id: str = LOCAL_SKILL_ID) -> dict:
    """ "Are squats good for my bones?", with Alexa's entity-resolution block."""
    said = slot("Exercise", "squats", "SQUAT", "EXERCISE", skill_id=skill_id)
    return session.intent("IsExerciseGoodIntent", {"Exercise": said})


def build_mix(app: Flask) -> list[Request]:
    """One request of each kind, each checked to answer 200 with speech."""

    def send(session: Session, envelope: dict) -> bytes:
        body = json.dumps(envelope).encode()
        status, reply = post(app, body)
        answer = json.loads(reply)
        speech = answer.get("response", {}).get("outputSpeech", {}).get("ssml", "")
        if status != 200 or not speech or "went wrong" in speech:
            raise RuntimeError(f"the skill did not answer {envelope['request']}: {reply[:300]!r}")
        session.receive(answer)
        return body

    talk = Session(user_id="amzn1.ask.account.bench-questions")
    launch = send(talk, talk.launch())
    asked = send(talk, question(talk))
    more = send(talk, talk.intent("TellMeMoreIntent"))

    lifter = Session(user_id="amzn1.ask.account.bench-workout")
    send(lifter, lifter.launch())
    program = slot("Program", "standard", "STANDARD", "PROGRAM")
    send(lifter, lifter.intent("StartWorkoutIntent", {"Program": program}))
    unit = slot("Unit", "kilograms", "KILOGRAMS", "UNIT")
    logged = lifter.intent("LogSetIntent", {"Reps": "10", "Weight": "20", "Unit": unit})
    log_set = send(lifter, logged)
    bodies = (launch, asked, more, log_set)
    return [Request(kind, body) for kind, body in zip(KINDS, bodies, strict=True)]
