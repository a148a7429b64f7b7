"""The ASK CLI project that ``ask deploy`` takes: the Lambda deployer, icons, the model
settings certification checks, the sample rules and each locale's own words.

Amazon's side (``ask deploy``, SMAPI, certification) is not run here: these tests hold the
files to what ASK CLI reads and what the certification checklist asks.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from PIL import Image

from skill.cli import main
from skill.config import PROJECT_ROOT
from skill.content.locales import LOCALES
from skill.deploy.lambda_bundle import HANDLER, MARKER
from skill.deploy.skill_package import locale_models

pytestmark = pytest.mark.usefixtures("no_packaging_settings")

ENDPOINT = "https://bones.example.org/alexa"
PYTHON = f"python{sys.version_info.major}.{sys.version_info.minor}"


def package(out: Path, *args: str) -> tuple[dict, dict]:
    assert main(["package", "--out", str(out), *args]) == 0
    manifest = json.loads((out / "skill-package" / "skill.json").read_text())["manifest"]
    return manifest, json.loads((out / "ask-resources.json").read_text())


def test_without_an_endpoint_ask_deploy_makes_the_function_from_the_bundle(tmp_path, capsys):
    manifest, resources = package(tmp_path / "pkg")
    assert manifest["apis"] == {"custom": {}}  # the deployer fills the endpoint in
    profile = resources["profiles"]["default"]
    assert profile["code"] == {"default": {"src": "./lambda"}}
    infrastructure = profile["skillInfrastructure"]
    assert infrastructure["type"] == "@ask-cli/lambda-deployer"
    assert infrastructure["userConfig"]["runtime"] == PYTHON
    assert infrastructure["userConfig"]["handler"] == HANDLER == "skill.lambda_function.handler"
    assert infrastructure["userConfig"]["lambda"]["timeout"] == 10
    out = capsys.readouterr().out
    assert f"lambda-bundle --out {tmp_path / 'pkg' / 'lambda'}" in out and "ask deploy" in out


def test_the_runtime_is_the_one_the_bundle_was_built_for(tmp_path, capsys):
    bundle = tmp_path / "pkg" / "lambda"
    bundle.mkdir(parents=True)
    marker = {"runtime": "python3.13", "architecture": "x86_64", "handler": HANDLER}
    (bundle / MARKER).write_text(json.dumps(marker))
    _, resources = package(tmp_path / "pkg")
    config = resources["profiles"]["default"]["skillInfrastructure"]["userConfig"]
    assert config["runtime"] == "python3.13"
    assert "lambda-bundle" not in capsys.readouterr().out

    (bundle / MARKER).write_text(json.dumps({**marker, "architecture": "arm64"}))
    assert main(["package", "--out", str(tmp_path / "pkg")]) == 1
    assert "makes x86_64 functions" in capsys.readouterr().err


def test_what_you_add_to_ask_resources_is_kept_and_a_custom_endpoint_drops_the_deployer(tmp_path):
    out = tmp_path / "pkg"
    _, resources = package(out, "--lambda-env", "DATABASE_URL=postgresql://db/bones")
    config = resources["profiles"]["default"]["skillInfrastructure"]["userConfig"]
    config["awsRegion"] = "eu-west-1"
    config["lambda"]["memorySize"] = 1024
    resources["profiles"]["other"] = {"skillMetadata": {"src": "./elsewhere"}}
    (out / "ask-resources.json").write_text(json.dumps(resources))

    _, again = package(out, "--lambda-env", "ALEXA_SKILL_ID=amzn1.ask.skill.mine")
    config = again["profiles"]["default"]["skillInfrastructure"]["userConfig"]
    assert config["awsRegion"] == "eu-west-1" and config["lambda"]["memorySize"] == 1024
    assert config["lambda"]["environmentVariables"] == {
        "DATABASE_URL": "postgresql://db/bones",
        "ALEXA_SKILL_ID": "amzn1.ask.skill.mine",
    }
    assert again["profiles"]["other"] == {"skillMetadata": {"src": "./elsewhere"}}

    manifest, https = package(out, "--endpoint", ENDPOINT)
    assert "skillInfrastructure" not in https["profiles"]["default"]
    assert "code" not in https["profiles"]["default"]
    assert manifest["apis"]["custom"]["endpoint"]["uri"] == ENDPOINT


def test_a_lambda_env_that_is_no_assignment_is_refused(tmp_path, capsys):
    assert main(["package", "--out", str(tmp_path / "pkg"), "--lambda-env", "DATABASE_URL"]) == 1
    assert "NAME=VALUE" in capsys.readouterr().err
    assert not (tmp_path / "pkg").exists()


def test_icons_are_drawn_from_the_svg_and_named_for_every_locale(tmp_path):
    out = tmp_path / "pkg"
    manifest, _ = package(out, "--endpoint", ENDPOINT)
    for locale in LOCALES:
        entry = manifest["publishingInformation"]["locales"][locale]
        for field, size in (("smallIconUri", 108), ("largeIconUri", 512)):
            uri = entry[field]
            assert uri.startswith("file://assets/images/")
            png = (out / "skill-package" / uri.removeprefix("file://")).read_bytes()
            image = Image.open(io.BytesIO(png))
            assert image.format == "PNG" and image.size == (size, size)
            assert image.convert("RGBA").getextrema()[3] == (255, 255)  # opaque
            colours = image.convert("RGB").getcolors(maxcolors=size * size)
            assert len(colours) > 3  # drawn, not blank
    assert (PROJECT_ROOT / "skill" / "deploy" / "assets" / "icon.svg").is_file()
    assert not list(PROJECT_ROOT.glob("skill/deploy/assets/*.png"))


def copy_of_the_project(tmp_path: Path, monkeypatch) -> Path:
    shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content")
    for model in PROJECT_ROOT.glob("interaction_model*.json"):
        shutil.copy(model, tmp_path / model.name)
    monkeypatch.setenv("BONE_BUILDER_CONTENT_DIR", str(tmp_path / "content"))
    monkeypatch.setenv("BONE_BUILDER_INTERACTION_MODEL", str(tmp_path / "interaction_model.json"))
    return tmp_path


def edit_model(folder: Path, change) -> None:
    path = folder / "interaction_model.json"
    model = json.loads(path.read_text())
    change(model["interactionModel"]["languageModel"])
    path.write_text(json.dumps(model))


def add_sample(intent_name: str, sample: str):
    def change(lm):
        next(i for i in lm["intents"] if i["name"] == intent_name)["samples"].append(sample)

    return change


def test_the_model_sets_its_fallback_sensitivity_and_validate_holds_it_to_that(
    tmp_path, monkeypatch, capsys
):
    shipped = json.loads((PROJECT_ROOT / "interaction_model.json").read_text())
    config = shipped["interactionModel"]["languageModel"]["modelConfiguration"]
    assert config["fallbackIntentSensitivity"]["level"] in ("LOW", "MEDIUM", "HIGH")
    folder = copy_of_the_project(tmp_path, monkeypatch)
    edit_model(folder, lambda lm: lm.pop("modelConfiguration"))
    assert main(["validate"]) == 1
    assert "fallbackIntentSensitivity.level" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("intent", "sample", "says"),
    [
        ("UnitIntent", "{Unit}", "is only a slot"),
        ("LogSetIntent", "{Reps} {Unit}", "is only a slot"),
        ("LogSetIntent", "{Reps} reps in {Unit}", None),  # words around it, shared by none
        ("NutritionIntent", "how about {Nutrient}", "only the slot differs"),
        ("DifficultyIntent", "i meant {Difficulty}", "only the slot differs"),
    ],
)
def test_validate_refuses_slot_only_samples_and_samples_two_intents_share(
    tmp_path, monkeypatch, capsys, intent, sample, says
):
    folder = copy_of_the_project(tmp_path, monkeypatch)
    edit_model(folder, add_sample(intent, sample))
    result = main(["validate"])
    err = capsys.readouterr().err
    if says is None:
        assert result == 0, err
    else:
        assert result == 1 and says in err and f"'{sample}'" in err


def test_the_shipped_model_has_no_slot_only_or_shared_samples():
    import re

    lm = json.loads((PROJECT_ROOT / "interaction_model.json").read_text())
    owners: dict[str, set[str]] = {}
    for intent in lm["interactionModel"]["languageModel"]["intents"]:
        for sample in intent.get("samples", []):
            assert re.sub(r"\{\w+\}", "", sample).strip(), (intent["name"], sample)
            owners.setdefault(re.sub(r"\{\w+\}", "{}", sample), set()).add(intent["name"])
    assert not {shape: who for shape, who in owners.items() if len(who) > 1}


def samples_of(model: dict) -> set[str]:
    return {s for i in model["interactionModel"]["languageModel"]["intents"] for s in i.get("samples", [])}


def test_each_locale_model_carries_its_own_words():
    models = locale_models(PROJECT_ROOT / "interaction_model.json")
    us = samples_of(models["en-US"])
    words = {locale: " ".join(samples_of(models[locale]) - us) for locale in LOCALES}
    assert words["en-US"] == ""
    for locale in ("en-GB", "en-AU", "en-IN", "en-CA"):
        assert "physio" in words[locale] and "kilos" in words[locale], locale
    for locale in ("en-GB", "en-IN"):
        assert "start the {Program} programme" in samples_of(models[locale])
    for locale in ("en-AU", "en-CA"):  # they write "program"
        assert "programme" not in words[locale]
    assert "g. p." in words["en-GB"] and "g. p." in words["en-AU"]


def test_an_example_phrase_in_a_locales_own_words_reaches_its_intent_only_there(
    tmp_path, monkeypatch, capsys
):
    folder = copy_of_the_project(tmp_path, monkeypatch)
    listing = json.loads((folder / "content" / "listing.json").read_text())
    phrases = listing["example_phrases"][:2] + [
        {"say": "Alexa, ask bone builder is five kilos enough", "expect": "HowHeavyIntent"}
    ]  # fmt: skip
    listing.setdefault("locales", {})["en-GB"] = {"example_phrases": phrases}
    (folder / "content" / "listing.json").write_text(json.dumps(listing))
    assert main(["validate"]) == 0, capsys.readouterr().err

    listing["locales"]["en-US"] = {"example_phrases": phrases}
    (folder / "content" / "listing.json").write_text(json.dumps(listing))
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "en-US: example phrase 'Alexa, ask bone builder is five kilos enough'" in err
    assert "en-GB" not in err
