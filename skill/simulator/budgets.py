"""Turn budgets: how long each kind of response may take to say, checked over a whole walk.

``spoken_check`` walks the skill (``walk.py``), times every response's speech with
espeak-ng (``timing.py``) and returns a summary and the problems: every response over
its budget, and a median over the budget.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from flask import Flask

from .response_kinds import KINDS
from .speech import ESPEAK_WORDS_PER_MINUTE
from .timing import time_all
from .walk import Heard, walk


@dataclass(frozen=True)
class Budgets:
    """The most speech, in seconds, each kind of response may hold (pauses and paced rep
    counts don't count): a workout's start, a set announcement, "tell me more", any other
    response; and the most the median of a whole workout's responses may be (the turns a
    person hears set after set; Q&A answers are held to their own word budget)."""

    start: float = 15.0
    set: float = 12.0
    more: float = 30.0
    other: float = 25.0
    median: float = 8.0

    def limit(self, kind: str) -> float:
        return {"start": self.start, "set": self.set, "more": self.more}.get(kind, self.other)


@dataclass(frozen=True)
class Timed:
    heard: Heard
    seconds: float


@dataclass(frozen=True)
class SpokenCheck:
    timed: list[Timed]
    summary: list[str]
    problems: list[str]


def _shorten(text: str, most: int = 110) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def over_budget(timed: list[Timed], budgets: Budgets) -> list[Timed]:
    return [t for t in timed if t.seconds > budgets.limit(t.heard.kind)]


def problems(timed: list[Timed], budgets: Budgets) -> list[str]:
    """Every distinct response over its budget (with where it first came and how often),
    longest first; then the median, if it is over its budget."""
    seen: dict[tuple[str, str], list[Timed]] = {}
    for t in over_budget(timed, budgets):
        seen.setdefault((t.heard.kind, t.heard.ssml), []).append(t)
    out = []
    for places in sorted(seen.values(), key=lambda p: -p[0].seconds):
        first, more = places[0], len(places) - 1
        also = f" (and {more} more place{'s' if more > 1 else ''})" if more else ""
        out.append(
            f"{first.heard.kind} {first.seconds:.1f} s > {budgets.limit(first.heard.kind):g} s: "
            f'{first.heard.where}, after "{first.heard.said}"{also}: '
            f'"{_shorten(first.heard.text)}"'
        )
    workout = [t for t in timed if in_workout(t)]
    if workout:
        median = statistics.median(t.seconds for t in workout)
        if median > budgets.median:
            out.append(
                f"median {median:.1f} s > {budgets.median:g} s over the "
                f"{len(workout)} responses of the workouts"
            )
    return out


def in_workout(timed: Timed) -> bool:
    """A response heard while walking a program (see ``walk.Walker``'s ``where``)."""
    return " workout (" in timed.heard.where


def summary(timed: list[Timed], budgets: Budgets, worst: int = 5) -> list[str]:
    """A table per kind (count, median, p90, max, budget, how many over) and the longest."""
    distinct = len({t.heard.ssml for t in timed})
    lines = [
        f"Spoken walk: {len(timed)} responses ({distinct} distinct), speech only, "
        f"espeak-ng at {ESPEAK_WORDS_PER_MINUTE} words a minute",
        f"  {'kind':<6}{'count':>6}{'median':>8}{'p90':>7}{'max':>7}{'budget':>8}{'over':>6}",
    ]
    over = over_budget(timed, budgets)
    groups = [(k, [t for t in timed if t.heard.kind == k], budgets.limit(k)) for k in KINDS]
    groups.append(("all", timed, budgets.other))
    groups.append(("workout", [t for t in timed if in_workout(t)], budgets.median))
    for kind, group, limit in groups:
        values = [t.seconds for t in group]
        if not values:
            lines.append(f"  {kind:<6}{0:>6}")
            continue
        n_over = sum(
            1
            for t in over
            if kind == t.heard.kind or (kind == "all") or (kind == "workout" and in_workout(t))
        )
        budget = f"med {limit:g}" if kind == "workout" else f"{limit:g}" if kind != "all" else "-"
        lines.append(
            f"  {kind:<6}{len(values):>6}{statistics.median(values):>8.1f}{_p90(values):>7.1f}"
            f"{max(values):>7.1f}{budget:>8}{n_over:>6}"
        )
    lines.append(f"Longest {worst}:")
    for t in sorted(timed, key=lambda t: -t.seconds)[:worst]:
        lines.append(
            f'  {t.seconds:4.1f} s {t.heard.kind:<5} {t.heard.where}, after "{t.heard.said}": '
            f'"{_shorten(t.heard.text, 160)}"'
        )
    return lines


def time_heard(heard: list[Heard]) -> list[Timed]:
    seconds = time_all(h.ssml for h in heard)
    return [Timed(h, s) for h, s in zip(heard, seconds, strict=True)]


def spoken_check(app: Flask, budgets: Budgets | None = None) -> SpokenCheck:
    """Walk the skill ``app`` serves, time every response, and say what is over budget."""
    budgets = budgets or Budgets()
    timed = time_heard(walk(app))
    return SpokenCheck(timed, summary(timed, budgets), problems(timed, budgets))
