"""``python -m skill nlu-eval``: reads YAML or Amazon annotation sets, reports, exports, gates."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from skill.config import PROJECT_ROOT
from skill.simulator import evaluation

CASES_YAML = """\
locale: en-US
cases:
  - {say: how big should my dumbbells be then, intent: HowHeavyIntent}
  - {say: are lunges any use for the bones in my hips, intent: IsExerciseGoodIntent,
     slots: {Exercise: lunges}}
  - {say: i got through eleven of them with the twenty kilo weights, intent: LogSetIntent,
     slots: {Reps: 11, Weight: 20, Unit: kilo}}
  - {say: how do i boil an egg, intent: AMAZON.FallbackIntent}
  - {say: play the top forty countdown, intent: AMAZON.FallbackIntent}
  - {say: tell me about japan, intent: MenIntent}
"""


def nlu_eval(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEXA_")}
    return subprocess.run(
        [sys.executable, "-m", "skill", "nlu-eval", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=300,
    )


@pytest.fixture
def cases_file(tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(CASES_YAML, encoding="utf-8")
    return path


@pytest.mark.slow
def test_report_names_accuracy_intents_confusions_and_misses(cases_file):
    run = nlu_eval(str(cases_file), "--min-accuracy", "0.5")
    out = run.stdout
    assert run.returncode == 0, out + run.stderr
    assert "in-domain accuracy: 75.0% (3/4" in out
    assert "out-of-domain false accepts: 0.0% (0/2)" in out
    assert "per intent:" in out and "HowHeavyIntent" in out
    assert "1 x MenIntent -> JapanIntent" in out
    assert '"tell me about japan" (cases.yaml:6)' in out
    assert "expected MenIntent, got JapanIntent (exact)" in out
    assert out.count("near: ") >= 3
    assert "time per utterance: median" in out


@pytest.mark.slow
def test_below_the_bar_fails_with_the_reason(cases_file):
    run = nlu_eval(str(cases_file))
    assert run.returncode == 1
    assert "FAIL: in-domain accuracy 75.0% < 90%" in run.stderr


@pytest.mark.slow
def test_false_accepts_over_the_bar_fail(tmp_path):
    path = tmp_path / "ood.yaml"
    path.write_text(
        "cases:\n  - {say: how heavy should i lift, intent: AMAZON.FallbackIntent}\n",
        encoding="utf-8",
    )
    run = nlu_eval(str(path))
    assert run.returncode == 1
    assert "out-of-domain false accepts: 100.0% (1/1)" in run.stdout
    assert "FAIL: out-of-domain false accepts 100.0% > 10%" in run.stderr


@pytest.mark.slow
def test_export_writes_an_annotation_set_that_reads_back(cases_file, tmp_path):
    out = tmp_path / "set.json"
    run = nlu_eval(str(cases_file), "--export", str(out))
    assert run.returncode == 0 and "Wrote 6 annotations" in run.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    first = data["data"][1]
    assert first["inputs"] == {"utterance": "are lunges any use for the bones in my hips"}
    assert first["expected"] == [
        {
            "intent": {
                "name": "IsExerciseGoodIntent",
                "slots": {"Exercise": {"slotValue": {"type": "Simple", "value": "lunges"}}},
            }
        }
    ]
    original = [(c.utterance, c.intent, c.slots) for c in evaluation.load(cases_file)]
    again = [(c.utterance, c.intent, c.slots) for c in evaluation.load(out)]
    assert again == original


def test_reads_the_older_annotation_slot_form(tmp_path):
    path = tmp_path / "old.json"
    annotation = {
        "inputs": {"utterance": "is swimming good", "referenceTimestamp": "2026-01-01T00:00:00Z"},
        "expected": [
            {"intent": {"name": "IsExerciseGoodIntent", "slots": {"Exercise": {"value": "swim"}}}}
        ],
    }
    path.write_text(json.dumps({"data": [annotation]}), encoding="utf-8")
    (case,) = evaluation.load(path)
    assert (case.utterance, case.intent, case.slots) == (
        "is swimming good",
        "IsExerciseGoodIntent",
        {"Exercise": "swim"},
    )


@pytest.mark.parametrize(
    "text",
    ["cases: [{say: hello}]", "{not yaml", "just words", '{"data": [{"inputs": {}}]}'],
)
@pytest.mark.slow
def test_unreadable_files_are_refused_clearly(tmp_path, text):
    path = tmp_path / ("bad.json" if text.startswith('{"') else "bad.yaml")
    path.write_text(text, encoding="utf-8")
    run = nlu_eval(str(path))
    assert run.returncode == 1
    assert run.stderr.startswith("Cannot evaluate: ") and "Traceback" not in run.stderr


@pytest.mark.slow
def test_a_missing_file_is_refused_clearly(tmp_path):
    run = nlu_eval(str(tmp_path / "nope.yaml"))
    assert run.returncode == 1 and "cannot be read" in run.stderr
