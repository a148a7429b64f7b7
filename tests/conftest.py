"""Shared fixtures: an app with verification off and a fresh SQLite file per test, the
simulator's language model (built once per run), a running server, database backends and
copies of the content to break.

Helpers that tests import live in ``tests/helpers.py``, not here.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from skill.config import PROJECT_ROOT
from skill.simulator.nlu import LanguageModel
from skill.web.envelopes import Session
from tests.helpers import Talk, database_url_for, local_app

MODEL_FILE = PROJECT_ROOT / "interaction_model.json"


@pytest.fixture
def app(tmp_path):
    return local_app(f"sqlite:///{tmp_path / 'state.sqlite3'}")


@pytest.fixture
def content(app):
    return app.extensions["bone_builder"].skill.content


@pytest.fixture
def talk(client):
    return Talk(client, Session())


@pytest.fixture(scope="session")
def model() -> LanguageModel:
    """The simulator's two-tier understanding of ``interaction_model.json``."""
    return LanguageModel.from_file(MODEL_FILE)


@pytest.fixture(scope="session")
def exact_only() -> LanguageModel:
    """The same model with its exact tier alone."""
    return LanguageModel.from_file(MODEL_FILE, statistical=False)


@pytest.fixture
def server(app):
    """``app`` served over real HTTP on a free port: its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """Each backend in turn, at the newest schema (PostgreSQL needs TEST_DATABASE_URL)."""
    return database_url_for(request.param, tmp_path)


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A copy of ``content/`` to change."""
    shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


@pytest.fixture
def project_copy(content_copy) -> Path:
    """A folder with copies of ``content/`` and the interaction model, to change."""
    shutil.copy(MODEL_FILE, content_copy.parent / "interaction_model.json")
    return content_copy.parent


@pytest.fixture
def no_packaging_settings(monkeypatch) -> None:
    """No endpoint or privacy URL from the environment."""
    for name in ("ALEXA_SKILL_ENDPOINT", "BONE_BUILDER_PRIVACY_URL"):
        monkeypatch.delenv(name, raising=False)
