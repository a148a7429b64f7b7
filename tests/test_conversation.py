"""The conversation matrix: every state x every ordinary reply, played through the simulator's
two-tier NLU against the app, with the invariants checked over all of it
(``tests/conversation/README.md``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.simulator import matrix
from skill.simulator.nlu import LanguageModel
from tests.helpers import local_app

FOLDER = Path(__file__).parent / "conversation"
FILES = {path.stem: matrix.load(path) for path in sorted(FOLDER.glob("*.yaml"))}


@pytest.fixture(scope="module")
def player(tmp_path_factory):
    from skill.config import PROJECT_ROOT

    folder = tmp_path_factory.mktemp("matrix")
    app = local_app(f"sqlite:///{folder / 'state.sqlite3'}")
    lines = app.extensions["bone_builder"].skill.content.lines
    markers = [lines["rest_up"], lines["finish_self"].split(". ")[0]]
    model = LanguageModel.from_file(PROJECT_ROOT / "interaction_model.json")
    return matrix.Player(app, model, lambda speech: any(m in speech for m in markers))


def test_every_state_has_at_least_25_replies():
    assert len(FILES) >= 18
    short = {name: len(s.cases) for name, s in FILES.items() if len(s.cases) < 25}
    assert not short


#: The matrix's replies are held out: the model was never tuned on them line by line, so some
#: are misheard by the simulator's NLU. Every reply must keep the invariants; this many
#: must come out exactly as written, overall and in each state.
OVERALL_BAR = 0.85
STATE_BAR = 0.7


@pytest.fixture(scope="module")
def results(player):
    return matrix.run(player, list(FILES.values()))


def test_every_reply_keeps_the_invariants(results):
    broken = [matrix.describe(r) for r in results if any("invariant" in f for f in r.failures)]
    assert not broken, "\n".join(broken)


def test_every_reply_is_given_a_meaning(results):
    silent = [f"[{r.case.state}] {r.case.say!r}" for r in results if r.outcome.event is None]
    assert not silent


def test_most_replies_come_out_as_written(results):
    passed = sum(1 for r in results if not r.failures)
    assert passed / len(results) >= OVERALL_BAR, "\n".join(
        [*matrix.summary(results), *(matrix.describe(r) for r in results if r.failures)]
    )


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_state_answers_most_replies_as_written(results, name):
    mine = [r for r in results if r.case.state == FILES[name].state]
    passed = sum(1 for r in mine if not r.failures)
    assert passed / len(mine) >= STATE_BAR, "\n".join(
        matrix.describe(r) for r in mine if r.failures
    )


@pytest.mark.parametrize("name", sorted(FILES))
def test_three_misses_in_a_row_offer_a_way_out(player, name):
    state = FILES[name]
    turns = player.misses(state, 3)
    if not turns[0].session_open:
        pytest.skip("the state's question is not asked in an open session")
    way_out = player.app.extensions["bone_builder"].skill.content.lines["way_out"]
    assert way_out in turns[2].speech
    assert turns[2].reprompt == turns[0].reprompt
