"""The skill's whole request path in-process, against a bare Flask app driven the same way.

Two ways, side by side in one run: the whole mix called as a WSGI server calls an app (no
test client, so only the apps' own work is compared), and a question through Flask's test
client, as a test sends one (the target: within 1.5x of the echo).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from statistics import median

from flask import Flask

from . import echo_app
from .mix import build_mix, skill_app
from .wsgi_call import interleave, kind_ratios, ratio

TARGET_RATIO = 1.5


def through_test_client(
    apps: Mapping[str, Flask], body: bytes, rounds: int, per_round: int
) -> dict[str, dict]:
    """Median over rounds of the mean µs per POST of ``body`` through each app's test
    client, the order alternating every round, after a warm-up."""
    clients = {name: app.test_client() for name, app in apps.items()}
    names = list(clients)

    def send(name: str) -> int:
        reply = clients[name].post("/alexa", data=body, content_type="application/json")
        return reply.status_code

    for name in names:
        for _ in range(20):
            send(name)
    rounds_us: dict[str, list[float]] = {name: [] for name in names}
    failures = dict.fromkeys(names, 0)
    for number in range(rounds):
        for name in names if number % 2 == 0 else reversed(names):
            start = time.perf_counter_ns()
            failures[name] += sum(send(name) != 200 for _ in range(per_round))
            rounds_us[name].append((time.perf_counter_ns() - start) / per_round / 1000)
    return {
        name: {"median_us": round(median(rounds_us[name]), 1), "non_200": failures[name]}
        for name in names
    }


def run(workdir: Path, rounds: int, per_round: int) -> dict:
    app = skill_app(workdir)
    mix = build_mix(app)
    echo = echo_app.create_app()
    both = interleave({"skill": app, "echo": echo}, mix, rounds, per_round)
    question = next(r.body for r in mix if r.kind == "question")
    client = through_test_client({"skill": app, "echo": echo}, question, rounds, per_round // 2)
    return {
        "skill": both["skill"],
        "echo": both["echo"],
        "ratio": ratio(both["skill"], both["echo"]),
        "by_kind_ratio": kind_ratios(both["skill"], both["echo"]),
        "target_ratio": TARGET_RATIO,
        "question_test_client": {**client, "ratio": ratio(client["skill"], client["echo"])},
        "mix": [r.kind for r in mix],
        "rounds": rounds,
        "per_round": per_round,
    }
