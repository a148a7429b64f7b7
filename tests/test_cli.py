"""The command line as a newcomer meets it: help, a server that isn't there, pipes, busy ports."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request

import pytest

from skill.config import PROJECT_ROOT

#: Every test here starts a subprocess (bin/test --fast leaves them out).
pytestmark = pytest.mark.slow


def environment(tmp_path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALEXA_", "BONE_BUILDER_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    env.update(extra)
    return env


def run(tmp_path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "skill", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=environment(tmp_path, **extra),
        timeout=120,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_help_describes_every_option_and_its_default(tmp_path):
    serve = " ".join(run(tmp_path, "serve", "--help").stdout.split())
    assert "--host HOST" in serve and "(default: 127.0.0.1" in serve
    assert "(default: 8000)" in serve
    assert "verification" in serve and "on by default" in serve
    assert "ALEXA_VERIFY_SIGNATURES=0" in serve

    simulate = " ".join(run(tmp_path, "simulate", "--help").stdout.split())
    assert "(default: en-US)" in simulate and "en-GB" in simulate and "en-IN" in simulate
    assert "--user-id" in simulate and "default: a new user each run" in simulate
    assert "--url" in simulate and "default: the skill in this process" in simulate

    validate = " ".join(run(tmp_path, "validate", "--help").stdout.split())
    assert "turn budget" in validate


def test_simulate_against_a_server_that_is_not_running_says_so_in_one_line(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/alexa"
    result = run(tmp_path, "simulate", "--url", url, "open bone builder")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert url in lines[0] and "refused" in lines[0] and "bin/serve" in lines[0]


def test_simulate_json_into_a_reader_that_stops_early_ends_quietly(tmp_path):
    # Far more output than a pipe holds (64 KB), so the simulator is still writing when the
    # reader goes away, as with `simulate --json ... | head -1`.
    lines = ["open bone builder", "how heavy should i lift", "tell me more"] * 30
    process = subprocess.Popen(
        [sys.executable, "-m", "skill", "simulate", "--json", *lines],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=PROJECT_ROOT,
        env=environment(tmp_path),
    )
    first = process.stdout.readline()
    assert json.loads(first)["intent"] == "LaunchRequest"
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert "BrokenPipe" not in stderr and "Traceback" not in stderr, stderr


def test_serve_on_a_busy_port_fails_before_saying_it_listens(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(
            tmp_path, "serve", "--port", str(port), "--no-open", ALEXA_VERIFY_SIGNATURES="0"
        )
    assert result.returncode == 1
    assert "listening" not in result.stdout
    assert f"127.0.0.1:{port}" in result.stderr and "already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_says_it_listens_only_once_it_does(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "skill", "serve", "--port", str(port), "--no-open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=PROJECT_ROOT,
        env=environment(tmp_path, ALEXA_VERIFY_SIGNATURES="0"),
    )
    try:
        said = server.stdout.readline()
        assert f"listening on http://127.0.0.1:{port}/alexa" in said
        # Straight after the line, without waiting or retrying, the port answers.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as reply:
            assert json.loads(reply.read()) == {"status": "ok"}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("locale", ["en-GB", "en-IN"])
def test_simulate_accepts_every_published_locale(tmp_path, locale):
    result = run(tmp_path, "simulate", "--json", "--locale", locale, "open bone builder")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["request"]["request"]["locale"] == locale
