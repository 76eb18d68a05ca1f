"""Offline flythrough videos: the MP4 writer, frame counts, keyframe poses, lock-step feed, determinism."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from test_render import town, town_scene

from viewer.city.demo import demo_scene
from viewer.config import CameraBookmark
from viewer.errors import ConfigError, RenderError
from viewer.flythrough.path import CameraPath, Keyframe
from viewer.net.recorder import record_source
from viewer.sources.demo import DemoSource

SIZE = (160, 96)
NORTH = CameraBookmark(position=(0.0, -160.0, 90.0), look_at=(0.0, 0.0, 10.0), fov=50.0)
EAST = CameraBookmark(position=(160.0, 0.0, 60.0), look_at=(0.0, 0.0, 10.0), fov=40.0)


def town_path() -> CameraPath:
    """Three keyframes round the town, 2 s apart, keyframe timing, no easing."""
    keys = (Keyframe.look(0.0, NORTH.position, NORTH.look_at, NORTH.fov),
            Keyframe.look(2.0, (120.0, -120.0, 70.0), (0.0, 0.0, 10.0), 45.0),
            Keyframe.look(4.0, EAST.position, EAST.look_at, EAST.fov))
    return CameraPath("round", keys)


def frames_of(path: Path) -> list[np.ndarray]:
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    return [np.frombuffer(f, np.uint8).reshape(h, w, 3) for f in reader]


def test_video_writer_writes_a_readable_mp4(tmp_path):
    """Frames written through VideoWriter read back as an H.264 video of the same count, size and rate."""
    from viewer.app.video import VideoWriter, read_video

    out = tmp_path / "bars.mp4"
    with VideoWriter(out, (64, 48), 12.0) as writer:
        for k in range(18):
            frame = np.zeros((48, 64, 3), np.uint8)
            frame[:, : 3 * k] = 255
            writer.write(frame)
    assert read_video(out) == (18, (64, 48), 12.0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bars.mp4"]


def test_video_writer_leaves_nothing_when_the_work_fails(tmp_path):
    """An exception inside the writer removes everything it wrote; the output name never appears."""
    from viewer.app.video import VideoWriter

    out = tmp_path / "broken.mp4"
    with pytest.raises(RuntimeError), VideoWriter(out, (64, 48), 10.0) as writer:
        writer.write(np.zeros((48, 64, 3), np.uint8))
        raise RuntimeError("the render failed")
    assert list(tmp_path.iterdir()) == []


def test_video_writer_refuses_odd_sizes_and_wrong_frames(tmp_path):
    """H.264 needs even sizes; a frame of the wrong shape is a RenderError, not a corrupt video."""
    from viewer.app.video import VideoWriter

    with pytest.raises(RenderError, match="even"):
        VideoWriter(tmp_path / "odd.mp4", (65, 48), 10.0)
    with pytest.raises(RenderError, match="expected"), VideoWriter(tmp_path / "x.mp4", (64, 48), 10.0) as w:
        w.write(np.zeros((10, 10, 3), np.uint8))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.render
def test_frame_count_and_camera_at_each_keyframe(offscreen_gl, tmp_path):
    """A 4 s path at 10 fps gives 40 frames, and the frames at the keyframe times are the stills rendered
    from the keyframes' own camera bookmarks."""
    from viewer.app.flythrough_render import render_flythrough
    from viewer.app.headless import render_model_image
    from viewer.app.video import read_video
    from viewer.render.look import scene_look

    scene = town_scene(town(), {})
    kept: dict[int, np.ndarray] = {}
    result = render_flythrough(scene, town_path(), tmp_path / "round.mp4", size=SIZE, fps=10.0,
                               on_frame=lambda k, f: kept.__setitem__(k, f) if k in (0, 20) else None)
    assert result.frames == 40 and read_video(result.out) == (40, SIZE, 10.0)
    for k, mark in ((0, NORTH), (20, None)):
        if mark is None:
            mark = CameraBookmark(position=(120.0, -120.0, 70.0), look_at=(0.0, 0.0, 10.0), fov=45.0)
        still = render_model_image(scene.model, scene.config.style, SIZE, mark, multisamples=4,
                                   look=scene_look(scene))  # the look the video drew (render/look.py)
        diff = np.abs(kept[k].astype(int) - still.astype(int)).max(axis=2)
        assert np.mean(diff > 8) < 0.002, f"frame {k} differs from the keyframe's still"


@pytest.mark.render
def test_the_camera_moves_between_keyframes(offscreen_gl, tmp_path):
    """Consecutive frames differ a little and the first and last a lot: the camera flies the path."""
    from viewer.app.flythrough_render import render_flythrough

    frames: list[np.ndarray] = []
    render_flythrough(town_scene(town(), {}), town_path(), tmp_path / "a.mp4", size=SIZE, fps=5.0,
                      on_frame=lambda k, f: frames.append(f.astype(int)))
    steps = [np.mean(np.abs(a - b).max(axis=2) > 30) for a, b in zip(frames, frames[1:], strict=False)]
    assert 0 < max(steps) < 0.5
    assert np.mean(np.abs(frames[0] - frames[-1]).max(axis=2) > 30) > 0.1


@pytest.fixture(scope="module")
def demo_recording(tmp_path_factory):
    """Six seconds of the demo source (300 vehicles, energy, roads) recorded to a file."""
    out = tmp_path_factory.mktemp("feed") / "demo.feed.jsonl.gz"
    record_source(DemoSource.from_scene(demo_scene(), seed=5, vehicles=300, start_time=1.8e9), out, 6.0)
    return out


def demo_path() -> CameraPath:
    keys = (Keyframe.look(0.0, (-350.0, -520.0, 260.0), (0.0, 0.0, 40.0), 50.0),
            Keyframe.look(1.5, (-40.0, -260.0, 30.0), (0.0, 0.0, 20.0), 55.0))
    return CameraPath("dive", keys, ease=0.5)


@pytest.mark.render
def test_a_recorded_feed_renders_identically_twice(offscreen_gl, tmp_path, demo_recording):
    """The same scene, path and recording give byte-identical frames and the same MP4 bytes."""
    from viewer.app.flythrough_render import render_flythrough
    from viewer.city.scene import load_scene_models

    scene = load_scene_models(demo_scene())
    a = render_flythrough(scene, demo_path(), tmp_path / "a.mp4", size=SIZE, fps=10.0, feed=demo_recording)
    b = render_flythrough(scene, demo_path(), tmp_path / "b.mp4", size=SIZE, fps=10.0, feed=demo_recording)
    assert a.frames == b.frames == 15
    assert a.digest == b.digest
    assert hashlib.sha256(a.out.read_bytes()).digest() == hashlib.sha256(b.out.read_bytes()).digest()


@pytest.mark.render
def test_the_feed_advances_in_lock_step_with_the_frames(offscreen_gl, tmp_path, demo_recording):
    """Frame k shows feed time start + k / fps: the span covers exactly the video's clock, and starting
    the feed later changes the pictures (the layers show the state of each frame's time)."""
    from viewer.app.flythrough_render import render_flythrough
    from viewer.city.scene import load_scene_models

    scene = load_scene_models(demo_scene())
    start: list[np.ndarray] = []
    later: list[np.ndarray] = []
    a = render_flythrough(scene, demo_path(), tmp_path / "a.mp4", size=SIZE, fps=10.0, feed=demo_recording,
                          on_frame=lambda k, f: start.append(f))
    b = render_flythrough(scene, demo_path(), tmp_path / "b.mp4", size=SIZE, fps=10.0, feed=demo_recording,
                          feed_start="+4", on_frame=lambda k, f: later.append(f))
    assert a.feed_span == pytest.approx((1.8e9, 1.8e9 + 1.4))
    assert b.feed_span == pytest.approx((1.8e9 + 4, 1.8e9 + 5.4))
    assert a.digest != b.digest
    assert any(not np.array_equal(x, y) for x, y in zip(start, later, strict=True))


@pytest.mark.render
def test_a_live_url_is_refused_for_a_video(offscreen_gl, tmp_path):
    """A ws:// feed cannot be replayed frame by frame: a ConfigError says so and no file is written."""
    from viewer.app.flythrough_render import render_flythrough
    from viewer.city.scene import load_scene_models

    with pytest.raises(ConfigError, match="recording"):
        render_flythrough(load_scene_models(demo_scene(buildings=50)), demo_path(), tmp_path / "x.mp4",
                          size=SIZE, fps=10.0, feed="ws://127.0.0.1:9/")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.render
def test_den_haag_energy_changes_exactly_on_the_hour_in_a_time_lapse(offscreen_gl, tmp_path, shared_data):
    """Den Haag with the Cambridge meters recorded hourly, a still camera, 900 feed seconds per frame: frames
    0-3 show hour one and are identical, frame 4 (exactly on the next hour) shows the new readings."""
    from viewer.app.flythrough_render import render_flythrough
    from viewer.app.live import LiveOptions
    from viewer.city.scene import load_scene_models
    from viewer.config import SceneConfig
    from viewer.sources.energy_csv import EnergyCsvSource, MeterTable, model_largest_buildings_mapping

    scene = load_scene_models(SceneConfig.for_file(shared_data / "cityjson_denhaag" / "DenHaag_01.city.json"))
    table = MeterTable(shared_data / "energy_cambridge_estates" / "derived" / "electricity_2019_wide.csv")
    mapping, ids = model_largest_buildings_mapping(table.meters, scene.model.objects)
    recording = tmp_path / "meters.feed.jsonl.gz"
    record_source(EnergyCsvSource(table, mapping, step=3600.0, start=1.56e9, building_ids=ids), recording, 7200.0)
    still = CameraPath("still", (Keyframe.look(0.0, (-430.0, -400.0, 250.0), (0.0, 0.0, 0.0), 45.0),
                                 Keyframe.look(2.0, (-430.0, -400.0, 250.0), (0.0, 0.0, 0.0), 45.0)))
    frames: list[np.ndarray] = []
    result = render_flythrough(scene, still, tmp_path / "dh.mp4", size=SIZE, fps=4.0, feed=recording,
                               feed_speed=3600.0, options=LiveOptions(hud=False),
                               on_frame=lambda k, f: frames.append(f))
    assert result.frames == 8 and result.feed_span == pytest.approx((1.56e9, 1.56e9 + 6300.0))
    assert all(np.array_equal(frames[0], f) for f in frames[1:4])
    assert not np.array_equal(frames[3], frames[4])
    assert all(np.array_equal(frames[4], f) for f in frames[5:8])


class Hourly:
    """A Source of one power reading per building of a model every second: all low, then all high, ..."""

    name, crs, kinds, period = "hourly", None, ("building",), 1.0

    def __init__(self, ids: list[str]) -> None:
        self.ids, self.k = ids, 0

    def update(self, snapshot: bool = False):
        from viewer.twin.batch import TwinUpdate, make_batch

        power = [10.0 if self.k % 2 == 0 else 900.0] * len(self.ids)
        return TwinUpdate(1000.0 + self.k, {"building": make_batch("building", ids=self.ids, power=power)},
                          snapshot=snapshot)

    def start(self):
        return self.update(snapshot=True)

    def step(self):
        self.k += 1
        return None if self.k > 10 else self.update()

    def close(self) -> None:
        pass


@pytest.mark.render
def test_readings_change_on_the_frame_of_their_time_never_before(offscreen_gl, tmp_path):
    """With a still camera and a reading every second at 4 fps, frames 0-3 are identical, frame 4 (exactly at
    the next reading's time) changes, and frames 4-7 are identical again: no frame shows its future."""
    from viewer.app.flythrough_render import render_flythrough
    from viewer.app.live import LiveOptions

    model = town()
    scene = town_scene(model, {})
    ids = [i for i, t in zip(model.objects.ids, model.objects.types, strict=True) if t == "Building"]
    still = CameraPath("still", (Keyframe.look(0.0, NORTH.position, NORTH.look_at, 50.0),
                                 Keyframe.look(2.0, NORTH.position, NORTH.look_at, 50.0)))
    frames: list[np.ndarray] = []
    result = render_flythrough(scene, still, tmp_path / "still.mp4", size=SIZE, fps=4.0, feed=Hourly(ids),
                               options=LiveOptions(hud=False), on_frame=lambda k, f: frames.append(f))
    assert result.feed_span == pytest.approx((1000.0, 1001.75))
    assert all(np.array_equal(frames[0], f) for f in frames[1:4])
    assert np.mean(np.abs(frames[3].astype(int) - frames[4].astype(int)).max(axis=2) > 30) > 0.02
    assert all(np.array_equal(frames[4], f) for f in frames[5:8])


def test_an_unwritable_output_is_named_in_the_error(tmp_path):
    """A video under a file (not a folder) or in a read-only folder fails naming the output, before ffmpeg."""
    from viewer.app.video import VideoWriter

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RenderError, match=r"cannot write .*file/x\.mp4"):
        VideoWriter(blocker / "x.mp4", (64, 48), 10.0)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if not __import__("os").access(locked, __import__("os").W_OK):  # root may write anyway
        with pytest.raises(RenderError, match="not writable"):
            VideoWriter(locked / "x.mp4", (64, 48), 10.0)
