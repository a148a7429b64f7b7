"""Bone Builder: an Alexa skill on building bone density by lifting, served by Flask."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from . import config as config_module
from .builder import BuiltSkill, build_skill
from .config import Settings
from .store.persistence import SqlPersistenceAdapter, open_adapter
from .store.schema_guard import SchemaGuard, guard_at_start
from .web.charts import ChartLinks, chart_links
from .web.verify import RequestGate, SigningCertificates, fetch_over_http, load_trusted_roots

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What the app builds once at start-up and shares across requests."""

    settings: Settings
    skill: BuiltSkill
    gate: RequestGate
    persistence: SqlPersistenceAdapter
    schema: SchemaGuard
    #: Makes and reads the progress charts' links; None when cards are text.
    charts: ChartLinks | None = None


def _certificates(settings: Settings) -> SigningCertificates | None:
    if not settings.verify_signatures:
        return None
    roots = list(settings.trusted_roots or ()) or load_trusted_roots(settings.trusted_roots_file)
    mirror = settings.cert_mirror
    if settings.trusted_roots_file or settings.trusted_roots or mirror:
        log.warning("test-only certificate settings are in use: never do this in production")
    return SigningCertificates(roots, fetch=lambda url: fetch_over_http(url, mirror))


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: settings from the environment, overridden by ``config`` (each
    named as in ``skill.config.NAMES``)."""
    settings = config_module.from_environment().with_overrides(config)
    config_module.check(settings)
    if not settings.verify_signatures:
        log.warning(
            "ALEXA_VERIFY_SIGNATURES=0: signatures and timestamps are NOT checked; local testing only"
        )

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_content_length
    persistence = open_adapter(settings.database_url, settings.database_busy_timeout_ms)
    schema = guard_at_start(persistence, settings.schema_recheck_seconds)
    charts = chart_links(settings, persistence)
    app.extensions["bone_builder"] = Runtime(
        settings=settings,
        skill=build_skill(settings, persistence, charts),
        gate=RequestGate(settings.skill_id, settings.verify_signatures, _certificates(settings)),
        persistence=persistence,
        schema=schema,
        charts=charts,
    )

    from .content.listing import load_listing
    from .web import chart_route, privacy_notice
    from .web.webhook import bp

    app.register_blueprint(bp)
    app.register_blueprint(chart_route.bp)
    # build_skill checked the listing with the rest of the content folder.
    listing = load_listing(settings.content_dir, check=False)
    app.register_blueprint(privacy_notice.blueprint(listing))
    if not settings.verify_signatures:
        from .simulator.web import bp as simulator_bp
        from .simulator.web import local_root

        app.register_blueprint(simulator_bp)
        app.register_blueprint(local_root)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return jsonify(error=exc.description or exc.name), exc.code

    return app
