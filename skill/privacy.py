"""What may go into a log line about a person: a short hash of their id, never the id."""

from __future__ import annotations

import hashlib


def user_tag(user_id: object) -> str:
    """A stable, short stand-in for an Alexa user id, for logs."""
    raw = str(user_id).encode("utf-8", "surrogatepass")
    return "user-" + hashlib.sha256(raw).hexdigest()[:12]
