"""What may go into a log line about a person: a short hash of their id, never the id."""

from __future__ import annotations

import hashlib
import logging
import re


def user_tag(user_id: object) -> str:
    """A stable, short stand-in for an Alexa user or person id, for logs."""
    raw = str(user_id).encode("utf-8", "surrogatepass")
    return "user-" + hashlib.sha256(raw).hexdigest()[:12]


#: An account's user id, or the person id Alexa sends for a recognised voice.
_ALEXA_USER_ID = re.compile(r"amzn1\.ask\.(?:account|person)\.[A-Za-z0-9._-]+")


class RedactingFormatter(logging.Formatter):
    """A last guard for the server's log: any Alexa user or person id that slipped into a
    line or a traceback is written as its hash."""

    def format(self, record: logging.LogRecord) -> str:
        return _ALEXA_USER_ID.sub(lambda m: user_tag(m.group()), super().format(record))
