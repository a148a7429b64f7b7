"""Cold start: spawn ``gunicorn skill.wsgi:app --workers 1`` and time the first 200 answer.

Also the resident memory of the worker after a few hundred requests and of the master,
and, in a fresh interpreter, how start-up splits into imports and ``create_app``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from statistics import median

from skill.store.migrations import upgrade

from . import ROOT
from .procfs import rss_mb
from .servers import Gunicorn, request
from .wsgi_call import Request

TARGET_S = 0.5
POLL_S = 0.005
WSGI_MODULE = "skill.wsgi (its own time is create_app)"
PHASES = """
import json, sys, time
start = time.perf_counter()
import skill
imported = time.perf_counter()
skill.create_app(json.loads(sys.argv[1]))
print(json.dumps({"import_ms": (imported - start) * 1000,
                  "create_app_ms": (time.perf_counter() - imported) * 1000}))
"""


def _first_answer(port: int, body: bytes, started: float, timeout: float = 30.0) -> float:
    """Seconds from ``started`` to the first 200 from POST /alexa, polling every 5 ms."""
    while time.perf_counter() - started < timeout:
        try:
            status, _ = request(port, "POST", "/alexa", body, {"Content-Type": "application/json"})
            if status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(POLL_S)
    raise RuntimeError(f"no 200 answer within {timeout} s")


def _phases(config: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PHASES, json.dumps(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {k: round(v, 1) for k, v in json.loads(done.stdout.splitlines()[-1]).items()}


def _median_phases(config: dict, runs: int) -> dict:
    """``_phases`` in ``runs`` fresh interpreters: the run with the median total, and every
    run's total."""
    found = sorted(
        (_phases(config) for _ in range(runs)),
        key=lambda p: p["import_ms"] + p["create_app_ms"],
    )
    totals = [round(p["import_ms"] + p["create_app_ms"], 1) for p in found]
    return {**found[len(found) // 2], "total_ms_runs": totals}


def _startup(env: dict, runs: int = 1) -> dict:
    """In fresh interpreters: ms to import the skill, ms in ``create_app`` (the median of
    ``runs``), and which packages the start-up imports spend their time in (``-X
    importtime``, own time summed)."""
    off = {"ALEXA_VERIFY_SIGNATURES": False, "DATABASE_URL": env["DATABASE_URL"]}
    on = {**off, "ALEXA_VERIFY_SIGNATURES": True, "ALEXA_SKILL_ID": "amzn1.ask.skill.bench"}
    result = {
        f"verification_{name}": _median_phases(config, runs)
        for name, config in (("off", off), ("on", on))
    }
    traced = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import skill.wsgi"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    by_package: dict[str, float] = {}
    for line in traced.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            module = parts[2].strip()
            package = WSGI_MODULE if module == "skill.wsgi" else module.split(".")[0]
            by_package[package] = by_package.get(package, 0.0) + int(parts[0]) / 1000
    slowest = sorted(by_package.items(), key=lambda item: -item[1])[:8]
    result["import_ms_by_package"] = {k: round(v, 1) for k, v in slowest}
    return result


def run(workdir: Path, mix: list[Request], runs: int, requests_after: int = 200) -> dict:
    launch = next(r.body for r in mix if r.kind == "launch")
    seconds, memory = [], {}
    for n in range(runs):
        env = {
            "ALEXA_VERIFY_SIGNATURES": "0",
            "DATABASE_URL": f"sqlite:///{workdir / f'cold-{n}.sqlite3'}",
        }
        upgrade(env["DATABASE_URL"])  # before the clock starts, as before any deploy
        server = Gunicorn("skill.wsgi:app", env, workdir / f"cold-{n}.log", workers=1)
        started = time.perf_counter()
        server.start()
        try:
            seconds.append(_first_answer(server.port, launch, started))
            if n == runs - 1:
                headers = {"Content-Type": "application/json"}
                statuses = Counter(
                    request(server.port, "POST", "/alexa", mix[i % len(mix)].body, headers)[0]
                    for i in range(requests_after)
                )
                master, *workers = server.pids()
                memory = {
                    "worker_rss_mb": max(rss_mb(pid) for pid in workers),
                    "master_rss_mb": rss_mb(master),
                    "after_requests": requests_after,
                    "after_requests_non_200": requests_after - statuses[200],
                }
        finally:
            server.stop()
    return {
        "median_s": round(median(seconds), 3),
        "runs_s": [round(s, 3) for s in seconds],
        "target_s": TARGET_S,
        **memory,
        "startup_ms": _startup(env, runs),
    }
