"""The time bar of a recorded feed: where the feed time is in the recording, paused or at what speed.

    bar = TimeBar(base.win)
    bar.show(TimeBarView(begin, indexed, end, now, paused=False, speed=2.0, label="12:03:04 / 12:13:04"))
    bar.fraction_at(x)           # 0..1 along the track for a HUD x (a click or a drag)

Rules this module keeps:
1. A Hud of its own (render/hud.py: its own 2D display region, units of half the window's height), drawn in
   the bottom band above the navigation's status lines (render/panels.py BOTTOM_BAND) and between the
   legends' column (bottom left) and the north arrow (bottom right), so it overlaps no other block.
2. One block: a dark band, the track, the part of the recording indexed so far (a seek reaches it), the
   part played, a knob at the feed time; the state ("paused", "2x") at the left, the time at the right.
   Redrawn only when what it shows changed by a pixel or in its text.
3. `track` is the track's rect (x0, y0, x1, y1, HUD units from the centre): the window's mouse handling
   and the tests find the bar through it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from panda3d.core import TextNode

from viewer.render.hud import BACKGROUND, LEGEND_WIDTH, PAD, TEXT, Hud, quads, text
from viewer.render.panels import COMPASS_W, text_width

BAR_Y0, BAR_Y1 = 0.145, 0.215  # above the bottom edge: over the navigation's two status lines
MIN_WIDTH = 0.9
TRACK = (70, 76, 88, 255)
INDEXED = (110, 118, 132, 255)
PLAYED = (52, 152, 219, 255)
KNOB = (236, 240, 241, 255)
STATE_WIDTH = 0.2  # HUD units for "paused" / "16x"


@dataclass(frozen=True)
class TimeBarView:
    """What the bar shows: feed times of the recording's first update, how far it is indexed, its end
    (None while unknown) and now; paused, the speed, and the time as text."""

    begin: float
    indexed: float
    end: float | None
    now: float
    paused: bool
    speed: float
    label: str

    def fractions(self) -> tuple[float, float]:
        """(indexed, now) as shares of the track: the end when known, else what is indexed so far."""
        span = (self.end if self.end is not None else self.indexed) - self.begin
        if not span > 0:
            return 1.0, 1.0

        def share(t: float) -> float:
            return min(max((t - self.begin) / span, 0.0), 1.0) if math.isfinite(t) else 0.0

        return share(self.indexed), share(self.now)


def speed_text(speed: float, paused: bool) -> str:
    return "paused" if paused else (f"{speed:g}x" if speed >= 1 else f"1/{1 / speed:g}x")


class TimeBar(Hud):
    """The bar (rules above) on `output`, hidden until show()."""

    def __init__(self, output: Any, sort: int = 24) -> None:
        super().__init__(output, sort=sort)
        self.track: tuple[float, float, float, float] | None = None
        self.rect: tuple[float, float, float, float] | None = None
        self._key: tuple[Any, ...] | None = None
        self._view: TimeBarView | None = None

    def set_aspect(self, aspect: float) -> None:
        super().set_aspect(aspect)
        if hasattr(self, "_view") and self._view is not None:
            self._key = None
            self.show(self._view)

    def band(self) -> tuple[float, float, float, float]:
        """The bar's rect: between the legends' column and the north arrow, in the bottom band (rule 1)."""
        a = self.aspect
        left, right = -a + 2 * PAD + LEGEND_WIDTH, a - 2 * PAD - COMPASS_W
        if right - left < MIN_WIDTH:  # a narrow window: centred, as wide as it can be
            left, right = max(-a + PAD, -MIN_WIDTH / 2), min(a - PAD, MIN_WIDTH / 2)
        return left, -1 + BAR_Y0, right, -1 + BAR_Y1

    def show(self, view: TimeBarView | None) -> None:
        """Draw `view` (None hides the bar); nothing is redrawn when no pixel would change (rule 2)."""
        self._view = view
        if view is None:
            self._key = None
            self.track = self.rect = None
            self._replace("time-bar", "c")
            return
        x0, y0, x1, y1 = self.band()
        label_w = text_width(view.label, TEXT * 0.85) + 2 * PAD
        t0, t1 = x0 + STATE_WIDTH, x1 - label_w
        indexed, now = view.fractions()
        pixels = self.output.get_x_size() / max(2 * self.aspect, 1e-9)
        key = (round(indexed * (t1 - t0) * pixels), round(now * (t1 - t0) * pixels), view.label, view.paused,
               view.speed, (x0, x1))
        if key == self._key:
            return
        self._key = key
        block = self._replace("time-bar", "c")
        mid = (y0 + y1) / 2
        ty0, ty1 = mid - 0.008, mid + 0.008
        xi, xn = t0 + indexed * (t1 - t0), t0 + now * (t1 - t0)
        rects = [(x0, y0, x1, y1), (t0, ty0, t1, ty1), (t0, ty0, xi, ty1), (t0, ty0, xn, ty1),
                 (xn - 0.008, mid - 0.022, xn + 0.008, mid + 0.022)]
        colours = [BACKGROUND, TRACK, INDEXED, PLAYED, KNOB]
        quads("time-bar-bg", np.array(rects), np.array(colours, np.uint8)).reparent_to(block)
        baseline = mid - TEXT * 0.3
        text(block, speed_text(view.speed, view.paused), x0 + PAD, baseline, scale=TEXT * 0.85)
        text(block, view.label, x1 - PAD, baseline, align=TextNode.A_right, scale=TEXT * 0.85)
        self.rect, self.track = (x0, y0, x1, y1), (t0, y0, t1, y1)

    def fraction_at(self, x: float) -> float | None:
        """The share of the track under HUD x (clamped to 0..1); None when no bar is shown."""
        if self.track is None:
            return None
        t0, _, t1, _ = self.track
        return min(max((x - t0) / max(t1 - t0, 1e-9), 0.0), 1.0)

    def hit(self, x: float, y: float) -> bool:
        """Whether HUD point (x, y) is on the bar."""
        if self.rect is None:
            return False
        x0, y0, x1, y1 = self.rect
        return x0 <= x <= x1 and y0 <= y <= y1
