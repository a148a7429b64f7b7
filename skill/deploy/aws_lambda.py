"""The skill as an AWS Lambda function, built by the same builder as the web app.

Settings come from the environment, as for the web app, with two required:

- ``ALEXA_SKILL_ID``: requests for any other skill are refused before any skill code runs;
- ``DATABASE_URL``: a ``postgresql://`` URL. A Lambda container's disk is neither shared nor
  kept, so progress saved there would be lost.

The Alexa Skills Kit trigger is what invokes the function, so there is no HTTPS signature or
timestamp to check; the skill id check stays.

Run ``python -m skill db upgrade`` against ``DATABASE_URL`` before publishing a new version
of the function. On a database that was never migrated, or is behind this version, the init
phase logs one line saying so and every request is refused with ``SchemaNotReady`` naming
the cause (``skill.store.schema_guard``), rather than answered with sets that can't be saved.

Each request's database waits share one budget, ``DATABASE_BUSY_TIMEOUT_MS``, as in the web
app: a locked table costs a request that long once, not once per query.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from .. import config as config_module
from ..builder import build_skill
from ..config import Settings
from ..store.persistence import open_adapter
from ..store.schema_guard import SchemaNotReady, guard_at_start
from ..web.charts import chart_links
from ..web.dispatch import SERIALIZER, answer
from ..web.verify import RequestGate, RequestRejected

log = logging.getLogger(__name__)

Handler = Callable[[object, object], dict]


def lambda_settings(config: Mapping[str, Any] | None = None) -> Settings:
    """Settings from the environment, overridden by ``config``; ConfigError if unusable."""
    settings = config_module.from_environment().with_overrides(config)
    if not settings.skill_id:
        raise config_module.ConfigError(
            "ALEXA_SKILL_ID is not set: set it to your skill's id (amzn1.ask.skill...) in the "
            "function's environment variables."
        )
    if not settings.database_url:
        raise config_module.ConfigError(
            "DATABASE_URL is not set. On Lambda, progress must be kept in a shared database: "
            "set DATABASE_URL=postgresql://user:password@host/database."
        )
    if settings.database_url.startswith("sqlite"):
        log.warning("DATABASE_URL is SQLite: each Lambda container keeps its own, short-lived copy")
    return settings


def create_handler(config: Mapping[str, Any] | None = None) -> Handler:
    """Build the skill once and return the function Lambda calls for every request."""
    settings = lambda_settings(config)
    persistence = open_adapter(settings.database_url, settings.database_busy_timeout_ms)
    schema = guard_at_start(persistence, settings.schema_recheck_seconds)
    built = build_skill(settings, persistence, chart_links(settings, persistence))
    gate = RequestGate(settings.skill_id, verify_signatures=False, certificates=None)
    deadlines = persistence.deadlines

    def handler(event: object, context: object) -> dict:
        """The response envelope for one Alexa request envelope; RequestRejected if refused,
        SchemaNotReady if the database needs ``db upgrade`` first."""
        try:
            envelope = gate.check(event)
            with deadlines.scope():
                refused = schema.refusal()
                if refused:
                    raise SchemaNotReady(refused)
                return SERIALIZER.serialize(answer(built, envelope))
        except RequestRejected as exc:
            log.warning("rejected request: %s", exc.reason)
            raise

    return handler
