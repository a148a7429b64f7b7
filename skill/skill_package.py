"""The ASK CLI skill package: ``skill.json`` and one interaction model per locale.

``python -m skill package`` writes, under ``--out`` (default ``build/skill-package``)::

    ask-resources.json                       (only if missing: ask deploy keeps its state there)
    skill-package/skill.json
    skill-package/interactionModels/custom/<locale>.json

The manifest's words come from ``content/listing.json``; each locale's model is
``interaction_model.json``, with ``interaction_model.<locale>.json`` (same shape, only the
intents and types that differ) laid over it when such a file exists. Field limits are the
Alexa developer console's: name 50 characters, summary 160, description and testing
instructions 4000, three example phrases, 30 keywords.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .listing import Listing
from .locales import COUNTRY_OF, LOCALES
from .model_check import check_model

MANIFEST_VERSION = "1.0"
CATEGORY = "HEALTH_AND_FITNESS"
CERTIFICATE_TYPES = ("Trusted", "Wildcard", "SelfSigned")
DEFAULT_OUT = Path("build") / "skill-package"
ENDPOINT_VARIABLE = "ALEXA_SKILL_ENDPOINT"
PRIVACY_URL_VARIABLE = "BONE_BUILDER_PRIVACY_URL"
# The one permission the skill asks for: creating and changing its own reminders
# (intents/keep/consent.py). It asks for no customer data (no name, address or lists).
# Add a scope here only with the handler that uses it.
PERMISSIONS_USED: tuple[str, ...] = ("alexa::alerts:reminders:skill:readwrite",)
LIMITS = {"name": 50, "summary": 160, "description": 4000, "testingInstructions": 4000}
MAX_EXAMPLE_PHRASES = 3
MAX_KEYWORDS = 30
LAMBDA_ARN = re.compile(
    r"arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?"
)
ASK_RESOURCES = {
    "askcliResourcesVersion": "2020-03-31",
    "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}},
}


class PackageError(Exception):
    """The package cannot be made as asked; the message says what to change."""


@dataclass(frozen=True)
class Endpoint:
    """Where Alexa sends requests: an HTTPS URL with its certificate type, or a Lambda ARN."""

    uri: str
    certificate: str | None = None

    @classmethod
    def parse(cls, uri: str | None, certificate: str = "Trusted") -> Endpoint:
        if not uri:
            raise PackageError(
                "say where Alexa should send requests: --endpoint https://your-host/alexa "
                f"(or an AWS Lambda ARN), or set {ENDPOINT_VARIABLE}"
            )
        if LAMBDA_ARN.fullmatch(uri):
            return cls(uri)
        parts = urlsplit(uri)
        if parts.scheme != "https" or not parts.hostname:
            raise PackageError(
                f"endpoint {uri!r} must be an https:// URL (Alexa only calls HTTPS on port 443) "
                "or an AWS Lambda ARN (arn:aws:lambda:<region>:<account>:function:<name>)"
            )
        if parts.port not in (None, 443):
            raise PackageError(f"endpoint {uri!r}: Alexa only calls port 443")
        if certificate not in CERTIFICATE_TYPES:
            raise PackageError(
                f"certificate type {certificate!r} must be one of {', '.join(CERTIFICATE_TYPES)}"
            )
        return cls(uri, certificate)

    @property
    def is_lambda(self) -> bool:
        return self.certificate is None

    def to_manifest(self) -> dict:
        if self.is_lambda:
            return {"uri": self.uri}
        return {"uri": self.uri, "sslCertificateType": self.certificate}

    def privacy_url(self, given: str | None) -> str:
        """``given``, or the skill's own privacy notice next to an HTTPS endpoint."""
        if given:
            if urlsplit(given).scheme != "https":
                raise PackageError(f"privacy policy URL {given!r} must be an https:// URL")
            return given
        if self.is_lambda:
            raise PackageError(
                "a Lambda endpoint serves no web page: give the privacy notice's address with "
                f"--privacy-url https://... or {PRIVACY_URL_VARIABLE} (the web app serves it "
                "at /privacy)"
            )
        parts = urlsplit(self.uri)
        return f"https://{parts.netloc}/privacy"


def _merge_by_name(shared: list[dict], overlay: list[dict]) -> list[dict]:
    replaced = {item["name"]: item for item in overlay}
    merged = [replaced.pop(item["name"], item) for item in shared]
    return merged + list(replaced.values())


def locale_models(model_path: Path) -> dict[str, dict]:
    """Each locale's interaction model: the shared one, with the locale's overlay if any."""
    shared = json.loads(Path(model_path).read_text(encoding="utf-8"))
    models = {}
    for locale in LOCALES:
        model = copy.deepcopy(shared)
        overlay_path = Path(model_path).with_name(f"{Path(model_path).stem}.{locale}.json")
        if overlay_path.exists():
            overlay = json.loads(overlay_path.read_text(encoding="utf-8"))
            lm = model["interactionModel"]["languageModel"]
            over = overlay.get("interactionModel", {}).get("languageModel", {})
            for key in ("intents", "types"):
                if key in over:
                    lm[key] = _merge_by_name(lm.get(key, []), over[key])
            if "invocationName" in over:
                lm["invocationName"] = over["invocationName"]
        models[locale] = model
    return models


def build_manifest(listing: Listing, endpoint: Endpoint, privacy_url: str) -> dict:
    """The ``skill.json`` document for every locale in ``LOCALES``."""
    manifest: dict = {
        "manifestVersion": MANIFEST_VERSION,
        "publishingInformation": {
            "locales": {
                locale: {
                    "name": entry.name,
                    "summary": entry.summary,
                    "description": entry.description,
                    "examplePhrases": [p.say for p in entry.example_phrases],
                    "keywords": list(entry.keywords),
                }
                for locale, entry in listing.entries.items()
            },
            "isAvailableWorldwide": False,
            "distributionCountries": [COUNTRY_OF[locale] for locale in LOCALES],
            "distributionMode": "PUBLIC",
            "category": CATEGORY,
            "testingInstructions": listing.testing_instructions,
        },
        "privacyAndCompliance": {
            "allowsPurchases": False,
            # It keeps the Alexa user id and a log of the person's workouts.
            "usesPersonalInfo": True,
            "isChildDirected": False,
            "isExportCompliant": True,
            "containsAds": False,
            "usesHealthInfo": False,
            "locales": {locale: {"privacyPolicyUrl": privacy_url} for locale in LOCALES},
        },
        "apis": {"custom": {"endpoint": endpoint.to_manifest()}},
    }
    if PERMISSIONS_USED:
        manifest["permissions"] = [{"name": scope} for scope in PERMISSIONS_USED]
    return {"manifest": manifest}


def _phrase_problems(locale: str, phrases: list[str], expected: dict, model: dict) -> list[str]:
    from .simulator.nlu import FALLBACK, LanguageModel

    # Certification asks that an example phrase be covered by the model exactly: no guesses.
    understood = LanguageModel(model, statistical=False)
    problems = []
    for phrase in phrases:
        where = f"skill.json: {locale}: example phrase {phrase!r}"
        if not phrase.startswith("Alexa, "):
            problems.append(f"{where} must start with 'Alexa, '")
        resolution = understood.resolve(phrase)
        reached = "LaunchRequest" if resolution.kind == "launch" else resolution.intent
        if resolution.kind != "launch" and not resolution.one_shot:
            problems.append(f"{where} does not name the invocation name")
        elif reached == FALLBACK or reached != expected.get(phrase):
            problems.append(
                f"{where} reaches {reached}, not {expected.get(phrase)}: "
                "use a sample utterance of that intent"
            )
    return problems


def check_package(document: dict, models: dict[str, dict], listing: Listing) -> list[str]:
    """Everything Amazon would refuse in the generated manifest and models, in words."""
    manifest = document["manifest"]
    publishing = manifest["publishingInformation"]
    problems = []
    for locale in LOCALES:
        entry = publishing["locales"].get(locale)
        if entry is None:
            problems.append(f"skill.json: no publishing information for {locale}")
            continue
        for field_name in ("name", "summary", "description"):
            if len(entry[field_name]) > LIMITS[field_name]:
                problems.append(
                    f"skill.json: {locale}: {field_name} is {len(entry[field_name])} characters, "
                    f"over Amazon's {LIMITS[field_name]}"
                )
        if not 1 <= len(entry["examplePhrases"]) <= MAX_EXAMPLE_PHRASES:
            problems.append(f"skill.json: {locale}: give one to three example phrases")
        if len(entry["keywords"]) > MAX_KEYWORDS:
            problems.append(f"skill.json: {locale}: more than {MAX_KEYWORDS} keywords")
        model = models.get(locale)
        if model is None:
            problems.append(f"interactionModels/custom/{locale}.json is missing")
            continue
        problems += [f"{locale}.json: {p}" for p in check_model(model)]
        expected = {p.say: p.expect for p in listing.entries[locale].example_phrases}
        problems += _phrase_problems(locale, entry["examplePhrases"], expected, model)
        privacy = manifest["privacyAndCompliance"]["locales"].get(locale, {})
        if urlsplit(privacy.get("privacyPolicyUrl", "")).scheme != "https":
            problems.append(f"skill.json: {locale}: the privacy policy URL must be https://")
    if len(publishing["testingInstructions"]) > LIMITS["testingInstructions"]:
        problems.append("skill.json: testingInstructions is over 4000 characters")
    if set(models) - set(LOCALES):
        problems.append(
            f"models for locales the manifest does not list: {set(models) - set(LOCALES)}"
        )
    declared = [p["name"] for p in manifest.get("permissions", [])]
    if any(scope not in PERMISSIONS_USED for scope in declared):
        problems.append("skill.json: declares permissions the skill does not use")
    return problems


def write_package(out: Path, document: dict, models: dict[str, dict]) -> list[Path]:
    """Write the package under ``out``; return the files written."""
    package = out / "skill-package"
    custom = package / "interactionModels" / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    for stale in custom.glob("*.json"):
        if stale.stem not in models:
            stale.unlink()
    written = [package / "skill.json"]
    written[0].write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    for locale, model in models.items():
        path = custom / f"{locale}.json"
        path.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n", "utf-8")
        written.append(path)
    resources = out / "ask-resources.json"
    if not resources.exists():
        resources.write_text(json.dumps(ASK_RESOURCES, indent=2) + "\n", "utf-8")
        written.append(resources)
    return written
