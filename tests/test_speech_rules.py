"""Spoken content breaks no speech rule, and each rule is reported with its file, entry and field."""

from __future__ import annotations

import shutil

import pytest

from skill.builder import load_checked
from skill.config import PROJECT_ROOT
from skill.content import speech_rules
from tests.test_content_validation import _validate, edit, problems

TOPIC = "content/topics/how_often.json"


def _topic_speech(text):
    def change(d):
        d["answer"]["speech"] = text

    return change


def _one(found: list[str], needle: str) -> str:
    matching = [p for p in found if needle in p]
    assert matching, found
    return matching[0]


def test_digits_in_topic_speech(project_copy):
    edit(project_copy / TOPIC, _topic_speech("Train 2 or 3 days a week."))
    message = _one(problems(project_copy), "has digits")
    assert "how_often.json" in message and "entry 'how_often'" in message
    assert "field 'answer.speech'" in message


def test_percent_sign_in_source_spoken(project_copy):
    def change(d):
        d["liftmor_2018"]["spoken"] = "That comes from a trial where spine density rose three %."

    edit(project_copy / "content/sources.json", change)
    message = _one(problems(project_copy), "has '%'")
    assert "content/sources.json" in message and "entry 'liftmor_2018'" in message
    assert "field 'spoken'" in message


def test_unit_abbreviation_in_exercise_cue(project_copy):
    def change(d):
        d["exercises"][0]["cue"] = "Hold a dumbbell of about five kg against your chest."

    edit(project_copy / "content/programs/osteoporosis.json", change)
    message = _one(problems(project_copy), "unit abbreviations (kg)")
    assert "entry 'osteoporosis/weighted_sit_to_stand'" in message and "field 'cue'" in message


@pytest.mark.parametrize("unit", ["lb", "lbs", "IU", "mg"])
def test_other_unit_abbreviations_in_follow_up(project_copy, unit):
    edit(project_copy / TOPIC, lambda d: d["answer"].update(follow_up=f"Want to hear about {unit} too?"))
    assert "field 'answer.follow_up'" in _one(problems(project_copy), f"unit abbreviations ({unit})")


def test_one_rep_max_abbreviation_in_a_message(project_copy):
    def change(d):
        d["one_rep_max_missing"]["speech"] = "I can estimate your 1RM for you."

    edit(project_copy / "content/messages.json", change)
    message = _one(problems(project_copy), "says '1RM'")
    assert "content/messages.json" in message and "entry 'one_rep_max_missing'" in message


def test_one_rep_max_without_digit(project_copy):
    edit(
        project_copy / TOPIC, lambda d: d["answer"].update(more="Work at about eighty percent of your RM.")
    )
    assert "field 'answer.more'" in _one(problems(project_copy), "says '1RM'")


def test_long_list_in_a_variant_more(project_copy):
    def change(d):
        d["variants"]["CALCIUM"]["more"] = (
            "Good sources include milk, yogurt, cheese, tofu, and canned fish with soft bones."
        )

    edit(project_copy / "content/topics/nutrition.json", change)
    message = _one(problems(project_copy), "lists 5 things")
    assert "entry 'nutrition/CALCIUM'" in message and "field 'more'" in message


def test_long_list_in_program_summary(project_copy):
    def change(d):
        d["summary"] = "Built around squats, hinges, presses, step-ups and rows."

    edit(project_copy / "content/programs/standard.json", change)
    message = _one(problems(project_copy), "lists 5 things")
    assert "entry 'standard'" in message and "field 'summary'" in message


def test_decimal_percentage_spoken_in_words(project_copy):
    edit(project_copy / TOPIC, _topic_speech("Spine density rose by two point nine percent."))
    assert "answer.speech" in _one(problems(project_copy), "percentage with a decimal")


def test_all_capitals_name_is_flagged(project_copy):
    edit(project_copy / TOPIC, _topic_speech("The LIFTMOR trial used two sessions a week."))
    assert "answer.speech" in _one(problems(project_copy), "LIFTMOR in capitals")


def test_unknown_source_id_in_a_program_exercise(project_copy):
    edit(
        project_copy / "content/programs/beginner.json",
        lambda d: d["exercises"][0].update(sources=["made_up_2020"]),
    )
    message = _one(problems(project_copy), "made_up_2020")
    assert "entry 'beginner/sit_to_stand'" in message and "field 'sources'" in message


def test_cards_are_not_checked(project_copy):
    def card(d):
        d["answer"]["card"]["text"] = (
            "Lift 8-12 reps at 70% 1RM, 5 kg, with LIFTMOR, A, B, C and D."
        )

    edit(project_copy / TOPIC, card)
    load_checked(project_copy / "content", project_copy / "interaction_model.json")


def test_placeholders_are_not_text():
    assert speech_rules.problems("Set {set_2} of {total_3}, with {weight_kg}.") == []
    assert speech_rules.problems("Set 2 of {total_3}.") != []


def test_validate_command_names_the_broken_rule(project_copy):
    edit(project_copy / TOPIC, _topic_speech("Lift 3 times a week, 10 kg."))
    result = _validate(project_copy)
    assert result.returncode == 1
    assert "has digits" in result.stderr and "unit abbreviations (kg)" in result.stderr
    assert "how_often.json" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("clause", "items"),
    [
        ("If your bones are fragile, avoid sit-ups, crunches, toe touches, and fast twisting", 4),
        ("For your hips, squats, lunges and step-ups push weight through the hip bones", 3),
        ("Good sources include milk, yogurt, cheese, tofu and beans", 5),
        ("A few foods provide some, such as oily fish, eggs, and fortified milk or cereal", 3),
        ("When you're ready, say, Alexa, open bone builder, and we'll carry on from there", 0),
        ("Start with your own body weight, then hold dumbbells, two or three days a week", 0),
        ("Use a low, sturdy step, and if you feel unsteady, carry one weight and hold a rail", 2),
        ("Sit tall, press the weights up, then lower them slowly", 0),
        ("For beginners, with a chair, a step, a band and a counter to hold", 4),
    ],
)
def test_list_items(clause, items):
    assert speech_rules.list_items(clause) == items


def test_shipped_spoken_content_keeps_the_rules():
    """Every shipped spoken field passes; the loader would refuse to start otherwise."""
    content, _ = load_checked(
        PROJECT_ROOT / "content", PROJECT_ROOT / "interaction_model.json"
    )
    assert not any("LIFTMOR" in s.spoken for s in content.sources.values())


def test_workout_lines_and_warning_words_follow_the_rules(tmp_path):
    import json

    import pytest

    from skill.config import PROJECT_ROOT
    from skill.content.loader import load_content
    from skill.content.model import ContentError

    folder = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", folder)
    lines = json.loads((folder / "lines" / "workout.json").read_text())
    lines["reminder"] = "Rest 30 seconds, then {where}."
    (folder / "lines" / "workout.json").write_text(json.dumps(lines))
    safety = json.loads((folder / "safety.json").read_text())
    safety["kinds"]["urgent"]["speech"] = "Call 911 now."
    (folder / "safety.json").write_text(json.dumps(safety))
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    problems = "\n".join(caught.value.problems)
    assert "lines/workout.json: entry 'reminder'" in problems
    assert "safety.json: entry 'urgent', field 'speech'" in problems
