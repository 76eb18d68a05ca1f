"""Time for a recorded feed in the window: pause, a step back or on, slower and faster, and a time bar to
click or drag.

    feed_time = FeedTime.attach(base, live, controls, say=controller.nav.say)   # window.py, with a SourceFeed

Rules this module keeps:
1. Keys come from the Controls (viewer/nav/bindings.py FEED_ACTIONS, rule 5 there): Backslash or Pause
   pauses and plays, ; and ' step one source step back and on (pausing), - and = walk the speed through
   SPEEDS. They are not the camera path's keys, so a path can play over a feed that is paused or scrubbed.
2. The feed does the work (app/live_feed.py SourceFeed: pause, play, set_speed, step_forward, step_back,
   seek); this module only turns input into those calls and draws the bar (render/time_bar.py).
3. The bar is drawn in its own HUD region; the mouse reaches it through an invisible DirectFrame laid over
   the same rect in aspect2d. DirectGui suppresses the mouse buttons over it, so a press on the bar never
   starts an orbit drag, a pick or a double-click fly-to underneath. A press seeks to the point pressed;
   dragging seeks at most every DRAG_EVERY seconds (each seek reads the recording) and once more where the
   button is let go.
4. A recording is indexed on a thread (SourceFeed.start_index) when this attaches; the bar shows how far,
   and a click beyond lands at the end of what is indexed. A Source that cannot go back (the demo) gets
   pause, step on and speed; its step back says so; it has no bar.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from direct.gui import DirectGuiGlobals as DGG
from direct.gui.DirectFrame import DirectFrame
from direct.showbase.DirectObject import DirectObject
from panda3d.core import MouseButton

from viewer.app.live_feed import SourceFeed
from viewer.nav.bindings import Controls
from viewer.render.time_bar import TimeBar, TimeBarView

SPEEDS = (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)
DRAG_EVERY = 0.15  # seconds between seeks while dragging (rule 3)
TASK = "citiverse-feed-time"
ACTION_METHODS = {"feed_pause": "toggle_pause", "feed_step_back": "step_back", "feed_step_forward": "step_forward",
                  "feed_slower": "slower", "feed_faster": "faster"}


def time_text(t: float, absolute: bool) -> str:
    """HH:MM:SS (UTC) of an epoch time, else seconds."""
    if not math.isfinite(t):
        return "--"
    return datetime.fromtimestamp(t, UTC).strftime("%H:%M:%S") if absolute else f"{t:.1f} s"


class FeedTime(DirectObject):
    """The time controls of `feed` (a SourceFeed) on `base` (rules above); `say` puts a line on the status."""

    def __init__(self, base: Any, feed: SourceFeed, controls: Controls, say: Callable[[str], None] = print,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.base, self.feed, self.say, self.clock = base, feed, say, clock
        self.bar = TimeBar(base.win)
        self.catcher: DirectFrame | None = None  # rule 3
        self.dragging = False
        self._last_seek = -math.inf
        self._last_x: float | None = None
        for action, method in ACTION_METHODS.items():
            for key in controls.keys.get(action, ()):
                self.accept(key, getattr(self, method))
        self.accept("window-event", self._resized)
        feed.start()
        feed.start_index()
        base.taskMgr.add(self._task, TASK, sort=-20)  # before the layers drain the feed (sort -10)

    @classmethod
    def attach(cls, base: Any, live: Any, controls: Controls, say: Callable[[str], None] = print) -> FeedTime | None:
        """The controls for the window's live layers when their feed is a recording or a Source; else None."""
        return cls(base, live.feed, controls, say) if isinstance(live.feed, SourceFeed) else None

    # ------------------------------------------------------------ keys (rule 1)

    def toggle_pause(self) -> None:
        (self.feed.play if self.feed.paused else self.feed.pause)()

    def step_forward(self) -> None:
        self.feed.step_forward()

    def step_back(self) -> None:
        if not self.feed.step_back():
            self.say("this feed cannot go back in time (only a recording can)")

    def slower(self) -> None:
        self._speed(-1)

    def faster(self) -> None:
        self._speed(1)

    def _speed(self, direction: int) -> None:
        at = min(range(len(SPEEDS)), key=lambda i: abs(math.log(SPEEDS[i] / self.feed.speed)))
        speed = SPEEDS[min(max(at + direction, 0), len(SPEEDS) - 1)]
        self.feed.set_speed(speed)
        self.say(f"feed speed {speed:g}x")

    # ------------------------------------------------------------ the bar (rules 3, 4)

    def view(self) -> TimeBarView | None:
        """What the bar shows now; None without a timeline (a Source that cannot seek)."""
        span = self.feed.timeline()
        if span is None:
            return None
        begin, indexed, end = span
        absolute = abs(begin) > 1e8
        last = end if end is not None else indexed
        label = f"{time_text(self.feed.time, absolute)} / {time_text(last, absolute)}"
        if end is None:
            label += f"  (reading {100 * (self.feed.index.progress if self.feed.index else 0):.0f}%)"
        return TimeBarView(begin, indexed, end, self.feed.time, self.feed.paused, self.feed.speed, label)

    def seek_fraction(self, fraction: float) -> None:
        """Seek to a share of the recording (of what is indexed while its end is unknown)."""
        span = self.feed.timeline()
        if span is None:
            return
        begin, indexed, end = span
        self.feed.seek(begin + fraction * ((end if end is not None else indexed) - begin))
        self._last_seek = self.clock()

    def _catcher(self) -> None:
        """The invisible frame over the bar that takes its mouse buttons (rule 3)."""
        rect = self.bar.rect
        if rect is None:
            if self.catcher is not None:
                self.catcher.destroy()
                self.catcher = None
            return
        x0, y0, x1, y1 = rect
        if self.catcher is None:
            self.catcher = DirectFrame(parent=self.base.aspect2d, frameColor=(0, 0, 0, 0), state=DGG.NORMAL,
                                       frameSize=(x0, x1, y0, y1))
            self.catcher.bind(DGG.B1PRESS, self._press)
        elif tuple(self.catcher["frameSize"]) != (x0, x1, y0, y1):
            self.catcher["frameSize"] = (x0, x1, y0, y1)

    def _pointer_x(self) -> float | None:
        watcher = getattr(self.base, "mouseWatcherNode", None)
        if watcher is None or not watcher.has_mouse():
            return None
        return float(watcher.get_mouse().x) * self.bar.aspect

    def _press(self, _event: Any = None) -> None:
        self.dragging = True
        self._last_x = None
        self._drag(force=True)

    def _drag(self, force: bool = False) -> None:
        x = self._pointer_x()
        fraction = None if x is None else self.bar.fraction_at(x)
        if fraction is None or (x == self._last_x and not force):
            return
        if force or self.clock() - self._last_seek >= DRAG_EVERY:
            self._last_x = x
            self.seek_fraction(fraction)

    def _task(self, task: Any) -> Any:
        if self.dragging:
            watcher = self.base.mouseWatcherNode
            if watcher is None or not watcher.is_button_down(MouseButton.one()):
                self.dragging = False
                self._drag(force=self._pointer_x() != self._last_x)  # where it was let go
            else:
                self._drag()
        self.bar.show(self.view())
        self._catcher()
        return task.cont

    def _resized(self, window: Any = None) -> None:
        if self.base.win.get_y_size() > 0:
            self.bar.set_aspect(self.base.win.get_x_size() / self.base.win.get_y_size())

    # ------------------------------------------------------------ plumbing

    def state(self) -> dict[str, Any]:
        """What the test hook (app/state_dump.py) reports of the feed's time."""
        span = self.feed.timeline()
        return {"feed": {"time": self.feed.time, "due": self.feed.due(), "wall": self.feed.clock(),
                         "paused": self.feed.paused, "speed": self.feed.speed,
                         "step": self.feed.step_seconds, "seeks": self.feed.seeks,
                         "span": None if span is None else list(span), "dragging": self.dragging,
                         "bar": None if self.bar.track is None else list(self.bar.track)}}

    def destroy(self) -> None:
        self.ignore_all()
        self.base.taskMgr.remove(TASK)
        if self.catcher is not None:
            self.catcher.destroy()
        self.bar.remove()
