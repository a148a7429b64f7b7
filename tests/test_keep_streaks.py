"""The weekly goal and the streak: weeks start on Monday where the person is, a week not
yet over never breaks a streak, and a change of time zone moves the week boundary. The
time zone comes from the simulator's stand-in for Alexa's Settings API (over real HTTP; it
stands in for Amazon's cloud); the time is set by giving the skill a clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from intents.keep.weeks import Week, missed_last_week, streak, this_week, week_start
from skill.simulator.standin import AlexaApiStandIn
from skill.store import habit_log
from skill.web.envelopes import Session
from tests.helpers import Talk, assert_session_rule, speech
from tests.test_workout import finish_workout

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
#: Sunday 29 November 2026, 23:30 in New York: already Monday 30 November in London.
SUNDAY_NIGHT_NY = dt.datetime(2026, 11, 30, 4, 30, tzinfo=dt.UTC)
MONDAY = dt.date(2026, 11, 30)
LAST_MONDAY = dt.date(2026, 11, 23)


def test_a_week_starts_on_monday_at_midnight_where_the_person_is():
    sunday = dt.datetime(2026, 11, 29, 23, 59, tzinfo=LONDON)
    monday = dt.datetime(2026, 11, 30, 0, 1, tzinfo=LONDON)
    assert week_start(sunday, LONDON) == LAST_MONDAY
    assert week_start(monday, LONDON) == MONDAY


def test_the_same_moment_is_in_different_weeks_in_different_zones():
    assert week_start(SUNDAY_NIGHT_NY, NEW_YORK) == LAST_MONDAY
    assert week_start(SUNDAY_NIGHT_NY, LONDON) == MONDAY


def test_a_streak_counts_met_weeks_in_a_row_and_a_week_under_way_never_breaks_it():
    weeks = [
        Week(MONDAY - dt.timedelta(days=21), 1, 2),  # short of its goal: the run starts after
        Week(MONDAY - dt.timedelta(days=14), 2, 2),
        Week(LAST_MONDAY, 3, 3),  # met its own goal of three
    ]
    assert streak(weeks, this_week(weeks, MONDAY, 2)) == 2, "this week is not over yet"
    assert streak(weeks, Week(MONDAY, 2, 2)) == 3, "met this week too"
    assert streak(weeks, Week(MONDAY + dt.timedelta(days=7), 2, 2)) == 1, "a gap ends a run"
    assert missed_last_week(weeks, Week(MONDAY + dt.timedelta(days=7), 1, 2))
    assert not missed_last_week([], Week(MONDAY, 0, 2)), "nobody new hears 'welcome back'"


@pytest.fixture
def apis():
    """Stands in for Alexa's Settings API in Amazon's cloud."""
    with AlexaApiStandIn("America/New_York") as stand_in:
        yield stand_in


class Person:
    """Someone whose device reports ``apis``' time zone, at a time the test sets."""

    def __init__(self, app, apis):
        self.app = app
        self.apis = apis
        self.session = Session(api_endpoint=apis.url)
        self.keep = app.extensions["bone_builder"].skill.workout.keep
        self.now = SUNDAY_NIGHT_NY
        self.keep.clock = lambda: self.now

    def talk(self) -> Talk:
        talk = Talk(self.app.test_client(), self.session)
        talk.launch()
        return talk

    def workout(self, content) -> str:
        """A whole beginner workout; what was said at its end."""
        bodies = finish_workout(self.talk(), content.programs["beginner"])
        assert_session_rule(bodies[-1])
        return speech(bodies[-1])

    def counted(self, week: dt.date, sessions: int, goal: int) -> None:
        """Earlier weeks, as if trained then."""
        with self.app.extensions["bone_builder"].persistence.transaction() as conn:
            for _ in range(sessions):
                habit_log.count_week(conn, self.session.user_id, week.isoformat(), goal)


def test_the_end_of_a_workout_says_the_week_and_the_streak(app, apis, content):
    someone = Person(app, apis)
    someone.counted(LAST_MONDAY - dt.timedelta(days=14), 3, 2)
    someone.counted(LAST_MONDAY - dt.timedelta(days=7), 2, 2)
    someone.counted(LAST_MONDAY, 1, 2)
    said = someone.workout(content)
    # Sunday night in New York: the second workout of the week that began last Monday.
    assert "That's two this week: goal met. Three weeks in a row." in said
    someone.now = SUNDAY_NIGHT_NY + dt.timedelta(hours=1)  # Monday 00:30 in New York
    said = someone.workout(content)
    assert "That's one this week, one more to meet your goal." in said
    assert "Welcome back" not in said, "last week was met"


def test_a_missed_week_gets_encouragement_not_a_lecture(app, apis, content):
    someone = Person(app, apis)
    someone.counted(LAST_MONDAY - dt.timedelta(days=14), 2, 2)
    someone.now = SUNDAY_NIGHT_NY + dt.timedelta(days=1)
    said = someone.workout(content)
    assert "Welcome back. Every week is a fresh start." in said
    assert "That's one this week, one more to meet your goal." in said
    for word in ("missed", "failed", "only", "should have"):
        assert word not in said.lower()


def test_a_goal_set_by_voice_judges_this_week_and_is_remembered(app, apis, content):
    someone = Person(app, apis)
    talk = someone.talk()
    assert "Your goal is one session a week." in speech(
        talk.intent("SetGoalIntent", {"Count": "1"})
    )
    said = someone.workout(content)
    assert "That's one this week: goal met." in said
    with app.extensions["bone_builder"].persistence.reading() as conn:
        assert habit_log.goal_row(conn, someone.session.user_id)[0] == 1
        assert habit_log.recent_weeks(conn, someone.session.user_id) == [
            (LAST_MONDAY.isoformat(), 1, 1)
        ]


def test_a_change_of_time_zone_moves_the_week(app, apis, content):
    someone = Person(app, apis)
    someone.workout(content)
    body = someone.talk().intent("HowAmIDoingIntent")
    assert "This week: one of your two." in speech(body)
    apis.set_time_zone(someone.session.device_id, "Europe/London")  # it is Monday there
    body = someone.talk().intent("HowAmIDoingIntent")
    assert "No sessions yet this week. Your goal is two." in speech(body)
    assert_session_rule(body)


def test_without_the_settings_api_the_last_zone_known_is_used(app, apis, content):
    someone = Person(app, apis)
    someone.workout(content)  # New York, remembered
    apis.fail_with(503)
    body = someone.talk().intent("HowAmIDoingIntent")
    assert "This week: one of your two." in speech(body)
    never_known = Person(app, apis)
    body = never_known.talk().intent("HowAmIDoingIntent")
    assert "haven't finished a workout" in speech(body)


def test_the_migration_counts_workouts_finished_before_it_into_their_weeks(tmp_path):
    from sqlalchemy import insert

    from skill.store.migrations import upgrade
    from skill.store.persistence import make_engine
    from skill.store.tables import people, workouts

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(people).values(person_id="p", welcomed=True, version=1))
        for n, finished in enumerate(
            [
                "2026-11-24T08:00:00+00:00",
                "2026-11-26T08:00:00+00:00",
                "2026-11-30T08:00:00+00:00",
                None,
            ]
        ):
            conn.execute(
                insert(workouts).values(
                    person_id="p", ref=f"w{n}", started=finished, finished=finished, version=1
                )
            )
    upgrade(url)
    with engine.connect() as conn:
        assert habit_log.recent_weeks(conn, "p") == [
            (MONDAY.isoformat(), 1, 2),
            (LAST_MONDAY.isoformat(), 2, 2),
        ]
    engine.dispose()
