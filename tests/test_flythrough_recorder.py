"""Recording camera paths: fixed-rate sampling on the caller's clock, thinning to keyframes, a faithful path back."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.flythrough import quat, recorder
from viewer.flythrough.recorder import PathRecorder, thin

START = 1000.0  # the caller's clock at start(): keyframe times count from it


def _pose(t: float) -> tuple[np.ndarray, np.ndarray, float]:
    """A walk: 4 s straight north at 10 m/s, then 6 s round a 50 m circle turning with it, zooming after 7 s."""
    if t < 4.0:
        position, heading = np.array([0.0, 10.0 * t, 20.0]), 0.0
    else:
        a = (t - 4.0) * 10.0 / 50.0
        position, heading = np.array([-50.0 + 50.0 * np.cos(a), 40.0 + 50.0 * np.sin(a), 20.0]), np.degrees(a)
    return position, quat.from_hpr([heading, -10.0, 0.0]), 50.0 + 2.0 * max(0.0, t - 7.0)


def _record(calls_per_second: float, seconds: float = 10.0, **options: float) -> tuple[PathRecorder, int]:
    rec = PathRecorder("walk", **options)
    rec.start(START)
    kept = 0
    for k in range(int(round(seconds * calls_per_second)) + 1):
        t = k / calls_per_second
        position, orientation, fov = _pose(t)
        kept += rec.sample(START + t, tuple(position), tuple(orientation), fov)
    return rec, kept


def _angle_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = quat.multiply(quat.conjugate(b), a)
    return np.degrees(2 * np.arctan2(np.linalg.norm(d[..., 1:], axis=-1), np.abs(d[..., 0])))


def test_rate_does_not_depend_on_how_often_sample_is_called() -> None:
    """30 and 144 calls per second keep the same number of poses (10 per second) and give the same path."""
    slow, kept_slow = _record(30.0)
    fast, kept_fast = _record(144.0)
    assert kept_slow == kept_fast == 101
    a, b = slow.stop(), fast.stop()
    assert a is not None and b is not None
    assert abs(len(a.keyframes) - len(b.keyframes)) <= 2
    times = np.linspace(0.0, 10.0, 201)
    pa, pb = a.sample(times), b.sample(times)
    assert np.linalg.norm(pa.positions - pb.positions, axis=1).max() < 0.4  # two position tolerances
    assert _angle_deg(pa.orientations, pb.orientations).max() < 2.0


def test_recorded_path_reproduces_the_recorded_poses() -> None:
    """The stopped path is within the tolerances of the true pose at every recorded time, and at the ends."""
    rec, _ = _record(60.0)
    path = rec.stop()
    assert path is not None and path.name == "walk" and path.start == 0.0 and path.end == pytest.approx(10.0)
    assert len(path.keyframes) < 30  # thinned from 101
    times = np.arange(0.0, 10.0 + 1e-9, 0.1)
    samples = path.sample(times)
    truth = [_pose(t) for t in times]
    assert np.linalg.norm(samples.positions - [p for p, _, _ in truth], axis=1).max() <= 0.2
    assert _angle_deg(samples.orientations, np.array([q for _, q, _ in truth])).max() <= 1.0
    assert np.abs(samples.fov - [f for _, _, f in truth]).max() <= 0.2


def test_thinning_keeps_corners_and_drops_straight_line_samples() -> None:
    """Samples along straight constant-speed legs are dropped; the corner and both ends are kept."""
    t = np.arange(21, dtype=np.float64)
    positions = np.where(t[:, None] <= 10, np.column_stack([t, 0 * t, 0 * t]),
                         np.column_stack([10 + 0 * t, t - 10, 0 * t]))
    q = np.tile(quat.from_hpr([0.0, 0.0, 0.0]), (21, 1))
    assert list(thin(t, positions, q, np.full(21, 50.0))) == [0, 10, 20]


def test_thinning_keeps_turns_and_zooms_standing_still() -> None:
    """A camera standing still keeps the samples where its turn or its zoom changes pace."""
    t = np.arange(21, dtype=np.float64)
    heading = np.where(t <= 10, 0.0, 9.0 * (t - 10))
    q = quat.from_hpr(np.column_stack([heading, 0 * t, 0 * t]))
    kept = thin(t, np.zeros((21, 3)), q, np.full(21, 50.0))
    assert list(kept) == [0, 10, 20]
    fov = np.where(t <= 5, 50.0, 50.0 - (t - 5))
    assert list(thin(t, np.zeros((21, 3)), np.tile(q[0], (21, 1)), fov)) == [0, 5, 20]


def test_a_tap_gives_none() -> None:
    """Stopping right after starting (nothing or a single pose recorded) gives no path."""
    rec = PathRecorder("tap")
    rec.start(5.0)
    assert rec.stop() is None
    rec.start(5.0)
    assert rec.sample(5.0, (0.0, 0.0, 0.0), (1.0, 0.0, 0.0, 0.0), 50.0)
    assert rec.stop() is None
    assert not rec.recording


def test_stop_ends_where_the_camera_stopped() -> None:
    """The last pose offered ends the path even when the rate limit did not keep it."""
    rec = PathRecorder("end", rate=2.0)
    rec.start(0.0)
    for k in range(8):
        rec.sample(k * 0.1, (k * 1.0, 0.0, 0.0), (1.0, 0.0, 0.0, 0.0), 50.0)
    path = rec.stop()
    assert path is not None and path.end == pytest.approx(0.7)
    np.testing.assert_allclose(path.keyframes[-1].position, (7.0, 0.0, 0.0))


def test_recording_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """After MAX_SAMPLES poses no more are kept, but the last pose offered still ends the path."""
    monkeypatch.setattr(recorder, "MAX_SAMPLES", 50)
    rec, kept = _record(30.0, seconds=20.0, rate=10.0)
    assert kept == 50 and rec.kept == 50
    path = rec.stop()
    assert path is not None and path.end == pytest.approx(20.0)


def test_impossible_poses_and_time_going_back_are_ignored() -> None:
    """NaN or far-off positions, zero quaternions, bad fov and a clock going backwards are not recorded."""
    rec = PathRecorder("glitch", rate=10.0)
    rec.start(0.0)
    good = ((0.0, 0.0, 0.0), (1.0, 0.0, 0.0, 0.0), 50.0)
    assert rec.sample(0.0, *good)
    assert not rec.sample(0.5, (np.nan, 0.0, 0.0), good[1], 50.0)
    assert not rec.sample(0.6, good[0], (0.0, 0.0, 0.0, 0.0), 50.0)
    assert not rec.sample(0.7, good[0], good[1], 0.0)
    assert not rec.sample(0.75, (0.0, 3e7, 0.0), good[1], 50.0)
    assert rec.sample(1.0, (1.0, 0.0, 0.0), good[1], 50.0)
    assert not rec.sample(0.8, (2.0, 0.0, 0.0), good[1], 50.0)
    path = rec.stop()
    assert path is not None and [k.t for k in path.keyframes] == [0.0, 1.0]


def test_jittery_frames_never_put_keyframes_closer_than_half_a_slot() -> None:
    """A late frame followed at once by another keeps only one of them, so keyframes stay apart."""
    rec = PathRecorder("jitter", rate=10.0)
    rec.start(0.0)
    pose = ((0.0, 0.0, 0.0), (1.0, 0.0, 0.0, 0.0), 50.0)
    assert [rec.sample(t, *pose) for t in (0.0, 0.0999, 0.1001, 0.2, 0.35)] == [True, False, True, True, True]
    rec2 = PathRecorder("jitter", rate=10.0)
    rec2.start(0.0)
    assert [rec2.sample(t, *pose) for t in (0.0, 0.19, 0.2001, 0.3)] == [True, True, False, True]


def test_not_recording_keeps_nothing() -> None:
    """sample() before start() or after stop() is ignored."""
    rec = PathRecorder("idle")
    assert not rec.sample(0.0, (0.0, 0.0, 0.0), (1.0, 0.0, 0.0, 0.0), 50.0)
    assert rec.elapsed == 0.0 and rec.stop() is None


@pytest.mark.parametrize("options", [{"rate": 0.0}, {"rate": float("nan")}, {"rate": 5000.0},
                                     {"position_tolerance": 0.0}, {"angle_tolerance": -1.0},
                                     {"fov_tolerance": float("inf")}])
def test_bad_recorder_settings_are_value_errors(options: dict[str, float]) -> None:
    """A rate or a tolerance that is not finite and positive (or a rate above MAX_RATE) is refused."""
    with pytest.raises(ValueError):
        PathRecorder("x", **options)
