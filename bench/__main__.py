"""``python -m bench [--quick] [--only STAGES]``: run the benchmark, print the table, write JSON."""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from . import OUT_DIR, report
from .procfs import CpuMeter, wait_for_quiet

# nlu first: building an app compiles the model's regexes, which would hide compile time.
STAGES = ("nlu", "inprocess", "history", "growth", "profile", "coldstart", "http")
FULL = {"rounds": 30, "per_round": 200, "wrk_seconds": 10, "cold_runs": 5, "profiled": 2000}
QUICK = {"rounds": 5, "per_round": 100, "wrk_seconds": 3, "cold_runs": 3, "profiled": 400}


class Tally(logging.Handler):
    """Counts warnings and errors by logger and message, instead of printing them."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.counts: Counter = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[f"{record.levelname} {record.name}: {record.msg}"] += 1


def _stage(name: str, workdir: Path, settings: dict, quick: bool, out: Path, threads: int):
    from . import coldstart, growth, history, hotspots, http_load, inprocess, nlu_speed
    from .mix import build_mix, skill_app

    if name == "inprocess":
        return inprocess.run(workdir, settings["rounds"], settings["per_round"])
    if name == "http":
        return http_load.run(workdir, settings["wrk_seconds"], threads=threads)
    if name == "coldstart":
        mix = build_mix(skill_app(workdir))
        return coldstart.run(workdir, mix, settings["cold_runs"])
    if name == "nlu":
        return nlu_speed.run(quick)
    if name == "history":
        return history.run(workdir, settings["rounds"], settings["per_round"])
    if name == "growth":
        return growth.run(workdir, settings["rounds"], settings["per_round"])
    return hotspots.run(workdir, settings["profiled"], out.parent / "profile.txt")


def _stages(text: str) -> list[str]:
    chosen = [s.strip() for s in text.split(",") if s.strip()]
    unknown = set(chosen) - set(STAGES)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown stage(s): {', '.join(sorted(unknown))}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 3 s wrk runs")
    parser.add_argument(
        "--only", type=_stages, default=list(STAGES), help=f"comma-separated: {','.join(STAGES)}"
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR / "latest.json", help="JSON file")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each stage, wait up to this long for other processes to go quiet",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="also run gunicorn's gthread worker with N threads (0: only sync)",
    )
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    tally = Tally()
    logging.getLogger().addHandler(tally)

    if args.wait_idle:
        wait_for_quiet(args.wait_idle, report.BUSY_WARNING)
    results: dict = {"machine": report.machine(), "quick": args.quick, "settings": settings}
    print(report.machine_line(results["machine"]), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    failed = False
    for name in [s for s in STAGES if s in args.only]:
        quiet = wait_for_quiet(args.wait_idle, report.BUSY_WARNING) if args.wait_idle else None
        print(f"running {name}...", file=sys.stderr, flush=True)
        started, meter = time.monotonic(), CpuMeter()
        with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as folder:
            try:
                results[name] = _stage(
                    name, Path(folder), settings, args.quick, args.out, args.threads
                )
            except Exception as exc:
                traceback.print_exc()
                results[name] = {"error": f"{type(exc).__name__}: {exc}"}
                failed = True
        results[name]["stage_seconds"] = round(time.monotonic() - started, 1)
        results[name]["cpu"] = {**meter.read(), **(quiet or {})}
    results["log_records"] = dict(tally.counts)
    report.write_json(results, args.out)
    print(report.render(results))
    print(f"\nJSON: {args.out}")
    if "profile" in args.only:
        print(f"Profile: {args.out.parent / 'profile.txt'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
