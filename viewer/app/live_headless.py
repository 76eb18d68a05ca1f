"""Headless live layers: an offscreen view of a scene with its LiveLayers (tests, docs renders, `render --feed`).

Rules this module keeps:
1. live_view() owns everything it makes (stage, offscreen view, layers, the feed) and removes it on exit, on
   the process's one offscreen ShowBase, so any number of views can follow each other.
2. LiveView.seek(t) brings the twin state to feed time t and pins the render clock there: a Source or a
   recording is stepped to the first update at or after t (so vehicles interpolate exactly at t); a live
   feed is waited for (up to `timeout`) until its data reaches t, since its past cannot be fetched.
3. seek(t) never shows one time labelled as another: a t before a recording's first update, or more than
   one source step after its last, is a ConfigError naming the recording and its span; so is a t before
   the first data a live feed sent.
4. Streamed tilesets of the scene are attached under the stage (app/tiles_scene.py) and settled before every
   frame's layers update, so their objects are coloured by the feed in that same frame (app/live.py rule 8,
   with no rebuild throttle: the same frame every run).
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from typing import Any

from viewer.app.base import offscreen_base, supports_shaders
from viewer.app.headless import (
    OffscreenView,
    find_bookmark,
    model_pose,
    multisamples_for,
    release_basemap,
    settle_basemap,
)
from viewer.app.live import LiveLayers, LiveOptions
from viewer.app.live_feed import SourceFeed, open_feed
from viewer.app.tiles_scene import attach_tiles, remove_tiles, settle_tiles
from viewer.errors import ConfigError, RenderError
from viewer.layers.picking import utc_text
from viewer.render.stage import background_rgba, build_stage


class LiveView:
    """Headless layers over one scene: an offscreen view of `size` (tests, `citiverse render --feed`)."""

    def __init__(self, base: Any, stage: Any, view: OffscreenView, live: LiveLayers, tiles: Any = (),
                 wait: float = 300.0) -> None:
        self.base, self.stage, self.view, self.live = base, stage, view, live
        self.tiles, self.wait = list(tiles), wait

    def seek(self, at: float | None, timeout: float = 20.0) -> float:
        """Bring the state to feed time `at` (None: the first update) and draw there; returns the time."""
        feed, live = self.live.feed, self.live
        if isinstance(feed, SourceFeed):
            feed.start()
            target = feed.first_time if at is None else at
            assert target is not None  # start() set first_time
            live.ingest(feed.advance_to(target), live.wall())
            check_feed_time(feed, target)
        else:
            target = self._wait_live(at, timeout)
        live.clock.pin(target)
        return target

    def _wait_live(self, at: float | None, timeout: float) -> float:
        """A live feed: wait for data up to `at` (its past cannot be fetched: rule 3); the time to show."""
        feed, live = self.live.feed, self.live
        deadline = time.monotonic() + timeout
        first: float | None = None  # feed time of the first data seen
        while time.monotonic() < deadline:
            live.ingest(feed.drain(0.05), live.wall())
            if first is None and math.isfinite(live.state.time):
                first = live.state.time
            if math.isfinite(live.state.time) and (at is None or live.state.time >= at):
                break
            time.sleep(0.05)
        if first is None:
            raise RenderError(f"no data from the feed within {timeout:.0f} s ({feed.status().last_error or ''})")
        if at is not None and at < first:
            raise ConfigError("--at", "", f"{_when(at)} is before the first data of {feed.status().url} "
                                          f"({_when(first)}): the past of a live feed cannot be fetched")
        return live.state.time if at is None else min(at, live.state.time)

    def project(self, xyz: Any) -> tuple[float, float] | None:
        """Pixel (from the top-left) where local point xyz is drawn, None when it is outside the view."""
        from panda3d.core import Point2, Point3

        p = self.view.camera.get_relative_point(self.base.render, Point3(*(float(v) for v in xyz)))
        film = Point2()
        if not self.view.lens.project(p, film):
            return None
        w, h = self.view.size
        return (film.x + 1) / 2 * w, (1 - film.y) / 2 * h

    def render(self, at: float | None = None) -> Any:
        """Seek to `at` (when given), run one layers update and return the frame, (h, w, 3) uint8."""
        if at is not None:
            self.seek(at)
        settle_tiles(self.tiles, self.view.camera, self.view.lens, self.base.render, self.view.size, self.wait)
        self.live.update()
        self.live.refresh_hud(self.live.wall(), force=True)
        settle_basemap(self.stage, self.view)
        return self.view.capture()


def _when(t: float) -> str:
    return utc_text(t) if abs(t) > 1e8 else f"t {t:g} s"


def check_feed_time(feed: SourceFeed, t: float, option: str = "--at") -> None:
    """Rule 3 for a recording or a Source, after advance_to(t) (or advance_through(t))."""
    first = feed.first_time
    assert first is not None
    step = float(getattr(feed.source, "source_step", None) or getattr(feed.source, "period", 0.0) or 0.0)
    if t < first:
        raise ConfigError(option, "", f"{_when(t)} is before the start of {feed.label}, which starts at "
                                      f"{_when(first)}")
    if feed.ended and t > feed.time + step:
        raise ConfigError(option, "", f"{_when(t)} is after the end of {feed.label}, which starts at "
                                      f"{_when(first)} and ends at {_when(feed.time)} (+{feed.time - first:g} s)")


@contextlib.contextmanager
def live_view(scene: Any, feed: Any, size: tuple[int, int] = (1280, 720), camera: str | None = None,
              options: LiveOptions | None = None, multisamples: int | None = None,
              **feed_options: Any) -> Iterator[LiveView]:
    """An offscreen view of `scene` with live layers fed by `feed` (anything open_feed takes); cleaned up."""
    base = offscreen_base()
    bookmark = find_bookmark(scene.config, camera)
    from viewer.render.look import scene_look

    stage = build_stage(base.render, scene.model, scene.config.style, shaders=supports_shaders(base),
                        basemap=getattr(scene.config, "basemap", None), frame=scene.frame, look=scene_look(scene),
                        base=base)
    view = live = None
    tiles = attach_tiles(stage, scene, supports_shaders(base))  # rule 4
    try:
        view = OffscreenView(base, size, background_rgba(scene.config.style),
                             multisamples_for(scene.model, multisamples))
        view.set_pose(model_pose(stage, size, bookmark))
        stage.follow_view(view.camera, view.lens)
        live = LiveLayers(base, stage, scene, open_feed(feed, **feed_options), view.buffer, view.camera,
                          view.lens, options)
        live.tiles_every = 0.0
        if stage.basemap is not None:
            stage.basemap.set_live(True)
        tiles_config = getattr(scene.config, "tiles", None)
        yield LiveView(base, stage, view, live, tiles, getattr(tiles_config, "wait", 300.0))
    finally:
        if live is not None:
            live.detach()
        if view is not None:
            release_basemap(stage, view)
            view.close()
        remove_tiles(tiles)
        stage.remove()


