"""Smoke test of the benchmark's in-process stages: it runs and writes sound JSON.

No timing thresholds: numbers only have to be there and be positive.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from skill.config import PROJECT_ROOT

#: Every test here starts a subprocess (bin/test --fast leaves them out).
pytestmark = pytest.mark.slow


def test_quick_inprocess_and_nlu(tmp_path):
    out = tmp_path / "latest.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", "inprocess,nlu", "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "skill/echo" in done.stdout
    results = json.loads(out.read_text())

    assert {"machine", "inprocess", "nlu"} <= results.keys()
    assert "http" not in results and "coldstart" not in results
    assert results["machine"]["cores"] > 0

    inprocess = results["inprocess"]
    assert inprocess["ratio"] > 0
    for app in ("skill", "echo"):
        assert inprocess[app]["median_us"] > 0
        assert inprocess[app]["non_200"] == 0
        assert set(inprocess[app]["by_kind_median_us"]) == set(inprocess["mix"])
        assert all(v > 0 for v in inprocess[app]["by_kind_median_us"].values())

    nlu = results["nlu"]
    assert nlu["samples"] > 0 and nlu["non_matching"] > 0
    assert nlu["sample_mean_us"] > 0 and nlu["fallback_mean_us"] > 0
    assert {"compile_ms", "samples_resolved_elsewhere", "non_matching_not_fallback"} <= nlu.keys()


def test_unknown_stage_is_refused(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "nope", "--out", str(tmp_path / "x.json")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "unknown stage" in done.stderr
