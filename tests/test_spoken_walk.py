"""The spoken walk: it reaches the end of every program, tells the kinds of response apart,
and holds each to its turn budget, timing speech only."""

from __future__ import annotations

import shutil

import pytest

from skill.cli import main
from skill.simulator.budgets import Budgets, Timed, problems, time_heard
from skill.simulator.response_kinds import COUNT, SET_RESULT, Exchange, asks, classify
from skill.simulator.speech import spoken_seconds
from skill.simulator.timing import speech_only, speech_seconds
from skill.simulator.walk import Heard, Replies, Walker, WalkError, walk
from skill.web.envelopes import Session, slot
from tests.helpers import local_app

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (CI installs it)"
)


def fresh_app(folder):
    return local_app(f"sqlite:///{folder / 'state.sqlite3'}")


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> list[Heard]:
    return walk(fresh_app(tmp_path_factory.mktemp("walk")))


@pytest.fixture(scope="module")
def timed(walked) -> list[Timed]:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (CI installs it)")
    return time_heard(walked)


def sent(app, session: Session, envelope: dict) -> Exchange:
    reply = app.test_client().post("/alexa", json=envelope)
    assert reply.status_code == 200
    session.receive(reply.get_json())
    return Exchange(envelope, reply.get_json())


# -- the walk ------------------------------------------------------------------------------


def test_the_walk_reaches_the_end_of_every_program_twice(app, content):
    walker = Walker(app)
    for program in content.programs.values():
        person = Session()
        walker.workout(program, person, "first time", tells_numbers=True)
        walker.workout(program, person, "again", tells_numbers=False)
        # The skill's own record: two finished workouts, every set of the program in each.
        history = app.extensions["bone_builder"].persistence.export(person.user_id)["history"]
        every_set = [(e.id, n + 1) for e in program.exercises for n in range(e.sets)]
        assert [w["program"] for w in history] == [program.id, program.id]
        for workout in history:
            assert workout["finished"]
            assert [(s["exercise"], s["set"]) for s in workout["sets"]] == every_set
        assert not person.open
    first_time = [h.said for h in walker.heard if "standard workout (first time)" in h.where]
    assert "12 reps with twenty pounds" in first_time
    again = [h.said for h in walker.heard if "standard workout (again)" in h.where]
    assert not any("pounds" in s for s in again)


def test_the_whole_walk_covers_launch_help_fallback_stop_and_every_answer(walked, content):
    lifecycle = [h.said for h in walked if h.where.startswith("launch, help, fallback, stop")]
    assert lifecycle == ["open bone builder", "help", "banana", "stop", "open bone builder"]
    answers = [(t.id, v) for t in content.topics.values() for v in (None, *t.variants)]
    for topic_id, variant in answers:
        where = f"questions: {topic_id}" + (f"/{variant}" if variant else "")
        said = [(h.said, h.kind) for h in walked if h.where == where]
        assert said[-1] == ("tell me more", "more"), where
        assert said[-2][1] == "other", where
    for program in content.programs.values():
        for when in ("first time", "again"):
            kinds = [h.kind for h in walked if h.where.startswith(f"{program.id} workout ({when})")]
            assert kinds.count("start") == 1
            assert program.total_sets <= kinds.count("start") + kinds.count("set")


def test_a_stuck_walk_stops_with_a_clear_error(app, content):
    # Saying "repeat" instead of "done" hears the same set again and again.
    stuck = Replies(done="repeat", reps="repeat", reps_and_weight="repeat", count="repeat")
    walker = Walker(app, stuck, stall_turns=6)
    program = content.programs["beginner"]
    with pytest.raises(WalkError) as failure:
        walker.workout(program, Session(), "first time", tells_numbers=True)
    message = str(failure.value)
    assert message.startswith("beginner workout (first time), turn ")
    assert "stuck, no new set announced in 6 turns" in message
    assert "Sets never announced: exercise 1 set 2," in message
    assert len(walker.heard) < 15


def test_a_walk_that_says_what_the_model_does_not_know_stops(app, content):
    walker = Walker(app, Replies(yes="flibbertigibbet"))
    with pytest.raises(WalkError, match='said "flibbertigibbet", which the model does not'):
        walker.workout(content.programs["beginner"], Session(), "first time", True)


# -- classification ------------------------------------------------------------------------


def names(app):
    return app.extensions["bone_builder"].skill.session_names


def test_each_kind_of_response_is_told_apart(app):
    def classify_(exchange, started):
        return classify(exchange, started, names(app))

    person = Session()
    assert classify_(sent(app, person, person.launch()), False) == "other"
    start = sent(
        app,
        person,
        person.intent("StartWorkoutIntent", {"Program": slot("Program", "beginner", "BEGINNER")}),
    )
    assert classify_(start, False) == "start"
    assert classify_(start, True) == "other"  # it asks "ready?"
    sent(app, person, person.intent("AMAZON.YesIntent"))  # "shall I count with you?"
    counted = sent(app, person, person.intent("AMAZON.YesIntent"))
    assert classify_(counted, True) == "set"
    rest = sent(app, person, person.intent("LogSetIntent", {"Reps": slot("Reps", "10")}))
    assert asks(rest, names(app)) != SET_RESULT and classify_(rest, True) == "other"
    next_set = sent(app, person, person.intent("AMAZON.YesIntent"))
    assert classify_(next_set, True) == "set"
    person = Session()
    sent(app, person, person.launch())
    answer = sent(app, person, person.intent("HowHeavyIntent"))
    assert classify_(answer, True) == "other"
    assert classify_(sent(app, person, person.intent("AMAZON.YesIntent")), True) == "more"
    sent(app, person, person.intent("HowOftenIntent"))
    assert classify_(sent(app, person, person.intent("TellMeMoreIntent")), True) == "more"


def _exchange(ssml: str, reprompt: str | None, open_: bool, attributes: dict) -> Exchange:
    response = {"outputSpeech": {"type": "SSML", "ssml": ssml}, "shouldEndSession": not open_}
    if reprompt:
        response["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": reprompt}}
    request = Session().intent("AMAZON.YesIntent")
    return Exchange(request, {"response": response, "sessionAttributes": attributes})


def test_a_counted_set_and_a_self_paced_set_are_set_announcements(app):
    walker = Walker(app)
    cursor = {"workout": {"ex": 0, "set": 0, "stage": "set"}}
    counted = _exchange(
        '<speak>Stand, and sit. <prosody rate="slow">one <break time="3s"/> two</prosody> '
        "How many did you get?</speak>",
        "<speak>How many did you get?</speak>",
        True,
        cursor,
    )
    assert asks(counted, names(app)) == COUNT and classify(counted, True, names(app)) == "set"
    assert walker.reply(counted, COUNT) == "10 reps"
    self_paced = _exchange(
        "<speak>Set 1 of 2. When you've finished, say: Alexa, tell Bone Builder done.</speak>",
        None,
        False,
        {},
    )
    assert asks(self_paced, names(app)) == SET_RESULT
    assert classify(self_paced, True, names(app)) == "set"
    assert walker.reply(self_paced, SET_RESULT) == "tell bone builder done"


def test_the_first_choice_is_taken(app):
    walker = Walker(app)
    person = Session()
    sent(app, person, person.launch())
    which = sent(app, person, person.intent("StartWorkoutIntent"))
    assert walker.reply(which, asks(which, names(app))) == "the first one"
    unit = _exchange(
        "<speak>Was that kilograms or pounds?</speak>",
        "<speak>Was that kilograms or pounds?</speak>",
        True,
        {},
    )
    assert walker.reply(unit, asks(unit, names(app))) == "in kilograms"


# -- budgets and timing --------------------------------------------------------------------


def test_a_response_over_its_budget_is_named_with_where_it_came():
    fake = Heard("beginner workout (first time), turn 4", "yes", "set", "<speak>Long set.</speak>")
    within = Heard("questions: pain", "tell me more", "more", "<speak>Fine.</speak>")
    found = problems([Timed(fake, 12.4), Timed(within, 29.0), Timed(within, 1.0)], Budgets())
    assert found == [
        'set 12.4 s > 12 s: beginner workout (first time), turn 4, after "yes": "Long set."',
        "median 12.4 s > 8 s over the 1 responses of the workouts",
    ]
    assert problems([Timed(fake, 12.0)], Budgets(median=12)) == []


@needs_espeak
def test_a_real_long_response_is_timed_over_its_budget():
    sentence = "Stand tall, hold the counter and lower yourself slowly to the chair. "
    fake = Heard("fake place", "yes", "start", f"<speak>{sentence * 6}</speak>")
    (timed_fake,) = time_heard([fake])
    assert timed_fake.seconds > 15
    assert problems([timed_fake], Budgets(median=60))[0].startswith("start ")
    assert "fake place" in problems([timed_fake], Budgets(median=60))[0]


def test_speech_only_drops_pauses_and_slow_counts():
    ssml = (
        '<speak>Rest. <break time="10s"/> Ready? '
        '<prosody rate="x-slow">one <break time="2s"/> two</prosody>'
        '<prosody rate="85%">Nice.</prosody></speak>'
    )
    assert speech_only(ssml) == '<speak>Rest.   Ready?  <prosody rate="85%">Nice.</prosody></speak>'


@needs_espeak
def test_timing_counts_speech_but_not_pauses_or_a_paced_count():
    count = "one, two, three, four, five, six, seven, eight"
    paced = count.replace(", ", ' <break time="4s"/> ')
    plain = speech_seconds("<speak>Stand up tall. Now sit down slowly.</speak>")
    paused = (
        '<speak>Stand up tall. <break time="10s"/> Now sit down slowly. <break time="3s"/></speak>'
    )
    counted = speech_seconds(
        f'<speak>Stand up tall. <prosody rate="slow">{paced}</prosody> Now sit down slowly.</speak>'
    )
    said_count = speech_seconds(f"<speak>Stand up tall. {count}. Now sit down slowly.</speak>")
    assert 1 < plain < 5
    assert speech_seconds(paused) == pytest.approx(plain, abs=0.3)
    assert spoken_seconds(paused) > plain + 11  # the same, with its pauses
    assert counted == pytest.approx(plain, abs=0.3)
    assert said_count > plain + 2  # the same count, not paced, is speech


@pytest.mark.slow
@needs_espeak
def test_validate_spoken_prints_the_summary_and_fails_exactly_when_over_budget(timed, capsys):
    code = main(["validate", "--spoken"])
    out, err = capsys.readouterr()
    assert "Spoken walk:" in out and "Longest 5:" in out
    for kind in ("start", "set", "more", "other", "all"):
        assert f"\n  {kind} " in out
    expected = problems(timed, Budgets())
    assert code == (1 if expected else 0)
    for problem in expected:
        assert problem in err


@pytest.mark.slow
@needs_espeak
def test_every_response_of_the_walk_is_within_its_budget(timed):
    assert problems(timed, Budgets()) == []
