"""What a workout request says, read from its slots: the numbers of a set and their unit,
the way of doing sets, and the program named."""

from __future__ import annotations

from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Intent

from skill.content.model import Program

from ..request import intent_of
from ..slots import SlotResolver
from . import numbers
from .place import Mode

#: The position words of the program slot's synonyms, for "number two" or a bare "two".
POSITIONS = ("first", "second", "third", "fourth", "fifth")
MODE_IDS = {"COUNTED": Mode.COUNTED, "SELF_PACED": Mode.SELF}


@dataclass(frozen=True)
class Numbers:
    """A set's numbers as heard. ``unit`` is "kg", "lb" or None (not said);
    ``unknown_unit`` is True when a unit was said that the skill doesn't know ("stone")."""

    reps: float | None
    weight: float | None
    unit: str | None
    unknown_unit: bool = False


class WorkoutHearing:
    """Reads the slots of a workout request."""

    def __init__(self, resolver: SlotResolver, by_program_slot: dict[str, Program]):
        self.resolver = resolver
        self.by_program_slot = by_program_slot

    @staticmethod
    def _intent(handler_input: HandlerInput) -> Intent:
        return intent_of(handler_input)

    def numbers(self, handler_input: HandlerInput) -> Numbers:
        """Reps, weight and unit; a unit the skill doesn't know is never guessed."""
        intent = self._intent(handler_input)
        slots = intent.slots or {}

        def value(name: str) -> float | None:
            slot = slots.get(name)
            return numbers.parse_number(slot.value) if slot is not None else None

        unit_id, heard = self.resolver.resolve(intent, "Unit")
        unit = numbers.UNIT_IDS.get(unit_id) if unit_id else None
        return Numbers(value("Reps"), value("Weight"), unit, unit is None and bool(heard))

    def unit(self, handler_input: HandlerInput) -> str | None:
        """ "kg" or "lb" from the Unit slot, None when it names neither."""
        unit_id, _ = self.resolver.resolve(self._intent(handler_input), "Unit")
        return numbers.UNIT_IDS.get(unit_id) if unit_id else None

    def mode(self, handler_input: HandlerInput) -> Mode | None:
        """Counted or self-paced from a ``SetModeIntent``, None when its words are unknown."""
        value_id, _ = self.resolver.resolve(self._intent(handler_input), "Mode")
        return MODE_IDS.get(value_id or "")

    def program(self, handler_input: HandlerInput) -> Program | None:
        """The program named ("the bone-safe one", "the second one"), or numbered ("two")."""
        intent = self._intent(handler_input)
        value_id, _ = self.resolver.resolve(intent, "Program")
        if value_id is None:
            slot = (intent.slots or {}).get("Reps")
            number = numbers.parse_number(slot.value) if slot is not None else None
            if number is not None and number == int(number) and 0 < number <= len(POSITIONS):
                value_id = self.resolver.value_for("PROGRAM", POSITIONS[int(number) - 1])
        return self.by_program_slot.get(value_id) if value_id else None
