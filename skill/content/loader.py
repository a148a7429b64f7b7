"""Load the skill's answers, sources and fixed lines from ``content/`` and validate them.

Everything is checked against ``content/schema.json`` and cross-checked (source ids
exist, spoken answers fit the word budget, spoken fields follow ``speech_rules``) once,
at start-up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import speech_rules
from .model import (
    Answer,
    Card,
    Content,
    ContentError,
    Exercise,
    Line,
    OneRepMaxRule,
    Program,
    Progression,
    Prompt,
    RestRule,
    Safety,
    Source,
    Symptom,
    SymptomKind,
    Topic,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

SPEECH_WORD_BUDGET = 35
#: ``{field}`` placeholders a topic's text may use, filled in for each locale at load.
TOPIC_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
ANSWER_TEXT = ("speech", "follow_up", "more")
PROGRAM_SPOKEN = ("name", "summary", "safety", "audience")
EXERCISE_SPOKEN = ("name", "cue", "safety")


#: What was already checked, shared between the locales' loads: speech-rule problems by
#: text, schema errors by definition and data.
Seen = dict[tuple[str, str], Any]
#: (file data, the path of a schema error in it) -> (entry, field), for the problem's words.
EntryOf = Callable[[object, list[str]], tuple[str, str]]


def word_count(text: str) -> int:
    return len(text.split())


class _Reader:
    """Collects every problem in the content folder before reporting them together."""

    def __init__(
        self,
        folder: Path,
        localize: Localize | None = None,
        seen: Seen | None = None,
        check: bool = True,
    ):
        self.folder = folder
        self.problems: list[str] = []
        self.localize = localize
        self.check = check
        self._seen: Seen = {} if seen is None else seen
        self._defs: dict[str, Any] | None = None
        self._validators: dict[str, Draft202012Validator] = {}

    def _validator(self, name: str) -> Draft202012Validator:
        if name not in self._validators:
            from jsonschema import Draft202012Validator

            if self._defs is None:
                schema = json.loads((self.folder / "schema.json").read_text(encoding="utf-8"))
                self._defs = schema["$defs"]
            self._validators[name] = Draft202012Validator(
                {"$ref": f"#/$defs/{name}", "$defs": self._defs}
            )
        return self._validators[name]

    def _where(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.folder.parent))
        except ValueError:
            return str(path)

    def problem(self, path: Path, entry: str, field_name: str, message: str) -> None:
        self.problems.append(
            f"{self._where(path)}: entry '{entry}', field '{field_name}': {message}"
        )

    def spoken(self, path: Path, entry: str, fields: dict[str, str | None]) -> None:
        """Check each text Alexa will say against the speech rules."""
        if not self.check:
            return
        for field_name, text in fields.items():
            key = ("spoken", text or "")
            if key not in self._seen:
                self._seen[key] = speech_rules.problems(text or "")
            for message in self._seen[key]:
                self.problem(path, entry, field_name, message)

    def _errors(self, definition: str, data: object) -> list[ValidationError]:
        """Schema errors for ``data``; data already checked (in another locale) is not redone."""
        if not self.check:
            return []
        key = (definition, json.dumps(data, sort_keys=True))
        if key not in self._seen:
            errors = self._validator(definition).iter_errors(data)
            self._seen[key] = sorted(errors, key=lambda e: list(e.path))
        found: list[ValidationError] = self._seen[key]
        return found

    def read(
        self, path: Path, definition: str, entry_of: EntryOf, section: str | None = None
    ) -> dict[str, Any] | None:
        """A file's data, valid against ``definition``; localized as part of ``section``."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.problem(path, "-", "-", "file is missing")
            return None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            self.problem(path, "-", "-", f"not valid JSON ({exc})")
            return None
        if self.localize and section:
            data = self.localize(section, path.stem, data)
        errors = self._errors(definition, data)
        for err in errors:
            entry, field_name = entry_of(data, [str(p) for p in err.absolute_path])
            self.problem(path, entry, field_name, err.message)
        return None if errors or not isinstance(data, dict) else data

    def entries(
        self, subfolder: Path, definition: str, entry_of: EntryOf
    ) -> Iterator[tuple[Path, dict[str, Any]]]:
        """(path, data) for each valid file in ``subfolder``, whose ``id`` must match its name."""
        files = sorted(subfolder.glob("*.json"))
        if not files:
            self.problem(subfolder, "-", "-", f"no {definition} files found")
        for path in files:
            raw = self.read(path, definition, entry_of, section=subfolder.name)
            if raw is None:
                continue
            if raw["id"] != path.stem:
                self.problem(path, raw["id"], "id", f"must match the file name '{path.stem}'")
            yield path, raw


def _topic_entry(data: object, path: list[str]) -> tuple[str, str]:
    topic_id = data.get("id", "?") if isinstance(data, dict) else "?"
    if len(path) >= 2 and path[0] == "variants":
        return f"{topic_id}/{path[1]}", ".".join(path[2:]) or path[1]
    return str(topic_id), ".".join(path) or "(whole entry)"


def _keyed_entry(data: object, path: list[str]) -> tuple[str, str]:
    if not path:
        return "-", "(whole file)"
    return path[0], ".".join(path[1:]) or "(whole entry)"


def _answer(raw: dict[str, Any]) -> Answer:
    return Answer(
        speech=raw["speech"],
        follow_up=raw["follow_up"],
        card=Card(raw["card"]["title"], raw["card"]["text"]),
        sources=tuple(raw["sources"]),
        more=raw["more"],
    )


#: Turns one file's data into a locale's: ``(section, file stem, data) -> data``, where
#: section is ``topics``, ``programs``, ``messages``, ``lines``, ``safety`` or ``workout``.
Localize = Callable[[str, str, dict[str, Any]], dict[str, Any]]


def load_content(
    folder: Path | str,
    localize: Localize | None = None,
    locale: str = "en-US",
    seen: Seen | None = None,
    check: bool = True,
) -> Content:
    """Read and validate every content file; raise ContentError listing all problems.

    ``localize`` (see ``skill.content.localized``) rewrites each file's data for ``locale`` before
    it is checked, so every locale's words meet the schema and the speech rules. ``seen``,
    shared between the locales' loads, keeps what was already checked from being redone.
    ``check=False`` leaves out the schema and the speech rules, for content that passed
    them unchanged (``skill.content.stamp``).
    """
    folder = Path(folder)
    reader = _Reader(folder, localize, seen, check)
    sources_raw = reader.read(folder / "sources.json", "sources", _keyed_entry) or {}
    messages_raw = reader.read(folder / "messages.json", "messages", _keyed_entry, "messages") or {}
    for source_id, source in sources_raw.items():
        reader.spoken(folder / "sources.json", source_id, {"spoken": source["spoken"]})
    for key, line in messages_raw.items():
        reader.spoken(
            folder / "messages.json",
            key,
            {"speech": line["speech"], "follow_up": line.get("follow_up")},
        )

    safety = _load_safety(folder, reader, locale)
    fields = {"emergency": safety.emergency_numbers.get(locale, "") if safety else ""}
    topics: dict[str, Topic] = {}
    intents: dict[str, Path] = {}
    for path, raw in reader.entries(folder / "topics", "topic", _topic_entry):
        raw = _fill_topic(reader, path, raw, fields)
        if raw["id"] in topics:
            reader.problem(path, raw["id"], "id", "another file already uses this id")
        if raw["intent"] in intents:
            reader.problem(
                path,
                raw["id"],
                "intent",
                f"already answered by {reader._where(intents[raw['intent']])}",
            )
        intents[raw["intent"]] = path
        answers = {"answer": raw["answer"]}
        answers.update({f"variants.{k}": v for k, v in raw.get("variants", {}).items()})
        for where, answer in answers.items():
            entry = raw["id"] if where == "answer" else f"{raw['id']}/{where.split('.', 1)[1]}"
            prefix = "answer." if where == "answer" else ""
            reader.spoken(
                path,
                entry,
                {prefix + name: answer[name] for name in ("speech", "follow_up", "more")},
            )
            words = word_count(answer["speech"])
            if words > SPEECH_WORD_BUDGET:
                reader.problem(
                    path,
                    entry,
                    prefix + "speech",
                    f"{words} words, over the {SPEECH_WORD_BUDGET}-word spoken budget",
                )
            for source_id in answer["sources"]:
                if sources_raw and source_id not in sources_raw:
                    reader.problem(
                        path, entry, prefix + "sources", f"unknown source id '{source_id}'"
                    )
        topics[raw["id"]] = Topic(
            id=raw["id"],
            intent=raw["intent"],
            answer=_answer(raw["answer"]),
            slot=raw.get("slot"),
            variants={k: _answer(v) for k, v in raw.get("variants", {}).items()},
            pauses_workout=raw.get("pauses_workout", False),
        )

    programs = _load_programs(folder, reader, sources_raw)
    workout = reader.read(folder / "workout.json", "workout", _keyed_entry, "workout") or {}
    progression = _progression(folder, reader, workout, sources_raw)
    if workout and locale not in workout.get("default_unit", {}):
        path = folder / "workout.json"
        reader.problem(path, "default_unit", locale, "no default unit for this locale")
    lines = _load_lines(folder, reader)

    if reader.problems:
        raise ContentError(reader.problems)
    # Valid content has every part (the schema requires them), so nothing is None here.
    assert safety is not None and progression is not None and workout
    return Content(
        topics=topics,
        sources={k: Source(id=k, **v) for k, v in sources_raw.items()},
        messages={k: Prompt(**v) for k, v in messages_raw.items()},
        programs=programs,
        workout=workout,
        safety=safety,
        lines=lines,
        progression=progression,
        rest=RestRule(**workout["rest"]),
        one_rep_max=OneRepMaxRule(
            **{
                **workout["one_rep_max"],
                "working_reps": tuple(workout["one_rep_max"]["working_reps"]),
            }
        ),
    )


def _fill_topic(reader: _Reader, path: Path, raw: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    """The topic with each ``{field}`` in its answers' text filled in (``{emergency}``: the
    locale's spoken emergency number); a field no topic may use is a problem."""

    def fill(entry: str, name: str, text: str) -> str:
        def value(match: re.Match[str]) -> str:
            if match.group(1) in fields:
                return fields[match.group(1)]
            reader.problem(path, entry, name, f"unknown field {match.group(0)}: use {{emergency}}")
            return match.group(0)

        return TOPIC_FIELD.sub(value, text)

    def answer(entry: str, prefix: str, given: dict[str, Any]) -> dict[str, Any]:
        done = {k: fill(entry, prefix + k, given[k]) for k in ANSWER_TEXT}
        card = {k: fill(entry, f"{prefix}card.{k}", v) for k, v in given["card"].items()}
        return {**given, **done, "card": card}

    topic_id = raw["id"]
    filled = {**raw, "answer": answer(topic_id, "answer.", raw["answer"])}
    if "variants" in raw:
        filled["variants"] = {
            k: answer(f"{topic_id}/{k}", "", v) for k, v in raw["variants"].items()
        }
    return filled


def _progression(
    folder: Path, reader: _Reader, workout: dict[str, Any], sources_raw: dict[str, Any]
) -> Progression | None:
    raw = workout.get("progression")
    if not raw:
        return None
    for source_id in raw["sources"]:
        if sources_raw and source_id not in sources_raw:
            reader.problem(
                folder / "workout.json",
                "progression",
                "sources",
                f"unknown source id '{source_id}'",
            )
    fields = {k: v for k, v in raw.items() if k != "rule"}
    return Progression(**{**fields, "sources": tuple(raw["sources"])})


def _load_safety(folder: Path, reader: _Reader, locale: str) -> Safety | None:
    path = folder / "safety.json"
    raw = reader.read(path, "safety", _keyed_entry, "safety")
    if raw is None:
        return None
    if locale not in raw["emergency_number"]:
        reader.problem(path, "emergency_number", locale, "no emergency number for this locale")
    for where, number in raw["emergency_number"].items():
        reader.spoken(path, "emergency_number", {where: number})
    kinds = raw["kinds"]
    named = [("symptoms", k, v["kind"]) for k, v in raw["symptoms"].items()]
    named += [
        ("symptoms", k, kind)
        for k, v in raw["symptoms"].items()
        for kind in v.get("with_body_part", {}).values()
    ]
    named += [("body_parts", k, v["kind"]) for k, v in raw["body_parts"].items()]
    named.append(("without_symptom", "-", raw["without_symptom"]))
    named += [("covers", k, c) for k, v in kinds.items() for c in v["covers"]]
    for where, entry, kind in named:
        if kind not in kinds:
            reader.problem(path, entry, where, f"unknown kind '{kind}'")
    for symptom_id, symptom in raw["symptoms"].items():
        for part in symptom.get("with_body_part", {}):
            if part not in raw["body_parts"]:
                reader.problem(path, symptom_id, "with_body_part", f"unknown body part '{part}'")
    for kind_id, kind in kinds.items():
        reader.spoken(
            path,
            kind_id,
            {k: kind[k] for k in ("speech", "label", "held_question")},
        )
    for part, value in raw["body_parts"].items():
        reader.spoken(path, part, {"label": value["label"]})
    for symptom_id, value in raw["symptoms"].items():
        reader.spoken(path, symptom_id, {"label": value["label"]})
    return Safety(
        emergency_numbers=raw["emergency_number"],
        kinds={
            k: SymptomKind(**{**v, "covers": tuple(v["covers"])}) for k, v in kinds.items()
        },
        symptoms={k: Symptom(**v) for k, v in raw["symptoms"].items()},
        body_parts={k: (v["kind"], v["label"]) for k, v in raw["body_parts"].items()},
        without_symptom=raw["without_symptom"],
    )


def _load_lines(folder: Path, reader: _Reader) -> dict[str, Line]:
    """Every ``content/lines/*.json`` file, merged; a key may be defined only once."""
    lines: dict[str, Line] = {}
    for path in sorted((folder / "lines").glob("*.json")):
        raw = reader.read(path, "lines", _keyed_entry, "lines")
        for key, value in (raw or {}).items():
            if key in lines:
                reader.problem(path, key, "(whole entry)", "another lines file already has it")
            texts = value if isinstance(value, dict) else {"text": value}
            for field_name, text in texts.items():
                for n, variant in enumerate(text if isinstance(text, list) else [text]):
                    name = field_name if not isinstance(text, list) else f"{field_name}[{n}]"
                    reader.spoken(path, key, {name: variant})
            if isinstance(value, dict):
                lines[key] = Prompt(**value)
            else:
                lines[key] = tuple(value) if isinstance(value, list) else value
    return lines


def _load_programs(folder: Path, reader: _Reader, sources_raw: dict[str, Any]) -> dict[str, Program]:
    programs: dict[str, Program] = {}
    for path, raw in reader.entries(folder / "programs", "program", _program_entry):
        reader.spoken(path, raw["id"], {k: raw.get(k) for k in PROGRAM_SPOKEN})
        seen: set[str] = set()
        for exercise in raw["exercises"]:
            entry = f"{raw['id']}/{exercise['id']}"
            reader.spoken(path, entry, {k: exercise.get(k) for k in EXERCISE_SPOKEN})
            if exercise["id"] in seen:
                reader.problem(path, entry, "id", "two exercises share this id")
            seen.add(exercise["id"])
            low, high = exercise["reps"]
            if low > high:
                reader.problem(path, entry, "reps", f"fewest ({low}) is more than most ({high})")
            for source_id in exercise["sources"]:
                if sources_raw and source_id not in sources_raw:
                    reader.problem(path, entry, "sources", f"unknown source id '{source_id}'")
        programs[raw["id"]] = Program(
            **{k: v for k, v in raw.items() if k not in ("exercises", "go_ahead")},
            go_ahead=Prompt(**raw["go_ahead"]) if "go_ahead" in raw else None,
            exercises=tuple(
                Exercise(
                    **{
                        **e,
                        "reps": tuple(e["reps"]),
                        "loads": tuple(e["loads"]),
                        "sources": tuple(e["sources"]),
                    }
                )
                for e in raw["exercises"]
            ),
        )
    return programs


def _program_entry(data: object, path: list[str]) -> tuple[str, str]:
    program_id = data.get("id", "?") if isinstance(data, dict) else "?"
    if len(path) >= 2 and path[0] == "exercises":
        try:
            exercise = data["exercises"][int(path[1])].get("id", path[1])  # type: ignore[index]
        except (IndexError, ValueError, AttributeError, TypeError):
            exercise = path[1]
        return f"{program_id}/{exercise}", ".".join(path[2:]) or "(whole exercise)"
    return str(program_id), ".".join(path) or "(whole entry)"
