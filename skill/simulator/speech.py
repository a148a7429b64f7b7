"""What Alexa would say, as text for a terminal, and as sound through espeak-ng."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import wave
from html import unescape
from pathlib import Path

_BREAK = re.compile(r'<break\s+time="(\d+(?:\.\d+)?)(ms|s)"\s*/>')
_TAG = re.compile(r"<[^>]+>")
ESPEAK_WORDS_PER_MINUTE = 160  # close to Alexa's conversational pace


def to_text(ssml: str | None) -> str:
    """SSML without its tags; breaks shown as pauses, runs of breaks added up."""
    if not ssml:
        return ""

    def seconds(match: re.Match) -> str:
        value = float(match.group(1))
        return f"\x00{value / 1000 if match.group(2) == 'ms' else value}\x00"

    text = _BREAK.sub(seconds, ssml)
    text = unescape(_TAG.sub("", text))
    parts = re.split(r"(\x00[\d.]+\x00)", text)
    out: list[str] = []
    pause = 0.0
    for part in parts:
        if part.startswith("\x00"):
            pause += float(part.strip("\x00"))
            continue
        if part.strip():
            if pause:
                out.append(f"[pause {pause:g} s]")
                pause = 0.0
            out.append(part.strip())
    if pause:
        out.append(f"[pause {pause:g} s]")
    return " ".join(out)


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def spoken_seconds(ssml: str, play: bool = False) -> float:
    """How long espeak-ng takes to say ``ssml`` (breaks included); optionally play it."""
    if not espeak_available():
        raise RuntimeError("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
    if not ssml.lstrip().startswith("<speak"):
        ssml = f"<speak>{ssml}</speak>"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "speech.wav"
        subprocess.run(
            ["espeak-ng", "-m", "-s", str(ESPEAK_WORDS_PER_MINUTE), "-w", str(out), ssml],
            check=True,
            capture_output=True,
            timeout=60,
        )
        with wave.open(str(out)) as audio:
            duration = audio.getnframes() / audio.getframerate()
        if play:
            player = shutil.which("play") or shutil.which("aplay")
            if player:
                subprocess.run([player, "-q", str(out)], capture_output=True, timeout=600)
    return duration
