"""The progress chart: a Standard card whose image is served from the webhook at a signed,
short-lived URL that carries no personal data; forged, expired or forgotten links get
nothing, and nothing else is served. Without a public address the card is text."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from urllib.parse import urlsplit

import pytest

from skill.store import habit_log
from skill.store.tables import charts
from skill.web.envelopes import Session
from tests.helpers import Talk, local_app, speech
from tests.test_workout import finish_workout

BASE = "https://bones.example.org"
SECRET = "a-test-secret-that-is-long-enough-to-sign-with"


@pytest.fixture
def chart_app(tmp_path):
    return local_app(f"sqlite:///{tmp_path / 'state.sqlite3'}", PUBLIC_BASE_URL=BASE, CHART_SECRET=SECRET)


def progress(app, weights=(20, 25), session: Session | None = None) -> tuple[dict, Session]:
    """Two standard workouts, then "how am I doing"."""
    content = app.extensions["bone_builder"].skill.content
    session = session or Session()
    for weight in weights:
        talk = Talk(app.test_client(), Session(user_id=session.user_id))
        talk.launch()
        finish_workout(talk, content.programs["standard"], weight=weight)
    talk = Talk(app.test_client(), session)
    talk.launch()
    return talk.intent("HowAmIDoingIntent"), session


def chart_path(body: dict) -> str:
    card = body["response"]["card"]
    assert card["type"] == "Standard"
    url = card["image"]["largeImageUrl"]
    assert card["image"]["smallImageUrl"] == url
    assert url.startswith(BASE + "/charts/") and url.endswith(".png")
    return urlsplit(url).path


def test_how_am_i_doing_shows_a_chart_served_as_a_png(chart_app):
    body, session = progress(chart_app)
    assert "goal met" in speech(body)
    card = body["response"]["card"]
    assert "This week: 2 of 2 sessions" in card["text"]
    assert "Goblet squat: 20 to 25 lb" in card["text"]
    path = chart_path(body)
    served = chart_app.test_client().get(path)
    assert served.status_code == 200
    assert served.mimetype == "image/png"
    assert served.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(served.data) < 2_000_000, "Alexa takes card images up to 2 MB"


def test_the_link_carries_no_person_and_no_numbers_of_theirs(chart_app):
    body, session = progress(chart_app)
    token = chart_path(body).removeprefix("/charts/").removesuffix(".png")
    assert session.user_id not in token
    with chart_app.extensions["bone_builder"].persistence.reading() as conn:
        [row] = conn.execute(charts.select()).all()
    assert row.person_id == session.user_id and row.id not in ("", None)
    payload = token.split(".")[0]
    assert re.fullmatch(r"[A-Za-z0-9_-]+", payload)
    # The signed payload is the chart's random id, and nothing else (no weights or names).
    carried = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert carried == row.id


def test_forged_expired_and_other_links_get_nothing(chart_app):
    body, _ = progress(chart_app)
    path = chart_path(body)
    client = chart_app.extensions["bone_builder"].charts
    signature = path[-10:-4]
    forged = path[:-10] + ("A" if signature[0] != "A" else "B") + signature[1:] + ".png"
    web = chart_app.test_client()
    assert web.get(forged).status_code == 404
    assert web.get(path.replace(".png", ".svg")).status_code == 404
    assert web.get("/charts/../privacy.png").status_code == 404
    assert web.get("/charts/").status_code == 404
    real_clock = client.clock
    client.clock = lambda: real_clock() + client.ttl + 1
    try:
        assert web.get(path).status_code == 404, "an expired link shows nothing"
    finally:
        client.clock = real_clock
    assert web.get(path).status_code == 200


def test_forgetting_a_person_removes_their_charts(chart_app):
    body, session = progress(chart_app)
    path = chart_path(body)
    chart_app.extensions["bone_builder"].persistence.forget(session.user_id)
    assert chart_app.test_client().get(path).status_code == 404


def test_without_a_public_address_the_card_is_text(app):
    body, _ = progress(app)
    card = body["response"]["card"]
    assert card["type"] == "Simple"
    assert "This week: 2 of 2 sessions" in card["content"]
    assert app.test_client().get("/charts/abcdefghijklmnopqrstuvwxyz.png").status_code == 404


def test_the_chart_settings_are_checked():
    from skill.config import ConfigError, check, from_environment

    settings = from_environment({"ALEXA_VERIFY_SIGNATURES": "0"})
    settings = settings.with_overrides({"CHART_SECRET": "short"})
    with pytest.raises(ConfigError, match="too short"):
        check(settings)
    settings = from_environment(
        {"ALEXA_SKILL_ID": "amzn1.ask.skill.x", "BONE_BUILDER_PUBLIC_URL": "http://host"}
    )
    with pytest.raises(ConfigError, match="https"):
        check(settings)


@pytest.mark.slow
def test_the_fullest_summary_stays_within_the_turn_budget(app):
    """This week, a streak, two lifts and a new best, timed as Alexa would say them."""
    from skill.simulator.budgets import Budgets
    from skill.simulator.speech import espeak_available, spoken_seconds

    if not espeak_available():
        pytest.skip("timing speech needs espeak-ng (apt-get install espeak-ng)")
    session = Session()
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    with app.extensions["bone_builder"].persistence.transaction() as conn:
        for back in range(1, 6):
            for _ in range(2):
                week = (monday - dt.timedelta(days=7 * back)).isoformat()
                habit_log.count_week(conn, session.user_id, week, 2)
    body, _ = progress(app, weights=(20, 22.5), session=session)
    text = speech(body)
    assert "Your streak is six weeks in a row." in text
    assert text.count("went from") == 2 and "A new best" in text
    seconds = spoken_seconds(body["response"]["outputSpeech"]["ssml"])
    assert seconds <= Budgets().other, f"{seconds:.1f} s: {text}"


def test_how_am_i_doing_reads_the_lifts_of_the_last_twelve_weeks(app):
    """The lifts' trend comes from the workouts started in the last ``HISTORY_WEEKS``
    weeks: a day inside that window they count, a day past it they don't. The time is set
    by giving the skill a clock."""
    from intents.keep.keeping import HISTORY_WEEKS

    body, session = progress(app)
    assert "went from" in speech(body)
    keep = app.extensions["bone_builder"].skill.workout.keep
    trained = dt.datetime.now(dt.UTC)
    for days, counted in ((7 * HISTORY_WEEKS - 1, True), (7 * HISTORY_WEEKS + 1, False)):
        later = trained + dt.timedelta(days=days)
        keep.clock = lambda later=later: later
        talk = Talk(app.test_client(), session)
        talk.launch()
        said = speech(talk.intent("HowAmIDoingIntent"))
        assert ("went from" in said) is counted, (days, said)
