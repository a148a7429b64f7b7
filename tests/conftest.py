"""Shared fixtures: an app with verification off and a fresh SQLite file per test.

Helpers that tests import live in ``tests/helpers.py``, not here.
"""

from __future__ import annotations

import pytest

from skill.web.envelopes import Session
from tests.helpers import Talk, local_app


@pytest.fixture
def app(tmp_path):
    return local_app(f"sqlite:///{tmp_path / 'state.sqlite3'}")


@pytest.fixture
def content(app):
    return app.extensions["bone_builder"].skill.content


@pytest.fixture
def talk(client):
    return Talk(client, Session())
