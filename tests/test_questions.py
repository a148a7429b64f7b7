"""Every question the skill answers, in a session and as a one-shot."""

from __future__ import annotations

import pytest

from intents.questions import pieces
from skill import config
from skill.builder import load_checked
from skill.web.envelopes import Session, slot
from tests.helpers import Talk, assert_session_rule, reprompt, speech

SETTINGS = config.from_environment()
CONTENT, MODEL = load_checked(SETTINGS.content_dir, SETTINGS.interaction_model)
SLOT_TYPES = {
    i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])}
    for i in MODEL["interactionModel"]["languageModel"]["intents"]
}


def _cases():
    for topic in CONTENT.topics.values():
        yield pytest.param(topic.intent, None, topic.answer, id=topic.id)
        for value_id, answer in topic.variants.items():
            yield pytest.param(
                topic.intent, (topic.slot, value_id), answer, id=f"{topic.id}-{value_id}"
            )


def _slots(intent: str, chosen):
    if chosen is None:
        return None
    name, value_id = chosen
    spoken = value_id.lower().replace("_", " ")
    return {name: slot(name, spoken, value_id, SLOT_TYPES[intent][name])}


@pytest.mark.parametrize(("intent", "chosen", "answer"), list(_cases()))
def test_every_answer_in_session(talk, intent, chosen, answer):
    talk.launch()
    body = talk.intent(intent, _slots(intent, chosen))
    assert speech(body) == f"{answer.speech} {answer.follow_up}".replace("&", "&amp;")
    assert reprompt(body) == answer.follow_up
    assert body["response"]["card"]["title"] == answer.card.title
    assert body["response"]["card"]["content"] == answer.card.text
    assert body["response"]["shouldEndSession"] is False
    assert_session_rule(body)


@pytest.mark.parametrize(("intent", "chosen", "answer"), list(_cases())[::5])
def test_one_shot_question_is_answered_and_closes(talk, intent, chosen, answer):
    body = talk.intent(intent, _slots(intent, chosen))
    note = CONTENT.messages["welcome_first"].speech
    assert speech(body) == f"{note} {answer.speech}".replace("&", "&amp;")
    assert body["response"]["shouldEndSession"] is True
    assert body["response"]["card"]["title"] == answer.card.title
    assert_session_rule(body)


def test_spoken_value_is_used_when_entity_resolution_did_not_match(talk):
    talk.launch()
    squat = CONTENT.by_intent["IsExerciseGoodIntent"].variants["SQUAT"]
    body = talk.intent("IsExerciseGoodIntent", {"Exercise": slot("Exercise", "goblet squats")})
    assert squat.speech in speech(body)


def test_unknown_exercise_gets_the_general_answer_naming_it(talk):
    talk.launch()
    general = CONTENT.by_intent["IsExerciseGoodIntent"].answer
    body = talk.intent(
        "IsExerciseGoodIntent",
        {"Exercise": slot("Exercise", "underwater basket weaving", None, "EXERCISE")},
    )
    assert "underwater basket weaving" in speech(body)
    assert general.speech in speech(body)
    assert_session_rule(body)


def test_tell_me_more_gives_the_longer_form_of_the_last_answer(talk):
    talk.launch()
    talk.intent("HowHeavyIntent")
    body = talk.intent("TellMeMoreIntent")
    more = CONTENT.by_intent["HowHeavyIntent"].answer.more
    first, *rest = pieces(more)
    assert rest, "this answer is long enough to be said in pieces"
    assert speech(body) == f"{first} Want to hear the rest?".replace("&", "&amp;")
    assert body["response"]["card"]["content"] == more
    assert_session_rule(body)
    said = [first]
    while talk.session.attributes.get("pending") == "more":
        body = talk.intent("AMAZON.YesIntent")
        said.append(speech(body).removesuffix(" Want to hear the rest?").rsplit(" What else", 1)[0])
    assert " ".join(said) == more
    assert len(said) == len(pieces(more)) and all(len(p.split()) <= 60 for p in said[:-1])


def test_yes_after_an_answer_means_tell_me_more(talk):
    talk.launch()
    talk.intent("WhichExercisesIntent", _slots("WhichExercisesIntent", ("BodySite", "HIPS")))
    body = talk.intent("AMAZON.YesIntent")
    assert speech(body).startswith(CONTENT.topics["which_exercises"].variants["HIPS"].more[:40])


@pytest.mark.parametrize("question", ["HowOftenIntent", "WhereFromIntent", "TellMeMoreIntent"])
def test_no_after_an_answer_says_a_short_goodbye(talk, content, question):
    talk.launch()
    talk.intent("HowOftenIntent")
    if question != "HowOftenIntent":
        talk.intent(question)
    body = talk.intent("AMAZON.NoIntent")
    assert speech(body) == content.messages["goodbye"].speech
    assert body["response"]["shouldEndSession"] is True


def test_where_is_that_from_names_the_study_and_cards_the_reference(talk):
    talk.launch()
    talk.intent("HowHeavyIntent")
    body = talk.intent("WhereFromIntent")
    answer = CONTENT.by_intent["HowHeavyIntent"].answer
    first = CONTENT.sources[answer.sources[0]]
    assert first.spoken.replace("&", "&amp;") in speech(body)
    card = body["response"]["card"]["content"]
    for source_id in answer.sources:
        source = CONTENT.sources[source_id]
        assert source.authors in card and str(source.year) in card
    assert_session_rule(body)


@pytest.mark.parametrize("intent", ["TellMeMoreIntent", "WhereFromIntent"])
def test_follow_ups_with_nothing_said_yet(talk, intent):
    talk.launch()
    body = talk.intent(intent)
    assert speech(body).startswith(CONTENT.messages["nothing_to_expand"].speech[:30])
    assert_session_rule(body)


def test_session_attributes_round_trip(talk):
    talk.launch()
    body = talk.intent("NutritionIntent", _slots("NutritionIntent", ("Nutrient", "VITAMIN_D")))
    assert body["sessionAttributes"]["last"] == {"topic": "nutrition", "variant": "VITAMIN_D"}
    # The attributes go back on the next request and pick the right longer answer.
    body = talk.intent("TellMeMoreIntent")
    assert CONTENT.topics["nutrition"].variants["VITAMIN_D"].more[:40] in speech(body)


def test_follow_up_after_one_shot_has_no_memory(client):
    one_shot = Talk(client, Session())
    one_shot.intent("HowHeavyIntent")
    body = one_shot.intent("TellMeMoreIntent")
    assert CONTENT.messages["nothing_to_expand"].speech[:30] in speech(body)
