"""Headless live layers: an offscreen view of a scene with its LiveLayers (tests, docs renders, `render --feed`,
the API's stills, flythrough videos).

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
5. One builder: offscreen_stage() makes the stage, its tiles and the offscreen view; live_view() adds the
   LiveLayers on top. Stills, the API and videos (app/flythrough_render.py) all go through them, and they
   drive the layers through LiveView and LiveLayers' methods, never their internals. This module imports
   app/live.py, never the reverse.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
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
from viewer.app.image_file import image_format, write_image
from viewer.app.live import LiveLayers, LiveOptions
from viewer.app.live_feed import SourceFeed, open_feed, parse_at
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

    def seek_at(self, at: str | float | None) -> float:
        """seek() to `at` as the command line writes it (anything parse_at reads: "+S" after the first update,
        an ISO date and time, epoch seconds; None: the first update of a recording, the newest data of a live
        feed); returns the feed time shown."""
        feed = self.live.feed
        first = feed.start().first_time if isinstance(feed, SourceFeed) else None
        when = parse_at(at, first)
        if when is not None and first is None and isinstance(at, str) and at.startswith("+"):
            self.seek(None)  # a live feed: "+S" counts from its first data
            when = parse_at(at, self.live.state.time)
        return self.seek(when)

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


@dataclass
class OffscreenStage:
    """A scene's stage drawn into an offscreen view, with its streamed tilesets (rule 5)."""

    base: Any
    stage: Any
    view: OffscreenView
    tiles: list[Any]


@contextlib.contextmanager
def offscreen_stage(scene: Any, size: tuple[int, int] = (1280, 720), multisamples: int | None = None,
                    fixed_order: bool = False) -> Iterator[OffscreenStage]:
    """The stage of `scene` in an offscreen view of `size`, its tilesets attached (rule 4); all removed on
    exit. fixed_order: draw the stage in scene-graph order (the same frame every render; flythrough rule 4)."""
    from viewer.render.look import scene_look

    base = offscreen_base()
    stage = build_stage(base.render, scene.model, scene.config.style, shaders=supports_shaders(base),
                        basemap=getattr(scene.config, "basemap", None), frame=scene.frame, look=scene_look(scene),
                        base=base)
    if fixed_order:
        stage.root.set_bin("unsorted", 0)
    tiles = attach_tiles(stage, scene, supports_shaders(base))
    view = None
    try:
        view = OffscreenView(base, size, background_rgba(scene.config.style),
                             multisamples_for(scene.model, multisamples))
        yield OffscreenStage(base, stage, view, list(tiles))
    finally:
        if view is not None:
            release_basemap(stage, view)
            view.close()
        remove_tiles(tiles)
        stage.remove()


@contextlib.contextmanager
def live_view(scene: Any, feed: Any, size: tuple[int, int] = (1280, 720), camera: str | None = None,
              options: LiveOptions | None = None, multisamples: int | None = None, *, pose: Any = None,
              place_camera: bool = True, clock: Callable[[], float] | None = None, fixed_order: bool = False,
              tiles_every: float | None = 0.0, **feed_options: Any) -> Iterator[LiveView]:
    """An offscreen view of `scene` with live layers fed by `feed` (anything open_feed takes); cleaned up.

    The camera starts at `pose` (a Pose) or else the bookmark `camera` (None: the scene's first, or the whole
    model); place_camera=False leaves it to the caller's frame loop. clock: the layers' wall clock (a video's
    own). tiles_every: seconds between rebuilds of the tile objects' layers (0: every frame, rule 4; None:
    the window's throttle, as videos have always had)."""
    bookmark = find_bookmark(scene.config, camera) if place_camera and pose is None else None
    with offscreen_stage(scene, size, multisamples, fixed_order) as staged:
        base, stage, view = staged.base, staged.stage, staged.view
        if place_camera:
            view.set_pose(model_pose(stage, size, pose if pose is not None else bookmark))
            stage.follow_view(view.camera, view.lens)
        live = LiveLayers(base, stage, scene, open_feed(feed, **feed_options), view.buffer, view.camera,
                          view.lens, options, time.monotonic if clock is None else clock)
        try:
            if tiles_every is not None:
                live.tiles_every = tiles_every
            if stage.basemap is not None:
                stage.basemap.set_live(True)
            tiles_config = getattr(scene.config, "tiles", None)
            yield LiveView(base, stage, view, live, staged.tiles, getattr(tiles_config, "wait", 300.0))
        finally:
            live.detach()


def render_live_png(scene: Any, feed: Any, out: Path, size: tuple[int, int] = (1280, 720),
                    camera: str | None = None, at_time: str | float | None = None,
                    options: LiveOptions | None = None, **feed_options: Any) -> Path:
    """`citiverse render SCENE --feed URL|RECORDING [--at TIME] --out shot.png`: the layers at feed time
    `at_time` ("+S" after the first update, ISO date and time, epoch seconds; None: the first update for a
    recording, the newest data for a URL), legends and caption included; `out` a .png or .jpg name (checked
    first). Returns `out`."""
    image_format(Path(out))
    with live_view(scene, feed, size, camera, options, **feed_options) as lv:
        lv.seek_at(at_time)
        return write_image(lv.render(), Path(out))
