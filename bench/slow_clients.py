"""``python -m bench.slow_clients``: how each server setup copes with 200 slow clients.

For each setup, with verification on: the latency of signed requests with nobody else
around, then with 200 connections dribbling unfinished requests, how many signed requests
are answered within Alexa's 8 seconds and how fast. Setups: gunicorn alone with sync,
gthread and (if installed) gevent workers, and nginx in front of sync workers (deploy/).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench import stack

ALEXA_GIVES_UP = 8.0


def _probe(port: int, pki, context, count: int, timeout: float) -> dict:
    results = [stack.signed_launch(port, pki, timeout, context) for _ in range(count)]
    times = sorted(t for status, t in results if status == 200)
    return {
        "answered": f"{len(times)}/{count}",
        "p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "max_ms": round(times[-1] * 1000, 1) if times else None,
    }


@contextlib.contextmanager
def _setup(name: str, folder: Path):
    extra = {
        "sync": [],
        "gthread": ["--worker-class", "gthread", "--threads", "64"],
        "gevent": ["--worker-class", "gevent", "--worker-connections", "1000"],
        "nginx+sync": [],
    }[name]
    with stack.gunicorn(folder, extra) as (port, pki):
        if name == "nginx+sync":
            with stack.nginx(folder, port) as (front, tls):
                yield front, pki, tls
        else:
            yield port, pki, None


def measure(name: str, slow: int, calm: int, probes: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp, _setup(name, Path(tmp)) as (port, pki, tls):
        stack.signed_launch(port, pki, 10, tls)
        row: dict[str, object] = {
            "setup": name,
            "calm": _probe(port, pki, tls, calm, ALEXA_GIVES_UP),
        }
        clients = stack.SlowClients(port, slow, tls)
        try:
            time.sleep(1)
            row["slow_clients_open"] = len(clients.sockets)
            row["under_attack"] = _probe(port, pki, tls, probes, ALEXA_GIVES_UP)
        finally:
            clients.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=200)
    parser.add_argument("--calm", type=int, default=200)
    parser.add_argument("--probes", type=int, default=6)
    parser.add_argument("--setups", help="comma-separated; default: all that are installed")
    args = parser.parse_args()
    setups = ["sync", "gthread"]
    if importlib.util.find_spec("gevent"):
        setups.append("gevent")
    if stack.NGINX.exists():
        setups.append("nginx+sync")
    if args.setups:
        setups = [s for s in args.setups.split(",") if s in setups]
    for name in setups:
        print(json.dumps(measure(name, args.slow, args.calm, args.probes)), flush=True)


if __name__ == "__main__":
    main()
