"""Readings from /proc and getrusage: CPU time of processes and of the machine, memory."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of ``pids`` so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for {pid}")


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all but idle and iowait), all cores."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICKS


class CpuMeter:
    """CPU used over a stretch of time, in cores: by this process and its reaped children,
    and by the whole machine; the difference is everyone else (other sessions, the kernel)."""

    def __init__(self):
        self.start = self._mark()

    @staticmethod
    def _mark() -> tuple[float, float, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        ours = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
        return ours, machine_busy_seconds(), time.monotonic()

    def read(self) -> dict:
        ours, busy, now = (b - a for a, b in zip(self.start, self._mark(), strict=True))
        return {
            "bench_cores": round(ours / now, 2),
            "machine_busy_cores": round(busy / now, 2),
            "others_cores": round(max(0.0, busy - ours) / now, 2),
        }


def wait_for_quiet(limit: float, threshold: float) -> dict:
    """Wait up to ``limit`` s for a second in which the rest of the machine uses at most
    ``threshold`` cores (other sessions share this machine); say how long it took."""
    start = time.monotonic()
    while True:
        meter = CpuMeter()
        time.sleep(1.0)
        others = meter.read()["others_cores"]
        waited = time.monotonic() - start
        if others <= threshold or waited >= limit:
            return {"waited_s": round(waited, 1), "others_cores_before": others}
