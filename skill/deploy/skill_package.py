"""The ASK CLI project: ``skill.json``, one interaction model per locale, the icons and
``ask-resources.json``.

``python -m skill package`` writes, under ``--out`` (default ``build/skill-package``)::

    ask-resources.json                       (merged: what you added to it is kept)
    skill-package/skill.json
    skill-package/interactionModels/custom/<locale>.json
    skill-package/assets/images/icon-108.png, icon-512.png

Without an endpoint, ``ask-resources.json`` deploys ``lambda/`` (built by ``python -m skill
lambda-bundle``) with ASK CLI's Lambda deployer, which creates the function and fills in
the endpoint; with ``--endpoint`` (an HTTPS URL or an existing function's ARN) only the
skill's metadata is deployed.

The manifest's words come from ``content/listing.json``; each locale's model is
``interaction_model.json``, with ``interaction_model.<locale>.json`` laid over it when such a
file exists (see ``locale_models``). Field limits are the Alexa developer console's: name 50
characters, summary 160, description and testing instructions 4000, three example phrases,
30 keywords.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..content.listing import Listing
from ..content.locales import COUNTRY_OF, LOCALES
from ..content.model_check import check_model
from . import icons
from .lambda_bundle import HANDLER, MARKER, BundleError, Target, read_marker

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
ASK_RESOURCES_VERSION = "2020-03-31"
BUNDLE_FOLDER = "lambda"
LAMBDA_DEPLOYER = "@ask-cli/lambda-deployer"
# Alexa waits 8 s for an answer; the function gets 10 s, and memory enough for a quick start.
LAMBDA_SETTINGS = {"timeout": 10, "memorySize": 512}
SENSITIVITY_LEVELS = ("LOW", "MEDIUM", "HIGH")


class PackageError(Exception):
    """The package cannot be made as asked; the message says what to change."""


@dataclass(frozen=True)
class Endpoint:
    """Where Alexa sends requests: an HTTPS URL with its certificate type, a Lambda ARN, or
    (``uri`` None) the function ASK CLI's Lambda deployer creates and fills in."""

    uri: str | None
    certificate: str | None = None

    @classmethod
    def parse(cls, uri: str | None, certificate: str = "Trusted") -> Endpoint:
        if not uri:
            return cls(None)
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
    def deployed_by_ask(self) -> bool:
        """ASK CLI's Lambda deployer makes the function and fills the endpoint in."""
        return self.uri is None

    @property
    def is_lambda(self) -> bool:
        return self.certificate is None

    def to_manifest(self) -> dict:
        if self.deployed_by_ask:
            return {}
        if self.is_lambda:
            return {"endpoint": {"uri": self.uri}}
        return {"endpoint": {"uri": self.uri, "sslCertificateType": self.certificate}}

    def privacy_url(self, given: str | None) -> str | None:
        """``given``, the skill's own notice next to an HTTPS endpoint, or None (Lambda)."""
        if given:
            if urlsplit(given).scheme != "https":
                raise PackageError(f"privacy policy URL {given!r} must be an https:// URL")
            return given
        if self.is_lambda:
            return None
        parts = urlsplit(self.uri)
        return f"https://{parts.netloc!s}/privacy"


def _merge_by_name(shared: list[dict], overlay: list[dict]) -> list[dict]:
    replaced = {item["name"]: item for item in overlay}
    merged = [replaced.pop(item["name"], item) for item in shared]
    return merged + list(replaced.values())


def _word_pattern(term: str) -> re.Pattern:
    return re.compile(rf"(?<![\w'.]){re.escape(term)}(?![\w'])")


def _with_local_words(samples: list[str], words: dict[str, list[str]]) -> list[str]:
    """``samples``, each followed by its copies with the locale's words, new ones only."""
    out: list[str] = []
    seen: set[str] = set()
    for sample in samples:
        for variant in [sample] + [
            _word_pattern(term).sub(local, sample)
            for term, locals_ in words.items()
            if _word_pattern(term).search(sample)
            for local in locals_
        ]:
            if variant not in seen:
                seen.add(variant)
                out.append(variant)
    return out


def _add_local_words(lm: dict, words: dict[str, list[str]]) -> None:
    for intent in lm.get("intents", []):
        if "samples" in intent:
            intent["samples"] = _with_local_words(intent["samples"], words)


def locale_models(model_path: Path) -> dict[str, dict]:
    """Each locale's interaction model: the shared one with the locale's overlay, if any.

    ``interaction_model.<locale>.json`` holds ``interactionModel.languageModel`` with just
    the ``intents`` and ``types`` that differ (they replace the shared ones by name), and
    ``words``: a term of the shared model and the locale's own words for it (``"program":
    ["programme"]``). Every sample with the term as a whole word gets a copy with each of the
    locale's words, beside the original, so the locale's model follows the shared samples as
    they change. Slot values are not touched: give a locale's values in its ``types``.
    """
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
            _add_local_words(lm, overlay.get("words", {}))
        models[locale] = model
    return models


def build_manifest(listing: Listing, endpoint: Endpoint, privacy_url: str | None) -> dict:
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
                    **icons.manifest_uris(),
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
            "locales": {
                locale: {"privacyPolicyUrl": privacy_url} if privacy_url else {}
                for locale in LOCALES
            },
        },
        "apis": {"custom": endpoint.to_manifest()},
    }
    if PERMISSIONS_USED:
        manifest["permissions"] = [{"name": scope} for scope in PERMISSIONS_USED]
    return {"manifest": manifest}


def _phrase_problems(locale: str, phrases: list[str], expected: dict, model: dict) -> list[str]:
    from ..simulator.nlu import FALLBACK, LanguageModel

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
        if "privacyPolicyUrl" in privacy and urlsplit(privacy["privacyPolicyUrl"]).scheme != "https":
            problems.append(f"skill.json: {locale}: the privacy policy URL must be https://")
        for field_name in icons.URI_FIELDS:
            if not entry.get(field_name):
                problems.append(f"skill.json: {locale}: no {field_name} (certification needs icons)")
        level = (
            model["interactionModel"]["languageModel"]
            .get("modelConfiguration", {})
            .get("fallbackIntentSensitivity", {})
            .get("level")
        )
        if level not in SENSITIVITY_LEVELS:
            problems.append(
                f"{locale}.json: set modelConfiguration.fallbackIntentSensitivity.level to one "
                f"of {', '.join(SENSITIVITY_LEVELS)} (it is {level!r})"
            )
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


def lambda_target(out: Path) -> Target:
    """The runtime of the bundle in ``out/lambda``, or of this interpreter before one is built."""
    marker = read_marker(Path(out) / BUNDLE_FOLDER)
    try:
        if marker is None:
            return Target.parse(None)
        target = Target.parse(marker["runtime"].removeprefix("python"), marker["architecture"])
    except (BundleError, KeyError, AttributeError) as exc:
        raise PackageError(f"{Path(out) / BUNDLE_FOLDER / MARKER}: {exc}") from exc
    if target.arch != "x86_64":
        raise PackageError(
            f"the bundle in {Path(out) / BUNDLE_FOLDER} is for {target.arch}, but ASK CLI's "
            "Lambda deployer makes x86_64 functions: build it with --arch x86_64"
        )
    return target


def ask_resources(
    existing: dict | None, endpoint: Endpoint, target: Target | None, env: dict[str, str]
) -> dict:
    """``ask-resources.json``: ``existing`` with the default profile's deploy settings set.

    Settings you added (``awsRegion``, a function name, environment variables, other
    profiles) are kept; a custom endpoint drops the Lambda deployer, so that ``ask deploy``
    never overwrites it."""
    document = copy.deepcopy(existing) if isinstance(existing, dict) else {}
    document["askcliResourcesVersion"] = ASK_RESOURCES_VERSION
    profile = document.setdefault("profiles", {}).setdefault("default", {})
    profile.setdefault("skillMetadata", {})["src"] = "./skill-package"
    if not endpoint.deployed_by_ask:
        profile.pop("code", None)
        profile.pop("skillInfrastructure", None)
        return document
    profile["code"] = {"default": {"src": f"./{BUNDLE_FOLDER}"}}
    infrastructure = profile.setdefault("skillInfrastructure", {})
    infrastructure["type"] = LAMBDA_DEPLOYER
    config = infrastructure.setdefault("userConfig", {})
    assert target is not None  # ASK deploys a bundle, and it was built for a runtime
    config["runtime"] = target.runtime
    config["handler"] = HANDLER
    function = config.setdefault("lambda", {})
    for key, value in LAMBDA_SETTINGS.items():
        function.setdefault(key, value)
    if env:
        function.setdefault("environmentVariables", {}).update(env)
    return document


def write_package(
    out: Path,
    document: dict,
    models: dict[str, dict],
    endpoint: Endpoint | None = None,
    env: dict[str, str] | None = None,
) -> list[Path]:
    """Write the package under ``out``; return the files written."""
    endpoint = endpoint or Endpoint(None)
    target = lambda_target(out) if endpoint.deployed_by_ask else None
    resources = out / "ask-resources.json"
    try:
        existing = json.loads(resources.read_text(encoding="utf-8"))
    except FileNotFoundError:
        existing = None
    except ValueError as exc:
        raise PackageError(f"{resources} is not valid JSON ({exc}): fix or remove it") from exc
    try:
        drawn = icons.render()
    except icons.IconError as exc:
        raise PackageError(str(exc)) from exc
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
    written += icons.write_icons(package, drawn)
    merged = ask_resources(existing, endpoint, target, env or {})
    resources.write_text(json.dumps(merged, indent=2) + "\n", "utf-8")
    written.append(resources)
    return written
