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
CASES = [(name, n) for name, state in FILES.items() for n in range(len(state.cases))]


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


@pytest.mark.parametrize(("name", "number"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_reply(player, name, number):
    state = FILES[name]
    case = state.cases[number]
    outcome = player.play(state, case.say)
    assert outcome.event is not None, "the skill logged no meaning for this reply"
    result = matrix.CaseResult(case, outcome, matrix.check(case, outcome))
    assert not result.failures, matrix.describe(result)


@pytest.mark.parametrize("name", sorted(FILES))
def test_three_misses_in_a_row_offer_a_way_out(player, name):
    state = FILES[name]
    turns = player.misses(state, 3)
    if not turns[0].session_open:
        pytest.skip("the state's question is not asked in an open session")
    way_out = player.app.extensions["bone_builder"].skill.content.lines["way_out"]
    assert way_out in turns[2].speech
    assert turns[2].reprompt == turns[0].reprompt
