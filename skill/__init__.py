"""Bone Builder: an Alexa skill on building bone density by lifting, served by Flask."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from . import config as config_module
from .builder import BuiltSkill, build_skill
from .store.persistence import SqlPersistenceAdapter, open_adapter
from .store.schema_guard import SchemaGuard, guard_at_start
from .web.charts import ChartLinks, chart_links
from .web.verify import RequestGate, SigningCertificates, fetch_over_http, load_trusted_roots

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What the app builds once at start-up and shares across requests."""

    skill: BuiltSkill
    gate: RequestGate
    persistence: SqlPersistenceAdapter
    schema: SchemaGuard
    #: Makes and reads the progress charts' links; None when cards are text.
    charts: ChartLinks | None = None


def _certificates(settings: dict) -> SigningCertificates | None:
    if not settings["ALEXA_VERIFY_SIGNATURES"]:
        return None
    roots = settings.get("ALEXA_TRUSTED_ROOTS") or load_trusted_roots(
        settings["ALEXA_TRUSTED_ROOTS_FILE"]
    )
    mirror = settings["ALEXA_CERT_MIRROR"]
    if settings["ALEXA_TRUSTED_ROOTS_FILE"] or settings.get("ALEXA_TRUSTED_ROOTS") or mirror:
        log.warning("test-only certificate settings are in use: never do this in production")
    return SigningCertificates(roots, fetch=lambda url: fetch_over_http(url, mirror))


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask app: settings from the environment, overridden by ``config``."""
    settings = config_module.from_environment()
    settings.update(config or {})
    config_module.check(settings)
    if not settings["ALEXA_VERIFY_SIGNATURES"]:
        log.warning(
            "ALEXA_VERIFY_SIGNATURES=0: signatures and timestamps are NOT checked; local testing only"
        )

    app = Flask(__name__)
    app.config.update(settings)
    persistence = open_adapter(settings["DATABASE_URL"], settings["DATABASE_BUSY_TIMEOUT_MS"])
    schema = guard_at_start(persistence, settings)
    charts = chart_links(settings, persistence)
    app.extensions["bone_builder"] = Runtime(
        skill=build_skill(settings, persistence, charts),
        gate=RequestGate(
            settings["ALEXA_SKILL_ID"], settings["ALEXA_VERIFY_SIGNATURES"], _certificates(settings)
        ),
        persistence=persistence,
        schema=schema,
        charts=charts,
    )

    from .content.listing import load_listing
    from .web import chart_route, privacy_notice
    from .web.webhook import bp

    app.register_blueprint(bp)
    app.register_blueprint(chart_route.bp)
    app.register_blueprint(privacy_notice.blueprint(load_listing(settings["CONTENT_DIR"])))
    if not settings["ALEXA_VERIFY_SIGNATURES"]:
        from .simulator.web import bp as simulator_bp
        from .simulator.web import local_root

        app.register_blueprint(simulator_bp)
        app.register_blueprint(local_root)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return jsonify(error=exc.description or exc.name), exc.code

    return app
