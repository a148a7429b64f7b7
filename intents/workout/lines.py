"""The words of a workout: set announcements, what to say when done, and spoken rests."""

from __future__ import annotations

from skill.content import Exercise

from ..respond import pause


def set_line(set_number: int, exercise: Exercise, named: bool, starting_light: bool = False) -> str:
    """ "Set 2 of 3 of the goblet squat: 8 to 12 reps, with a weight that's hard by the last rep."

    ``starting_light``: the first time with a weight, which was just said to be light, so
    the set doesn't also ask for one that's hard by the last rep.
    """
    low, high = exercise.reps
    side = " on each side" if exercise.per_side else ""
    if exercise.load == "timed":
        target = f"hold for {low} to {high} seconds{side}"
    else:
        target = f"{low} to {high} reps{side}"
    how = {
        "weight": "" if starting_light else ", with a weight that's hard by the last rep",
        "band": ", with a band that makes the last few reps hard",
    }.get(exercise.load, "")
    which = f" of the {exercise.name}" if named else ""
    return f"Set {set_number} of {exercise.sets}{which}: {target}{how}."


def finish_instruction(exercise: Exercise) -> str:
    """What to say at the end of a set of this exercise."""
    if exercise.load == "weight":
        return "When you finish, say done, or tell me your reps and weight."
    if exercise.load == "timed":
        return "When you finish, say done."
    return "When you finish, say done, or tell me how many reps."


def ready_question(set_index: int, exercise: Exercise) -> str:
    if set_index == 0:
        return f"Ready for {exercise.name}?"
    return f"Ready for set {set_index + 1} of {exercise.sets}?"


def rest(seconds: int, longest_spoken: int, break_seconds: int) -> list:
    """A rest spoken as silence: break tags of at most ``break_seconds``, "halfway" in the
    middle, capped at ``longest_spoken`` seconds with the remainder named."""
    spoken = min(seconds, longest_spoken)
    parts: list = [f"Rest for about {say_duration(seconds)}."]
    half = spoken // 2 if spoken >= 40 and spoken == seconds else None
    elapsed = 0
    while elapsed < spoken:
        if half is not None and elapsed >= half:
            parts.append("Halfway.")
            half = None
        length = min(break_seconds, spoken - elapsed)
        parts.append(pause(length))
        elapsed += length
    if seconds > spoken:
        parts.append(f"Take another {say_duration(seconds - spoken)} if you need it.")
    return parts


def say_duration(seconds: int) -> str:
    """90 -> "a minute and a half"; 45 -> "45 seconds"."""
    minutes, rest_seconds = divmod(seconds, 60)
    if minutes == 0 or rest_seconds not in (0, 30):
        return f"{seconds} seconds"
    whole = "a minute" if minutes == 1 else f"{minutes} minutes"
    return f"{whole} and a half" if rest_seconds == 30 else whole
