"""The simulator from the command line: arguments, JSON, checks, HTTP, silence and speech."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from skill.config import PROJECT_ROOT
from skill.simulator.speech import spoken_seconds, to_text


def simulate(*args: str, stdin: str | None = None, db=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEXA_")}
    if db is not None:
        env["DATABASE_URL"] = f"sqlite:///{db}"
    return subprocess.run(
        [sys.executable, "-m", "skill", "simulate", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=120,
    )


@pytest.mark.slow
def test_utterances_as_arguments_play_one_session(tmp_path):
    run = simulate("open bone builder", "how heavy should i lift", "stop", db=tmp_path / "s.db")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "you   > how heavy should i lift" in out
    assert "eight to twelve" in out
    assert "reprompt:" in out and "card:" in out
    assert out.count("(microphone open)") == 2 and out.rstrip().endswith("(session closed)")


@pytest.mark.slow
def test_json_output_has_every_field(tmp_path):
    run = simulate(
        "--json", "open bone builder", "are squats good for my bones", db=tmp_path / "s.db"
    )
    turns = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(turns) == 2
    for key in (
        "utterance",
        "intent",
        "slots",
        "speech",
        "reprompt",
        "card",
        "session_open",
        "request",
        "response",
    ):
        assert key in turns[1]
    assert turns[1]["intent"] == "IsExerciseGoodIntent"
    assert turns[1]["slots"] == {"Exercise": "SQUAT"}
    slot = turns[1]["request"]["request"]["intent"]["slots"]["Exercise"]
    assert slot["resolutions"]["resolutionsPerAuthority"][0]["status"]["code"] == "ER_SUCCESS_MATCH"
    assert turns[1]["request"]["session"]["new"] is False


@pytest.mark.slow
def test_strict_verbose_explains_and_hints_at_near_misses(tmp_path):
    run = simulate(
        "--strict",
        "--verbose",
        "open bone builder",
        "how heavy i should lift",
        db=tmp_path / "s.db",
    )
    assert "why:" in run.stdout
    assert "heard: AMAZON.FallbackIntent (exact: no sample matched)" in run.stdout
    assert "closest sample" in run.stdout and "HowHeavyIntent" in run.stdout


@pytest.mark.slow
def test_every_turn_shows_the_tier_and_verbose_the_top_three(tmp_path):
    run = simulate(
        "--verbose",
        "open bone builder",
        "how heavy should i lift",
        "how heavy i should lift",
        "play some music by the beatles",
        db=tmp_path / "s.db",
    )
    out = run.stdout
    assert "heard: HowHeavyIntent (exact)" in out
    assert re.search(r"heard: HowHeavyIntent \(statistical, [01]\.\d\d\)", out)
    assert re.search(r"top three: HowHeavyIntent [01]\.\d\d, \w+(\.\w+)? 0\.\d\d, ", out)
    assert "heard: AMAZON.FallbackIntent (statistical" in out


@pytest.mark.slow
def test_interactive_session_on_standard_input(tmp_path):
    run = simulate(
        stdin="open bone builder\nhow often should i train\n\nexit\n", db=tmp_path / "s.db"
    )
    assert run.returncode == 0, run.stderr
    assert "two to three days a week" in run.stdout
    assert run.stdout.count("(session closed)") >= 1


@pytest.mark.slow
def test_check_passes_and_fails_with_exit_codes(tmp_path):
    good = simulate(
        "--check", str(PROJECT_ROOT / "tests/dialogs/one_shot.yaml"), db=tmp_path / "s.db"
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert "PASS" in good.stdout and "1 passed, 0 failed" in good.stdout
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(
        "turns:\n  - say: how heavy should i lift\n    expect: {intent: MenIntent}\n"
    )
    bad = simulate("--check", str(bad_file), db=tmp_path / "s.db")
    assert bad.returncode == 1
    assert "expected: 'MenIntent'" in bad.stdout and "got:      'HowHeavyIntent'" in bad.stdout


@pytest.mark.slow
def test_replays_an_ask_dialog_file(tmp_path):
    run = simulate(
        "--check", str(PROJECT_ROOT / "tests/dialogs/replay_ask_dialog.json"), db=tmp_path / "s.db"
    )
    assert run.returncode == 0, run.stdout
    assert "PASS" in run.stdout and "4 turns" in run.stdout


@pytest.mark.slow
def test_over_real_http(server, tmp_path):
    run = simulate("--url", server + "/alexa", "--json", "open bone builder", "how heavy should i lift")
    turns = [json.loads(line) for line in run.stdout.splitlines()]
    assert [t["status"] for t in turns] == [200, 200]
    assert "eight to twelve" in turns[1]["speech"]


@pytest.mark.slow
def test_progress_is_kept_for_the_same_user_id(tmp_path):
    db = tmp_path / "s.db"
    simulate("--user-id", "amzn1.ask.account.me", "start the beginner workout", "pause", db=db)
    run = simulate("--user-id", "amzn1.ask.account.me", "open bone builder", db=db)
    assert "Welcome back" in run.stdout


def test_ssml_is_shown_as_text_with_pauses():
    ssml = '<speak>Rest now. <break time="10s"/> <break time="10s"/> Halfway &amp; on. <break time="500ms"/></speak>'
    assert to_text(ssml) == "Rest now. [pause 20 s] Halfway & on. [pause 0.5 s]"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_timing_counts_words_and_breaks():
    short = spoken_seconds("<speak>Hello.</speak>")
    padded = spoken_seconds('<speak>Hello. <break time="3s"/></speak>')
    assert 0 < short < 3
    assert padded - short == pytest.approx(3, abs=0.5)
