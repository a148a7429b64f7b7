"""The skill's store listing, testing notes and privacy notice, from ``content/listing.json``.

The words are shared English; ``locales`` overrides a field for one locale. The manifest's
description is the description followed by the health disclaimer, so it always carries it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .locales import LOCALES
from .model import ContentError

LISTING_FILE = "listing.json"


@dataclass(frozen=True)
class ExamplePhrase:
    say: str
    expect: str  # "LaunchRequest" or the intent the phrase must reach


@dataclass(frozen=True)
class StoreEntry:
    """What the skill store shows for one locale."""

    name: str
    summary: str
    description: str
    example_phrases: tuple[ExamplePhrase, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Listing:
    entries: dict[str, StoreEntry]
    testing_instructions: str
    privacy_title: str
    privacy_paragraphs: tuple[str, ...]


def _entry(fields: dict[str, Any]) -> StoreEntry:
    return StoreEntry(
        name=fields["name"],
        summary=fields["summary"],
        description=f"{fields['description']}\n\n{fields['disclaimer']}",
        example_phrases=tuple(ExamplePhrase(**p) for p in fields["example_phrases"]),
        keywords=tuple(fields["keywords"]),
    )


def load_listing(folder: Path | str, check: bool = True) -> Listing:
    """Read and validate ``listing.json``; ContentError names the file and field.
    ``check=False`` leaves out the schema, for a listing that passed it unchanged."""
    path = Path(folder) / LISTING_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if check:
            _validate(raw, path, json.loads((Path(folder) / "schema.json").read_text("utf-8")))
    except FileNotFoundError as exc:
        raise ContentError([f"{exc.filename}: file is missing"]) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ContentError([f"{path}: not valid JSON ({exc})"]) from exc
    overrides = raw.get("locales", {})
    return Listing(
        entries={locale: _entry({**raw, **overrides.get(locale, {})}) for locale in LOCALES},
        testing_instructions=raw["testing_instructions"],
        privacy_title=raw["privacy_notice"]["title"],
        privacy_paragraphs=tuple(raw["privacy_notice"]["paragraphs"]),
    )


def _validate(raw: Any, path: Path, schema: dict[str, Any]) -> None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator({"$ref": "#/$defs/listing", "$defs": schema["$defs"]})
    problems = [
        f"{path}: field '{'.'.join(map(str, e.absolute_path)) or '(whole file)'}': {e.message}"
        for e in sorted(validator.iter_errors(raw), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        raise ContentError(problems)
