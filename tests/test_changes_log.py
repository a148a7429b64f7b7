"""content/CHANGES.md keeps one line per audit row, in order, each saying what changed and where."""

from __future__ import annotations

import re

from skill.config import PROJECT_ROOT

ROW = re.compile(r"^- (\d+): (.+) \(([^,()]+), ([^()]+)\)$")


def _rows() -> list[tuple[int, str]]:
    text = (PROJECT_ROOT / "content/CHANGES.md").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if re.match(r"^- \d+:", line):
            match = ROW.match(line)
            assert match, f"not in the form '- N: what changed (file, field)': {line}"
            rows.append((int(match.group(1)), match.group(2)))
    return rows


def test_rows_are_sorted_unique_and_in_range():
    ids = [row_id for row_id, _ in _rows()]
    assert ids == list(range(1, 791)), "every audit row, once, in order"


def test_rows_that_changed_name_what_changed():
    described = {row_id: what for row_id, what in _rows()}
    assert "chest-supported" in described[718]
    assert "a trial in Australia" in described[751]


def test_safety_rows_record_the_workout_changes():
    described = {row_id: what for row_id, what in _rows()}
    assert "SymptomIntent" in described[464]
    assert "go-ahead" in described[676]
    assert "a tenth" in described[679]
    assert "first use" in described[724]
    assert "unit the person last said" in described[777]
