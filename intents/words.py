"""Lines from ``content/lines/*.json``, filled in: the only way workout code says words."""

from __future__ import annotations

from typing import Any

from skill.content.model import Line, Prompt


class Words:
    """Looks up a line by key and fills its ``{placeholders}``.

    A line with variants gives the one picked by ``turn`` (a number the caller keeps
    stable for a conversation), so tests see the same words every time.
    """

    def __init__(self, lines: dict[str, Line]):
        self.lines = lines

    def __call__(self, key: str, turn: int = 0, /, **fields: Any) -> str:
        line = self.lines[key]
        if isinstance(line, Prompt):
            raise TypeError(f"line '{key}' asks a question: use Words.prompt")
        text = line[turn % len(line)] if isinstance(line, tuple) else line
        return text.format(**fields)

    def prompt(self, key: str, **fields: Any) -> Prompt:
        line = self.lines[key]
        if not isinstance(line, Prompt):
            return Prompt(self(key, **fields))
        follow_up = line.follow_up.format(**fields) if line.follow_up else None
        return Prompt(line.speech.format(**fields), follow_up)
