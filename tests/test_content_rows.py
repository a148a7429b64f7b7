"""The third review's content rows, pinned where they could slip back: the pain answer's
emergency line in each locale, bone scans by locale, en-CA's physiotherapist, the privacy
notice's list of health answers, and the changes log's line for each row."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from skill.config import PROJECT_ROOT
from skill.content import ContentError
from skill.locales import LOCALES
from skill.localized import load_localized

CONTENT = PROJECT_ROOT / "content"
NUMBERS = {
    "en-US": "nine one one",
    "en-CA": "nine one one",
    "en-GB": "nine nine nine",
    "en-AU": "triple zero",
    "en-IN": "one one two",
}


@pytest.fixture(scope="module")
def localized():
    return load_localized(CONTENT)


@pytest.fixture
def copy(tmp_path) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_pain_answer_names_the_locales_emergency_number(localized, locale):
    pain = localized.at(locale).topics["pain"].answer
    number = NUMBERS[locale]
    assert f"Chest pain, fainting or struggling to breathe: call {number} now." in pain.speech
    assert pain.more.startswith(f"Call {number} now for chest pain, fainting or struggling")
    assert "signs of a stroke" in pain.more and "weakness on one side" in pain.more
    assert "{" not in pain.speech + pain.more + pain.card.text


def test_a_topic_field_other_than_the_emergency_number_is_named(copy):
    path = copy / "topics/pain.json"
    topic = json.loads(path.read_text())
    topic["answer"]["more"] += " Call {doctor} too."
    path.write_text(json.dumps(topic))
    with pytest.raises(ContentError) as caught:
        load_localized(copy)
    found = caught.value.problems
    assert found and all("topics/pain.json" in p and "answer.more" in p for p in found)
    assert "{doctor}" in found[0]


def test_locales_with_the_same_words_but_another_emergency_number_do_not_share(copy):
    (copy / "locales/en-CA.json").write_text((copy / "locales/en-AU.json").read_text())
    content = load_localized(copy)
    assert "nine one one" in content.at("en-CA").topics["pain"].answer.speech
    assert "triple zero" in content.at("en-AU").topics["pain"].answer.speech


def test_canada_hears_physiotherapist_as_osteoporosis_canada_says_it(localized):
    canada, us = localized.at("en-CA"), localized.at("en-US")
    assert "physiotherapist" in canada.programs["osteoporosis"].safety
    assert "physical therapist" in us.programs["osteoporosis"].safety
    assert "physiotherapist" in canada.safety.kinds["fall"].speech
    assert canada.programs["beginner"].name == us.programs["beginner"].name  # "program" stays
    assert "programme" not in json.dumps(canada.topics["pain"].answer.__dict__, default=str)


ROW = re.compile(r"^- (N\d+|\d+): (.+) \(([^,()]+), ([^()]+)\)$")


def test_every_row_of_this_work_has_a_line_in_the_changes_log():
    described = {}
    for line in (CONTENT / "CHANGES.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            described[match.group(1)] = match.group(2)
    rows = ["N7", "N10", "N11"]
    rows += [f"N{n}" for n in range(12, 21)] + ["N22"]
    assert [row for row in rows if row not in described] == []
    assert "{emergency}" in described["N7"]
    assert "quarter" in described["N10"] and "eighty percent" in described["N11"]
    assert "{emergency}" in described["464"]
