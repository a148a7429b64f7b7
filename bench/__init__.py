"""Bone Builder's benchmark: ``python -m bench`` (or ``bin/bench``) measures the skill side by
side with a bare Flask app, in-process and over HTTP, and writes ``bench/out/latest.json``."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = Path(__file__).resolve().parent / "out"
