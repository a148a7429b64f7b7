"""Content for each locale: shared English, with a locale's own words and overrides.

``content/`` is written once, in American English. ``content/locales/<locale>.json`` says
only where a locale differs:

- ``words``: terms of the shared English and this locale's (``"physical therapist":
  "physiotherapist"``), replaced wherever they are whole words in topics, programs,
  messages, lines, safety and workout text (a capital first letter is kept; ``{fields}``
  and sources are left alone);
- ``overrides``: by section (``topics``, ``programs``, ``messages``, ``lines``, ``safety``,
  ``workout``) and then by the id or key the shared content uses, the parts of an entry
  that differ; objects are merged key by key, anything else is replaced.

Every locale is loaded and checked once, at start-up. During a request, ``LocalizedContent``
answers for the request's locale (set by ``use_locale``), so handlers read
``content.messages`` and friends as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .loader import Seen, load_content
from .locales import LOCALES
from .model import Content, ContentError

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

DEFAULT_LOCALE = LOCALES[0]
SECTIONS = ("topics", "programs", "messages", "lines", "safety", "workout")
#: Sections whose files each hold one entry (overrides are keyed by file name); the
#: others hold many entries, keyed inside the file.
PER_FILE = frozenset({"topics", "programs"})
#: Keys whose values are ids or references, never words.
NOT_WORDS = frozenset({"id", "intent", "slot", "slot_value", "sources", "kind", "symptoms"})

_current: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)


def use_locale(locale: str | None) -> None:
    """Answer from now on (in this thread or task) in ``locale``, or the default."""
    _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def current_locale() -> str:
    return _current.get()


class Localization:
    """One locale's ``words`` and ``overrides``, applied file by file as content loads."""

    def __init__(self, words: dict[str, str], overrides: dict[str, dict[str, Any]]):
        self.words = {k.lower(): v for k, v in words.items()}
        self.overrides = overrides
        self.used: set[tuple[str, str]] = set()
        terms = sorted(self.words, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<![{\w])(" + "|".join(map(re.escape, terms)) + r")(?![}\w])", re.IGNORECASE
            )
            if terms
            else None
        )

    def key(self) -> str:
        """Equal for two locales that say everything the same way."""
        return json.dumps([self.words, self.overrides], sort_keys=True)

    def __call__(self, section: str, stem: str, data: dict[str, Any]) -> dict[str, Any]:
        wanted = self.overrides.get(section, {})
        if section in PER_FILE:
            if stem in wanted:
                self.used.add((section, stem))
                data = _merge(data, wanted[stem])
        elif isinstance(data, dict):
            for key in data.keys() & wanted.keys():
                self.used.add((section, key))
                data = {**data, key: _merge(data[key], wanted[key])}
        return self._reword(data) if self._pattern else data

    def unused(self) -> list[str]:
        """Overrides that matched nothing in the shared content (a typo, or a removed entry)."""
        return [
            f"{section}.{key}"
            for section, entries in self.overrides.items()
            for key in entries
            if (section, key) not in self.used
        ]

    def _reword(self, value: Any, key: str | None = None) -> Any:
        if key in NOT_WORDS:
            return value
        if isinstance(value, str) and self._pattern is not None:
            return self._pattern.sub(self._replace, value)
        if isinstance(value, list):
            return [self._reword(v) for v in value]
        if isinstance(value, dict):
            return {k: self._reword(v, k) for k, v in value.items()}
        return value

    def _replace(self, match: re.Match[str]) -> str:
        said = self.words[match.group(0).lower()]
        return said[:1].upper() + said[1:] if match.group(0)[:1].isupper() else said


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{k: _merge(base.get(k), v) for k, v in override.items()}}
    return override


def _read_localization(
    folder: Path, locale: str, validator: Draft202012Validator | None
) -> tuple[Localization, list[str]]:
    path = folder / "locales" / f"{locale}.json"
    where = f"{folder.name}/locales/{locale}.json"
    if not path.exists():
        return Localization({}, {}), []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return Localization({}, {}), [f"{where}: not valid JSON ({exc})"]
    problems = [
        f"{where}: {'.'.join(map(str, e.absolute_path)) or '(whole file)'}: {e.message}"
        for e in (validator.iter_errors(raw) if validator is not None else ())
    ]
    if problems:
        return Localization({}, {}), problems
    return Localization(raw.get("words", {}), raw.get("overrides", {})), []


def _emergency_numbers(folder: Path) -> dict[str, Any]:
    """Each locale's spoken emergency number, as ``safety.json`` gives it (its problems are
    reported when the content loads)."""
    try:
        raw = json.loads((folder / "safety.json").read_text(encoding="utf-8"))
        return dict(raw["emergency_number"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def load_localized(folder: Path | str, check: bool = True) -> LocalizedContent:
    """Every locale's content, each checked against the schema and the speech rules
    (``check=False``: not, for content that passed them unchanged)."""
    folder = Path(folder)
    validator = None
    if check:
        from jsonschema import Draft202012Validator

        schema = json.loads((folder / "schema.json").read_text(encoding="utf-8"))
        validator = Draft202012Validator({"$ref": "#/$defs/locale", "$defs": schema["$defs"]})
    known = {p.stem for p in (folder / "locales").glob("*.json")}
    problems = [
        f"{folder.name}/locales/{name}.json: not a locale the skill speaks ({', '.join(LOCALES)})"
        for name in sorted(known - set(LOCALES))
    ]
    by_locale: dict[str, Content] = {}
    alike: dict[str, str] = {}
    seen: Seen = {}
    numbers = _emergency_numbers(folder)
    for locale in LOCALES:
        localization, found = _read_localization(folder, locale, validator)
        problems += found
        # Topics carry the emergency number in their words, so locales share only with it.
        said_alike = f"{localization.key()} {numbers.get(locale)}"
        twin = by_locale.get(alike.setdefault(said_alike, locale))
        if twin and twin.safety and locale in twin.safety.emergency_numbers:
            by_locale[locale] = twin  # same words: checked once, shared
            continue
        try:
            by_locale[locale] = load_content(folder, localization, locale, seen, check)
        except ContentError as exc:
            shared = locale == DEFAULT_LOCALE
            problems += [p if shared else f"{locale}: {p}" for p in exc.problems]
            if shared:
                break
        problems += [
            f"{folder.name}/locales/{locale}.json: overrides.{name}: no such entry in the "
            "shared content"
            for name in localization.unused()
        ]
    if problems:
        raise ContentError(problems)
    return LocalizedContent(by_locale)


class _Live(Mapping[str, Any]):
    """A mapping of ``Content`` (``messages``, ``programs``...) for the current locale."""

    def __init__(self, content: LocalizedContent, name: str):
        self._content = content
        self._name = name

    def _now(self) -> Mapping[str, Any]:
        now: Mapping[str, Any] = getattr(self._content.at(_current.get()), self._name)
        return now

    def __getitem__(self, key: str) -> Any:
        return self._now()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._now())

    def __len__(self) -> int:
        return len(self._now())

    def __contains__(self, key: object) -> bool:
        return key in self._now()


class LocalizedContent:
    """Every locale's ``Content``; reading an attribute answers for the current locale.

    Mappings (``messages``, ``topics``, ``lines``, ``programs``...) come back as live views,
    so a handler that kept one at start-up still speaks the request's locale.
    """

    def __init__(self, by_locale: dict[str, Content]):
        self.by_locale = by_locale
        self._views: dict[str, _Live] = {}

    def at(self, locale: str | None) -> Content:
        return self.by_locale.get(locale or "", self.by_locale[DEFAULT_LOCALE])

    def now(self, name: str) -> Any:
        """``Content``'s attribute ``name`` for the current locale (a mapping as a live view)."""
        value = getattr(self.at(_current.get()), name)
        if not isinstance(value, dict):
            return value
        view = self._views.get(name)
        if view is None:
            view = self._views[name] = _Live(self, name)
        return view

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "by_locale":
            raise AttributeError(name)
        return self.now(name)


def _field_now(name: str) -> property:
    return property(lambda self: self.now(name), doc=f"``Content.{name}`` for the current locale.")


# Content's fields are read on every request: as properties they skip the failed lookup
# that comes before ``__getattr__``. Anything else of Content still reaches ``__getattr__``.
for _field in fields(Content):
    setattr(LocalizedContent, _field.name, _field_now(_field.name))
