"""A local stand-in for Alexa's APIs, over real HTTP on a loopback port.

It answers what the skill calls in Amazon's cloud: the Reminders API (create, list, get,
update, delete under ``/v1/alerts/reminders``) and the Settings API's time zone
(``/v2/devices/{deviceId}/settings/System.timeZone``), and it keeps who has allowed
reminders. Envelopes made for it (``skill.web.envelopes.Session(api_endpoint=...)``) point
``apiEndpoint`` here and carry a bearer token per person; a reminders call without the
permission gets 401, as Alexa answers.

It is stricter than Alexa in one way: a reminder must use ``recurrenceRules``; the
deprecated ``freq``/``byDay`` recurrence is refused with 400. Tests make it fail on purpose
(``fail_with``: a status for every call; ``delay``: seconds before each answer), and read
every call it was sent (``calls``).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REMINDERS = "/v1/alerts/reminders"
TIME_ZONE = "/settings/System.timeZone"
SCOPE = "alexa::alerts:reminders:skill:readwrite"


def _zone_ok(name) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return True


def _problem(body) -> str | None:
    """Why a reminder body is refused, or None when it is one the skill may send."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    trigger = body.get("trigger")
    if not isinstance(trigger, dict) or trigger.get("type") != "SCHEDULED_ABSOLUTE":
        return "trigger.type must be SCHEDULED_ABSOLUTE"
    if not _zone_ok(trigger.get("timeZoneId")):
        return "trigger.timeZoneId must be a time zone"
    recurrence = trigger.get("recurrence")
    if not isinstance(recurrence, dict):
        return "trigger.recurrence is missing"
    if "freq" in recurrence or "byDay" in recurrence:
        return "recurrence.freq and recurrence.byDay are deprecated: use recurrenceRules"
    rules = recurrence.get("recurrenceRules")
    if not isinstance(rules, list) or not rules:
        return "recurrence.recurrenceRules must be a non-empty list"
    if not all(isinstance(r, str) and r.startswith("FREQ=") for r in rules):
        return "each recurrence rule must be an RFC 5545 rule such as FREQ=WEEKLY;..."
    content = ((body.get("alertInfo") or {}).get("spokenInfo") or {}).get("content")
    if (
        not isinstance(content, list)
        or not content
        or not all(
            isinstance(c, dict) and isinstance(c.get("text"), str) and c["text"] for c in content
        )
    ):
        return "alertInfo.spokenInfo.content needs a text"
    return None


class AlexaApiStandIn:
    """Alexa's Reminders, Settings and permissions, for the simulator and the tests."""

    def __init__(self, time_zone: str = "UTC"):
        self.default_zone = time_zone
        self._lock = threading.Lock()
        self._zones: dict[str, str] = {}
        self._granted: set[str] = set()
        self._reminders: dict[str, dict[str, dict]] = {}
        self._calls: list[dict] = []
        self.status: int | None = None
        self.seconds = 0.0
        self._server: ThreadingHTTPServer | None = None

    # -- running -----------------------------------------------------------------------

    def start(self) -> AlexaApiStandIn:
        stand_in = self

        class Handler(_Handler):
            owner = stand_in

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, name="alexa-api-stand-in", daemon=True
        ).start()
        return self

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the stand-in is not running: call start()")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> AlexaApiStandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what the person and their devices are like ------------------------------------

    def grant(self, token: str) -> None:
        """The person behind ``token`` allows reminders."""
        with self._lock:
            self._granted.add(token)

    def revoke(self, token: str) -> None:
        with self._lock:
            self._granted.discard(token)

    def granted(self, token: str) -> bool:
        with self._lock:
            return token in self._granted

    def set_time_zone(self, device_id: str, zone: str) -> None:
        with self._lock:
            self._zones[device_id] = zone

    def fail_with(self, status: int | None) -> None:
        """Answer every call with ``status`` (None: answer normally)."""
        self.status = status

    def delay(self, seconds: float) -> None:
        """Wait this long before each answer."""
        self.seconds = seconds

    # -- what was done -----------------------------------------------------------------

    def calls(self, token: str | None = None, since: int = 0) -> list[dict]:
        """Each call as {method, path, body, status}, in order; only ``token``'s if given."""
        with self._lock:
            found = self._calls[since:]
        return [
            {k: c[k] for k in ("method", "path", "body", "status")}
            for c in found
            if token is None or c["token"] == token
        ]

    def mark(self) -> int:
        with self._lock:
            return len(self._calls)

    def reminders(self, token: str) -> list[dict]:
        """The reminders kept for ``token``, as the API returns them."""
        with self._lock:
            return [dict(r) for r in self._reminders.get(token, {}).values()]

    # -- answering ---------------------------------------------------------------------

    def answer(self, method: str, path: str, token: str | None, body) -> tuple[int, object]:
        with self._lock:
            self._calls.append(
                {"method": method, "path": path, "body": body, "token": token, "status": None}
            )
            record = self._calls[-1]
        if self.seconds:
            time.sleep(self.seconds)
        reply: object
        if self.status is not None:
            status, reply = (
                self.status,
                {"code": "STAND_IN_FAILURE", "message": "failing on purpose"},
            )
        else:
            status, reply = self._route(method, path, token, body)
        record["status"] = status
        return status, reply

    def _route(self, method: str, path: str, token: str | None, body) -> tuple[int, object]:
        if not token:
            return 401, {"code": "UNAUTHORIZED", "message": "no access token"}
        if method == "GET" and path.startswith("/v2/devices/") and path.endswith(TIME_ZONE):
            device = path[len("/v2/devices/") : -len(TIME_ZONE)]
            with self._lock:
                return 200, self._zones.get(device, self.default_zone)
        if not (path == REMINDERS or path.startswith(REMINDERS + "/")):
            return 404, {"code": "NOT_FOUND", "message": f"no such API: {path}"}
        if not self.granted(token):
            return 401, {
                "code": "UNAUTHORIZED",
                "message": "the reminders permission is not granted",
            }
        alert = path[len(REMINDERS) + 1 :] or None
        with self._lock:
            kept = self._reminders.setdefault(token, {})
            if method == "GET" and alert is None:
                alerts = list(kept.values())
                return 200, {"totalCount": str(len(alerts)), "alerts": alerts, "links": None}
            if method == "POST" and alert is None:
                problem = _problem(body)
                if problem:
                    return 400, {"code": "INVALID_REQUEST", "message": problem}
                alert = str(uuid.uuid4())
                kept[alert] = self._stored(alert, body, "1")
                return 200, self._created(kept[alert])
            if alert not in kept:
                return 404, {"code": "NOT_FOUND", "message": "no such reminder"}
            if method == "GET":
                return 200, kept[alert]
            if method == "PUT":
                problem = _problem(body)
                if problem:
                    return 400, {"code": "INVALID_REQUEST", "message": problem}
                version = str(int(kept[alert]["version"]) + 1)
                kept[alert] = self._stored(alert, body, version, kept[alert]["createdTime"])
                return 200, self._created(kept[alert])
            if method == "DELETE":
                del kept[alert]
                return 200, None
        return 405, {"code": "METHOD_NOT_ALLOWED", "message": method}

    @staticmethod
    def _stored(alert: str, body: dict, version: str, created: str | None = None) -> dict:
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        return {
            "alertToken": alert,
            "createdTime": created or now,
            "updatedTime": now,
            "trigger": body["trigger"],
            "status": "ON",
            "version": version,
            "alertInfo": body["alertInfo"],
            "pushNotification": body.get("pushNotification") or {"status": "ENABLED"},
        }

    @staticmethod
    def _created(stored: dict) -> dict:
        return {
            k: stored[k] for k in ("alertToken", "createdTime", "updatedTime", "status", "version")
        } | {"href": f"{REMINDERS}/{stored['alertToken']}"}


class _Handler(BaseHTTPRequestHandler):
    owner: AlexaApiStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # the simulator prints what matters
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        auth = self.headers.get("Authorization") or ""
        token = auth[len("Bearer ") :].strip() if auth.startswith("Bearer ") else None
        status, reply = self.owner.answer(self.command, urlsplit(self.path).path, token, body)
        data = b"" if reply is None else json.dumps(reply).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the skill stopped waiting (a slow answer, on purpose)
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _serve
