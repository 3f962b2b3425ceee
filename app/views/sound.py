"""A distinct error sound for a bad scan, without QtMultimedia.

A cashier looks at the customer, not the screen: a refused scan must be heard. The
system bell is often silent or the same as every other ding, so Kestrel writes its own
short two-tone WAV once (stdlib `wave`) and plays it with what the platform has:
`winsound` on Windows, `afplay` on macOS, `paplay`/`aplay` on Linux; the bell if none.
Playing never blocks the GUI thread. On the offscreen platform (tests) nothing is played,
but every request is counted in `played`.
"""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import sys
import wave
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app import paths

RATE = 22_050
played: list[str] = []


def _tone(freq: float, seconds: float, volume: float = 0.45) -> bytes:
    count = int(RATE * seconds)
    fade = int(RATE * 0.01)
    frames = bytearray()
    for i in range(count):
        envelope = min(1.0, i / fade, (count - i) / fade)
        sample = volume * envelope * math.sin(2 * math.pi * freq * i / RATE)
        frames += struct.pack("<h", int(sample * 32767))
    return bytes(frames)


def error_wav() -> Path:
    """Two falling tones, low and short: unlike any system 'ding'."""
    path = paths.cache_dir() / "error-v1.wav"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with wave.open(str(tmp), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(_tone(660, 0.12) + _tone(330, 0.22))
        tmp.replace(path)
    return path


def _player() -> list[str] | None:
    for name, args in (("afplay", []), ("paplay", []), ("aplay", ["-q"])):
        found = shutil.which(name)
        if found:
            return [found, *args]
    return None


def error() -> None:
    """Sound the error, asynchronously."""
    played.append("error")
    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return
    try:
        wav = error_wav()
        if sys.platform == "win32":
            import winsound

            winsound.PlaySound(str(wav), winsound.SND_FILENAME | winsound.SND_ASYNC)
            return
        player = _player()
        if player is not None:
            subprocess.Popen(  # noqa: S603 (a fixed local player on our own file)
                [*player, str(wav)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            return
    except OSError:
        pass
    QApplication.beep()
