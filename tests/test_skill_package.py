"""``python -m skill package``: the ASK CLI skill package, its manifest and its checks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from skill.cli import main
from skill.config import PROJECT_ROOT
from skill.content.locales import LOCALES
from skill.simulator.core import InProcess, Simulator
from skill.simulator.nlu import LanguageModel
from tests.helpers import local_app, make_app

pytestmark = pytest.mark.usefixtures("no_packaging_settings")

ENDPOINT = "https://bones.example.org/alexa"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:bone-builder"


def package(tmp_path, *args: str) -> dict:
    out = tmp_path / "pkg"
    assert main(["package", "--out", str(out), *args]) == 0
    return json.loads((out / "skill-package" / "skill.json").read_text())


def test_the_package_has_a_manifest_and_a_model_per_locale(tmp_path, capsys):
    manifest = package(tmp_path, "--endpoint", ENDPOINT)["manifest"]
    out = tmp_path / "pkg"
    assert "ask deploy" in capsys.readouterr().out
    shared = json.loads((PROJECT_ROOT / "interaction_model.json").read_text())
    models = sorted(p.name for p in (out / "skill-package/interactionModels/custom").iterdir())
    assert models == sorted(f"{locale}.json" for locale in LOCALES)
    for name in models:
        model = json.loads((out / "skill-package/interactionModels/custom" / name).read_text())
        lm = model["interactionModel"]["languageModel"]
        shared_lm = shared["interactionModel"]["languageModel"]
        if name == "en-US.json":
            assert model == shared
            continue
        # Other locales add their own words to the shared samples and lose none.
        for intent, ours in zip(shared_lm["intents"], lm["intents"], strict=True):
            assert set(intent.get("samples", [])) <= set(ours.get("samples", []))
        if name == "en-GB.json":  # stone is a unit there
            units = [t for t in lm["types"] if t["name"] == "UNIT"]
            assert "STONES" in {v["id"] for v in units[0]["values"]}
    resources = json.loads((out / "ask-resources.json").read_text())
    assert resources["profiles"]["default"]["skillMetadata"]["src"] == "./skill-package"
    assert "skillInfrastructure" not in resources["profiles"]["default"]  # a custom endpoint

    publishing = manifest["publishingInformation"]
    assert sorted(publishing["locales"]) == sorted(LOCALES)
    assert sorted(publishing["distributionCountries"]) == ["AU", "CA", "GB", "IN", "US"]
    assert publishing["category"] == "HEALTH_AND_FITNESS"
    assert "user id" in publishing["testingInstructions"]
    for entry in publishing["locales"].values():
        assert entry["name"] == "Bone Builder" and 0 < len(entry["summary"]) <= 160
        assert "not a substitute for professional medical advice" in entry["description"]
        assert "emergency" in entry["description"].rsplit("\n\n", 1)[1]
        assert len(entry["examplePhrases"]) == 3 and entry["examplePhrases"][0].startswith(
            "Alexa, open "
        )
        assert "osteoporosis" in entry["keywords"]

    privacy = manifest["privacyAndCompliance"]
    assert privacy["usesPersonalInfo"] is True
    assert (
        privacy["allowsPurchases"] is privacy["isChildDirected"] is privacy["containsAds"] is False
    )
    for locale in LOCALES:
        assert privacy["locales"][locale]["privacyPolicyUrl"] == "https://bones.example.org/privacy"
    assert manifest["apis"]["custom"]["endpoint"] == {
        "uri": ENDPOINT,
        "sslCertificateType": "Trusted",
    }
    assert manifest["permissions"] == [{"name": "alexa::alerts:reminders:skill:readwrite"}]


def test_every_example_phrase_reaches_its_intent_in_the_simulator(tmp_path):
    out = tmp_path / "pkg"
    manifest = package(tmp_path, "--endpoint", ENDPOINT)["manifest"]
    listing = json.loads((PROJECT_ROOT / "content" / "listing.json").read_text())
    expected = {p["say"]: p["expect"] for p in listing["example_phrases"]}
    app = local_app(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    for locale, entry in manifest["publishingInformation"]["locales"].items():
        model_file = out / "skill-package/interactionModels/custom" / f"{locale}.json"
        model = LanguageModel.from_file(model_file)
        for phrase in entry["examplePhrases"]:
            turn = Simulator(model, InProcess(app), locale=locale).say(phrase)
            assert turn.intent == expected[phrase], (locale, phrase, turn.note)
            assert turn.status == 200 and turn.speech and "Sorry" not in turn.speech


def test_the_endpoint_comes_from_the_environment_with_its_certificate_type(tmp_path, monkeypatch):
    monkeypatch.setenv("ALEXA_SKILL_ENDPOINT", ENDPOINT)
    endpoint = package(tmp_path, "--certificate", "Wildcard")["manifest"]["apis"]["custom"]
    assert endpoint["endpoint"] == {"uri": ENDPOINT, "sslCertificateType": "Wildcard"}


def test_an_existing_function_needs_the_privacy_notice_address_only_for_certification(
    tmp_path, capsys
):
    manifest = package(tmp_path, "--endpoint", LAMBDA)["manifest"]
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": LAMBDA}
    assert manifest["privacyAndCompliance"]["locales"]["en-GB"] == {}
    assert "certification needs one (--privacy-url" in capsys.readouterr().out
    manifest = package(
        tmp_path, "--endpoint", LAMBDA, "--privacy-url", "https://bones.example.org/privacy"
    )["manifest"]
    privacy = manifest["privacyAndCompliance"]["locales"]["en-GB"]["privacyPolicyUrl"]
    assert privacy == "https://bones.example.org/privacy"


@pytest.mark.parametrize(
    ("endpoint", "says"),
    [
        ("http://bones.example.org/alexa", "https://"),
        ("https://bones.example.org:8443/alexa", "port 443"),
        ("arn:aws:lambda:us-east-1:12:function:x", "https://"),
    ],
)
def test_an_endpoint_alexa_cannot_call_is_refused(tmp_path, capsys, endpoint, says):
    assert main(["package", "--out", str(tmp_path / "pkg"), "--endpoint", endpoint]) == 1
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "pkg").exists()


def test_old_models_go_and_an_existing_ask_resources_file_stays(tmp_path):
    custom = tmp_path / "pkg/skill-package/interactionModels/custom"
    custom.mkdir(parents=True)
    (custom / "de-DE.json").write_text("{}")
    resources = tmp_path / "pkg/ask-resources.json"
    resources.write_text('{"profiles": {"default": {"skillId": "mine"}}}')
    package(tmp_path, "--endpoint", ENDPOINT)
    assert not (custom / "de-DE.json").exists() and (custom / "en-GB.json").exists()
    assert "mine" in resources.read_text()


def copy_of_the_project(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content")
    shutil.copy(PROJECT_ROOT / "interaction_model.json", tmp_path / "interaction_model.json")
    return tmp_path


def use(monkeypatch, folder: Path) -> None:
    monkeypatch.setenv("BONE_BUILDER_CONTENT_DIR", str(folder / "content"))
    monkeypatch.setenv("BONE_BUILDER_INTERACTION_MODEL", str(folder / "interaction_model.json"))


def edit_listing(folder: Path, change) -> None:
    path = folder / "content" / "listing.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_validate_refuses_an_example_phrase_the_model_does_not_know(tmp_path, monkeypatch, capsys):
    folder = copy_of_the_project(tmp_path)
    edit_listing(
        folder,
        lambda d: d["example_phrases"].__setitem__(
            1, {"say": "Alexa, ask bone builder to juggle", "expect": "HowHeavyIntent"}
        ),
    )
    use(monkeypatch, folder)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "'Alexa, ask bone builder to juggle' reaches AMAZON.FallbackIntent" in err


def test_validate_refuses_a_listing_that_breaks_the_store_rules(tmp_path, monkeypatch, capsys):
    folder = copy_of_the_project(tmp_path)

    def change(data):
        data["summary"] = "word " * 40
        data["example_phrases"].append(
            {"say": "Alexa, open bone builder", "expect": "LaunchRequest"}
        )
        del data["disclaimer"]

    edit_listing(folder, change)
    use(monkeypatch, folder)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "listing.json: field 'summary'" in err and "is too long" in err
    assert "field 'example_phrases'" in err
    assert "'disclaimer' is a required property" in err


def test_a_locale_overrides_only_what_differs(tmp_path, monkeypatch):
    folder = copy_of_the_project(tmp_path)
    edit_listing(folder, lambda d: d.setdefault("locales", {}).update(
        {"en-GB": {"summary": "Spoken answers on lifting for stronger bones, and a programme."}}
    ))  # fmt: skip
    overlay = {
        "interactionModel": {
            "languageModel": {
                "types": [{"name": "UNIT", "values": [{"id": "STONE", "name": {"value": "stone"}}]}]
            }
        }
    }
    (folder / "interaction_model.en-GB.json").write_text(json.dumps(overlay))
    use(monkeypatch, folder)
    locales = package(tmp_path, "--endpoint", ENDPOINT)["manifest"]["publishingInformation"]
    assert "programme" in locales["locales"]["en-GB"]["summary"]
    assert locales["locales"]["en-US"]["summary"] != locales["locales"]["en-GB"]["summary"]
    custom = tmp_path / "pkg/skill-package/interactionModels/custom"

    def unit_values(locale):
        model = json.loads((custom / f"{locale}.json").read_text())
        types = model["interactionModel"]["languageModel"]["types"]
        return [v["id"] for t in types if t["name"] == "UNIT" for v in t["values"]]

    assert unit_values("en-GB") == ["STONE"]
    assert "STONE" not in unit_values("en-US")


def test_the_privacy_notice_is_served_and_says_what_is_kept(tmp_path):
    app = make_app(
        {
            "ALEXA_VERIFY_SIGNATURES": True,
            "ALEXA_SKILL_ID": "amzn1.ask.skill.x",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'state.sqlite3'}",
        }
    )
    page = app.test_client().get("/privacy")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "id that Alexa gives your account" in text and "log of the workouts" in text
