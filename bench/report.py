"""The machine, the results table, and the JSON file."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path

from . import ROOT
from .procfs import CpuMeter

BUSY_WARNING = 0.15
MEASURED = ("skill", "intents", "content", "interaction_model.json")


def machine(settle: float = 1.0) -> dict:
    """CPU, cores, Python; and how busy the machine already is (other sessions share it)."""
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    meter = CpuMeter()
    time.sleep(settle)
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "busy_cores_before_start": meter.read()["others_cores"],
        "code": _code_version(),
    }


def _code_version() -> dict:
    """The commit measured, and whether the skill's code or content had local changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    changed = git("status", "--porcelain", "--", *MEASURED)
    return {
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "local_changes": bool(changed),
    }


def machine_line(info: dict) -> str:
    line = (
        f"Machine: {info['cpu']}, {info['cores']} cores ({info['cores_usable']} usable), "
        f"Python {info['python']}, {info['system']}; commit {info['code']['commit']}"
        f"{' with local changes' if info['code']['local_changes'] else ''}; "
        f"{info['busy_cores_before_start']} cores busy with other work before the start"
    )
    if info["busy_cores_before_start"] > BUSY_WARNING:
        line += (
            "\n  WARNING: the machine was not idle at the start (another session?); each stage "
            "notes what the rest of the machine used while it ran (try --wait-idle 300)"
        )
    return line


def table(headers: list[str], rows: list[list]) -> str:
    cells = [headers, *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(
            c.rjust(w) if i else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join("  " + line for line in lines)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _inprocess(r: dict) -> list[str]:
    kinds = r["mix"]
    rows = [
        [
            name,
            r[name]["median_us"],
            *[r[name]["by_kind_median_us"][k] for k in kinds],
            r[name]["non_200"],
        ]
        for name in ("skill", "echo")
    ]
    rows.append(["ratio", r["ratio"], *[r["by_kind_ratio"][k] for k in kinds], ""])
    lines = [
        f"In-process cost per request: direct WSGI call of POST /alexa, "
        f"median of {r['rounds']} rounds x {r['per_round']} requests, interleaved",
        table(["app", "us/request", *[f"{k} us" for k in kinds], "non-200"], rows),
        f"  skill/echo = {r['ratio']:.2f}x over the mix (launch and a logged set read and write "
        "the database; the echo does nothing): the target is the question below",
    ]
    client = r.get("question_test_client")
    if client:
        lines.append(
            f"  a question through Flask's test client: skill {client['skill']['median_us']} us, "
            f"echo {client['echo']['median_us']} us, {client['ratio']:.2f}x (target <= "
            f"{r['target_ratio']}x: {verdict(client['ratio'] <= r['target_ratio'])}); "
            f"called directly: {r['by_kind_ratio'].get('question', 0):.2f}x"
        )
    return lines


def _http(r: dict) -> list[str]:
    rows = [
        [
            x["worker_class"],
            x["app"],
            x["connections"],
            x["rps"],
            x["p50_ms"],
            x["p95_ms"],
            x["p99_ms"],
            x["non_2xx"],
            x["socket_errors"],
            x["wrk_cpu_cores"],
            x["server_cpu_cores"],
            x["other_cpu_cores"],
        ]
        for x in r["runs"]
    ]
    head = ["worker", "app", "conns", "req/s", "p50 ms", "p95 ms", "p99 ms", "non-2xx"]
    head += ["sock err", "wrk CPU", "server CPU", "other CPU"]
    lines = [
        f"HTTP: gunicorn --workers {r['workers']}, signature verification on, "
        f"wrk {r['seconds_per_run']:g} s per run (CPU in cores)",
        table(head, rows),
        f"  checks: {json.dumps(r['checks'])}",
    ]
    rps = {(x["worker_class"], x["app"], x["connections"]): x["rps"] for x in r["runs"]}
    for (worker, app, conns), value in rps.items():
        if app == "skill" and conns > 1 and (worker, "echo", conns) in rps:
            lines.append(
                f"  {worker}, {conns} connections: echo/skill throughput "
                f"{rps[(worker, 'echo', conns)] / value:.2f}x"
            )
    for x in r["runs"]:
        if x["app"] == "skill" and x["connections"] == 64:
            ok = x["p99_ms"] <= r["target_p99_ms_at_64"] and not (
                x["non_2xx"] or x["socket_errors"]
            )
            lines.append(
                f"  {x['worker_class']}: p99 at 64 connections {x['p99_ms']} ms, "
                f"errors {x['non_2xx'] + x['socket_errors']} (target <= "
                f"{r['target_p99_ms_at_64']:g} ms, zero errors: {verdict(ok)})"
            )
    return lines


def _coldstart(r: dict) -> list[str]:
    startup = r["startup_ms"]
    off, on = startup["verification_off"], startup["verification_on"]
    packages = ", ".join(f"{k} {v:g}" for k, v in startup["import_ms_by_package"].items())
    total_off = round(off["import_ms"] + off["create_app_ms"], 1)
    total_on = round(on["import_ms"] + on["create_app_ms"], 1)
    return [
        "Cold start: gunicorn skill.wsgi:app --workers 1 (verification off) to first 200",
        f"  median {r['median_s']} s, runs {r['runs_s']} (target < {r['target_s']} s: "
        f"{verdict(r['median_s'] < r['target_s'])})",
        f"  RSS after {r['after_requests']} requests: worker {r['worker_rss_mb']} MB, "
        f"master {r['master_rss_mb']} MB ({r['after_requests_non_200']} non-200)",
        f"  fresh interpreter: import {off['import_ms']} ms, create_app {off['create_app_ms']} ms "
        f"(verification on: create_app {on['create_app_ms']} ms)",
        f"  import skill; create_app(), median of {len(off.get('total_ms_runs', [0]))}: "
        f"{total_off:g} ms, verification on {total_on:g} ms "
        f"(target < {r['target_s'] * 1000:g} ms: {verdict(max(total_off, total_on) < r['target_s'] * 1000)})",
        f"  import ms by package (own time): {packages}",
    ]


def _nlu(r: dict) -> list[str]:
    return [
        "Simulator utterance resolution (LanguageModel.resolve)",
        table(
            ["phrases", "count", "mean us", "resolved elsewhere"],
            [
                [
                    "model samples, slots filled",
                    r["samples"],
                    r["sample_mean_us"],
                    r["samples_resolved_elsewhere"],
                ],
                [
                    "non-matching (statistical tier)",
                    r["non_matching"],
                    r["fallback_mean_us"],
                    len(r["non_matching_not_fallback"]),
                ],
            ],
        ),
        f"  compile: {r['compile_ms']} ms; classifier trained or loaded: "
        f"{r.get('classifier_ms', '-')} ms",
    ]


def _growth(r: dict) -> list[str]:
    kinds = list(r["normal"]["by_kind_median_us"])
    rows = [
        [
            f"{name} ({r['topics'][name]} topics)",
            r[name]["median_us"],
            *[r[name]["by_kind_median_us"][k] for k in kinds],
            r["create_app_ms"][name],
        ]
        for name in ("normal", "grown")
    ]
    rows.append(["ratio", r["ratio"], *[r["by_kind_ratio"][k] for k in kinds], ""])
    return [
        f"Growth: 10x topics, same mix, median of {r['rounds']} rounds x {r['per_round']}, interleaved",
        table(["content", "us/request", *[f"{k} us" for k in kinds], "create_app ms"], rows),
        f"  grown/normal = {r['ratio']:.2f}x (target: flat, within 10% of 1.0x: {verdict(abs(r['ratio'] - 1) <= 0.1)})",
    ]


def _profile(r: dict) -> list[str]:
    lines = [
        f"Profile: cProfile of {r['requests']} in-process skill requests "
        f"({r['profiled_us_per_request']} us/request under the profiler)"
    ]
    for key, title in (("top_cumulative", "cumulative"), ("top_own", "own time")):
        rows = [[x["function"], x["calls"], x["cumulative_ms"], x["own_ms"]] for x in r[key]]
        lines += [
            f"  top {len(rows)} by {title}",
            table(["function", "calls", "cum ms", "own ms"], rows),
        ]
    return lines


def _history(r: dict) -> list[str]:
    kinds = list(r["us_per_request"][str(r["sizes"][0])])
    rows = [
        [
            size,
            *[r["us_per_request"][str(size)][k] for k in kinds],
            *[r["ratio_to_new"][str(size)][k] for k in kinds],
        ]
        for size in r["sizes"]
    ]
    at_200 = max(r["ratio_to_new"]["200"].values())
    return [
        f"History: a workout turn by finished workouts kept, median of "
        f"{r['requests_per_kind']} requests per kind, interleaved",
        table(["workouts", *[f"{k} us" for k in kinds], *[f"{k} x new" for k in kinds]], rows),
        f"  at 200 workouts: {at_200:.2f}x a new person's (target: at most 1.25x: "
        f"{verdict(at_200 <= 1.25)})",
    ]


SECTIONS = {
    "inprocess": _inprocess,
    "history": _history,
    "http": _http,
    "coldstart": _coldstart,
    "nlu": _nlu,
    "growth": _growth,
    "profile": _profile,
}


def render(results: dict) -> str:
    """Every stage's section, in the order of ``SECTIONS`` (the machine line is separate)."""
    lines: list[str] = []
    for stage, section in SECTIONS.items():
        if stage not in results:
            continue
        lines.append("")
        result = results[stage]
        if "error" in result:
            lines.append(f"{stage}: FAILED: {result['error']}")
        else:
            lines += section(result)
        others = result.get("cpu", {}).get("others_cores", 0)
        if others > BUSY_WARNING:
            lines.append(
                f"  note: the rest of the machine (other processes, kernel) used {others} cores "
                "during this stage"
            )
    return "\n".join(lines)


def write_json(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
