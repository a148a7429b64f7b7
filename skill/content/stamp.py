"""Remember that content passed every check, so a start-up need not check it again.

``python -m skill validate`` (and a server that checked content in full) writes
``content/.checked``: a SHA-256 over every JSON file in the content folder, the interaction
model, the checks' own code in ``skill.content`` and anything else the caller names (the
intents the skill handles). At start-up the same hash is worked out again, which costs a few
milliseconds; when it matches, the content is exactly what passed, and the schema, speech
rule and model checks are left out. Any change to content, model or checks makes the hash
differ, and then everything is checked as before: broken content still stops the server.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

STAMP = ".checked"
#: The checks themselves: a change to any of them means content must be checked again.
CHECKS = Path(__file__).resolve().parent


def fingerprint(content_dir: Path, interaction_model: Path, extra: Iterable[str] = ()) -> str:
    """The hash of what a full check looks at; OSError if a file can't be read."""
    digest = hashlib.sha256()

    def add(name: str, data: bytes) -> None:
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)

    # Only JSON is read as content, and only JSON is shipped in a wheel (pyproject.toml).
    for path in sorted(p for p in content_dir.rglob("*.json") if p.is_file()):
        add(f"content/{path.relative_to(content_dir).as_posix()}", path.read_bytes())
    add("interaction_model", interaction_model.read_bytes())
    for path in sorted(CHECKS.glob("*.py")):
        add(f"checks/{path.name}", path.read_bytes())
    add("extra", "\n".join(extra).encode())
    return digest.hexdigest()


def was_checked(content_dir: Path, interaction_model: Path, extra: Iterable[str] = ()) -> bool:
    """Whether the stamp says this very content, model and checks passed."""
    try:
        stamped = (content_dir / STAMP).read_text(encoding="ascii").strip()
        return stamped == fingerprint(content_dir, interaction_model, extra)
    except (OSError, UnicodeDecodeError):
        return False


def record(content_dir: Path, interaction_model: Path, extra: Iterable[str] = ()) -> bool:
    """Write the stamp after a full check passed; False (and a log line) when the folder
    can't be written, as in a read-only install: the next start then checks in full."""
    try:
        stamp = fingerprint(content_dir, interaction_model, extra)
        written = content_dir / f"{STAMP}.{os.getpid()}"
        written.write_text(stamp + "\n", encoding="ascii")
        os.replace(written, content_dir / STAMP)  # whole or not at all, for a start beside
    except OSError as exc:
        log.info("content checked, but the stamp could not be written (%s)", exc)
        return False
    return True
