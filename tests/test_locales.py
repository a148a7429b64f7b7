"""Each locale's words: shared English with a locale's own words and overrides, all checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill.config import PROJECT_ROOT
from skill.content.locales import LOCALES
from skill.content.localized import current_locale, load_localized, use_locale
from skill.content.model import ContentError
from skill.deploy.skill_package import locale_models
from skill.web.envelopes import Session, slot
from tests.helpers import Talk, local_app, speech


@pytest.fixture(autouse=True)
def back_to_default():
    yield
    use_locale(None)


def write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2))


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_localized(folder)
    return caught.value.problems


def all_text(content) -> str:
    parts = [
        json.dumps(t.answer.__dict__, default=lambda o: o.__dict__) for t in content.topics.values()
    ]
    parts += [str(v) for v in content.lines.values()]
    parts += [str(v) for v in content.messages.values()]
    parts += [p.safety or "" for p in content.programs.values()]
    parts += [k.speech for k in content.safety.kinds.values()]
    return " ".join(parts)


def test_every_locale_has_its_own_therapist_and_emergency_number():
    content = load_localized(PROJECT_ROOT / "content")
    numbers = {
        "en-US": "nine one one",
        "en-CA": "nine one one",
        "en-GB": "nine nine nine",
        "en-AU": "triple zero",
        "en-IN": "one one two",
    }
    for locale in LOCALES:
        said = all_text(content.at(locale))
        physio = locale != "en-US"
        assert ("physical therapist" in said.lower()) is not physio, locale
        assert ("physiotherapist" in said.lower()) is physio, locale
        assert content.at(locale).safety.emergency_number(locale) == numbers[locale]
    assert "programme" in all_text(content.at("en-GB"))
    assert "programme" not in all_text(content.at("en-US"))


def test_fields_and_ids_are_not_reworded():
    content = load_localized(PROJECT_ROOT / "content")
    gb, us = content.at("en-GB"), content.at("en-US")
    assert gb.lines["start_intro"] == us.lines["start_intro"]  # "The {program}: ..."
    assert "{program}" in gb.lines["start_intro"]
    assert gb.sources == us.sources  # paper titles stay as published


def test_reading_follows_the_current_locale():
    content = load_localized(PROJECT_ROOT / "content")
    fall = content.safety  # read outside a request: the default locale
    assert "physical therapist" in fall.kinds["injury"].speech
    kept = content.programs  # kept at start-up, as handlers do
    use_locale("en-GB")
    assert current_locale() == "en-GB"
    assert "physiotherapist" in kept["osteoporosis"].safety
    assert "physiotherapist" in content.safety.kinds["injury"].speech
    use_locale("fr-FR")
    assert "physical therapist" in kept["osteoporosis"].safety


def test_an_override_replaces_only_what_it_names(content_copy):
    write(
        content_copy / "locales/en-AU.json",
        {"overrides": {"messages": {"goodbye": {"speech": "Hooroo, and keep moving."}}}},
    )
    content = load_localized(content_copy)
    assert content.at("en-AU").messages["goodbye"].speech == "Hooroo, and keep moving."
    assert content.at("en-US").messages["goodbye"].speech != "Hooroo, and keep moving."
    assert content.at("en-AU").messages["help"] == content.at("en-US").messages["help"]


def test_an_override_of_nothing_is_named(content_copy):
    write(content_copy / "locales/en-AU.json", {"overrides": {"topics": {"no_such_topic": {}}}})
    [problem] = problems(content_copy)
    assert "locales/en-AU.json" in problem and "topics.no_such_topic" in problem


def test_a_locale_override_is_held_to_the_speech_rules(content_copy):
    write(
        content_copy / "locales/en-GB.json",
        {"overrides": {"safety": {"kinds": {"urgent": {"speech": "Stop, and call 999."}}}}},
    )
    found = problems(content_copy)
    assert found and all(p.startswith("en-GB: ") for p in found)
    assert any("safety.json" in p and "urgent" in p for p in found)


def test_a_locale_without_an_emergency_number_is_named(content_copy):
    safety = json.loads((content_copy / "safety.json").read_text())
    del safety["emergency_number"]["en-IN"]
    write(content_copy / "safety.json", safety)
    [problem] = problems(content_copy)
    assert problem.startswith("en-IN: ") and "no emergency number" in problem


def test_a_file_for_a_locale_the_skill_lacks_is_named(content_copy):
    write(content_copy / "locales/de-DE.json", {"words": {}})
    [problem] = problems(content_copy)
    assert "de-DE.json" in problem


def test_a_malformed_locale_file_is_named(content_copy):
    write(content_copy / "locales/en-GB.json", {"words": {"Physical Therapist": 3}})
    found = problems(content_copy)
    assert found and all("locales/en-GB.json" in p for p in found)


def test_stone_is_a_unit_in_the_uk_model_only():
    models = locale_models(PROJECT_ROOT / "interaction_model.json")

    def units(locale):
        types = models[locale]["interactionModel"]["languageModel"]["types"]
        unit = next(t for t in types if t["name"] == "UNIT")
        return {v["id"] for v in unit["values"]}

    assert units("en-GB") == {"KILOGRAMS", "POUNDS", "STONES"}
    assert all(units(locale) == {"KILOGRAMS", "POUNDS"} for locale in LOCALES if locale != "en-GB")


def test_overrides_reach_every_speaking_path_through_the_webhook(content_copy, tmp_path):
    """The first-use note, a topic's answer and a workout line, overridden for en-AU only."""
    write(
        content_copy / "locales/en-AU.json",
        {
            "words": {"physical therapist": "physiotherapist"},
            "overrides": {
                "messages": {"welcome_first": {"speech": "G'day: this is not medical advice."}},
                "topics": {"how_heavy": {"answer": {"speech": "Heavy enough, mate."}}},
                "lines": {"unit_unknown": "Kilos or pounds only, mate."},
            },
        },
    )
    app = local_app(f"sqlite:///{tmp_path / 'state.sqlite3'}", CONTENT_DIR=content_copy)
    client = app.test_client()
    aussie = Talk(client, Session(user_id="amzn1.ask.account.AU", locale="en-AU"))
    yank = Talk(client, Session(user_id="amzn1.ask.account.US", locale="en-US"))

    assert speech(aussie.launch()).startswith("G&#x27;day: this is not medical advice.")
    assert "not medical advice, so check" in speech(yank.launch())
    assert "Heavy enough, mate." in speech(aussie.intent("HowHeavyIntent"))
    assert "Heavy enough, mate." not in speech(yank.intent("HowHeavyIntent"))
    unit = {"Unit": "furlongs"}
    assert "Kilos or pounds only, mate." in speech(aussie.intent("UnitIntent", unit))
    assert "Kilos or pounds only" not in speech(yank.intent("UnitIntent", unit))


def test_stone_resolved_by_alexa_in_en_gb_is_asked_about_not_guessed(talk):
    """Alexa's en-GB model resolves "stone" to STONES (mocked: the resolution is Amazon's)."""
    talk.session.locale = "en-GB"
    talk.launch()
    stone = slot("Unit", "stone", "STONES", "UNIT")
    said = speech(talk.intent("UnitIntent", {"Unit": stone}))
    assert "kilograms or pounds" in said
    assert "stone" not in said.lower()


def test_a_locale_without_a_default_unit_is_named(content_copy):
    workout = json.loads((content_copy / "workout.json").read_text())
    del workout["default_unit"]["en-AU"]
    write(content_copy / "workout.json", workout)
    [problem] = problems(content_copy)
    assert problem.startswith("en-AU: ") and "no default unit" in problem


def test_the_unit_a_locale_hears_first_is_content(content_copy, tmp_path):
    workout = json.loads((content_copy / "workout.json").read_text())
    workout["default_unit"]["en-GB"] = "lb"
    write(content_copy / "workout.json", workout)
    app = local_app(f"sqlite:///{tmp_path / 'state.sqlite3'}", CONTENT_DIR=content_copy)
    talk = Talk(app.test_client(), Session(locale="en-GB"))
    talk.launch()
    said = speech(talk.intent("OneRepMaxIntent", {"Weight": "20", "Reps": "8"}))
    assert "pounds" in said and "kilograms" not in said
