"""Start-up settings: the production server needs a skill id; local mode warns."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from skill import create_app
from skill.config import PROJECT_ROOT, ConfigError, from_environment


def test_verification_is_on_by_default():
    assert from_environment({}).verify_signatures is True
    assert from_environment({"ALEXA_VERIFY_SIGNATURES": "0"}).verify_signatures is False


def test_refuses_to_start_without_a_skill_id(tmp_path):
    with pytest.raises(ConfigError, match="ALEXA_SKILL_ID"):
        create_app(
            {
                "ALEXA_VERIFY_SIGNATURES": True,
                "ALEXA_SKILL_ID": None,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
            }
        )


def test_local_mode_warns(tmp_path, caplog):
    create_app({"ALEXA_VERIFY_SIGNATURES": False, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert any(
        "NOT checked" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records
    )


@pytest.mark.slow
def test_production_server_says_why_it_will_not_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEXA_")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.db'}"
    gunicorn = PROJECT_ROOT / ".venv/bin/gunicorn"
    command = [str(gunicorn)] if gunicorn.exists() else [sys.executable, "-m", "gunicorn"]
    result = subprocess.run(
        [*command, "--bind", "127.0.0.1:0", "skill.wsgi:app"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ALEXA_SKILL_ID is not set" in result.stderr
