"""Re-shooting a recorded meeting: its avatars, name tags, pointers and chat over the scene, seen from behind
a participant, through a participant's eyes, or along a camera path, as a deterministic MP4; and stills.

    render_meeting(scene, timeline, Shot("eyes", who=2), "x.mp4")     # flythrough render --meeting LOG --eyes Bo
    meeting_stills(scene, timeline, [(t, position, look_at), ...])      # images for the minutes

Rules this module keeps:
1. The clock: video time v is server time `begin + v` (begin: the recording's start unless asked), frames
   at k / fps (flythrough_render's fixed step). Everything a frame shows comes from the log at that time
   (meeting/replay.py), never from a wall clock: the same log, scene, shot, size and fps give the same frames.
2. Each frame (MeetingOverlay): everyone present stands at their pose at that time (exact at logged times,
   the timeline's interpolation between), with name tags; the pointers set at that time are drawn (ray and
   marker); the chat of the last SUBTITLE_SECONDS is the subtitle; a label names the time and the shot. In
   "eyes" the participant whose eyes we borrow has no avatar (we are inside it).
3. The feed in lock-step (meeting_feed_time): after a host shared a feed time F at server time s, the
   frame at t shows F + (t - s). Before that the room followed its own feed: a recording spanning the
   meeting's wall-clock times (a live feed recorded alongside) shows t itself; any other recording shows
   its first time + (t - the recording's start), as a window playing it from the start would.
4. The stage, the video and the feed are flythrough_render's (render_poses); this module only supplies
   camera poses, the overlay and the feed clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from viewer.app.flythrough_render import Progress, RenderResult, render_poses
from viewer.errors import ConfigError, RenderError
from viewer.flythrough import quat
from viewer.flythrough.meeting_camera import meeting_samples
from viewer.flythrough.path import CameraPath, PathSamples, frame_times
from viewer.meeting.replay import MeetingTimeline

SUBTITLE_SECONDS = 6.0
OVER_BIN = "citiverse-meeting-over"
SHOTS = ("follow", "eyes", "path")


@dataclass(frozen=True)
class Shot:
    """How the meeting is filmed: "follow" or "eyes" participant `who` (an id), or along `path`."""

    mode: str
    who: int | None = None
    path: CameraPath | None = None

    def label(self, timeline: MeetingTimeline) -> str:
        if self.mode == "follow":
            return f"following {timeline.name(self.who or 0)}"
        if self.mode == "eyes":
            return f"{timeline.name(self.who or 0)}'s view"
        return f"path {self.path.name if self.path else ''}"


def clock_text(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


class MeetingOverlay:
    """The recorded room drawn on each frame (rule 2): avatars, pointers, subtitles, a label."""

    def __init__(self, timeline: MeetingTimeline, begin: float, hide: int | None = None, label: str = "") -> None:
        self.timeline, self.begin, self.hide, self.label = timeline, begin, hide, label
        self.avatars: Any = None
        self.pointers: Any = None
        self.subtitles: Any = None
        self._people: dict[int, tuple[str, str, bool]] | None = None
        self._rays: list[Any] | None = None

    def attach(self, base: Any, view: Any, stage: Any) -> None:
        from panda3d.core import CullBinManager

        from viewer.render.participants import ParticipantAvatars
        from viewer.render.pointer import PointerLayer
        from viewer.render.subtitles import Subtitles

        self.avatars = ParticipantAvatars(base.render)
        self.pointers = PointerLayer(base.render)
        self.subtitles = Subtitles(view.buffer)
        bins = CullBinManager.get_global_ptr()
        if bins.find_bin(OVER_BIN) < 0:
            bins.add_bin(OVER_BIN, CullBinManager.BT_fixed, 60)
        # The offline stage draws in the "unsorted" bin (flythrough_render rule 4), after "fixed": the room
        # goes in a bin after both, so pointers and name tags still show over the city (rule 2).
        for root in (self.avatars.root, self.pointers.root):
            root.set_bin(OVER_BIN, 0, 1)

    def frame(self, k: int, t: float, camera: np.ndarray) -> None:
        from viewer.render.participants import participant_colour

        now = self.begin + t
        moment = self.timeline.moment(now)
        people = {pid: (p.name, p.role, p.muted) for pid, p in moment.members.items() if pid != self.hide}
        if people != self._people:
            self.avatars.sync(people)
            self._people = people
        for pid in people:
            pose = self.timeline.pose_at(pid, now)
            if pose is None:
                self.avatars.hide(pid)
            else:
                self.avatars.place(pid, pose.position, pose.heading)
        self.avatars.scale_tags(camera, 60.0)
        rays = [(p.pointer.origin, p.pointer.target, participant_colour(pid))
                for pid, p in moment.members.items() if p.pointer is not None]
        if rays != self._rays:
            self.pointers.update(rays)
            self._rays = rays
        recent = [f"{line.name}: {line.text}" for line in moment.chat if now - SUBTITLE_SECONDS < line.time <= now]
        self.subtitles.set_lines(recent)
        self.subtitles.set_label(f"{self.timeline.log.room}  {clock_text(now - self.timeline.start)}"
                                 + (f"  {self.label}" if self.label else ""))

    def remove(self) -> None:
        for part in (self.avatars, self.pointers, self.subtitles):
            if part is not None:
                part.remove()


def meeting_feed_time(timeline: MeetingTimeline, t: float, first: float, last: float | None = None) -> float:
    """The feed time the room saw at server time t (rule 3); `first`, `last`: the replayed recording's span."""
    m = timeline.moment(t)
    if m.feed_time is not None:
        return m.feed_time + (t - m.feed_set_at)
    if first <= timeline.start and (last is None or timeline.start <= last):
        return t
    return first + (t - timeline.start)


def shot_poses(timeline: MeetingTimeline, shot: Shot, begin: float, end: float,
               fps: float) -> tuple[np.ndarray, PathSamples]:
    """Video times (n,) from 0 and the camera's poses at them (rule 1)."""
    if shot.mode == "path":
        if shot.path is None:
            raise ConfigError("--path", "", "a path shot needs a camera path")
        times = shot.path.frame_times(fps) - shot.path.start
        return times, shot.path.sample(shot.path.start + times)
    if shot.who is None:
        raise ConfigError(f"--{shot.mode}", "", "name a participant")
    times = frame_times(end - begin, fps)
    if len(times) == 0:
        raise RenderError(f"the meeting from {begin:.1f} to {end:.1f} lasts no frame at {fps:g} fps")
    samples = meeting_samples(timeline, shot.who, shot.mode, begin + times)
    return times, PathSamples(times, samples.positions, samples.orientations, samples.fov)


def render_meeting(scene: Any, timeline: MeetingTimeline, shot: Shot, out: str | Path,
                   size: tuple[int, int] = (1280, 720), fps: float = 30.0, feed: Any = None,
                   begin: float | None = None, end: float | None = None, options: Any = None,
                   multisamples: int | None = None, progress: Progress | None = None, crf: int = 20,
                   on_frame: Any = None) -> RenderResult:
    """The meeting from server time `begin` to `end` (default: the whole recording) filmed by `shot` to the
    MP4 `out` (rules 1-4); feed: a recording replayed in lock-step (default: the log's, when it exists)."""
    begin = timeline.start if begin is None else max(timeline.start, begin)
    end = timeline.end if end is None else min(timeline.end, end)
    times, samples = shot_poses(timeline, shot, begin, end, fps)
    overlay = MeetingOverlay(timeline, begin, shot.who if shot.mode == "eyes" else None, shot.label(timeline))
    feed = feed if feed is not None else existing_feed(timeline)
    return render_poses(scene, times, samples, out, size, fps, feed=feed, options=options,
                        multisamples=multisamples, progress=progress, crf=crf, on_frame=on_frame,
                        overlay=overlay, feed_clock=_feed_clock(timeline, begin) if feed is not None else None)


def existing_feed(timeline: MeetingTimeline) -> Path | None:
    """The log's feed reference when it names a file that exists here (a live URL cannot be replayed)."""
    path = timeline.log.feed_path
    return path if path is not None and path.is_file() else None


def _feed_clock(timeline: MeetingTimeline, begin: float) -> Any:
    return lambda v, first: meeting_feed_time(timeline, begin + v, first)


def pointing_camera(origin: Any, target: Any) -> tuple[np.ndarray, np.ndarray]:
    """(position, orientation) of a camera seeing a pointer whole: off to its side and above, looking at
    its middle, so the pointing person and the point are both in view."""
    o, t = np.asarray(origin, np.float64), np.asarray(target, np.float64)
    d = t - o
    length = max(float(np.linalg.norm(d)), 5.0)
    side = np.array([d[1], -d[0], 0.0])
    side = side / (np.linalg.norm(side) or 1.0) if np.linalg.norm(side) > 1e-6 else np.array([1.0, 0.0, 0.0])
    middle = (o + t) / 2.0
    position = middle + 0.9 * length * side + (0.0, 0.0, 0.35 * length)
    return position, quat.from_look_at(position, middle)


def meeting_stills(scene: Any, timeline: MeetingTimeline, shots: list[tuple[float, Any, Any]],
                   size: tuple[int, int] = (960, 540), feed: Any = None, multisamples: int | None = None
                   ) -> list[np.ndarray]:
    """Images (h, w, 3) uint8 at server times with cameras (time, position (3,), orientation (4,)), in time
    order, the room drawn as in a video (rule 2). One short render; nothing is written."""
    import tempfile

    if not shots:
        return []
    order = sorted(range(len(shots)), key=lambda i: shots[i][0])
    begin = shots[order[0]][0]
    times = np.array([shots[i][0] - begin for i in order], np.float64)
    samples = PathSamples(times, np.array([shots[i][1] for i in order], np.float64),
                          np.array([shots[i][2] for i in order], np.float64), np.full(len(order), 60.0))
    images: list[np.ndarray] = [np.zeros(0, np.uint8)] * len(shots)
    overlay = MeetingOverlay(timeline, begin, label="")
    feed = feed if feed is not None else existing_feed(timeline)
    with tempfile.TemporaryDirectory(prefix="citiverse-stills-") as tmp:
        render_poses(scene, times, samples, Path(tmp) / "stills.mp4", size, 1.0, feed=feed,
                     multisamples=multisamples, overlay=overlay,
                     feed_clock=_feed_clock(timeline, begin) if feed is not None else None,
                     on_frame=lambda k, image: images.__setitem__(order[k], image.copy()))
    return images
