"""The simulator in a browser: ``GET /simulator`` and a JSON API that plays one turn a call.

Registered only while signature verification is off. The server keeps no conversation:
the page sends the session state with every line and gets the new state back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, current_app, jsonify, redirect, request, url_for

from ..content.locales import LOCALES
from ..web.envelopes import Session

# The simulator's machinery is imported by the routes that use it, not when a server
# registers the page: a start-up, and every Alexa request, does without it.
if TYPE_CHECKING:
    from .nlu import LanguageModel
    from .standin import AlexaApiStandIn

MAX_UTTERANCE = 500
MAX_PERSON = 255
MODEL_KEY = "bone_builder_simulator_model"
APIS_KEY = "bone_builder_simulator_apis"
MAX_ZONE = 64
STRICT_MODEL_KEY = "bone_builder_simulator_model_strict"
# What to try next, by where the conversation is: no session, a session without a workout,
# or the workout's stage (doing a set, resting before one, paused). "{unit}" is the locale's.
TRY_SAYING = {
    "closed": (
        "open bone builder",
        "ask bone builder how heavy should i lift",
        "ask bone builder to start my workout",
        "start the beginner workout",
    ),
    "open": (
        "how heavy should i lift",
        "remind me to train on tuesdays and fridays at nine",
        "how am i doing",
        "is it safe to lift with osteoporosis",
        "tell me more",
        "start the beginner workout",
        "help",
        "stop",
    ),
    "set": (
        "twelve",
        "done",
        "i did ten reps with twenty {unit}",
        "that was too hard",
        "how do i do it",
        "repeat",
        "how many sets are left",
        "skip this exercise",
        "pause",
        "stop",
    ),
    "ready": (
        "yes",
        "what's next",
        "how many sets are left",
        "go back",
        "skip this exercise",
        "stop",
    ),
    "resume": ("yes", "start over", "no"),
    "check_set": ("done", "twelve", "no"),
    "mode": ("count for me", "i'll tell you when i'm done"),
    "confirm": ("yes", "no"),
}
STARTERS = TRY_SAYING["closed"]

bp = Blueprint(
    "simulator",
    __name__,
    url_prefix="/simulator",
    static_folder="static",
    static_url_path="/static",
)
local_root = Blueprint("simulator_root", __name__)


@local_root.get("/")
def home():
    """In local mode the site's front page is the simulator."""
    return redirect(url_for("simulator.page"))


@local_root.get("/favicon.ico")
def favicon():
    return redirect(url_for("simulator.static", filename="favicon.svg"))


def _model(strict: bool = False) -> LanguageModel:
    """The skill's own interaction model, compiled on the page's first use (not at start-up);
    ``strict`` is exact matching only."""
    key = STRICT_MODEL_KEY if strict else MODEL_KEY
    model = current_app.extensions.get(key)
    if model is None:
        from .nlu import LanguageModel

        source = current_app.extensions["bone_builder"].skill.model
        model = LanguageModel(source, statistical=not strict)
        current_app.extensions[key] = model
    return model


def _apis() -> AlexaApiStandIn:
    """The stand-in for Alexa's APIs that the page's envelopes point at, started on first use."""
    apis = current_app.extensions.get(APIS_KEY)
    if apis is None:
        from .standin import AlexaApiStandIn

        apis = current_app.extensions[APIS_KEY] = AlexaApiStandIn().start()
    return apis


def scheduled(apis: AlexaApiStandIn, token: str) -> list[dict]:
    """The person's reminders as the page shows them: the rule, the zone, what is said."""
    found = []
    for alert in apis.reminders(token):
        trigger = alert.get("trigger") or {}
        rules = (trigger.get("recurrence") or {}).get("recurrenceRules") or []
        content = ((alert.get("alertInfo") or {}).get("spokenInfo") or {}).get("content") or [{}]
        found.append(
            {
                "rule": "; ".join(rules),
                "time_zone": trigger.get("timeZoneId"),
                "text": content[0].get("text"),
            }
        )
    return found


def _bad(reason: str):
    return jsonify(error=reason), 400


@bp.get("")
def page():
    return bp.send_static_file("simulator.html")


def _intent_of(text: str) -> str | None:
    resolution = _model().resolve(text)
    return resolution.intent or resolution.kind


@bp.get("/api/suggestions")
def suggestions():
    """Phrases to try: the starters (marked ``starter``) first, then the model's samples."""
    phrases = [{"intent": _intent_of(text), "text": text, "starter": True} for text in STARTERS]
    seen = set(STARTERS)
    for intent, text in _model().samples():
        if text not in seen:
            seen.add(text)
            phrases.append({"intent": intent, "text": text, "starter": False})
    return jsonify(phrases=phrases)


def try_saying(open_session: bool, where: dict | None, unit: str) -> list[str]:
    """Phrases that fit the conversation's state, with a weight in ``unit`` ("kg", "lb")."""
    state = where["stage"] if where else "open" if open_session else "closed"
    unit = "pounds" if unit == "lb" else "kilos"
    return [phrase.format(unit=unit) for phrase in TRY_SAYING.get(state, TRY_SAYING["open"])]


@bp.post("/api/say")
def say():
    from .core import CONSENT, InProcess, Simulator

    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _bad("send a JSON object with an 'utterance'")
    utterance, state, locale = payload.get("utterance"), payload.get("state"), payload.get("locale")
    if not isinstance(utterance, str):
        return _bad("'utterance' must be a string")
    if len(utterance) > MAX_UTTERANCE:
        return _bad(f"'utterance' is longer than {MAX_UTTERANCE} characters")
    if state is not None and not isinstance(state, dict):
        return _bad("'state' must be an object or null")
    if locale is not None and locale not in LOCALES:
        return _bad(f"'locale' must be one of {', '.join(LOCALES)}")
    strict = payload.get("strict", False)
    if not isinstance(strict, bool):
        return _bad("'strict' must be true or false")
    person = payload.get("person")
    if person is not None and not (isinstance(person, str) and 0 < len(person) <= MAX_PERSON):
        return _bad(f"'person' must be null or a string of at most {MAX_PERSON} characters")

    consent = payload.get("consent", "accept")
    if consent not in CONSENT:
        return _bad(f"'consent' must be one of {', '.join(CONSENT)}")
    zone = payload.get("timezone") or "UTC"
    if not isinstance(zone, str) or len(zone) > MAX_ZONE:
        return _bad(f"'timezone' must be a time zone name of at most {MAX_ZONE} characters")
    allowed = payload.get("reminders_allowed", False)
    if not isinstance(allowed, bool):
        return _bad("'reminders_allowed' must be true or false")

    session = Session.from_state(state or {})
    if locale:
        session.locale = locale
    if "person" in payload:
        session.person_id = person
    apis = _apis()
    simulator = Simulator(
        _model(strict),
        InProcess(current_app),
        session=session,
        apis=apis,
        consent=consent,
        permissions=("reminders",) if allowed else (),
        time_zone=zone,
    )
    turn = simulator.say(utterance)
    last = turn.chain()[-1] if turn else None
    attributes = last.attributes if last else session.attributes
    content = current_app.extensions["bone_builder"].skill.content
    where = progress(attributes, content)
    unit = content.workout["default_unit"].get(session.locale, "kg")
    return jsonify(
        turn=turn.to_json() if turn else None,
        state=session.state(),
        progress=where,
        suggestions=try_saying(session.open, where, unit),
        reminders=scheduled(apis, session.api_token),
    )


def _index(value, size: int) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size
    return value if ok else None


def progress(attributes, content) -> dict | None:
    """Where the workout in ``attributes`` stands, in words for the page; None if none."""
    workout = attributes.get("workout") if isinstance(attributes, dict) else None
    if not isinstance(workout, dict) or not isinstance(workout.get("program"), str):
        return None
    program = content.programs.get(workout["program"])
    if program is None:
        return None
    ex = _index(workout.get("ex"), len(program.exercises))
    if ex is None:
        return None
    exercise = program.exercises[ex]
    set_ = _index(workout.get("set"), exercise.sets)
    stage = workout.get("stage")
    if set_ is None or stage not in ("set", "ready", "resume"):
        return None
    return {
        "program": program.name,
        "exercise": exercise.name,
        "exercise_number": ex + 1,
        "exercises": len(program.exercises),
        "set": set_ + 1,
        "sets": exercise.sets,
        "stage": stage,
    }
