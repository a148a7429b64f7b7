"""How long a response takes to say, counting speech only, timed once per text.

Pauses (``<break>``) are not speech, and neither is a rep count paced inside
``<prosody rate="slow">`` or ``rate="x-slow"``: the listener is moving while it plays.
Everything else is said by espeak-ng at the simulator's pace and measured from the sound;
espeak-ng's output for a text doesn't change, so each text is timed once per process.
"""

from __future__ import annotations

import re
import struct
import subprocess
from concurrent.futures import ThreadPoolExecutor

from .speech import ESPEAK_WORDS_PER_MINUTE, espeak_available

_BREAK = re.compile(r"<break\b[^>]*/>")
_SLOW = re.compile(r'<prosody\b[^>]*\brate="(?:x-)?slow"[^>]*>.*?</prosody>', re.DOTALL)
_WAV_HEADER = 44


def speech_only(ssml: str) -> str:
    """``ssml`` without its pauses and slow-paced counts, still wrapped in ``<speak>``."""
    text = _SLOW.sub(" ", _BREAK.sub(" ", ssml)).strip()
    return text if text.startswith("<speak") else f"<speak>{text}</speak>"


def _espeak_seconds(ssml: str) -> float:
    """Seconds of sound espeak-ng makes for ``ssml`` (read from its WAV on stdout)."""
    run = subprocess.run(
        ["espeak-ng", "-m", "-s", str(ESPEAK_WORDS_PER_MINUTE), "--stdout", ssml],
        check=True,
        capture_output=True,
        timeout=60,
    )
    audio = run.stdout
    # Streamed WAV: the header's sizes are placeholders, so count the bytes after it.
    channels, rate = struct.unpack_from("<HI", audio, 22)
    bits = struct.unpack_from("<H", audio, 34)[0]
    return (len(audio) - _WAV_HEADER) / (rate * channels * bits // 8)


_timed: dict[str, float] = {}


def speech_seconds(ssml: str) -> float:
    """Seconds of speech in ``ssml``; each distinct text is timed once per process."""
    spoken = speech_only(ssml)
    if spoken not in _timed:
        _timed[spoken] = _espeak_seconds(spoken)
    return _timed[spoken]


def time_all(texts, workers: int = 2) -> list[float]:
    """``speech_seconds`` of each of ``texts``, the ones not yet timed side by side."""
    if not espeak_available():
        raise RuntimeError("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
    texts = list(texts)
    new = list({speech_only(t) for t in texts} - _timed.keys())
    with ThreadPoolExecutor(workers) as pool:
        _timed.update(zip(new, pool.map(_espeak_seconds, new), strict=True))
    return [speech_seconds(t) for t in texts]
