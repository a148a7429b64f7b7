"""``GET /charts/<token>.png``: a progress chart, for the card's image, and nothing else.

A token that is forged, too old or whose chart is gone gets 404, with no hint which.
"""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, abort, current_app

from ..store.persistence import StorageUnavailable
from .charts import render_png

log = logging.getLogger(__name__)

bp = Blueprint("charts", __name__)

#: itsdangerous' URL-safe alphabet, and a bound on the length.
_TOKEN = re.compile(r"^[A-Za-z0-9_.\-]{20,200}$")


@bp.get("/charts/<token>.png")
def chart(token: str):
    links = current_app.extensions["bone_builder"].charts
    if links is None or not _TOKEN.match(token):
        abort(404)
    try:
        data = links.data(token)
    except StorageUnavailable:
        return Response("busy", status=503, mimetype="text/plain")
    if data is None:
        abort(404)
    try:
        png = render_png(data)
    except Exception:
        log.exception("could not draw a chart")
        abort(500)
    return Response(
        png,
        mimetype="image/png",
        headers={"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"},
    )
