"""Turn the flow's ``Say``s into speech: lines from content, numbers in words, rests as
silences with "halfway" at the true midpoint, and a paced count for counted sets."""

from __future__ import annotations

from collections.abc import Callable

from skill.content.model import Content, Exercise

from ..respond import Raw, pause
from ..words import Words
from . import numbers
from .flow import Say

#: A counted rep takes about this long: slow enough for older people (4 to 6 s).
REP_SECONDS = 5
#: Silence per break tag, in seconds (Alexa allows at most 10).
BREAK_SECONDS = 10
SLOW = Raw('<prosody rate="slow">')
END_SLOW = Raw("</prosody>")


#: Fields said as a count with its noun ("one set", "three sets"), per line.
COUNTED_FIELDS = {
    "confirm_restart": {"done": "sets"},
    "sets_left": {"left": "sets_left", "after": "after"},
}


class Renderer:
    """Says lines with their fields filled in. Integer fields are said in words; a field
    named ``turn`` picks the variant."""

    def __init__(self, content: Content, words: Words):
        self.content = content
        self.words = words
        self.rest_rule = content.rest
        self.exercises = {e.id: e for p in content.programs.values() for e in p.exercises}
        self.special: dict[str, Callable[[Say], list]] = {
            "text": lambda say: [say.fields["text"]],
            "rest": lambda say: self.rest(say.fields["seconds"]),
            "count": lambda say: self.count(self.exercises[say.fields["exercise"]]),
        }

    def line(self, key: str, **fields) -> str:
        turn = fields.pop("turn", 0)
        counted = COUNTED_FIELDS.get(key, {})
        spoken = {
            k: self.count_of(counted[k], v) if k in counted else self.value(v)
            for k, v in fields.items()
        }
        if key in ("set_intro", "set_next") and "target" in spoken:
            spoken["target"] = self.target(self.exercises[fields["target"]])
        return self.words(key, turn, **spoken)

    @staticmethod
    def value(v):
        if isinstance(v, bool) or not isinstance(v, int | float):
            return v
        return numbers.say_number(v)

    def count_of(self, key: str, n: int) -> str:
        """ "one set", "three sets": the word forms live in content."""
        return self.words(f"{key}_{'one' if n == 1 else 'many'}", n=numbers.say_number(n))

    def say(self, item: Say) -> list:
        if item.key in self.special:
            return self.special[item.key](item)
        if item.key not in self.words.lines and item.key in self.content.messages:
            return [self.content.messages[item.key].speech]
        return [sentence(self.line(item.key, **item.fields))]

    def question(self, item: Say) -> tuple[list, str]:
        """(words before the question, the question itself: also the reprompt)."""
        if item.key not in self.words.lines and item.key in self.content.messages:
            message = self.content.messages[item.key]
            return [message.speech], message.follow_up or ""
        line = self.words.lines.get(item.key)
        if hasattr(line, "follow_up"):
            prompt = self.words.prompt(
                item.key, **{k: self.value(v) for k, v in item.fields.items()}
            )
            return [prompt.speech], prompt.follow_up or ""
        return [], sentence(self.line(item.key, **item.fields))

    def target(self, exercise: Exercise) -> str:
        low, high = (numbers.say_number(n) for n in exercise.reps)
        kind = "target_hold" if exercise.load == "timed" else "target_reps"
        text = self.words(kind + ("_side" if exercise.per_side else ""), low=low, high=high)
        # A weight is chosen by the suggestion said with the set; a band by how it feels.
        how = {"band": "target_band"}.get(exercise.load)
        return f"{text}, {self.words(how)}" if how else text

    def rest(self, seconds: int) -> list:
        """The rest said as silence, capped at ``longest_spoken_seconds``; the length said
        is the silence that follows, and "halfway" comes at its true midpoint."""
        spoken = min(seconds, self.rest_rule.longest_spoken_seconds)
        parts: list = [self.words("rest", duration=self.duration(spoken))]
        half = spoken / 2
        parts += silence(half, self.rest_rule.break_seconds)
        if spoken >= 40:
            parts.append(self.words("halfway"))
        parts += silence(spoken - half, self.rest_rule.break_seconds)
        return parts

    def duration(self, seconds: int) -> str:
        """90 -> "a minute and a half"; 45 -> "forty-five seconds" (the words are content)."""
        minutes, rest_seconds = divmod(seconds, 60)
        if minutes == 0 or rest_seconds not in (0, 30):
            return self.words("duration_seconds", n=numbers.say_number(seconds))
        whole = (
            self.words("duration_minute")
            if minutes == 1
            else self.words("duration_minutes", n=numbers.say_number(minutes))
        )
        return self.words("duration_and_half", whole=whole) if rest_seconds == 30 else whole

    def count(self, exercise: Exercise) -> list:
        """A set paced inside the answer: numbers at a slow tempo, or a timed hold."""
        parts: list = [self.words("count_go"), SLOW]
        sides = 2 if exercise.per_side else 1
        for side in range(sides):
            if side:
                parts.append(self.words("count_other_side"))
            if exercise.load == "timed":
                parts.append(self.words("count_hold"))
                held = 0
                while held < exercise.reps[1]:
                    step = min(REP_SECONDS, exercise.reps[1] - held)
                    parts.append(pause(step))
                    held += step
                    parts.append(numbers.say_number(held))
            else:
                for rep in range(1, exercise.reps[1] + 1):
                    parts.append(numbers.say_number(rep))
                    parts.append(pause(REP_SECONDS - 1))
        parts.append(END_SLOW)
        return parts


def sentence(text: str) -> str:
    """A line that starts with a name ("goblet squat, set one...") starts a sentence."""
    return text[:1].upper() + text[1:]


def silence(seconds: float, longest: int) -> list:
    """Break tags adding up to ``seconds`` (in milliseconds, so halves are exact)."""
    parts: list = []
    left = round(seconds * 1000)
    while left > 0:
        length = min(longest * 1000, left)
        parts.append(Raw(f'<break time="{length}ms"/>'))
        left -= length
    return parts
