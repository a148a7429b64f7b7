"""Settings, read from the environment once at start-up."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


#: The shortest chart-signing secret accepted.
MIN_SECRET = 32


class ConfigError(RuntimeError):
    """The server cannot start with the settings it was given."""


def packaged(name: str) -> Path:
    """``content`` or ``interaction_model.json`` as shipped with the skill.

    A wheel carries them as package data in ``skill/data/`` (pyproject.toml maps them in); a
    source checkout or an editable install reads them from the top of the repository. Wheels
    are installed unzipped, so the resource is a real path.
    """
    shipped = resources.files(__package__).joinpath("data", name)
    if shipped.is_file() or shipped.is_dir():
        return Path(str(shipped))
    return PROJECT_ROOT / name


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


def from_environment(environ: os._Environ | dict | None = None) -> dict:
    """Build the app's settings from environment variables."""
    env = os.environ if environ is None else environ
    return {
        "ALEXA_SKILL_ID": env.get("ALEXA_SKILL_ID") or None,
        "ALEXA_VERIFY_SIGNATURES": _flag(env.get("ALEXA_VERIFY_SIGNATURES"), True),
        "ALEXA_TRUSTED_ROOTS_FILE": env.get("ALEXA_TRUSTED_ROOTS_FILE") or None,
        "ALEXA_CERT_MIRROR": env.get("ALEXA_CERT_MIRROR") or None,
        "CONTENT_DIR": Path(env.get("BONE_BUILDER_CONTENT_DIR") or packaged("content")),
        "INTERACTION_MODEL": Path(
            env.get("BONE_BUILDER_INTERACTION_MODEL") or packaged("interaction_model.json")
        ),
        "DATABASE_URL": env.get("DATABASE_URL") or None,
        "DATABASE_BUSY_TIMEOUT_MS": int(env.get("DATABASE_BUSY_TIMEOUT_MS") or 2000),
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "PUBLIC_BASE_URL": (env.get("BONE_BUILDER_PUBLIC_URL") or "").strip() or None,
        "CHART_SECRET": env.get("BONE_BUILDER_CHART_SECRET") or None,
    }


def check(settings: dict) -> None:
    """Refuse settings that would make an unsafe or unusable server."""
    if settings["ALEXA_VERIFY_SIGNATURES"] and not settings["ALEXA_SKILL_ID"]:
        raise ConfigError(
            "ALEXA_SKILL_ID is not set. With request verification on, the server only "
            "accepts requests for one skill: set ALEXA_SKILL_ID to your skill's id "
            "(amzn1.ask.skill...), or set ALEXA_VERIFY_SIGNATURES=0 for local testing."
        )
    secret = settings.get("CHART_SECRET")
    if secret is not None and len(secret) < MIN_SECRET:
        raise ConfigError(
            f"BONE_BUILDER_CHART_SECRET is too short: use at least {MIN_SECRET} random "
            "characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'."
        )
    base = settings.get("PUBLIC_BASE_URL")
    if base is not None:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ConfigError(
                f"BONE_BUILDER_PUBLIC_URL must be the server's address, like https://your-host "
                f"(got {base!r})."
            )
        if settings["ALEXA_VERIFY_SIGNATURES"] and parts.scheme != "https":
            raise ConfigError(
                "BONE_BUILDER_PUBLIC_URL must use https: Alexa shows card images only from "
                "HTTPS addresses."
            )
