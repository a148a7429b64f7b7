"""Where a skill request spends its time: cProfile over many in-process requests."""

from __future__ import annotations

import cProfile
import io
import pstats
import re
from pathlib import Path

from . import ROOT
from .mix import build_mix, skill_app
from .wsgi_call import post

TOP = 15


def _where(path: str) -> str:
    """A short location: from the package folder on, for the project, libraries and stdlib."""
    for marker in ("site-packages/", f"{ROOT}/"):
        if marker in path:
            return path.split(marker, 1)[1]
    stdlib = re.search(r"/lib/python3\.\d+/(.+)", path)
    return stdlib[1] if stdlib else path


def _rows(stats: pstats.Stats, key: int) -> list[dict]:
    # pstats keeps its table in ``stats`` and the total in ``total_tt``; typeshed leaves both out.
    table = stats.stats  # type: ignore[attr-defined]
    entries = sorted(table.items(), key=lambda item: item[1][key], reverse=True)[:TOP]
    return [
        {
            "function": f"{_where(file)}:{line}({name})",
            "calls": calls,
            "own_ms": round(own * 1000, 1),
            "cumulative_ms": round(cumulative * 1000, 1),
        }
        for (file, line, name), (_, calls, own, cumulative, _) in entries
    ]


def run(workdir: Path, requests: int, text_file: Path | None = None) -> dict:
    app = skill_app(workdir)
    mix = build_mix(app)
    for req in mix:
        post(app, req.body)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(requests):
        post(app, mix[i % len(mix)].body)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]  # see _rows
    if text_file is not None:
        text = io.StringIO()
        printer = pstats.Stats(profiler, stream=text)
        text.write(
            f"cProfile of {requests} in-process skill requests ({', '.join(r.kind for r in mix)})\n"
        )
        for order in ("cumulative", "tottime"):
            text.write(f"\n==== top {TOP} by {order} ====\n")
            printer.sort_stats(order).print_stats(TOP)
        text_file.write_text(text.getvalue(), encoding="utf-8")
    return {
        "requests": requests,
        "profiled_total_ms": round(total * 1000, 1),
        "profiled_us_per_request": round(total / requests * 1e6, 1),
        "top_cumulative": _rows(stats, 3),
        "top_own": _rows(stats, 2),
    }
