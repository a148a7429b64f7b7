"""Settings, read from the environment once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any
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


@dataclass(frozen=True)
class Settings:
    """What the app is started with: read from the environment once (``from_environment``),
    each field overridable by its environment name (``with_overrides``, as tests and the
    command line do)."""

    #: ``ALEXA_SKILL_ID``: requests for any other skill are refused.
    skill_id: str | None = None
    #: ``ALEXA_VERIFY_SIGNATURES``: Alexa's signature and timestamp are checked (0 turns it off).
    verify_signatures: bool = True
    #: ``ALEXA_TRUSTED_ROOTS_FILE``: test-only, PEM roots in place of certifi's.
    trusted_roots_file: str | None = None
    #: ``ALEXA_TRUSTED_ROOTS``: test-only, root certificates (no environment variable).
    trusted_roots: tuple[Any, ...] | None = None
    #: ``ALEXA_CERT_MIRROR``: test-only, where signing chains are downloaded from.
    cert_mirror: str | None = None
    #: ``BONE_BUILDER_CONTENT_DIR``: the content folder (the packaged one by default).
    content_dir: Path = field(default_factory=lambda: packaged("content"))
    #: ``BONE_BUILDER_INTERACTION_MODEL``: the interaction model (the packaged one by default).
    interaction_model: Path = field(default_factory=lambda: packaged("interaction_model.json"))
    #: ``DATABASE_URL``: None keeps progress in ``instance/`` (SQLite).
    database_url: str | None = None
    #: ``DATABASE_BUSY_TIMEOUT_MS``: one budget for all of a request's database waits.
    database_busy_timeout_ms: int = 2000
    #: The largest request body accepted (Flask's ``MAX_CONTENT_LENGTH``).
    max_content_length: int = 64 * 1024
    #: ``BONE_BUILDER_PUBLIC_URL``: the server's public address, for chart links.
    public_base_url: str | None = None
    #: ``BONE_BUILDER_CHART_SECRET``: signs the chart links.
    chart_secret: str | None = None
    #: How often a server on a database that isn't migrated looks again, in seconds.
    schema_recheck_seconds: float = 5.0

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> Settings:
        """These settings with some replaced, each named as in ``NAMES`` (its environment
        name); an unknown name is a ConfigError."""
        changes = {}
        for name, value in (overrides or {}).items():
            if name not in NAMES:
                raise ConfigError(f"{name} is not a setting ({', '.join(sorted(NAMES))})")
            changes[NAMES[name]] = value
        if "trusted_roots" in changes and changes["trusted_roots"] is not None:
            changes["trusted_roots"] = tuple(changes["trusted_roots"])
        for path in ("content_dir", "interaction_model"):
            if path in changes:
                changes[path] = Path(changes[path])
        return replace(self, **changes)


#: Each setting's name for overrides (the environment variable's, where it has one).
NAMES = {
    "ALEXA_SKILL_ID": "skill_id",
    "ALEXA_VERIFY_SIGNATURES": "verify_signatures",
    "ALEXA_TRUSTED_ROOTS_FILE": "trusted_roots_file",
    "ALEXA_TRUSTED_ROOTS": "trusted_roots",
    "ALEXA_CERT_MIRROR": "cert_mirror",
    "CONTENT_DIR": "content_dir",
    "INTERACTION_MODEL": "interaction_model",
    "DATABASE_URL": "database_url",
    "DATABASE_BUSY_TIMEOUT_MS": "database_busy_timeout_ms",
    "MAX_CONTENT_LENGTH": "max_content_length",
    "PUBLIC_BASE_URL": "public_base_url",
    "CHART_SECRET": "chart_secret",
    "SCHEMA_RECHECK_SECONDS": "schema_recheck_seconds",
}


def from_environment(environ: Mapping[str, str] | None = None) -> Settings:
    """The app's settings from environment variables."""
    env = os.environ if environ is None else environ
    return Settings(
        skill_id=env.get("ALEXA_SKILL_ID") or None,
        verify_signatures=_flag(env.get("ALEXA_VERIFY_SIGNATURES"), True),
        trusted_roots_file=env.get("ALEXA_TRUSTED_ROOTS_FILE") or None,
        cert_mirror=env.get("ALEXA_CERT_MIRROR") or None,
        content_dir=Path(env.get("BONE_BUILDER_CONTENT_DIR") or packaged("content")),
        interaction_model=Path(
            env.get("BONE_BUILDER_INTERACTION_MODEL") or packaged("interaction_model.json")
        ),
        database_url=env.get("DATABASE_URL") or None,
        database_busy_timeout_ms=int(env.get("DATABASE_BUSY_TIMEOUT_MS") or 2000),
        public_base_url=(env.get("BONE_BUILDER_PUBLIC_URL") or "").strip() or None,
        chart_secret=env.get("BONE_BUILDER_CHART_SECRET") or None,
    )


def check(settings: Settings) -> None:
    """Refuse settings that would make an unsafe or unusable server."""
    if settings.verify_signatures and not settings.skill_id:
        raise ConfigError(
            "ALEXA_SKILL_ID is not set. With request verification on, the server only "
            "accepts requests for one skill: set ALEXA_SKILL_ID to your skill's id "
            "(amzn1.ask.skill...), or set ALEXA_VERIFY_SIGNATURES=0 for local testing."
        )
    secret = settings.chart_secret
    if secret is not None and len(secret) < MIN_SECRET:
        raise ConfigError(
            f"BONE_BUILDER_CHART_SECRET is too short: use at least {MIN_SECRET} random "
            "characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'."
        )
    base = settings.public_base_url
    if base is not None:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ConfigError(
                f"BONE_BUILDER_PUBLIC_URL must be the server's address, like https://your-host "
                f"(got {base!r})."
            )
        if settings.verify_signatures and parts.scheme != "https":
            raise ConfigError(
                "BONE_BUILDER_PUBLIC_URL must use https: Alexa shows card images only from "
                "HTTPS addresses."
            )
