"""Turn a slot into a value id: entity resolution first, the spoken words as fallback.

When Alexa hears words it can't resolve ("a bit dizzy"), a value or synonym said inside
them ("dizzy") still counts: the longest one found, on word boundaries.
"""

from __future__ import annotations

import re

from ask_sdk_model.slu.entityresolution import StatusCode


def _normalise(words: str) -> str:
    return " ".join(words.lower().replace("-", " ").split())


class SlotResolver:
    """Knows each intent's slot types and each type's values and synonyms."""

    def __init__(self, language_model: dict):
        self._slot_types = {
            intent["name"]: {s["name"]: s["type"] for s in intent.get("slots", [])}
            for intent in language_model.get("intents", [])
        }
        self._spoken: dict[str, dict[str, str]] = {}
        for stype in language_model.get("types", []):
            table = self._spoken.setdefault(stype["name"], {})
            for value in stype.get("values", []):
                name = value.get("name", {})
                for word in [name.get("value", ""), *name.get("synonyms", [])]:
                    if _normalise(word):
                        table[_normalise(word)] = value["id"]
        self._inside: dict[str, re.Pattern[str] | None] = {}

    def _pattern(self, slot_type: str) -> re.Pattern[str] | None:
        """Any value or synonym of ``slot_type`` on word boundaries, longest first; compiled
        when first needed (a start-up would compile every type's, most never used)."""
        if slot_type not in self._inside:
            table = self._spoken.get(slot_type)
            self._inside[slot_type] = (
                re.compile(
                    r"\b(?:"
                    + "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
                    + r")\b"
                )
                if table
                else None
            )
        return self._inside[slot_type]

    def value_for(self, slot_type: str, words: str) -> str | None:
        """The value id of ``slot_type`` that ``words`` are a value or synonym of."""
        return self._spoken.get(slot_type, {}).get(_normalise(words))

    def all_inside(self, intent, slot_name: str) -> list[str]:
        """Every value id said in the slot's words ("terrible vertigo": UNWELL and VERTIGO),
        the resolved one first."""
        value_id, spoken = self.resolve(intent, slot_name)
        if not spoken:
            return []
        slot_type = self._slot_types.get(intent.name, {}).get(slot_name) or ""
        table = self._spoken.get(slot_type, {})
        inside = self._pattern(slot_type)
        found = [table[m.group(0)] for m in inside.finditer(_normalise(spoken))] if inside else []
        return list(dict.fromkeys([value_id, *found] if value_id else found))

    def resolve(self, intent, slot_name: str) -> tuple[str | None, str | None]:
        """Return (value id or None, what the user said or None)."""
        slot = (intent.slots or {}).get(slot_name) if intent else None
        if slot is None or not isinstance(slot.value, str) or not slot.value.strip():
            return None, None
        spoken = slot.value.strip()
        resolutions = slot.resolutions.resolutions_per_authority if slot.resolutions else None
        for authority in resolutions or []:
            code = authority.status.code if authority.status else None
            if code == StatusCode.ER_SUCCESS_MATCH and authority.values:
                value_id = authority.values[0].value.id if authority.values[0].value else None
                if isinstance(value_id, str) and value_id:
                    return value_id, spoken
        slot_type = self._slot_types.get(intent.name or "", {}).get(slot_name) or ""
        table = self._spoken.get(slot_type, {})
        heard = _normalise(spoken)
        if heard in table:
            return table[heard], spoken
        inside = self._pattern(slot_type)
        found = inside.search(heard) if inside else None
        return (table[found.group(0)] if found else None), spoken
