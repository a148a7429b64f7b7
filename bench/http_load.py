"""Over HTTP: gunicorn with signature verification on, loaded by wrk, beside the bare app.

A stand-in CA (``skill.simulator.signing``) signs every request body; its root is the
only trusted root and its chain is served from a local mirror. Each wrk run gets a body
signed just before it, since Alexa's timestamps are only good for 150 s.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding

from skill.simulator.signing import StandInPKI
from skill.store.migrations import upgrade
from skill.web.envelopes import Session
from skill.web.verify import CERT_URL_HEADER, SIGNATURE_HEADER

from .mix import question
from .procfs import cpu_seconds, machine_busy_seconds
from .servers import FileServer, Gunicorn, request

LEVELS = ((1, 1), (2, 16), (2, 64))  # wrk threads, connections
SKILL_ID = "amzn1.ask.skill.bench-0000-0000-0000-000000000000"
CHAIN_PATH = "/echo.api/bench.pem"
CHAIN_URL = "https://s3.amazonaws.com" + CHAIN_PATH
APPS = (("skill", "skill.wsgi:app"), ("echo", "bench.echo_app:app"))
TARGET_P99_MS = 15.0
TEST_SETTINGS_WARNING = "test-only certificate settings are in use"
FORGED_REJECTION = "signature does not match the request body"  # check_real_path's, once
LUA = """\
local file = io.open(%(body)s, "rb")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["SignatureCertChainUrl"] = %(url)s
wrk.headers["Signature-256"] = %(signature)s

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %%.0f, "duration_us": %%.0f, "connect": %%.0f, "read": %%.0f, '
    .. '"write": %%.0f, "status": %%.0f, "timeout": %%.0f, "p50_us": %%.0f, "p95_us": %%.0f, '
    .. '"p99_us": %%.0f, "max_us": %%.0f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def signed_question(pki: StandInPKI) -> tuple[bytes, dict]:
    """A mid-session Q&A request with a fresh timestamp, and the headers that sign it. It
    carries the session attributes Alexa sends back after the launch, as the in-process mix's
    question does: without them every request would read the person's row, as only the first
    request of a session does."""
    session = Session(user_id="amzn1.ask.account.bench-http", skill_id=SKILL_ID)
    session.open, session.session_id = True, "amzn1.echo-api.session.bench-http"
    session.attributes = {"pending": "welcome", "disclaimer_heard": True}
    body = json.dumps(question(session, SKILL_ID)).encode()
    headers = {
        "Content-Type": "application/json",
        CERT_URL_HEADER: CHAIN_URL,
        SIGNATURE_HEADER: pki.sign(body),
    }
    return body, headers


def write_script(folder: Path, name: str, pki: StandInPKI) -> Path:
    body, headers = signed_question(pki)
    (folder / f"{name}.json").write_bytes(body)
    script = folder / f"{name}.lua"
    values = {
        "body": json.dumps(str(folder / f"{name}.json")),
        "url": json.dumps(headers[CERT_URL_HEADER]),
        "signature": json.dumps(headers[SIGNATURE_HEADER]),
    }
    script.write_text(LUA % values, encoding="utf-8")
    return script


def check_real_path(server: Gunicorn, pki: StandInPKI) -> dict:
    """One signed request answers 200 with speech; the same body with a wrong signature, 400."""
    body, headers = signed_question(pki)
    status, reply = request(server.port, "POST", "/alexa", body, headers)
    speech = json.loads(reply).get("response", {}).get("outputSpeech", {}).get("ssml", "")
    if status != 200 or not speech:
        raise RuntimeError(f"signed request got {status}: {reply[:300]!r}")
    forged = {**headers, SIGNATURE_HEADER: pki.sign(body + b" ")}
    forged_status, _ = request(server.port, "POST", "/alexa", body, forged)
    if forged_status != 400:
        raise RuntimeError(f"a forged signature got {forged_status}: verification is not on")
    return {"signed_status": status, "forged_status": forged_status}


def warm_up(server: Gunicorn, pki: StandInPKI, count: int = 64) -> None:
    """Concurrent signed requests, so every worker has fetched the chain and imported all."""
    body, headers = signed_question(pki)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(
                lambda _: request(server.port, "POST", "/alexa", body, headers)[0], range(count)
            )
        )
    if set(statuses) != {200}:
        raise RuntimeError(f"warm-up statuses: {sorted(set(statuses))}")


def wrk(server: Gunicorn, script: Path, threads: int, connections: int, seconds: float) -> dict:
    """One wrk run, with wrk's CPU use and the server's (master plus workers) beside it."""
    pids = server.pids()
    before, server_before, busy_before = _children_cpu(), cpu_seconds(pids), machine_busy_seconds()
    start = time.monotonic()
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    done = subprocess.run(
        [*command, "-s", str(script), server.url + "/alexa"],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    wall = time.monotonic() - start
    wrk_cpu, server_cpu = _children_cpu() - before, cpu_seconds(pids) - server_before
    busy = machine_busy_seconds() - busy_before
    lines = [x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    raw = json.loads(lines[0].removeprefix("WRK_JSON "))
    sockets = {k: int(raw[k]) for k in ("connect", "read", "write", "timeout")}
    return {
        "threads": threads,
        "connections": connections,
        "requests": int(raw["requests"]),
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "non_2xx": int(raw["status"]),
        "socket_errors": sum(sockets.values()),
        "socket_error_kinds": sockets,
        "wrk_cpu_cores": round(wrk_cpu / wall, 2),
        "server_cpu_cores": round(server_cpu / wall, 2),
        "machine_busy_cores": round(busy / wall, 2),
        "other_cpu_cores": round(max(0.0, busy - wrk_cpu - server_cpu) / wall, 2),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _log_problems(log: Path, keep: int = 5) -> list[str]:
    """Unexpected warnings and errors in a gunicorn log (the first few): an answer that
    failed inside the skill is still a 200 (an apology), so this is where it shows."""
    text = log.read_text(errors="replace") if log.exists() else ""
    marks = ("Traceback", " ERROR ", "[ERROR]", "[CRITICAL]", " WARNING ")
    lines = [x for x in text.splitlines() if any(m in x for m in marks)]
    lines = [x for x in lines if TEST_SETTINGS_WARNING not in x]
    forged = next((x for x in lines if FORGED_REJECTION in x), None)
    return [x for x in lines if x is not forged][:keep]


def run(workdir: Path, seconds: float, workers: int = 4, threads: int = 4) -> dict:
    """wrk at 1, 16 and 64 connections against the skill and the echo app, per worker class."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: run bin/bench, which installs Debian's wrk")
    pki = StandInPKI()
    roots = workdir / "roots.pem"
    roots.write_bytes(pki.root.public_bytes(Encoding.PEM))
    classes = [("sync", 0)] + ([(f"gthread x{threads}", threads)] if threads else [])
    runs: list[dict] = []
    checks: dict[str, Any] = {}
    with FileServer({CHAIN_PATH: pki.chain_pem()}) as mirror:
        env = {
            "ALEXA_SKILL_ID": SKILL_ID,
            "ALEXA_VERIFY_SIGNATURES": "1",
            "ALEXA_TRUSTED_ROOTS_FILE": str(roots),
            "ALEXA_CERT_MIRROR": mirror.url,
            "DATABASE_URL": f"sqlite:///{workdir / 'http.sqlite3'}",
        }
        upgrade(env["DATABASE_URL"])
        for worker_class, thread_count in classes:
            for app_name, spec in APPS:
                log = workdir / f"gunicorn-{app_name}-{thread_count}.log"
                with Gunicorn(spec, env, log, workers, thread_count) as server:
                    server.wait_healthy()
                    if app_name == "skill":
                        checks[worker_class] = check_real_path(server, pki)
                    warm_up(server, pki)
                    for n, (wrk_threads, connections) in enumerate(LEVELS):
                        script = write_script(workdir, f"{app_name}-{thread_count}-{n}", pki)
                        result = wrk(server, script, wrk_threads, connections, seconds)
                        runs.append({"worker_class": worker_class, "app": app_name, **result})
                problems = _log_problems(log)
                if problems:
                    checks[f"{worker_class} {app_name} log"] = problems
    return {
        "workers": workers,
        "seconds_per_run": seconds,
        "checks": checks,
        "runs": runs,
        "target_p99_ms_at_64": TARGET_P99_MS,
        "note": "wrk measures from when it sends (closed loop): latency under overload "
        "shows as lower throughput, not as queueing delay (coordinated omission).",
    }
