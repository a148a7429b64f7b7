"""A person's stored record as one request sees it: read once, written so that what the
rest of the request reads is what was saved, and the unit they weigh in."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.handler_input import HandlerInput

from skill.content.locales import LOCALES
from skill.content.model import Program

from ..request import locale_of, persistent_attributes
from .place import Place
from .state import WorkoutStore

log = logging.getLogger(__name__)

#: The profile key of the person's choice of counted or self-paced sets.
MODE_KEY = "set_mode"


class Records:
    """The one path to stored state in a request: reads go through ask-sdk-core's cached
    persistent attributes; ``write`` runs a store write and puts what it saved in that cache."""

    def __init__(
        self, store: WorkoutStore, programs: dict[str, Program], default_units: dict[str, str]
    ):
        self.store = store
        self.programs = programs
        self.default_units = default_units

    @staticmethod
    def read(handler_input: HandlerInput) -> dict:
        """This person's stored attributes, read at most once per request (the SDK caches
        them); raises when storage can't be read."""
        return persistent_attributes(handler_input)

    def read_or_empty(self, handler_input: HandlerInput) -> dict:
        try:
            return self.read(handler_input)
        except Exception:
            log.warning("could not read stored attributes", exc_info=True)
            return {}

    @staticmethod
    def write(handler_input: HandlerInput, action: Callable[[], dict | None]) -> bool:
        """Run a store write; keep the request's cached attributes equal to what was saved.
        False when it could not be saved."""
        try:
            saved = action()
        except Exception:
            log.warning("could not save workout progress", exc_info=True)
            return False
        if isinstance(saved, dict):
            handler_input.attributes_manager.persistent_attributes = saved
        return True

    def unit(self, handler_input: HandlerInput) -> str:
        """The unit this person last used, else the locale's."""
        remembered = self.read_or_empty(handler_input).get("unit")
        if remembered in ("kg", "lb"):
            return str(remembered)
        return self.default_units.get(locale_of(handler_input) or "", self.default_units[LOCALES[0]])

    def saved_place(self, handler_input: HandlerInput) -> Place | None:
        """The unfinished workout in storage (None when there is none or it can't be read)."""
        try:
            attributes = self.read(handler_input)
        except Exception:
            log.warning("could not read the saved workout", exc_info=True)
            return None
        return self.store.in_progress(attributes, self.programs)

    def last_program(self, handler_input: HandlerInput) -> Program | None:
        """The program of the last workout filed, if it still exists."""
        history = self.store.history(self.read_or_empty(handler_input), limit=1)
        last = history[-1].get("program") if history else None
        return self.programs.get(last) if isinstance(last, str) else None
