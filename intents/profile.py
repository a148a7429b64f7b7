"""What the skill remembers about a person between sessions (beyond workouts)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

WELCOMED = "welcomed"


def first_visit(handler_input) -> bool:
    """True the first time this user opens the skill; remembers that it was said.

    If storage is down the note is simply said again next time: better twice than never.
    """
    manager = handler_input.attributes_manager
    try:
        attributes = manager.persistent_attributes
        if attributes.get(WELCOMED):
            return False
        attributes[WELCOMED] = True
        manager.save_persistent_attributes()
    except Exception:
        log.warning("could not read or save the welcome flag", exc_info=True)
    return True
