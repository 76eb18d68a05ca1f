"""`citiverse meet replay LOG [--scene S]`: a recorded meeting played back in the window.

Rules this module keeps:
1. The room is drawn as in a live meeting (render/participants.py, pointer.py, meeting_hud.py): avatars
   with name tags, pointers, the chat panel, the participant list; all from the log at the replay clock's
   time (meeting/replay.py), never from a network.
2. Keys (REPLAY_KEYS, none used by the default controls): P pause / play, PageUp / PageDown on / back 10 s,
   Home the start, - / = slower / faster, J follow the next participant, Y see through the next
   participant's eyes; Esc, Q and every navigation key as in `citiverse view`. Walking or flying away from
   a followed participant detaches the camera (walk freely), as following a host does.
3. Follow and eyes place the camera through the controller's Orbit (like meeting_view's follow-the-host):
   follow behind the participant (flythrough/meeting_camera.py), eyes at its logged eye and view.
4. The city's layers as they were: with the meeting's feed (the log's reference when it exists here), the
   live layers show the shared layer visibility and the feed time of the moment (app/meeting_render
   meeting_feed_time), seeking the recording when the room's feed time jumps.
5. Without --scene, a plain ground under everyone's positions stands in for the city.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from direct.showbase.DirectObject import DirectObject

from viewer.flythrough import quat
from viewer.flythrough.meeting_camera import camera_pose
from viewer.meeting.replay import MeetingTimeline, ReplayClock

REPLAY_KEYS = {"p": "toggle_pause", "page_up": "seek_on", "page_down": "seek_back", "home": "to_start",
               "-": "slower", "=": "faster", "j": "follow_next", "y": "eyes_next"}
SEEK = 10.0
HINT = "P play/pause  PgUp/PgDn +/-10 s  Home start  -/= speed  J follow  Y eyes"


class ReplayView(DirectObject):
    """A MeetingTimeline drawn in a window driven by a ViewerController (rules 1-4)."""

    def __init__(self, base: Any, controller: Any, timeline: MeetingTimeline, live: Any = None,
                 start: float = 0.0) -> None:
        from viewer.render.meeting_hud import MeetingHud
        from viewer.render.participants import ParticipantAvatars
        from viewer.render.pointer import PointerLayer

        super().__init__()
        self.base, self.controller, self.timeline, self.live = base, controller, timeline, live
        self.clock = ReplayClock(timeline.start, timeline.end, timeline.start + start)
        self.avatars = ParticipantAvatars(base.render)
        self.pointers = PointerLayer(base.render)
        self.hud = MeetingHud(base)
        self.mode: str | None = None  # "follow" | "eyes" | None (walk freely)
        self.who: int | None = None
        self._people: Any = None
        self._rays: Any = None
        self._feed_key: Any = None
        self._last = time.monotonic()
        for key, method in REPLAY_KEYS.items():
            self.accept(key, getattr(self, method))
        base.taskMgr.add(self._task, "citiverse-replay", sort=5)

    # ------------------------------------------------------------------ one frame

    def update(self, dt: float) -> None:
        t = self.clock.advance(dt)
        moment = self.timeline.moment(t)
        hidden = self.who if self.mode == "eyes" else None
        people = {pid: (p.name, p.role, p.muted) for pid, p in moment.members.items() if pid != hidden}
        if people != self._people:
            self.avatars.sync(people)
            self._people = people
        for pid in people:
            pose = self.timeline.pose_at(pid, t)
            if pose is None:
                self.avatars.hide(pid)
            else:
                self.avatars.place(pid, pose.position, pose.heading)
        self._camera(t)
        cam = self.base.camera.get_pos(self.base.render)
        self.avatars.scale_tags((cam.x, cam.y, cam.z), self.controller.orbit.fov)
        self._pointers(moment)
        self._panels(moment, t)
        self._layers(moment, t)

    def _camera(self, t: float) -> None:
        if self.mode is None or self.who is None:
            return
        nav = self.controller.nav
        if nav.mode != "orbit":  # the user walked or flew away: walk freely (rule 2)
            self.mode = None
            nav.say("walking freely (J: follow, Y: eyes)")
            return
        pose = self.timeline.pose_at(self.who, t)
        if pose is None:
            return
        position, orientation = camera_pose(pose, self.mode)
        ahead = position + 10.0 * quat.forward(orientation)
        self.controller.orbit.look(position, ahead, self.controller.orbit.fov)
        self.controller.apply()

    def _pointers(self, moment: Any) -> None:
        from viewer.render.participants import participant_colour

        rays = [(p.pointer.origin, p.pointer.target, participant_colour(pid))
                for pid, p in moment.members.items() if p.pointer is not None]
        if rays != self._rays:
            self.pointers.update(rays)
            self._rays = rays

    def _panels(self, moment: Any, t: float) -> None:
        tl = self.timeline
        state = "paused" if self.clock.paused else f"x{self.clock.speed:g}"
        lines = [f"Replay {tl.log.room}: {_clock(t - tl.start)} / {_clock(tl.duration)}  {state}"
                 + ("  REC" if moment.recording else ""), f"In the room ({len(moment.members)}):"]
        lines += [f"{p.name} #{pid}" + (" (host)" if p.role == "host" else "") + (" (muted)" if p.muted else "")
                  for pid, p in moment.members.items()]
        if self.mode is not None and self.who is not None:
            lines.append(f"{'Following' if self.mode == 'follow' else 'Eyes of'} {tl.name(self.who)}")
        self.hud.set_people(lines)
        self.hud.set_chat([f"{line.name}: {line.text}" for line in moment.chat[-8:]])
        self.hud.set_entry(HINT)

    def _layers(self, moment: Any, t: float) -> None:
        """Rule 4: the room's layer visibility and feed time on the live layers."""
        live = self.live
        if live is None:
            return
        from viewer.app.live import LAYERS

        for name, visible in moment.layers.items():
            if name in LAYERS and live.styles[name].visible != visible:
                live.toggle(name)
        key = (moment.feed_time, moment.feed_set_at)
        if key != self._feed_key and hasattr(live.feed, "seek") and moment.feed_time is not None:
            live.feed.seek(moment.feed_time + (t - moment.feed_set_at))
        self._feed_key = key

    # ------------------------------------------------------------------ keys (rule 2)

    def toggle_pause(self) -> None:
        self.clock.toggle()

    def seek_on(self) -> None:
        self.clock.seek(SEEK)

    def seek_back(self) -> None:
        self.clock.seek(-SEEK)

    def to_start(self) -> None:
        self.clock.seek(self.clock.start - self.clock.t)

    def slower(self) -> None:
        self.clock.faster(-1)

    def faster(self) -> None:
        self.clock.faster(1)

    def follow_next(self) -> None:
        self._next("follow")

    def eyes_next(self) -> None:
        self._next("eyes")

    def watch(self, mode: str | None, who: int | None) -> None:
        """Follow (mode "follow"), see through (mode "eyes") participant `who`, or walk freely (None)."""
        self.mode, self.who = mode, who
        self._people = None  # the eyes participant's avatar comes and goes
        if mode is not None:
            self.controller.nav.switch("orbit")

    def _next(self, mode: str) -> None:
        """The next participant present in `mode`, then back to walking freely."""
        present = sorted(p for p in self.timeline.moment(self.clock.t).members if p in self.timeline.tracks)
        after = [p for p in present if self.mode != mode or self.who is None or p > self.who]
        self.watch(mode if after else None, after[0] if after else None)

    def state(self) -> dict[str, Any]:
        """For the test hook (app/state_dump.py)."""
        cam = self.base.camera.get_pos(self.base.render)
        return {"replay_t": self.clock.t - self.timeline.start, "paused": self.clock.paused,
                "speed": self.clock.speed, "watch": self.mode, "who": self.who,
                "camera": [float(cam.x), float(cam.y), float(cam.z)], "mode": self.controller.nav.mode,
                "people": sorted(self.avatars.people)}

    def _task(self, task: Any) -> Any:
        now = time.monotonic()
        self.update(min(now - self._last, 0.25))
        self._last = now
        return task.cont

    def destroy(self) -> None:
        self.ignore_all()
        self.base.taskMgr.remove("citiverse-replay")
        self.avatars.remove()
        self.pointers.remove()
        self.hud.destroy()


def _clock(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}"


def ground_scene(timeline: MeetingTimeline, margin: float = 50.0) -> Any:
    """A plain ground under everyone's logged positions (rule 5), as a LoadedScene."""
    from viewer.city.model import CityModel, ObjectTable, SurfaceKind
    from viewer.city.scene import LoadedScene
    from viewer.config import SceneConfig
    from viewer.geo.frame import LocalFrame

    points = np.array([p.position for track in timeline.tracks.values() for p in track.poses] or [(0.0, 0.0, 0.0)])
    (x0, y0, z0), (x1, y1, _) = points.min(axis=0) - margin, points.max(axis=0) + margin
    z = z0 + margin - 0.05
    vertices = np.array([[x0, y0, z], [x1, y0, z], [x1, y1, z], [x0, y1, z]], np.float32)
    model = CityModel(vertices, np.array([[0, 1, 2], [0, 2, 3]], np.uint32), np.zeros(4, np.int32),
                      np.full(4, SurfaceKind.GROUND, np.uint8),
                      ObjectTable(["ground"], ["Ground"], np.array([-1], np.int32), [{}]))
    config = SceneConfig(path=Path(f"{timeline.log.room}.toml"), name=f"meeting {timeline.log.room}", crs=None,
                         origin=None, origin_lonlat=None, sources=(), cameras={})
    return LoadedScene(config=config, frame=LocalFrame(None, (0.0, 0.0)), model=model)


def run_replay(timeline: MeetingTimeline, scene: Any = None, start: float = 0.0, follow: int | None = None,
               eyes: int | None = None, size: tuple[int, int] = (1280, 720)) -> None:
    """Open a window replaying `timeline` over `scene` (default: a plain ground) until the user quits."""
    from viewer.app.base import close_base, supports_shaders, window_base
    from viewer.app.meeting_render import existing_feed
    from viewer.app.state_dump import StateDump
    from viewer.app.window import CLOSE_EVENT, ViewerController
    from viewer.nav.index import CollisionIndex
    from viewer.render.stage import background_rgba, build_stage

    scene = scene if scene is not None else ground_scene(timeline)
    base = window_base(f"CitiVerse - replay of {timeline.log.room}", size)
    try:
        base.disableMouse()
        base.win.set_clear_color(background_rgba(scene.config.style))
        base.win.set_close_request_event(CLOSE_EVENT)
        stage = build_stage(base.render, scene.model, scene.config.style, shaders=supports_shaders(base),
                            frame=scene.frame)
        index = CollisionIndex.from_model(scene.model, base_z=float(stage.ground.get_z()))
        feed = existing_feed(timeline)
        live = _attach_feed(base, stage, scene, feed) if feed is not None else None
        controller = ViewerController(base, stage, list(scene.config.cameras.items()), index=index,
                                      help_shown=False)
        replay = ReplayView(base, controller, timeline, live, start)
        if follow is not None or eyes is not None:
            replay.watch("eyes" if eyes is not None else "follow", eyes if eyes is not None else follow)
        dump = StateDump.from_environment(base, replay.state)
        base.run()
        if dump is not None:
            dump.remove()
        replay.destroy()
        controller.destroy()
        if live is not None:
            live.detach()
        stage.remove()
    finally:
        close_base()


def _attach_feed(base: Any, stage: Any, scene: Any, feed: Path) -> Any:
    from viewer.app.live import LiveLayers, LiveOptions

    return LiveLayers.attach(base, stage, scene, str(feed), options=LiveOptions.from_cli(None))
