"""200 slow clients can't stop the service behind the documented proxy.

nginx (deploy/nginx.conf) and gunicorn (deploy/gunicorn.conf.py) run on loopback ports,
with verification on; 200 connections each dribble an unfinished request (100 stalled in
the headers, 100 in the body) while signed requests are sent through the same nginx.
Each must be answered before its client gives up, after one second.
"""

from __future__ import annotations

import pytest

from bench import stack

#: Every test here starts a subprocess (bin/test --fast leaves them out).
pytestmark = pytest.mark.slow

SLOW = 200
PROBES = 12
GIVE_UP_AFTER = 1.0


@pytest.mark.skipif(not stack.NGINX.exists(), reason="needs nginx (.ci/run installs it)")
def test_signed_requests_are_answered_while_200_slow_clients_hang_on(tmp_path):
    with (
        stack.gunicorn(tmp_path) as (upstream, pki),
        stack.nginx(tmp_path, upstream) as (
            port,
            tls,
        ),
    ):
        warm = stack.signed_launch(port, pki, timeout=10, context=tls)
        assert warm[0] == 200, warm
        slow = stack.SlowClients(port, SLOW, tls)
        try:
            assert slow.opened == SLOW
            answers = [
                stack.signed_launch(port, pki, timeout=GIVE_UP_AFTER, context=tls)
                for _ in range(PROBES)
            ]
            still_open = len(slow.sockets)
        finally:
            slow.close()
    assert [status for status, _ in answers] == [200] * PROBES
    assert still_open == SLOW  # the slow clients were still there while the probes ran
