"""Build the skill once at start-up: load and check content and model, wire handlers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

import intents

from .alexa_api import TimedApiClient
from .config import Settings
from .content import stamp
from .content.listing import LISTING_FILE, load_listing
from .content.localized import LocalizedContent, load_localized
from .content.model import Content, ContentError
from .content.model_check import check_against_content, check_model, language_model, load_model
from .store.persistence import SqlPersistenceAdapter


@dataclass
class BuiltSkill:
    """The skill as ask-sdk-core runs it, with the content and model it was built from."""

    skill: CustomSkill
    content: LocalizedContent
    model: dict
    workout: intents.Workout
    #: The session attributes a listener reads to follow the conversation (the simulator).
    session_names: intents.SessionNames = intents.SESSION_NAMES


def _read_model(path: Path) -> dict:
    try:
        return load_model(path)
    except (OSError, ValueError) as exc:
        raise ContentError([f"{path}: cannot be read ({exc})"]) from exc


def load_checked(content_dir: Path, interaction_model: Path) -> tuple[LocalizedContent, dict]:
    """Every locale's content and the interaction model, valid and consistent, or ContentError."""
    content = load_localized(content_dir)
    model = _read_model(interaction_model)
    problems = check_model(model)
    if not problems:
        problems = check_against_content(
            model, cast(Content, content), set(intents.HANDLED_INTENTS)
        )
    if problems:
        raise ContentError([f"interaction_model.json: {p}" for p in problems])
    return content, model


def _handled() -> list[str]:
    """What the checks depend on besides content, model and their own code."""
    return sorted(intents.HANDLED_INTENTS)


def stamp_checked(content_dir: Path, interaction_model: Path) -> bool:
    """Record that the content folder (its listing too) and the model passed every check."""
    return stamp.record(content_dir, interaction_model, _handled())


def load_for_start(content_dir: Path, interaction_model: Path) -> tuple[LocalizedContent, dict]:
    """``load_checked`` for a starting server or Lambda, and the listing checked too; the
    checks are left out when the stamp says this very content and model passed them
    (``skill.content.stamp``), and a full check that passes is stamped."""
    if stamp.was_checked(content_dir, interaction_model, _handled()):
        return load_localized(content_dir, check=False), _read_model(interaction_model)
    content, model = load_checked(content_dir, interaction_model)
    if (content_dir / LISTING_FILE).exists():  # the web face's; a Lambda does without
        load_listing(content_dir)
    stamp_checked(content_dir, interaction_model)
    return content, model


def build_skill(
    settings: Settings,
    persistence_adapter: SqlPersistenceAdapter,
    charts: intents.ChartMaker | None = None,
) -> BuiltSkill:
    """The skill on ``persistence_adapter``; ``charts`` makes progress-chart links
    (``skill.web.charts.ChartLinks``), None for text cards."""
    content, model = load_for_start(settings.content_dir, settings.interaction_model)
    builder = CustomSkillBuilder(
        persistence_adapter=persistence_adapter, api_client=TimedApiClient()
    )
    # The handlers read content as ``Content``; the localized content answers every
    # attribute of it for the request's locale (``skill.content.localized``).
    spoken = cast(Content, content)
    workout = intents.build_workout(spoken, language_model(model), persistence_adapter, charts)
    for handler in intents.request_handlers(workout):
        builder.add_request_handler(handler)
    for failure in intents.exception_handlers(spoken):
        builder.add_exception_handler(failure)
    for before in intents.request_interceptors():
        builder.add_global_request_interceptor(before)
    for after in intents.response_interceptors(workout):
        builder.add_global_response_interceptor(after)
    return BuiltSkill(builder.create(), content, model, workout)
