"""Playing a camera path in real time: play, pause, seek, stop, as a table-driven state machine.

Rules this module keeps:
1. States: stopped (not driving the camera), playing, paused, ended (holding the last pose). TRANSITIONS
   maps (state, event) to the next state; an event with no entry raises IllegalTransition naming both,
   so no forgotten branch can leave the player half-changed.
2. Time is the path's clock (path.start .. path.end) and moves only through tick(dt) while playing and
   through seek; dt comes from the caller's clock, never read here. Reaching the end goes to `ended`.
   Non-finite or negative dt moves nothing (a clock glitch must not fling the camera); seeking to a
   non-finite time and a speed that is not finite and > 0 are ValueErrors.
3. pose() is the path's sample at the current time, or None when stopped: the caller applies it.
"""

from __future__ import annotations

import math

from viewer.flythrough.path import CameraPath, PathSamples

TRANSITIONS: dict[tuple[str, str], str] = {
    ("stopped", "play"): "playing",
    ("paused", "play"): "playing",
    ("ended", "play"): "playing",  # from the start again
    ("playing", "pause"): "paused",
    ("playing", "end"): "ended",
    ("playing", "seek"): "playing",
    ("paused", "seek"): "paused",
    ("ended", "seek"): "paused",
    ("playing", "stop"): "stopped",
    ("paused", "stop"): "stopped",
    ("ended", "stop"): "stopped",
    ("stopped", "stop"): "stopped",
}


class IllegalTransition(ValueError):
    """An event the player cannot take in its current state."""

    def __init__(self, state: str, event: str) -> None:
        self.state, self.event = state, event
        super().__init__(f"a {state} player cannot {event}")


class Player:
    """Plays `path` (rules 1-3); `speed` scales the clock (1 = real time)."""

    def __init__(self, path: CameraPath, speed: float = 1.0) -> None:
        self.path = path
        self.speed = speed
        self.state = "stopped"
        self.time = path.start

    @property
    def speed(self) -> float:
        """Path seconds per second of the caller's clock."""
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"playback speed must be finite and > 0, got {value}")
        self._speed = float(value)

    def _go(self, event: str) -> None:
        try:
            self.state = TRANSITIONS[(self.state, event)]
        except KeyError:
            raise IllegalTransition(self.state, event) from None

    @property
    def active(self) -> bool:
        """Whether the player drives the camera (anything but stopped)."""
        return self.state != "stopped"

    def play(self) -> None:
        """Start (from the beginning when stopped or ended) or resume."""
        if self.state in ("stopped", "ended"):
            self.time = self.path.start
        self._go("play")

    def pause(self) -> None:
        """Hold the current pose; play() resumes."""
        self._go("pause")

    def toggle(self) -> None:
        """Play when not playing, pause when playing."""
        (self.pause if self.state == "playing" else self.play)()

    def stop(self) -> None:
        """Stop driving the camera."""
        self._go("stop")

    def seek(self, seconds: float) -> None:
        """Move the clock by `seconds` (negative: back), within the path."""
        self.seek_to(self.time + seconds)

    def seek_to(self, t: float) -> None:
        """Move the clock to path time t, clamped to the path."""
        if not math.isfinite(t):
            raise ValueError(f"cannot seek to {t}")
        self._go("seek")
        self.time = min(max(float(t), self.path.start), self.path.end)

    def tick(self, dt: float) -> None:
        """Advance the clock by dt seconds of the caller's clock while playing."""
        if self.state != "playing" or not (math.isfinite(dt) and dt > 0):
            return
        self.time = min(self.time + dt * self.speed, self.path.end)
        if self.time >= self.path.end:
            self._go("end")

    def pose(self) -> PathSamples | None:
        """The pose now (one row), or None when stopped."""
        return self.path.sample([self.time]) if self.active else None

    def status(self) -> str:
        """One line for the HUD: the path, the state and the clock."""
        t, d = self.time - self.path.start, self.path.duration
        return f"{self.path.name}: {self.state} {t:5.1f} / {d:.1f} s"
