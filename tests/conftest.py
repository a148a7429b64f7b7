"""Shared fixtures: an app with verification off and a fresh SQLite file per test.

Helpers that tests import live in ``tests/helpers.py``, not here.
"""

from __future__ import annotations

import pytest

from skill.web.envelopes import Session
from tests.helpers import Talk, make_app


@pytest.fixture
def app(tmp_path):
    return make_app(
        {
            "ALEXA_VERIFY_SIGNATURES": False,
            "ALEXA_SKILL_ID": None,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'state.sqlite3'}",
        }
    )


@pytest.fixture
def content(app):
    return app.extensions["bone_builder"].skill.content


@pytest.fixture
def talk(client):
    return Talk(client, Session())
