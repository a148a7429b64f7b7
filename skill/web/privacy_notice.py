"""``GET /privacy``: the privacy notice that the skill's store listing links to.

Rendered once at start-up from ``content/listing.json``; it is public, like the listing.
"""

from __future__ import annotations

from html import escape

from flask import Blueprint, Response

from ..content.listing import Listing


def render(listing: Listing) -> str:
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in listing.privacy_paragraphs)
    title = escape(listing.privacy_title)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        "<style>body{font:20px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;"
        "padding:0 1rem;color:#111}</style>\n"
        f"</head>\n<body>\n<h1>{title}</h1>\n{paragraphs}\n</body>\n</html>\n"
    )


def blueprint(listing: Listing) -> Blueprint:
    page = render(listing)
    bp = Blueprint("privacy", __name__)

    @bp.get("/privacy")
    def privacy():
        return Response(page, mimetype="text/html")

    return bp
