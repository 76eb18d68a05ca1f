"""The sun's time in the window: keys scrub the time of day, the city's light, shadows and sky follow live,
and the north arrow's panel shows the time (app/tools.py).

Rules this module keeps:
1. The sun has a time only where the scene gives one (`--time`, `[scene] time`: render/look.py LookSpec).
   Without one the stage keeps the fixed default sun and the keys say how to give a time; nothing guesses
   a date. A scene not placed on earth takes render/look.py's DEFAULT_LONLAT, and the note says so.
2. Scrubbing moves the time of day within the scene's date (past midnight it wraps to the same day's
   morning), in the time's own UTC offset: `sun_earlier` / `sun_later` by STEP, with Shift by BIG_STEP.
3. In a meeting the room's shared feed time (a host's `/time`) is the sun's time for everyone while it is
   set (and a plausible date, not a demo's seconds from zero); live again, each window keeps its own sun.
   A host's own scrubbing stays local: the protocol shares the feed's time, and moving everyone's feed to
   move the sun would be a surprise (docs/navigation.md).
4. The relighting is render/sun_light.py's (no rebuild); this module only keeps the time and the keys.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from direct.showbase.DirectObject import DirectObject

from viewer.geo.sun import SunPosition
from viewer.nav.bindings import Controls
from viewer.render.lighting import Lighting
from viewer.render.look import DEFAULT_LONLAT, LookSpec
from viewer.render.sun_light import set_stage_sun

STEP = timedelta(minutes=15)
BIG_STEP = timedelta(hours=1)
DAY = timedelta(days=1)
PLAUSIBLE = 1e8  # seconds since 1970: a shared feed time below this is a demo's clock, not a date (rule 3)


class SunTime(DirectObject):
    """The sun's time for a window's `stage`, from `spec` (rules 1-4). `shift()` says whether Shift is held;
    `say(text)` puts a line on the status line."""

    def __init__(self, base: Any, stage: Any, spec: LookSpec, controls: Controls, shift: Callable[[], bool],
                 say: Callable[[str], None]) -> None:
        super().__init__()
        self.base, self.stage, self.shift, self.say = base, stage, shift, say
        self.lonlat = spec.lonlat or DEFAULT_LONLAT
        self.placed = spec.lonlat is not None
        self.time: datetime | None = spec.time
        self.shared = False  # the time is the meeting's shared feed time (rule 3)
        self.sun: SunPosition | None = spec.sun()
        for action, sign in (("sun_earlier", -1), ("sun_later", 1)):
            for key in controls.keys.get(action, ()):
                self.accept(key, self.scrub, [sign])

    # ------------------------------------------------------------------ keys

    def scrub(self, sign: int) -> None:
        """Move the time of day by STEP (Shift: BIG_STEP) forward (sign 1) or back (-1), within the day."""
        if self.time is None:
            self.say("The sun has no time here: give --time 2026-06-21T15:00+02:00 or [scene] time")
            return
        step = BIG_STEP if self.shift() else STEP
        midnight = self.time.replace(hour=0, minute=0, second=0, microsecond=0)
        self.set_time(midnight + (self.time - midnight + sign * step) % DAY)
        self.say(self.note())

    def set_time(self, when: datetime, shared: bool = False) -> None:
        """Put the sun at `when` (aware) and relight the stage (rule 4)."""
        from viewer.geo.sun import sun_position

        self.time, self.shared = when, shared
        self.sun = sun_position(self.lonlat[0], self.lonlat[1], when)
        set_stage_sun(self.stage, Lighting.at(self.lonlat[0], self.lonlat[1], when), self.sun.elevation)

    def follow_room(self, feed_time: float | None) -> None:
        """The meeting's shared feed time changed (rule 3): the sun goes there, in the scene time's offset."""
        if feed_time is None or not math.isfinite(feed_time) or abs(feed_time) < PLAUSIBLE:
            self.shared = False
            return
        zone = self.time.tzinfo if self.time is not None else UTC
        self.set_time(datetime.fromtimestamp(feed_time, UTC).astimezone(zone), shared=True)

    # ------------------------------------------------------------------ shown

    def note(self) -> str:
        """The line under the north arrow: "sun 21 Jun 15:00 +02:00, 41° up" (empty without a time)."""
        if self.time is None or self.sun is None:
            return ""
        offset = self.time.strftime("%z")
        zone = f"{offset[:3]}:{offset[3:]}" if offset else ""
        where = "" if self.placed else " (no place)"
        room = "room " if self.shared else ""
        height = f"{self.sun.elevation:.0f}° up" if self.sun.up else "below the horizon"
        return f"sun {room}{self.time:%d %b %H:%M} {zone}, {height}{where}"

    def state(self) -> dict[str, Any]:
        """For the test hook (app/state_dump.py)."""
        sun = self.sun
        return {"sun_time": None if self.time is None else self.time.isoformat(), "sun_shared": self.shared,
                "sun_azimuth": None if sun is None else sun.azimuth,
                "sun_elevation": None if sun is None else sun.elevation}

    def destroy(self) -> None:
        self.ignore_all()
