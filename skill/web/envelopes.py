"""Build Alexa request envelopes the way Alexa sends them.

Used by the local simulator and by the tests, so there is one way to make a request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

LOCAL_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
#: The permission scope envelopes carry once the person allowed reminders.
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
CONNECTION_DIRECTIVES = ("Connections.StartConnection", "Connections.SendRequest")
ER_AUTHORITY = "amzn1.er-authority.echo-sdk.{skill_id}.{slot_type}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slot(
    name: str,
    value: str | None,
    value_id: str | None = None,
    slot_type: str | None = None,
    skill_id: str = LOCAL_SKILL_ID,
    resolved_name: str | None = None,
) -> dict:
    """One slot; with ``slot_type`` it carries an entity-resolution block like Alexa's."""
    out: dict = {"name": name, "confirmationStatus": "NONE"}
    if value is not None:
        out["value"] = value
    if slot_type and value is not None:
        authority: dict[str, Any] = {
            "authority": ER_AUTHORITY.format(skill_id=skill_id, slot_type=slot_type),
            "status": {"code": "ER_SUCCESS_MATCH" if value_id else "ER_SUCCESS_NO_MATCH"},
        }
        if value_id:
            authority["values"] = [{"value": {"name": resolved_name or value, "id": value_id}}]
        out["resolutions"] = {"resolutionsPerAuthority": [authority]}
    return out


class Session:
    """One Alexa session: carries the session id, user and attributes between turns."""

    def __init__(
        self,
        user_id: str | None = None,
        locale: str = "en-US",
        skill_id: str = LOCAL_SKILL_ID,
        device_id: str | None = None,
        person_id: str | None = None,
        api_endpoint: str | None = None,
        permissions: frozenset[str] | set[str] = frozenset(),
    ):
        """``person_id``: the speaker Alexa recognised by voice (sent as
        ``context.System.person``), None when nobody was recognised. ``api_endpoint``:
        where Alexa's APIs answer (the simulator's stand-in); without one, requests carry
        no ``apiEndpoint`` or ``apiAccessToken`` and the skill calls no API.
        ``permissions``: the scopes the person has allowed."""
        self.user_id = user_id or "amzn1.ask.account.local-" + uuid.uuid4().hex
        self.person_id = person_id
        # One device per user unless told otherwise: the same Echo, session after session.
        self.device_id = device_id or "amzn1.ask.device.local-" + hashlib.sha256(
            self.user_id.encode()
        ).hexdigest()[:12]
        self.locale = locale
        self.skill_id = skill_id
        self.api_endpoint = api_endpoint
        self.permissions = set(permissions)
        self.session_id: str | None = None
        self.attributes: dict = {}
        self.open = False

    def _envelope(self, request: dict) -> dict:
        new = not self.open
        if new:
            self.session_id = "amzn1.echo-api.session." + str(uuid.uuid4())
            self.attributes = {}
        request = {
            "requestId": "amzn1.echo-api.request." + str(uuid.uuid4()),
            "timestamp": _now(),
            "locale": self.locale,
            **request,
        }
        application = {"applicationId": self.skill_id}
        user: dict = {"userId": self.user_id}
        if self.permissions:
            user["permissions"] = {
                "consentToken": "consent-" + self.api_token,
                "scopes": {scope: {"status": "GRANTED"} for scope in sorted(self.permissions)},
            }
        system: dict[str, Any] = {
            "application": application,
            "user": user,
            "device": {"deviceId": self.device_id, "supportedInterfaces": {}},
        }
        if self.api_endpoint:
            system["apiEndpoint"] = self.api_endpoint
            system["apiAccessToken"] = self.api_token
        if self.person_id:
            system["person"] = {"personId": self.person_id}
        return {
            "version": "1.0",
            "session": {
                "new": new,
                "sessionId": self.session_id,
                "application": application,
                "attributes": dict(self.attributes),
                "user": user,
            },
            "context": {"System": system},
            "request": request,
        }

    def launch(self) -> dict:
        self.open = False
        return self._envelope({"type": "LaunchRequest"})

    def intent(self, name: str, slots: dict | None = None) -> dict:
        """An IntentRequest; ``slots`` maps slot name to a dict made by ``slot()`` or a value."""
        built = {}
        for key, value in (slots or {}).items():
            built[key] = value if isinstance(value, dict) else slot(key, value)
        return self._envelope(
            {
                "type": "IntentRequest",
                "dialogState": "COMPLETED",
                "intent": {"name": name, "confirmationStatus": "NONE", "slots": built},
            }
        )

    @property
    def api_token(self) -> str:
        """The bearer token this person's requests carry for Alexa's APIs."""
        return "access-" + hashlib.sha256(self.user_id.encode()).hexdigest()[:24]

    def resumed(self, token: str, result: dict, code: str = "200") -> dict:
        """The ``SessionResumedRequest`` Alexa sends when a ``Connections.StartConnection``
        task (such as asking for a permission) is done."""
        cause = {
            "type": "ConnectionCompleted",
            "token": token,
            "status": {"code": code, "message": "OK" if code == "200" else "failed"},
            "result": result,
        }
        return self._envelope({"type": "SessionResumedRequest", "cause": cause})

    def connections_response(self, name: str, token: str, payload: dict, code: str = "200"):
        """The ``Connections.Response`` Alexa sends after a ``Connections.SendRequest``."""
        return self._envelope(
            {
                "type": "Connections.Response",
                "name": name,
                "status": {"code": code, "message": "OK" if code == "200" else "failed"},
                "token": token,
                "payload": payload,
            }
        )

    def session_ended(self, reason: str = "USER_INITIATED", error: dict | None = None) -> dict:
        request: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
        if error:
            request["error"] = error
        envelope = self._envelope(request)
        self.open = False
        return envelope

    def receive(self, response_envelope: dict) -> None:
        """Take the session attributes and open/closed state from the skill's response."""
        response = response_envelope.get("response", {})
        self.attributes = response_envelope.get("sessionAttributes") or {}
        self.open = (
            response.get("shouldEndSession") is False
            or ("shouldEndSession" not in response and "reprompt" in response)
            or connection(response_envelope) is not None
        )

    def state(self) -> dict:
        """Everything needed to carry this session on later (e.g. in a web page)."""
        return {
            "user_id": self.user_id,
            "person_id": self.person_id,
            "device_id": self.device_id,
            "locale": self.locale,
            "skill_id": self.skill_id,
            "permissions": sorted(self.permissions),
            "session_id": self.session_id,
            "attributes": self.attributes,
            "open": self.open,
        }

    @classmethod
    def from_state(cls, state: dict) -> Session:
        """The session ``state()`` described; missing or malformed parts start afresh."""
        session = cls(
            user_id=state.get("user_id") if isinstance(state.get("user_id"), str) else None,
            locale=str(state["locale"]) if isinstance(state.get("locale"), str) else "en-US",
            device_id=state.get("device_id") if isinstance(state.get("device_id"), str) else None,
            person_id=state.get("person_id") if isinstance(state.get("person_id"), str) else None,
        )
        if isinstance(state.get("skill_id"), str):
            session.skill_id = state["skill_id"]
        permissions = state.get("permissions")
        if isinstance(permissions, list):
            session.permissions = {p for p in permissions if p == REMINDERS_SCOPE}
        if isinstance(state.get("session_id"), str) and state.get("open") is True:
            session.session_id = state["session_id"]
            session.open = True
            attributes = state.get("attributes")
            session.attributes = attributes if isinstance(attributes, dict) else {}
        return session


def connection(response_envelope: dict) -> dict | None:
    """The ``Connections`` directive in a response (the skill handing the conversation to
    Alexa for a task, such as asking for a permission), if there is one."""
    response = response_envelope.get("response") if isinstance(response_envelope, dict) else None
    directives = response.get("directives") if isinstance(response, dict) else None
    for directive in directives or []:
        if isinstance(directive, dict) and directive.get("type") in CONNECTION_DIRECTIVES:
            return directive
    return None
