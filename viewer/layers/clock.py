"""RenderClock: the feed time the view draws at, a little behind the newest data, from the receiver's clock.

Rules this module keeps:
1. Pure: wall times are arguments (seconds, any monotonic origin); nothing here reads a clock.
2. Sync: every arrival gives a sample (update time - wall time of arrival). The offset is the largest recent
   sample, i.e. the least-delayed arrival, decaying by DRIFT seconds per second so that a feed that slows
   down or a clock that drifts is followed. A reset (a new stream: its clock is not comparable) forgets it.
3. Pace: `period` is the median interval between the distinct times of the last PACE_SAMPLES updates that
   pace the motion (vehicle updates). The render delay is the configured one, else one period: the view
   then draws between the two samples the twin state keeps per vehicle (previous and latest) exactly until
   the next update is due, and extrapolates only while an update is late.
4. Output: target = wall + offset - delay. The output never goes backwards and runs at 1 +- SLEW times the
   wall clock's speed toward the target (no visible jumps from jitter); an error beyond `jump` seconds (a
   seek, a restart, a long stall) is corrected at once. `pin(t)` fixes the output (headless renders).
"""

from __future__ import annotations

import math
from collections import deque

DRIFT = 0.02  # seconds per second the sync offset decays
SLEW = 0.1  # the output runs at 0.9..1.1 x wall speed while catching up
PACE_SAMPLES = 16
DEFAULT_PERIOD = 0.1  # until two paced updates have been seen
MIN_DELAY, MAX_DELAY = 0.02, 30.0


class RenderClock:
    """Feed time to draw at (rules above). delay: fixed render delay in seconds, None to follow the pace."""

    def __init__(self, delay: float | None = None, jump: float = 2.0) -> None:
        self.fixed_delay = delay
        self.jump = jump
        self.reset()

    def reset(self) -> None:
        """Forget the stream (rule 2): the next arrival starts a new sync."""
        self.offset: float | None = None
        self.last_wall = 0.0
        self.newest = -math.inf  # newest paced update time seen
        self._times: deque[float] = deque(maxlen=PACE_SAMPLES + 1)
        self._out: float | None = None
        self._out_wall = 0.0
        self.pinned: float | None = None

    def observe(self, time: float, wall: float, paces: bool = True) -> None:
        """An update with feed time `time` arrived at `wall`; `paces`: it carries the moving entities."""
        sample = time - wall
        if self.offset is None:
            self.offset = sample
        else:
            self.offset = max(sample, self.offset - DRIFT * max(wall - self.last_wall, 0.0))
        self.last_wall = wall
        if paces:
            if not self._times or time > self._times[-1]:
                self._times.append(time)
            self.newest = max(self.newest, time)

    @property
    def period(self) -> float:
        """Median interval between recent paced updates (DEFAULT_PERIOD until there are two)."""
        if len(self._times) < 2:
            return DEFAULT_PERIOD
        gaps = sorted(b - a for a, b in zip(list(self._times)[:-1], list(self._times)[1:], strict=True))
        return gaps[len(gaps) // 2]

    @property
    def delay(self) -> float:
        wanted = self.fixed_delay if self.fixed_delay is not None else self.period
        return min(max(wanted, MIN_DELAY), MAX_DELAY)

    def pin(self, time: float | None) -> None:
        """Draw exactly at feed time `time` from now on (None: follow the feed again)."""
        self.pinned = time

    def now(self, wall: float) -> float:
        """The feed time to draw at, at wall time `wall` (rule 4); -inf before any arrival."""
        if self.pinned is not None:
            return self.pinned
        if self.offset is None:
            return -math.inf
        target = wall + self.offset - self.delay
        if self._out is None:
            self._out, self._out_wall = target, wall
            return target
        dt = max(wall - self._out_wall, 0.0)
        free = self._out + dt
        error = target - free
        out = target if abs(error) > self.jump else free + min(max(error, -SLEW * dt), SLEW * dt)
        self._out, self._out_wall = max(out, self._out), wall
        return self._out
