"""The window's shadow-hours layer: a key toggles the hours of sun of the day on the ground, with its legend.

Rules this module keeps:
1. The study is `citiverse shadow`'s (layers/shadow_study.py sun_hours, app/shadow_study.py's default area and
   hours, FROM to TO every STEP), for the day of the sun's time in the window (app/sun_time.py: `--time`,
   `[scene] time`, a meeting's shared time) in that time's UTC offset. Without a time there is no day: the
   key says how to give one. Cells are 1 m, coarser on large areas (at most MAX_CELLS cells).
2. It is computed off the frame: a daemon thread runs the study (numpy, which lets the frame loop run) and
   the frame task only reads its progress, shown on the status line ("shadow hours: 12 of 49 sun
   positions"), and builds the overlay (render/shadow_hours.py) once the thread is done. The window never
   waits for it; toggling off while it runs hides the result when it lands.
3. One study per day is kept: toggling back on shows it at once; a new day (a meeting's shared time on
   another date) computes again.
4. The legend is drawn on a HUD of its own at the bottom left, above the live layers' legends when there
   are any (render/hud.py).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from direct.showbase.DirectObject import DirectObject

FROM, TO, STEP = time(8, 0), time(16, 0), timedelta(minutes=10)  # `citiverse shadow`'s defaults
MAX_CELLS = 1_500_000


class ShadowHours(DirectObject):
    """The layer for a window's `stage` over a LoadedScene `scene`; `sun` is the window's SunTime (its time
    and place), `say(text)` the status line, `live` the live layers (or None)."""

    def __init__(self, base: Any, stage: Any, scene: Any, sun: Any, keys: tuple[str, ...],
                 say: Callable[[str], None], live: Any = None) -> None:
        super().__init__()
        self.base, self.stage, self.scene, self.sun, self.say, self.live = base, stage, scene, sun, say, live
        self.shown = False
        self.day: date | None = None  # the day of the study shown or being computed
        self.studies: dict[date, Any] = {}
        self.overlay: Any = None
        self.hud: Any = None
        self.progress: tuple[int, int] = (0, 0)
        self.worker: threading.Thread | None = None
        self.result: Any = None
        self.error: str | None = None
        for key in keys:
            self.accept(key, self.toggle)
        self.accept("window-event", self._resized)
        base.taskMgr.add(self._task, "citiverse-shadow-hours", sort=45)

    # ------------------------------------------------------------------ the key

    def toggle(self) -> None:
        if self.shown:
            self.shown = False
            self._hide()
            self.say("shadow hours off")
            return
        when = self.sun.time
        if when is None:
            self.say("Shadow hours need a day: give --time 2026-03-21T12:00+01:00 or [scene] time")
            return
        if self.scene.model.triangle_count == 0:
            self.say("Shadow hours need the model's own geometry (streamed 3D Tiles are not studied yet)")
            return
        self.shown = True
        day = when.date()
        if day in self.studies:
            self._show(day)
        elif self.worker is None:
            self._start(day, when)

    # ------------------------------------------------------------------ the background step (rule 2)

    def _start(self, day: date, when: datetime) -> None:
        from viewer.app.shadow_study import default_area
        from viewer.geo.sun import sample_times, sun_position

        tz = when.tzinfo
        times = sample_times(day, FROM, TO, STEP, tz)  # type: ignore[arg-type]
        lon, lat = self.sun.lonlat
        suns = [(p.azimuth, p.elevation) for p in (sun_position(lon, lat, t) for t in times)]
        area = default_area(self.scene.model)
        res = resolution(area)
        self.day, self.progress, self.result, self.error = day, (0, len(times)), None, None
        self.say(f"shadow hours: {day:%d %b %Y}, {len(times)} sun positions at {res:g} m cells ...")
        model = self.scene.model

        def work() -> None:
            from viewer.layers.shadow_study import sun_hours

            try:
                self.result = sun_hours(model, area, res, times, suns, progress=self._report)
            except Exception as exc:  # noqa: BLE001 - a thread's error is said on the status line, not lost
                self.error = str(exc)

        self.worker = threading.Thread(target=work, name="citiverse-shadow-hours", daemon=True)
        self.worker.start()

    def _report(self, done: int, total: int) -> None:
        self.progress = (done, total)  # read by the frame task (a tuple: one atomic store)

    def _task(self, task: Any) -> Any:
        worker = self.worker
        if worker is None:
            return task.cont
        if worker.is_alive():
            done, total = self.progress
            line = f"shadow hours: {done} of {total} sun positions"
            if line != getattr(self, "_said", None):
                self._said = line
                self.say(line)
            return task.cont
        self.worker = None
        if self.error is not None or self.result is None or self.day is None:
            self.say(f"shadow hours failed: {self.error}")
            self.shown = False
            return task.cont
        self.studies[self.day] = self.result
        if self.shown:
            self._show(self.day)
        return task.cont

    # ------------------------------------------------------------------ drawing

    def _show(self, day: date) -> None:
        from viewer.render.hud import Hud
        from viewer.render.shadow_hours import legend, make_overlay

        self._hide()
        study = self.studies[day]
        terrain = self.scene.model.terrain
        ground = float(self.stage.ground.get_z())
        heights = terrain.height_at if terrain is not None else (lambda xs, ys: [ground] * len(xs))
        self.overlay = make_overlay(self.stage.root, study, heights)
        self.hud = Hud(self.base.win, sort=26)
        self.hud.set_legends([legend(study, f"Sun {day:%d %b} {FROM:%H:%M}-{TO:%H:%M}")])
        hud = getattr(self.live, "hud", None)
        rects = list(hud.legend_rects()) if hud is not None else []
        if rects:  # rule 4: above the live layers' legends
            lift = max(r[3] for r in rects) + 1.0
            self.hud.blocks["legends"].set_z(lift)
            self.hud.rects = [(x0, y0 + lift, x1, y1 + lift) for x0, y0, x1, y1 in self.hud.rects]
        self.day = day
        share = study.bre_share()
        self.say(f"shadow hours {day:%d %b %Y}: {share:.0%} of the open ground has 2 h of sun or more")

    def _resized(self, window: Any = None) -> None:
        if self.hud is not None and self.base.win.get_y_size() > 0:
            self.hud.set_aspect(self.base.win.get_x_size() / self.base.win.get_y_size())

    def _hide(self) -> None:
        if self.overlay is not None:
            self.overlay.remove_node()
            self.overlay = None
        if self.hud is not None:
            self.hud.remove()
            self.hud = None

    def state(self) -> dict[str, Any]:
        """For the test hook (app/state_dump.py)."""
        legend_rects = self.hud.legend_rects() if self.hud is not None else []
        return {"shadow_hours": "computing" if self.worker is not None else "shown" if self.overlay is not None
                else "off", "shadow_hours_day": None if self.day is None else self.day.isoformat(),
                "shadow_hours_progress": list(self.progress),
                "shadow_hours_legend": [list(r) for r in legend_rects]}

    def destroy(self) -> None:
        self.ignore_all()
        self.base.taskMgr.remove("citiverse-shadow-hours")
        self._hide()


def resolution(area: tuple[float, float, float, float]) -> float:
    """Rule 1: 1 m cells, or the next half metre up that keeps the area within MAX_CELLS."""
    cells = max(area[2] - area[0], 1.0) * max(area[3] - area[1], 1.0)
    return max(1.0, math.ceil(2.0 * math.sqrt(cells / MAX_CELLS)) / 2.0)
