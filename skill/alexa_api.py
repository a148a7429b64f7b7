"""The HTTP client ask-sdk-core's service clients use to reach Alexa's APIs.

The skill calls the Reminders and Settings APIs through ask-sdk-model's own service clients
(``ReminderManagementServiceClient``, ``UpsServiceClient``), which build each request from
the envelope's ``apiEndpoint`` and ``apiAccessToken``. They send it through an
``ApiClient``; the SDK's ``DefaultApiClient`` sets no timeout, so a slow API would hold the
whole answer. This one gives every call a timeout under a second (the standard library's
``urllib``, so nothing is imported at start-up). Like the SDK's own it refuses plain HTTP,
except to this machine (``127.0.0.1``, ``localhost``, ``::1``), where the simulator's
stand-in for Alexa's APIs listens: the access token never travels unencrypted.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from ask_sdk_model.services import ApiClient, ApiClientResponse

#: Seconds one call may take, connecting and answering; Alexa waits about eight for the
#: whole response, and a turn may make three calls.
API_TIMEOUT = 0.8
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class ApiRefused(Exception):
    """The call was not sent: the endpoint is neither HTTPS nor this machine."""


def allowed(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)


class TimedApiClient(ApiClient):
    """``ApiClient`` over ``urllib`` with a timeout on every call."""

    def __init__(self, timeout: float = API_TIMEOUT):
        self.timeout = timeout

    def invoke(self, request) -> ApiClientResponse:
        """Send ``request``; errors with a status come back as responses (the service
        client turns them into ``ServiceException``), anything else raises."""
        if not allowed(request.url or ""):
            raise ApiRefused("Alexa's APIs are called over HTTPS only")
        headers = dict(request.headers or [])
        data = None
        if request.body is not None:
            data = (
                json.dumps(request.body).encode()
                if not isinstance(request.body, str)
                else (request.body.encode())
            )
            headers.setdefault("Content-Type", "application/json")
        outgoing = urllib.request.Request(
            request.url, data=data, headers=headers, method=request.method
        )
        try:
            with urllib.request.urlopen(outgoing, timeout=self.timeout) as reply:
                return _response(reply.status, reply.headers, reply.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return _response(exc.code, exc.headers, exc.read())


def _response(status: int, headers, body: bytes) -> ApiClientResponse:
    return ApiClientResponse(
        headers=list(headers.items()) if headers is not None else [],
        status_code=status,
        body=body.decode("utf-8", "replace"),
    )
