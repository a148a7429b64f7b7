"""Helpers shared by the tests: play a conversation through the webhook, read responses."""

from __future__ import annotations

from typing import Any

from skill.web.envelopes import Session


class Talk:
    """Plays a conversation through the webhook, one turn at a time."""

    def __init__(self, client, session: Session):
        self.client = client
        self.session = session

    def send(self, envelope: dict) -> dict:
        reply = self.client.post("/alexa", json=envelope)
        assert reply.status_code == 200, reply.get_data(as_text=True)
        body = reply.get_json()
        self.session.receive(body)
        return body

    def launch(self) -> dict:
        return self.send(self.session.launch())

    def intent(self, name: str, slots: dict | None = None) -> dict:
        return self.send(self.session.intent(name, slots))


def speech(body: dict) -> str:
    """The spoken text of a response, without the SSML wrapper."""
    ssml = body["response"]["outputSpeech"]["ssml"]
    return ssml.removeprefix("<speak>").removesuffix("</speak>")


def reprompt(body: dict) -> str | None:
    rp = body["response"].get("reprompt")
    if not rp:
        return None
    return rp["outputSpeech"]["ssml"].removeprefix("<speak>").removesuffix("</speak>")


def _prompts(text: str) -> bool:
    """Ends in a question, or in an instruction on what to say next."""
    text = text.rstrip()
    last = text.rsplit(". ", 1)[-1].lower()
    return text.endswith("?") or ("say " in last and text.endswith("."))


def assert_session_rule(body: dict) -> None:
    """Open sessions end in a question (or what to say) and carry a reprompt; others close.
    A response that hands the conversation to Alexa (a ``Connections`` directive, to ask for
    a permission) neither asks nor closes: Alexa asks, then gives the session back."""
    from skill.web.envelopes import connection

    response = body["response"]
    if connection(body) is not None:
        assert "shouldEndSession" not in response and "reprompt" not in response
        return
    if response.get("shouldEndSession") is False:
        assert _prompts(speech(body)), speech(body)
        again = reprompt(body)
        assert again and _prompts(again), again
    else:
        assert response.get("shouldEndSession") is True or "outputSpeech" not in response
        assert "reprompt" not in response


_upgraded: dict[str, str] = {}


def prepare_database(url: str | None) -> None:
    """Bring the test database at ``url`` to the newest schema, as ``python -m skill db
    upgrade`` does. A fresh SQLite file is a copy of one upgraded once per run."""
    import shutil
    import tempfile
    from pathlib import Path

    from skill.store.migrations import upgrade

    if not url or not url.startswith("sqlite:///"):
        if url not in _upgraded:
            upgrade(url)
            _upgraded[url or ""] = ""
        return
    target = Path(url[len("sqlite:///") :])
    if target.exists():
        upgrade(url)
        return
    if "sqlite" not in _upgraded:
        template = Path(tempfile.mkdtemp(prefix="bone-builder-schema-")) / "schema.sqlite3"
        upgrade(f"sqlite:///{template}")
        _upgraded["sqlite"] = str(template)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_upgraded["sqlite"], target)


def make_app(config: dict):
    """``create_app`` on a database brought up to date first."""
    from skill import create_app

    prepare_database(config.get("DATABASE_URL"))
    return create_app(config)


def local_app(database_url: str | None, **settings: Any):
    """The app as most tests run it: verification off and no skill id, on ``database_url``
    (brought up to date first); ``settings`` override the rest, each by its name."""
    return make_app(
        {
            "ALEXA_VERIFY_SIGNATURES": False,
            "ALEXA_SKILL_ID": None,
            "DATABASE_URL": database_url,
            **settings,
        }
    )


def stored_sets(app, user_id: str) -> list[dict]:
    """Every set kept for ``user_id``: in finished workouts and in the one under way (on
    whichever device it is)."""
    attrs = app.extensions["bone_builder"].persistence.export(user_id)
    sets = [s for w in attrs.get("history", []) for s in w["sets"]]
    return sets + (attrs.get("workout") or {}).get("sets", [])


def database_url_for(backend: str, tmp_path) -> str:
    """A SQLite file under ``tmp_path``, or the test PostgreSQL server, at the newest schema
    (the test skips, saying why, when there is no server)."""
    import os

    import pytest

    from skill.store.persistence import make_engine

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'state.sqlite3'}"
        prepare_database(url)
        return url
    found = os.environ.get("TEST_DATABASE_URL")
    if not found:
        pytest.skip(
            "PostgreSQL tests need TEST_DATABASE_URL (set by .ci/run, which starts a server)"
        )
    url = found
    try:
        with make_engine(url).connect():
            pass
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {exc}")
    prepare_database(url)
    return url
