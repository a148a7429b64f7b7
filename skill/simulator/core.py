"""Play a conversation with the skill: typed words become Alexa request envelopes.

The envelopes are the ones in ``skill.envelopes``; the skill answers in-process
through the Flask app, or over real HTTP with ``--url``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field

from ..envelopes import Session
from .nlu import LanguageModel, Resolution
from .speech import to_text


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

    def to_json(self) -> dict:
        return asdict(self)


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
    ):
        self.model = model
        self.transport = transport
        extra = {"skill_id": skill_id} if skill_id else {}
        self.session = session or Session(
            user_id=user_id, locale=locale, person_id=person_id, **extra
        )

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
            return self._exchange(text, envelope, "LaunchRequest", {}, resolution.reason)
        note = resolution.reason
        if resolution.one_shot or not self.session.open:
            if not resolution.one_shot:
                note += "; no session was open, so this is sent as a one-shot request"
            self.session.open = False
        envelope = self.session.intent(resolution.intent, resolution.slots)
        turn = self._exchange(text, envelope, resolution.intent, resolution.slots, note)
        turn.near = list(resolution.near) if resolution.near else None
        turn.tier = resolution.tier
        turn.confidence = resolution.confidence
        turn.top = [list(pair) for pair in resolution.top]
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
        status, body = self.transport.send(envelope)
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
        )
