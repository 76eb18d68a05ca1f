"""Offline flythroughs: a camera path over a scene, with a recorded feed in lock-step, to an H.264 MP4.

Rules this module keeps:
1. A fixed-step clock (STYLE 11): frame k shows path time start + k / fps and feed time
   feed_start + feed_speed * k / fps (a time-lapse when feed_speed > 1); there are round(duration * fps)
   frames. The wall clock never decides what a
   frame shows: the live layers and the feed are clocked by the video (VideoClock), so the same scene,
   path, feed, size and fps give the same frames, byte for byte.
2. Per frame, in this order: every update with a feed time at or before the frame's feed time T is
   applied to the twin state, and none later (SourceFeed.advance_through returns only when that is done),
   so buildings and roads show the latest readings at T; vehicles are drawn at T minus the layer's render
   delay (one update period by default, as in the window), between two samples already applied; the
   camera is placed; the frame is drawn and read back. Nothing runs in the background, so no frame shows
   half-applied data or data from its future.
3. A feed is a recording (citiverse feed record) or any Source; a live URL is refused, because its past
   cannot be replayed and two renders would differ.
4. Draw order is fixed: the stage draws in the "unsorted" bin (scene-graph order). Panda3D's default
   opaque bin sorts by render-state address, which differs from one render to the next in a process, and
   coplanar surfaces (roads on the ground) then come out differently; the ground keeps its own bin.
5. The video goes through app/video.py: a temporary file renamed at the end, nothing left by a killed
   render. Panda3D is imported with the app layer; the scene loaders and sources only when used.
6. Streamed tilesets (app/tiles_scene.py) load every tile a frame needs before it is drawn, whatever was
   loaded for the frames before (a complete selection is the same set of tiles), so videos stay
   frame-identical from run to run.

Drivers other than a camera path (a recorded meeting, app/meeting_render.py) reuse the loop through
render_poses: their own camera poses, a FrameOverlay that draws on each frame after the camera is placed
(avatars, pointers, subtitles), and a FeedClock giving each frame's feed time instead of start + speed * t.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from viewer.app.video import DEFAULT_CRF, DEFAULT_PRESET, VideoWriter
from viewer.errors import ConfigError, RenderError
from viewer.flythrough.path import CameraPath, PathSamples

Progress = Callable[[int, int], None]  # (frames done, frames in all)
FrameCallback = Callable[[int, np.ndarray], None]  # (frame index, (h, w, 3) uint8 RGB)
MAX_FRAMES = 1_000_000  # over nine hours at 30 fps
FeedClock = Callable[[float, float], float]  # (video seconds, the feed's first time) -> the frame's feed time


class FrameOverlay(Protocol):
    """What another driver draws over the stage (see the module's last paragraph)."""

    def attach(self, base: Any, view: Any, stage: Any) -> None: ...
    def frame(self, k: int, t: float, camera: np.ndarray) -> None: ...  # camera: its position (3,)
    def remove(self) -> None: ...


@dataclass(frozen=True)
class RenderResult:
    """What a render made: the file, its frame count, size and rate, the SHA-256 of all raw frames in
    order (equal digests: identical frames), the feed times of the first and last frame, and the seconds."""

    out: Path
    frames: int
    size: tuple[int, int]
    fps: float
    digest: str
    feed_span: tuple[float, float] | None
    seconds: float

    @property
    def frames_per_second(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else math.inf


class VideoClock:
    """The clock of a render: seconds of video time, set by the frame loop, read by the feed and layers."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def frame_poses(path: CameraPath, fps: float) -> tuple[np.ndarray, PathSamples]:
    """Video times (n,) from 0 and the path's poses at them (rule 1)."""
    times = path.frame_times(fps) - path.start
    if len(times) > MAX_FRAMES:
        raise RenderError(f"{len(times):,} frames is more than the limit of {MAX_FRAMES:,}")
    if len(times) == 0:
        raise RenderError(f"path {path.name!r} lasts {path.duration:g} s: no frame at {fps:g} fps")
    return times, path.sample(path.start + times)


def open_replay_feed(feed: Any, clock: VideoClock, speed: float = 1.0) -> Any:
    """A SourceFeed clocked by the video (rule 3) from a recording path or a Source, `speed` feed seconds
    per video second; ConfigError for a URL."""
    from viewer.app.live_feed import SourceFeed

    if isinstance(feed, SourceFeed):
        return feed
    text = str(feed)
    if text.startswith(("ws://", "wss://")):
        raise ConfigError("--feed", "", "a video replays a recording (citiverse feed record); a live feed "
                                        "cannot be replayed frame by frame")
    if hasattr(feed, "start") and hasattr(feed, "step"):
        return SourceFeed(feed, speed, clock=clock)
    from viewer.sources.replay import ReplaySource

    return SourceFeed(ReplaySource(Path(text)), speed, label=Path(text).name, clock=clock)


@contextlib.contextmanager
def _frames(scene: Any, times: np.ndarray, samples: PathSamples, size: tuple[int, int], feed: Any,
            feed_start: Any, feed_speed: float, options: Any, multisamples: int | None,
            overlay: FrameOverlay | None = None, feed_clock: FeedClock | None = None
            ) -> Iterator[tuple[Iterator[np.ndarray], tuple[float, float] | None]]:
    """(the frames in order, the feed times of the first and last frame); everything made is removed on exit.

    The stage, view and layers come from app/live_headless.py's builder, as for stills; the camera is placed
    per frame here, and the layers (when there is a feed) are clocked by the video."""
    from viewer.app.headless import settle_basemap
    from viewer.app.live_feed import parse_at
    from viewer.app.live_headless import check_feed_time, live_view, offscreen_stage
    from viewer.app.tiles_scene import settle_tiles
    from viewer.render.camera import apply_oriented_pose

    clock = VideoClock()
    with contextlib.ExitStack() as built:
        live = None
        span = None
        if feed is None:
            staged = built.enter_context(offscreen_stage(scene, size, multisamples, fixed_order=True))  # rule 4
            base, stage, view, tiles = staged.base, staged.stage, staged.view, staged.tiles
        else:
            source = open_replay_feed(feed, clock, feed_speed)
            lv = built.enter_context(live_view(scene, source, size, None, options, multisamples, place_camera=False,
                                               clock=clock, fixed_order=True, tiles_every=0.0))  # rule 4: the
            # tile objects' layers rebuilt in step with the frames, not on a wall-clock timer and a thread
            base, stage, view, tiles, live = lv.base, lv.stage, lv.view, lv.tiles, lv.live
            assert source.first_time is not None  # LiveLayers started the feed
            first = source.first_time
            at = parse_at(feed_start, first)
            start = feed_clock(float(times[0]), first) if feed_clock else first if at is None else at
            # A start outside the recording is a mistake to name, not a video of one frozen state.
            live.advance_replay(start, clock())
            check_feed_time(source, start, "--feed-start")
            span = (start, feed_clock(float(times[-1]), first) if feed_clock else start + feed_speed * float(times[-1]))
        if overlay is not None:
            overlay.attach(base, view, stage)
            built.callback(overlay.remove)

        def frames() -> Iterator[np.ndarray]:
            for k, t in enumerate(times):
                if live is not None:
                    clock.t = float(t)
                    target = feed_clock(float(t), first) if feed_clock else start + feed_speed * float(t)
                    live.draw_replay_at(target, clock())  # the feed moves only here, never by the pace
                apply_oriented_pose(view.camera, view.lens, samples.positions[k], samples.orientations[k],
                                    samples.fov[k], stage.bmin, stage.bmax, view.aspect)
                stage.follow_view(view.camera, view.lens)  # shadows and haze fit this frame's view
                settle_tiles(tiles, view.camera, view.lens, base.render, view.size, scene.config.tiles.wait
                             if tiles else 0.0)
                if overlay is not None:
                    overlay.frame(k, float(t), samples.positions[k])
                settle_basemap(stage, view)  # each frame waits for its base map tiles (rule 1)
                yield view.capture()

        yield frames(), span


def render_flythrough(scene: Any, path: CameraPath, out: str | Path, size: tuple[int, int] = (1280, 720),
                      fps: float = 30.0, feed: Any = None, feed_start: Any = None, feed_speed: float = 1.0,
                      options: Any = None,
                      multisamples: int | None = None, progress: Progress | None = None,
                      on_frame: FrameCallback | None = None, crf: int = DEFAULT_CRF,
                      preset: str = DEFAULT_PRESET) -> RenderResult:
    """Render `path` over a LoadedScene to the MP4 `out` (rules 1-4). feed: a recording path or a Source,
    replayed from `feed_start` (anything parse_at reads; default: its first update) at `feed_speed` feed
    seconds per video second; options: LiveOptions."""
    if not (math.isfinite(fps) and 0 < fps <= 240):
        raise RenderError(f"fps must be between 0 and 240, got {fps}")
    times, samples = frame_poses(path, fps)
    return render_poses(scene, times, samples, out, size, fps, feed, feed_start, feed_speed, options, multisamples,
                        progress, on_frame, crf, preset)


def render_poses(scene: Any, times: np.ndarray, samples: PathSamples, out: str | Path,
                 size: tuple[int, int] = (1280, 720), fps: float = 30.0, feed: Any = None, feed_start: Any = None,
                 feed_speed: float = 1.0, options: Any = None, multisamples: int | None = None,
                 progress: Progress | None = None, on_frame: FrameCallback | None = None, crf: int = DEFAULT_CRF,
                 preset: str = DEFAULT_PRESET, overlay: FrameOverlay | None = None,
                 feed_clock: FeedClock | None = None) -> RenderResult:
    """Render camera poses (`times` (n,) video seconds from 0, `samples` their poses) to the MP4 `out`:
    render_flythrough's loop for another driver, with its overlay and feed clock."""
    if not (math.isfinite(fps) and 0 < fps <= 240):
        raise RenderError(f"fps must be between 0 and 240, got {fps}")
    if not (math.isfinite(feed_speed) and 0 < feed_speed <= 1e7):
        raise ConfigError("--feed-speed", "", f"must be between 0 and 10,000,000 feed seconds per second, "
                                              f"got {feed_speed}")
    began = time.perf_counter()
    digest = hashlib.sha256()
    total = len(times)
    with (_frames(scene, times, samples, size, feed, feed_start, feed_speed, options, multisamples, overlay,
                  feed_clock) as (frames, span),
          VideoWriter(out, size, fps, crf, preset) as writer):
        for k, frame in enumerate(frames):
            writer.write(frame)
            digest.update(frame.data)
            if on_frame is not None:
                on_frame(k, frame)
            if progress is not None:
                progress(k + 1, total)
    return RenderResult(Path(out), total, size, fps, digest.hexdigest(), span, time.perf_counter() - began)
