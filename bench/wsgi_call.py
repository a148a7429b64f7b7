"""Call a WSGI app directly, as a server would, with no sockets and no test client."""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median


def post(app: Callable, body: bytes, path: str = "/alexa") -> tuple[int, bytes]:
    """POST ``body`` as JSON to ``app``; return the status code and the whole response body."""
    environ = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    status: list[str] = []

    def start_response(line, headers, exc_info=None):
        status.append(line)

    result = app(environ, start_response)
    try:
        data = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return int(status[0][:3]), data


@dataclass(frozen=True)
class Request:
    """One replayable request of the mix: its kind and its exact bytes."""

    kind: str
    body: bytes


def interleave(
    targets: dict[str, Callable], mix: Sequence[Request], rounds: int, per_round: int
) -> dict:
    """Time ``per_round`` requests per target per round, alternating the order every round.

    Returns, per target: the median over rounds of the mean µs per request, the fastest
    and slowest round, the median µs of each request kind, and the count of non-200s.
    """
    names = list(targets)
    for name in names:  # warm-up: caches, lazy imports, the first SQLite connection
        for req in mix:
            post(targets[name], req.body)
    rounds_us: dict[str, list[float]] = {n: [] for n in names}
    kinds: dict[str, dict[str, list[int]]] = {n: {r.kind: [] for r in mix} for n in names}
    failures = dict.fromkeys(names, 0)
    clock = time.perf_counter_ns
    for number in range(rounds):
        for name in names if number % 2 == 0 else reversed(names):
            app, per_kind, total = targets[name], kinds[name], 0
            for i in range(per_round):
                req = mix[i % len(mix)]
                start = clock()
                status, _ = post(app, req.body)
                took = clock() - start
                total += took
                per_kind[req.kind].append(took)
                failures[name] += status != 200
            rounds_us[name].append(total / per_round / 1000)
    return {
        name: {
            "median_us": round(median(rounds_us[name]), 1),
            "min_round_us": round(min(rounds_us[name]), 1),
            "max_round_us": round(max(rounds_us[name]), 1),
            "by_kind_median_us": {k: round(median(v) / 1000, 1) for k, v in kinds[name].items()},
            "non_200": failures[name],
        }
        for name in names
    }


def ratio(top: dict, bottom: dict) -> float:
    """``top``'s median cost per request over ``bottom``'s (results of ``interleave``)."""
    return round(top["median_us"] / bottom["median_us"], 3)


def kind_ratios(top: dict, bottom: dict) -> dict[str, float]:
    """The same ratio for each request kind, from the per-kind medians."""
    low = bottom["by_kind_median_us"]
    return {k: round(v / low[k], 3) for k, v in top["by_kind_median_us"].items()}
