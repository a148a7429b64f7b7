"""The skill's whole request path in-process, against a bare Flask app driven the same way."""

from __future__ import annotations

from pathlib import Path

from . import echo_app
from .mix import build_mix, skill_app
from .wsgi_call import interleave, kind_ratios, ratio

TARGET_RATIO = 1.5


def run(workdir: Path, rounds: int, per_round: int) -> dict:
    app = skill_app(workdir)
    mix = build_mix(app)
    both = interleave({"skill": app, "echo": echo_app.create_app()}, mix, rounds, per_round)
    return {
        "skill": both["skill"],
        "echo": both["echo"],
        "ratio": ratio(both["skill"], both["echo"]),
        "by_kind_ratio": kind_ratios(both["skill"], both["echo"]),
        "target_ratio": TARGET_RATIO,
        "mix": [r.kind for r in mix],
        "rounds": rounds,
        "per_round": per_round,
    }
