"""What the production nginx (deploy/nginx.conf) lets through to gunicorn: the privacy notice
that skill.json links to, the health checks and the webhook; nothing else of the app."""

from __future__ import annotations

import html
import http.client

import pytest

from bench import stack
from skill.config import packaged
from skill.content.listing import load_listing

#: Every test here starts a subprocess (bin/test --fast leaves them out).
pytestmark = pytest.mark.slow


def fetch(port: int, context, method: str, path: str) -> tuple[int, str, str]:
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    try:
        conn.request(method, path)
        reply = conn.getresponse()
        return reply.status, reply.getheader("Content-Type") or "", reply.read().decode()
    finally:
        conn.close()


@pytest.mark.skipif(not stack.NGINX.exists(), reason="needs nginx (.ci/run installs it)")
def test_the_privacy_notice_is_served_through_nginx(tmp_path):
    listing = load_listing(packaged("content"))
    with (
        stack.gunicorn(tmp_path) as (upstream, _pki),
        stack.nginx(tmp_path, upstream) as (port, tls),
    ):
        status, kind, page = fetch(port, tls, "GET", "/privacy")
        assert status == 200, page
        assert kind.startswith("text/html")
        assert f"<h1>{html.escape(listing.privacy_title)}</h1>" in page
        assert html.escape(listing.privacy_paragraphs[0]) in page
        assert fetch(port, tls, "HEAD", "/privacy")[0] == 200
        assert fetch(port, tls, "POST", "/privacy")[0] == 403
        assert fetch(port, tls, "GET", "/healthz")[0] == 200
        # The simulator page is never served in production, and nginx doesn't pass it on.
        assert fetch(port, tls, "GET", "/simulator")[0] == 404
