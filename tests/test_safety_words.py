"""The safety words themselves: each exercise's safety note on its first set, each kind of
warning help with the local emergency number in every locale, the fall line's order, and no
line that tells people to "say stop" when something feels wrong."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill.web.envelopes import Session, slot
from tests.helpers import Talk, speech
from tests.test_workout import program_slot

CONTENT = Path(__file__).resolve().parent.parent / "content"
#: Every exercise that must carry a safety note, by program. A note deleted from content, or
#: never said, fails here.
NOTED = {
    "beginner": ["sit_to_stand", "hip_hinge", "step_up"],
    "standard": [
        "goblet_squat",
        "romanian_deadlift",
        "seated_overhead_press",
        "weighted_step_up",
        "chest_supported_row",
    ],
    "osteoporosis": [
        "weighted_sit_to_stand",
        "wall_push_up",
        "standing_band_row",
        "step_up",
        "heel_raise",
        "heel_to_toe_stand",
        "single_leg_stand",
        "lying_back_extension",
    ],
}
#: A slot value that asks for each kind of help.
ASKS_FOR = {
    "stroke": {"Symptom": slot("Symptom", "slurred speech", "SPEECH", "SYMPTOM")},
    "urgent": {"Symptom": slot("Symptom", "chest pain", "CHEST", "SYMPTOM")},
    "fall_hurt": {"Symptom": slot("Symptom", "can't get up", "CANT_GET_UP", "SYMPTOM")},
    "fall": {"Symptom": slot("Symptom", "fell", "FALL", "SYMPTOM")},
    "back": {"BodyPart": slot("BodyPart", "back", "BACK", "BODY_PART")},
    "unclear": {"Symptom": slot("Symptom", "unwell", "UNWELL", "SYMPTOM")},
    "injury": {"BodyPart": slot("BodyPart", "knee", "KNEE", "BODY_PART")},
}
NUMBERS = json.loads((CONTENT / "safety.json").read_text())["emergency_number"]


def first_sets(talk: Talk, program: str, counted: bool) -> list[str]:
    """What is said as each exercise of ``program`` begins, skipping from one to the next."""
    talk.launch()
    body = talk.intent("StartWorkoutIntent", program_slot(program.upper()))
    if talk.session.attributes.get("pending") == "gate":
        talk.intent("AMAZON.YesIntent")
    talk.intent("AMAZON.YesIntent")
    said = [speech(talk.intent("AMAZON.YesIntent" if counted else "AMAZON.NoIntent"))]
    exercises = json.loads((CONTENT / "programs" / f"{program}.json").read_text())["exercises"]
    for _ in exercises[1:]:
        if not talk.session.open:  # a self-paced set closed the session
            talk = Talk(talk.client, Session(user_id=talk.session.user_id))
        body = talk.intent("SkipExerciseIntent")
        said.append(speech(body))
    return said


@pytest.mark.parametrize("counted", [True, False], ids=["counted", "self-paced"])
@pytest.mark.parametrize("program", list(NOTED))
def test_every_safety_note_is_said_as_its_exercise_begins(client, content, program, counted):
    exercises = {e.id: e for e in content.programs[program].exercises}
    said = first_sets(Talk(client, Session()), program, counted)
    order = [e.id for e in content.programs[program].exercises]
    for exercise_id in NOTED[program]:
        note = exercises[exercise_id].safety
        assert note, f"{program}: {exercise_id} has lost its safety note"
        assert note in said[order.index(exercise_id)], exercise_id


@pytest.mark.parametrize("locale", sorted(NUMBERS))
@pytest.mark.parametrize("kind", list(ASKS_FOR))
def test_each_kind_of_warning_help_in_every_locale(client, content, locale, kind):
    talk = Talk(client, Session(locale=locale))
    talk.launch()
    body = talk.intent("SymptomIntent", ASKS_FOR[kind])
    words = content.at(locale).safety.kinds[kind].speech
    said = speech(body)
    assert said.startswith(words.format(emergency=NUMBERS[locale]))
    if "{emergency}" in words:
        assert f"call {NUMBERS[locale]}" in said.lower()
    assert body["response"]["shouldEndSession"] is True


def test_every_urgent_kind_calls_now_without_waiting(content):
    for kind in ("stroke", "urgent", "fall_hurt"):
        words = content.safety.kinds[kind].speech
        assert "{emergency}" in words and "settle" not in words and "minutes" not in words


def test_the_fall_line_asks_whether_they_are_hurt_before_any_getting_up(content):
    fall = content.safety.kinds["fall"].speech
    hurt = fall.index("If you're hurt")
    dont = fall.index("don't try to stand")
    up = fall.index("get up slowly")
    assert hurt < dont < fall.index("If you're not hurt") < up
    assert "{emergency}" in fall[:up]
    stuck = content.safety.kinds["fall_hurt"].speech
    assert "Don't try to get up" in stuck and "get up slowly" not in stuck


def test_after_chest_pain_or_stroke_signs_the_hold_asks_about_a_doctor(content):
    for kind in ("stroke", "urgent"):
        assert content.safety.kinds[kind].held_question == "Have you seen a doctor since then?"
    assert "physical therapist" in content.safety.kinds["injury"].held_question


SAY_STOP = re.compile(r"\bsay[,:]?\s+(?:stop|\"stop\")\b", re.IGNORECASE)


def test_no_line_tells_people_to_say_stop():
    found = []
    for path in sorted(CONTENT.rglob("*.json")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if SAY_STOP.search(line):
                found.append(f"{path.relative_to(CONTENT)}: {line.strip()[:80]}")
    assert not found
