"""Camera paths in the window: record a walkthrough into the flythrough file, play a path, pause and seek.

Rules this module keeps:
1. Keys come from the Controls (viewer/nav/bindings.py: record_path X, add_keyframe comma, play_path Z,
   stop_path Backspace, next_path ., seek_back [, seek_forward ]), so they are rebindable and listed in the
   help overlay.
2. Recording samples the camera (position, orientation, vertical fov) every frame through a PathRecorder
   (fixed rate, thinned at the end without cutting corners through the city when `obstacles` makes the
   city's clearance index, see flythrough/recorder.py rule 6); stopping saves it as a new path `take-N` in the flythrough file (other
   paths kept, written atomically). A write that fails says why on the status line; nothing else is lost.
3. Playing drives base.camera and the lens from a Player every frame, after navigation's task, so the path
   wins while it plays. Stopping hands the view to the controller where the path left it (its `show`), so
   walk, fly and orbit carry on from there. Recording while playing records the path being played.
4. The frame clock is passed in (tests give a fixed step); the path file is read when a path is played or
   picked, so edits made by hand while the window is open are seen.
5. Keyframes by hand: comma adds the view as a keyframe KEYFRAME_SECONDS after the previous one of the path
   being built (`keys-N`); from the second on, the path is saved after every keyframe. Playing, recording or
   picking another path ends it (the next comma starts a new one). Edit the times in the file afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from direct.gui.OnscreenText import OnscreenText
from direct.showbase.DirectObject import DirectObject
from panda3d.core import ClockObject, TextNode

from viewer.config import CameraBookmark
from viewer.errors import ConfigError
from viewer.flythrough import quat
from viewer.flythrough.clearance import Obstacles
from viewer.flythrough.path import CameraPath, Keyframe
from viewer.flythrough.pathfile import load_paths, save_path
from viewer.flythrough.player import Player
from viewer.flythrough.recorder import PathRecorder
from viewer.nav.bindings import Controls
from viewer.render.camera import apply_oriented_pose

SEEK_SECONDS = 5.0
KEYFRAME_SECONDS = 5.0  # between keyframes added by hand (rule 5)
KEYFRAME_EASE = 1.0
ACTION_METHODS = {"record_path": "toggle_recording", "add_keyframe": "add_keyframe", "play_path": "toggle_play",
                  "stop_path": "stop",
                  "next_path": "next_path", "seek_back": "seek_back", "seek_forward": "seek_forward"}
TASK = "citiverse-flythrough"


class FlythroughControl(DirectObject):
    """Recording and playback of camera paths on `base` (rules above); `handover(mark)` takes the view when
    playback stops (the ViewerController's show); `file` is the flythrough file; `bounds` the model box
    (bmin, bmax), for the clip planes while a path plays; `obstacles` makes the city for the recorder."""

    def __init__(self, base: Any, file: Path, controls: Controls, handover: Callable[[CameraBookmark], None],
                 bounds: tuple[Any, Any], clock: Callable[[], float] | None = None,
                 obstacles: Callable[[], Obstacles] | None = None) -> None:
        super().__init__()
        self.base, self.file, self.handover, self.bounds = base, Path(file), handover, bounds
        self._obstacles_of = obstacles
        self._obstacles: Obstacles | None = None  # built on the first recording, then kept
        self.clock = clock or ClockObject.get_global_clock().get_frame_time
        self.recorder: PathRecorder | None = None
        self.player: Player | None = None
        self.selected: str | None = None
        self.building: tuple[str, list[Keyframe]] | None = None  # a path being built keyframe by keyframe
        self.message = ""
        self._last = self.clock()
        for action, method in ACTION_METHODS.items():
            for key in controls.keys.get(action, ()):
                self.accept(key, getattr(self, method))
        self.text = OnscreenText(text="", parent=base.a2dBottomRight, pos=(-0.04, 0.05), scale=0.045,
                                 align=TextNode.A_right, fg=(1, 1, 1, 1), shadow=(0, 0, 0, 0.7), mayChange=True)
        base.taskMgr.add(self._task, TASK, sort=20)  # after navigation (-10) and the controller (0)

    # ------------------------------------------------------------------ recording

    @property
    def recording(self) -> bool:
        return self.recorder is not None and self.recorder.recording

    def toggle_recording(self) -> None:
        if not self.recording:
            self.building = None
            if self._obstacles is None and self._obstacles_of is not None:
                self._obstacles = self._obstacles_of()
            self.recorder = PathRecorder(self._free_name("take"), obstacles=self._obstacles)
            self.recorder.start(self.clock())
            self.recorder.sample(self.clock(), *self.camera_pose())
            self._say(f"recording {self.recorder.name} (X stops)")
            return
        assert self.recorder is not None
        path = self.recorder.stop()
        if path is None:
            self._say("recording too short: nothing saved")
            return
        try:
            save_path(self.file, path)
        except (OSError, ConfigError, ValueError) as exc:
            self._say(f"could not save {path.name} to {self.file}: {exc}")
            return
        self.selected = path.name
        self._say(f"saved {path.name} ({len(path.keyframes)} keyframes, {path.duration:.1f} s) to {self.file.name}")

    def _free_name(self, prefix: str) -> str:
        taken = set(self._paths(quiet=True))
        return next(f"{prefix}-{i}" for i in range(1, len(taken) + 2) if f"{prefix}-{i}" not in taken)

    def add_keyframe(self) -> None:
        """Add the view to the path being built (rule 5), saving it from its second keyframe on."""
        position, orientation, fov = self.camera_pose()
        if self.building is None:
            self.building = (self._free_name("keys"), [])
        name, keys = self.building
        t = keys[-1].t + KEYFRAME_SECONDS if keys else 0.0
        w, x, y, z = (float(v) for v in quat.normalize(orientation))  # float32 from Panda3D: unit again
        keys.append(Keyframe(t, position, (w, x, y, z), fov))
        if len(keys) == 1:
            self._say(f"{name}: keyframe 1 at 0 s (, adds the next)")
            return
        try:
            path = CameraPath(name, tuple(keys), ease=KEYFRAME_EASE)
            save_path(self.file, path)
        except (OSError, ConfigError, ValueError) as exc:
            keys.pop()
            self._say(f"could not save {name} to {self.file}: {exc}")
            return
        self.selected = name
        self._say(f"{name}: keyframe {len(keys)} at {t:g} s, saved to {self.file.name}")

    # ------------------------------------------------------------------ playback

    def toggle_play(self) -> None:
        if self.player is not None and self.player.active:
            self.player.toggle()
            self._show()
            return
        self.building = None
        path = self._selected_path()
        if path is not None:
            self.player = Player(path)
            self.player.play()
            self._show()

    def stop(self) -> None:
        """Stop playback and hand the view to navigation where the path left it (rule 3)."""
        if self.player is None or not self.player.active:
            return
        pose = self.player.pose()
        self.player.stop()
        if pose is not None:
            position, look = pose.positions[0], pose.look_at(10.0)[0]
            self.handover(CameraBookmark(position=(float(position[0]), float(position[1]), float(position[2])),
                                         look_at=(float(look[0]), float(look[1]), float(look[2])),
                                         fov=float(pose.fov[0])))
        self._show()

    def seek_back(self) -> None:
        self._seek(-SEEK_SECONDS)

    def seek_forward(self) -> None:
        self._seek(SEEK_SECONDS)

    def _seek(self, seconds: float) -> None:
        if self.player is not None and self.player.active:
            self.player.seek(seconds)
            self._show()

    def next_path(self) -> None:
        """Select the next path of the file (stopping playback)."""
        names = list(self._paths())
        if not names:
            return
        self.stop()
        self.building = None
        at = names.index(self.selected) + 1 if self.selected in names else 0
        self.selected = names[at % len(names)]
        self._say(f"path {self.selected} ({at % len(names) + 1} of {len(names)}): Z plays it")

    def _selected_path(self) -> CameraPath | None:
        paths = self._paths()
        if not paths:
            return None
        if self.selected not in paths:
            self.selected = next(iter(paths))
        return paths[self.selected]

    def _paths(self, quiet: bool = False) -> dict[str, CameraPath]:
        try:
            paths = load_paths(self.file, missing_ok=True)
        except ConfigError as exc:
            if not quiet:
                self._say(str(exc))
            return {}
        if not paths and not quiet:
            self._say(f"no camera paths in {self.file.name} yet: X records one")
        return paths

    # ------------------------------------------------------------------ the camera

    def camera_pose(self) -> tuple[tuple[float, float, float], tuple[float, float, float, float], float]:
        """The window camera now: position, orientation (w, x, y, z) and vertical fov."""
        cam, render = self.base.camera, self.base.render
        p, q = cam.get_pos(render), cam.get_quat(render)
        return ((p.x, p.y, p.z), (q.get_r(), q.get_i(), q.get_j(), q.get_k()), float(self.base.camLens.get_fov()[1]))

    def apply(self, position: Any, orientation: Any, fov: float) -> None:
        """Put the window camera at a pose of a path (orientation (w, x, y, z), vertical fov)."""
        lens = self.base.camLens
        apply_oriented_pose(self.base.camera, lens, position, orientation, fov, *self.bounds,
                            float(lens.get_aspect_ratio()))

    # ------------------------------------------------------------------ plumbing

    def _task(self, task: Any) -> Any:
        now = self.clock()
        dt, self._last = max(now - self._last, 0.0), now
        if self.player is not None and self.player.active:
            self.player.tick(dt)
            pose = self.player.pose()
            if pose is not None:
                self.apply(pose.positions[0], pose.orientations[0], float(pose.fov[0]))
        if self.recording:
            assert self.recorder is not None
            self.recorder.sample(now, *self.camera_pose())
        self._show()
        return task.cont

    def _say(self, text: str) -> None:
        self.message = text
        self._show()

    def status(self) -> str:
        """The status line: recording, playing or the last message."""
        if self.recording:
            assert self.recorder is not None
            return f"REC {self.recorder.name} {self.recorder.elapsed:5.1f} s"
        if self.player is not None and self.player.active:
            return self.player.status() + "   (Z pause, [ ] seek, Backspace stop)"
        return self.message

    def _show(self) -> None:
        text = self.status()
        if self.text.getText() != text:
            self.text.setText(text)

    def destroy(self) -> None:
        self.ignore_all()
        self.base.taskMgr.remove(TASK)
        self.text.destroy()


def default_file(config: Any) -> Path:
    """The flythrough file of a SceneConfig: beside its scene file, else beside its model file (as
    `citiverse flythrough` finds them); for a scene with no file (the demo), one in the current folder."""
    from viewer.flythrough.pathfile import flythrough_file_for

    files = [config.path] if config.path is not None else [s.path for s in config.sources if s.path is not None]
    return flythrough_file_for(files[0]) if files else Path("citiverse-demo.flythrough.toml")
