"""Play a conversation with the skill: typed words become Alexa request envelopes.

The envelopes are the ones in ``skill.web.envelopes``; the skill answers in-process
through the Flask app, or over real HTTP with ``--url``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field

from ..web.envelopes import LOCAL_SKILL_ID, REMINDERS_SCOPE, Session, connection
from .nlu import LanguageModel, Resolution
from .speech import to_text

CONSENT_URI = "connection://AMAZON.AskForPermissionsConsent/2"
#: How the person answers when Alexa asks for a permission: the result Alexa sends back
#: (the status code is not 200 where the device can't ask by voice).
CONSENT = {
    "accept": ("200", "ACCEPTED", "I approve"),
    "deny": ("200", "DENIED", "no"),
    "none": ("200", "NOT_ANSWERED", "(silence)"),
    "unsupported": ("400", None, "(this device can't ask by voice)"),
}


class InProcess:
    """Sends envelopes straight into the Flask app (no network)."""

    def __init__(self, app):
        self.client = app.test_client()

    def send(self, envelope: dict) -> tuple[int, dict | None]:
        reply = self.client.post("/alexa", json=envelope)
        return reply.status_code, reply.get_json(silent=True)


class SkillUnreachable(Exception):
    """Nothing answered at the skill's URL; the message says where and why."""


class OverHttp:
    """Sends envelopes to a running server, as Alexa would."""

    def __init__(self, url: str, timeout: float = 10.0):
        self.url = url
        self.timeout = timeout

    def send(self, envelope: dict) -> tuple[int, dict | None]:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(envelope).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                return reply.status, json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as exc:
            body = exc.read()
            try:
                return exc.code, json.loads(body)
            except ValueError:
                return exc.code, {"error": body.decode(errors="replace")[:200]}
        except urllib.error.URLError as exc:
            reason = getattr(exc.reason, "strerror", None) or exc.reason
            raise SkillUnreachable(f"{self.url}: {reason}") from None
        except OSError as exc:  # reset, refused mid-way, or timed out
            raise SkillUnreachable(f"{self.url}: {exc.strerror or exc}") from None


@dataclass
class Turn:
    """One exchange: what was said, how it was understood, and what came back."""

    utterance: str
    intent: str | None
    slots: dict
    speech: str
    reprompt: str | None
    card: dict | None
    session_open: bool
    request: dict
    response: dict | None
    status: int
    note: str = ""
    near: list | None = None
    attributes: dict = field(default_factory=dict)
    tier: str | None = None
    confidence: float | None = None
    top: list = field(default_factory=list)
    #: Each call the skill made to Alexa's APIs (the stand-in) during this turn.
    api_calls: list = field(default_factory=list)
    #: What came next without the person saying anything: the skill's answer after Alexa
    #: asked for a permission (a ``SessionResumedRequest``).
    then: Turn | None = None

    def to_json(self) -> dict:
        return asdict(self)

    def chain(self) -> list[Turn]:
        """This turn and the ones that followed it."""
        return [self, *(self.then.chain() if self.then else [])]


def _slot_summary(slots: dict) -> dict:
    """Slot name -> resolved id (or the words heard), for people to read."""
    out = {}
    for name, slot in slots.items():
        if "value" not in slot:
            continue
        value = slot["value"]
        for authority in slot.get("resolutions", {}).get("resolutionsPerAuthority", []):
            if authority.get("status", {}).get("code") == "ER_SUCCESS_MATCH":
                value = authority["values"][0]["value"]["id"]
        out[name] = value
    return out


class Simulator:
    """One person talking to the skill across sessions."""

    def __init__(
        self,
        model: LanguageModel,
        transport,
        locale: str = "en-US",
        user_id: str | None = None,
        skill_id: str | None = None,
        session: Session | None = None,
        person_id: str | None = None,
        apis=None,
        consent: str = "accept",
        permissions: tuple[str, ...] = (),
        time_zone: str | None = None,
    ):
        """``apis``: the stand-in for Alexa's APIs (``standin.AlexaApiStandIn``), which the
        envelopes point at; ``consent``: how the person answers when Alexa asks for a
        permission (see ``CONSENT``); ``permissions``: "reminders" to have allowed them
        already; ``time_zone``: the device's, as the Settings API reports it."""
        if consent not in CONSENT:
            raise ValueError(f"consent must be one of {', '.join(CONSENT)}")
        self.model = model
        self.transport = transport
        self.apis = apis
        self.consent = consent
        self.session = session or Session(
            user_id=user_id, locale=locale, person_id=person_id, skill_id=skill_id or LOCAL_SKILL_ID
        )
        if apis is not None:
            self.session.api_endpoint = apis.url
            if time_zone:
                apis.set_time_zone(self.session.device_id, time_zone)
        if "reminders" in permissions:
            self.allow_reminders()

    def allow_reminders(self) -> None:
        """The person has allowed reminders (in the Alexa app, or by voice)."""
        self.session.permissions.add(REMINDERS_SCOPE)
        if self.apis is not None:
            self.apis.grant(self.session.api_token)

    def say(self, utterance: str) -> Turn | None:
        """Play one line; an empty line is silence (the session times out if it was open)."""
        text = utterance.strip()
        if not text:
            if not self.session.open:
                return None
            envelope = self.session.session_ended("EXCEEDED_MAX_REPROMPTS")
            return self._exchange(
                "",
                envelope,
                "SessionEndedRequest",
                {},
                "silence: Alexa reprompted, then closed the session",
            )
        resolution = self.model.resolve(text)
        return self.play(text, resolution)

    def play(self, text: str, resolution: Resolution) -> Turn:
        if resolution.kind == "exit":
            if not self.session.open:
                return self._closed_note(text)
            envelope = self.session.session_ended("USER_INITIATED")
            return self._exchange(text, envelope, "SessionEndedRequest", {}, resolution.reason)
        if resolution.kind == "launch":
            envelope = self.session.launch()
            return self._connected(
                self._exchange(text, envelope, "LaunchRequest", {}, resolution.reason)
            )
        note = resolution.reason
        if resolution.one_shot or not self.session.open:
            if not resolution.one_shot:
                note += "; no session was open, so this is sent as a one-shot request"
            self.session.open = False
        assert resolution.intent is not None  # every "intent" resolution names one
        envelope = self.session.intent(resolution.intent, resolution.slots)
        turn = self._exchange(text, envelope, resolution.intent, resolution.slots, note)
        turn.near = list(resolution.near) if resolution.near else None
        turn.tier = resolution.tier
        turn.confidence = resolution.confidence
        turn.top = [list(pair) for pair in resolution.top]
        return self._connected(turn)

    def _connected(self, turn: Turn) -> Turn:
        """Play Alexa's part when the skill handed the conversation over to ask for a
        permission: the person answers as ``consent`` says, and the skill hears the result."""
        directive = connection(turn.response or {})
        if directive is None:
            return turn
        token = directive.get("token") or ""
        code, status, said = CONSENT[self.consent]
        if status == "ACCEPTED":
            self.allow_reminders()
        scopes = [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}]
        if directive.get("type") == "Connections.StartConnection":
            if directive.get("uri") != CONSENT_URI:
                return turn
            result = {"permissionScopes": scopes, **({"status": status} if status else {})}
            envelope = self.session.resumed(token, result, code)
            kind = "SessionResumedRequest"
        else:
            if directive.get("name") != "AskFor":
                return turn
            payload = {"permissionScope": REMINDERS_SCOPE, **({"status": status} if status else {})}
            envelope = self.session.connections_response("AskFor", token, payload, code)
            kind = "Connections.Response"
        note = f"Alexa asked for permission to set reminders; the answer: {self.consent}"
        turn.then = self._exchange(f"(asked for permission) {said}", envelope, kind, {}, note)
        return turn

    def _closed_note(self, text: str) -> Turn:
        return Turn(
            text,
            None,
            {},
            "",
            None,
            None,
            False,
            {},
            None,
            0,
            note="no session is open; nothing was sent",
        )

    def _exchange(
        self, text: str, envelope: dict, intent: str | None, slots: dict, note: str
    ) -> Turn:
        mark = self.apis.mark() if self.apis is not None else 0
        status, body = self.transport.send(envelope)
        calls = self.apis.calls(self.session.api_token, mark) if self.apis is not None else []
        response = (body or {}).get("response", {}) if status == 200 else {}
        if status == 200 and body is not None:
            self.session.receive(body)
        else:
            self.session.open = False
        output = response.get("outputSpeech") or {}
        reprompt = (response.get("reprompt") or {}).get("outputSpeech") or {}
        speech = to_text(output.get("ssml") or output.get("text"))
        if status != 200:
            speech = f"(HTTP {status}: {(body or {}).get('error', 'no body')})"
        return Turn(
            utterance=text,
            intent=intent,
            slots=_slot_summary(slots),
            speech=speech,
            reprompt=to_text(reprompt.get("ssml") or reprompt.get("text")) or None,
            card=response.get("card"),
            session_open=self.session.open,
            request=envelope,
            response=body,
            status=status,
            note=note,
            attributes=dict(self.session.attributes),
            api_calls=calls,
        )
