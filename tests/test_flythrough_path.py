"""Camera paths: keyframes hit at their times, constant speed, eased ends, frame clocks and checks (flythrough/path.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.config import CameraBookmark
from viewer.flythrough import quat
from viewer.flythrough.path import CameraPath, Keyframe, frame_times, path_from_bookmarks


def _angle_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Rotation angle between unit quaternions, degrees (atan2: exact near zero)."""
    d = quat.multiply(quat.conjugate(np.asarray(b)), np.asarray(a))
    return np.degrees(2 * np.arctan2(np.linalg.norm(d[..., 1:], axis=-1), np.abs(d[..., 0])))


def _tour(standstill: bool = True, **options: object) -> CameraPath:
    """Five keyframes with uneven times and spacing, a turn on the spot (or a short move), a zoom and a
    near-vertical look."""
    keys = (
        Keyframe.look(0.0, (-1150.0, -1400.0, 900.0), (0.0, 0.0, 0.0), 45.0),
        Keyframe.from_hpr(4.0, (-350.0, -520.0, 260.0), (-30.0, -20.0, 0.0), 50.0),
        Keyframe.from_hpr(5.5, (-350.0, -520.0 if standstill else -480.0, 260.0), (60.0, -10.0, 5.0), 30.0),
        Keyframe.look(11.0, (200.0, 40.0, 60.0), (210.0, 45.0, 0.0), 70.0),  # almost straight down
        Keyframe.from_hpr(12.0, (260.0, 90.0, 55.0), (170.0, 3.0, -4.0), 55.0),
    )
    return CameraPath("tour", keys, **options)  # type: ignore[arg-type]


def test_camera_at_each_keyframe_time_is_the_keyframe() -> None:
    """Without easing or constant speed the pose at each keyframe's time is that keyframe exactly."""
    path = _tour()
    times = [k.t for k in path.keyframes]
    samples = path.sample(times)
    for i, k in enumerate(path.keyframes):
        np.testing.assert_allclose(samples.positions[i], k.position, atol=1e-6)
        assert _angle_deg(samples.orientations[i], np.array(k.orientation)) < 1e-4
        assert samples.fov[i] == pytest.approx(k.fov, abs=1e-9)
    np.testing.assert_array_equal(samples.times, times)


def test_poses_between_keys_are_smooth_and_valid() -> None:
    """Dense samples are finite, unit, within the fov range and without jumps in position or angle."""
    path = _tour()
    samples = path.sample(path.frame_times(120.0))
    assert np.all(np.isfinite(samples.positions))
    np.testing.assert_allclose(np.linalg.norm(samples.orientations, axis=1), 1.0, atol=1e-9)
    assert samples.fov.min() >= 30.0 - 1e-9 and samples.fov.max() <= 70.0 + 1e-9  # fov never overshoots
    assert np.linalg.norm(np.diff(samples.positions, axis=0), axis=1).max() < 10.0  # peak speed ~ 700 m/s
    assert _angle_deg(samples.orientations[1:], samples.orientations[:-1]).max() < 3.0


def test_constant_speed_gives_equal_distances_for_equal_times() -> None:
    """With constant_speed the camera covers the same distance in every equal time step (within 1 %)."""
    path = _tour(standstill=False, constant_speed=True)
    samples = path.sample(np.linspace(path.start, path.end, 241))
    steps = np.linalg.norm(np.diff(samples.positions, axis=0), axis=1)
    np.testing.assert_allclose(steps, path.length / 240, rtol=0.01)
    np.testing.assert_allclose(samples.positions[[0, -1]], [path.keyframes[0].position,
                                                            path.keyframes[-1].position], atol=1e-6)
    assert _angle_deg(samples.orientations[-1], np.array(path.keyframes[-1].orientation)) < 1e-4


def test_constant_speed_turn_on_the_spot_keeps_its_duration() -> None:
    """At constant speed a turn on the spot takes its keyframes' 1.5 s, turning smoothly, instead of snapping."""
    path = _tour(constant_speed=True)
    samples = path.sample(np.linspace(path.start, path.end, 1201))
    standing = np.all(np.abs(samples.positions - path.keyframes[1].position) < 0.01, axis=1)
    assert np.count_nonzero(standing) * 0.01 == pytest.approx(1.5, abs=0.03)
    turning = samples.orientations[standing]
    assert _angle_deg(turning[0], np.array(path.keyframes[1].orientation)) < 2.0
    assert _angle_deg(turning[-1], np.array(path.keyframes[2].orientation)) < 2.0
    assert _angle_deg(turning[1:], turning[:-1]).max() < 2.0  # about 94 degrees over 150 steps


def test_default_timing_is_not_constant_speed() -> None:
    """Without constant_speed the speed follows the keyframe times (the two modes differ)."""
    steps = np.linalg.norm(np.diff(_tour().sample(np.linspace(0, 12, 241)).positions, axis=0), axis=1)
    assert steps.max() > 2 * steps.min()


@pytest.mark.parametrize("constant_speed", [False, True])
def test_ease_starts_and_ends_at_rest_on_the_end_keyframes(constant_speed: bool) -> None:
    """With ease the speed is zero at both ends, and the path still starts and ends at its end keyframes."""
    path = _tour(ease=2.0, constant_speed=constant_speed)
    h = 1e-4
    samples = path.sample([path.start, path.start + h, path.end - h, path.end])
    first, last = path.keyframes[0], path.keyframes[-1]
    np.testing.assert_allclose(samples.positions[0], first.position, atol=1e-6)
    np.testing.assert_allclose(samples.positions[-1], last.position, atol=1e-6)
    assert np.linalg.norm(samples.positions[1] - samples.positions[0]) / h < 0.05  # m/s, cruise is ~200
    assert np.linalg.norm(samples.positions[3] - samples.positions[2]) / h < 0.05
    cruise = path.sample([8.0, 8.0 + h]).positions
    assert np.linalg.norm(cruise[1] - cruise[0]) / h > 10.0


def test_times_outside_the_path_are_clamped() -> None:
    """Sampling before the start or after the end gives the end poses; NaN times are a ValueError."""
    path = _tour()
    samples = path.sample([-5.0, 99.0])
    np.testing.assert_allclose(samples.positions, [path.keyframes[0].position, path.keyframes[-1].position])
    with pytest.raises(ValueError, match="finite"):
        path.sample([1.0, np.nan])


@pytest.mark.parametrize(("duration", "fps", "count"), [(12.0, 30.0, 360), (1.0, 24.0, 24), (0.51, 10.0, 5),
                                                        (2.0, 29.97, 60), (0.0, 30.0, 0)])
def test_frame_count_is_duration_times_fps(duration: float, fps: float, count: int) -> None:
    """frame_times has round(duration * fps) entries spaced 1 / fps from 0."""
    times = frame_times(duration, fps)
    assert len(times) == count
    np.testing.assert_allclose(times, np.arange(count) / fps)


def test_path_frame_times_start_at_the_path_start() -> None:
    """A path's frame clock starts at its first keyframe's time."""
    keys = (Keyframe.from_hpr(2.0, (0, 0, 0), (0, 0, 0), 50), Keyframe.from_hpr(4.0, (1, 0, 0), (0, 0, 0), 50))
    times = CameraPath("p", keys).frame_times(25.0)
    assert len(times) == 50 and times[0] == 2.0


@pytest.mark.parametrize("fps", [0.0, -30.0, float("nan"), float("inf")])
def test_bad_fps_is_a_value_error(fps: float) -> None:
    """A frame rate that is not finite and positive is refused."""
    with pytest.raises(ValueError, match="fps"):
        frame_times(10.0, fps)


def test_absurd_frame_counts_are_refused_before_allocating() -> None:
    """Two million seconds at 240 fps is a ValueError, not gigabytes of frame times."""
    with pytest.raises(ValueError, match="more than the limit"):
        frame_times(2e6, 240.0)


GOOD = Keyframe.from_hpr(0.0, (0, 0, 0), (0, 0, 0), 50.0)


@pytest.mark.parametrize(("bad", "reason"), [
    (Keyframe(1.0, (0.0, 0.0, float("nan")), GOOD.orientation, 50.0), "position"),
    (Keyframe(1.0, (0.0, 0.0, 2e7), GOOD.orientation, 50.0), "position"),
    (Keyframe(1.0, (0.0, 0.0, 0.0), (1.0, 1.0, 0.0, 0.0), 50.0), "unit quaternion"),
    (Keyframe(1.0, (0.0, 0.0, 0.0), GOOD.orientation, 0.0), "fov"),
    (Keyframe(1.0, (0.0, 0.0, 0.0), GOOD.orientation, 175.0), "fov"),
    (Keyframe(0.0, (0.0, 0.0, 0.0), GOOD.orientation, 50.0), "later"),
    (Keyframe(0.00001, (0.0, 0.0, 0.0), GOOD.orientation, 50.0), "later"),
    (Keyframe(float("inf"), (0.0, 0.0, 0.0), GOOD.orientation, 50.0), "time"),
    (Keyframe(1.0, (0.0, 0.0), GOOD.orientation, 50.0), "position"),  # type: ignore[arg-type]
    (Keyframe(1.0, None, GOOD.orientation, 50.0), "keyframe 2"),  # type: ignore[arg-type]
])
def test_bad_keyframes_raise_value_error_naming_the_index(bad: Keyframe, reason: str) -> None:
    """A keyframe that breaks the path's rules is a ValueError naming its index and what is wrong."""
    with pytest.raises(ValueError, match=reason) as info:
        CameraPath("p", (GOOD, Keyframe.from_hpr(0.5, (1, 0, 0), (0, 0, 0), 50.0), bad))
    assert "keyframe 2" in str(info.value)


def test_a_path_needs_two_keyframes_and_a_sane_ease() -> None:
    """One keyframe, or a negative or NaN ease, is a ValueError."""
    second = Keyframe.from_hpr(1.0, (1, 0, 0), (0, 0, 0), 50.0)
    with pytest.raises(ValueError, match="two"):
        CameraPath("p", (GOOD,))
    for ease in (-1.0, float("nan")):
        with pytest.raises(ValueError, match="ease"):
            CameraPath("p", (GOOD, second), ease=ease)


def test_path_from_bookmarks_visits_each_bookmark() -> None:
    """A path from bookmarks is at each bookmark, looking at its target with its fov, one leg apart, eased."""
    marks = [CameraBookmark((0.0, -500.0, 300.0), (0.0, 0.0, 0.0), 45.0),
             CameraBookmark((400.0, 0.0, 120.0), (0.0, 0.0, 20.0), 60.0),
             CameraBookmark((0.0, 300.0, 40.0), (0.0, 0.0, 30.0), 50.0)]
    path = path_from_bookmarks("marks", marks, seconds_per_leg=4.0)
    assert path.duration == 8.0 and path.ease == 2.0
    samples = path.sample([0.0, 4.0, 8.0])
    for i, mark in enumerate(marks):
        np.testing.assert_allclose(samples.positions[i], mark.position, atol=1e-6)
        direction = np.subtract(mark.look_at, mark.position)
        np.testing.assert_allclose(quat.forward(samples.orientations[i]), direction / np.linalg.norm(direction),
                                   atol=1e-6)
        assert samples.fov[i] == pytest.approx(mark.fov)


def test_path_from_bookmarks_names_the_bad_bookmark() -> None:
    """Too few bookmarks, or one looking at its own position, is a ValueError naming it."""
    mark = CameraBookmark((0.0, 0.0, 10.0), (5.0, 5.0, 0.0))
    with pytest.raises(ValueError, match="at least two"):
        path_from_bookmarks("one", [mark])
    with pytest.raises(ValueError, match="bookmark 1"):
        path_from_bookmarks("bad", [mark, CameraBookmark((1.0, 1.0, 1.0), (1.0, 1.0, 1.0))])


def test_samples_give_look_at_points_and_hpr() -> None:
    """PathSamples.look_at is ahead along the view and hpr matches the keyframe's hpr."""
    path = _tour()
    samples = path.sample([4.0])
    np.testing.assert_allclose(samples.hpr()[0], (-30.0, -20.0, 0.0), atol=1e-6)
    ahead = samples.look_at(10.0)[0] - samples.positions[0]
    assert np.linalg.norm(ahead) == pytest.approx(10.0)
    assert len(samples) == 1


def _assert_no_jumps(path: CameraPath, times: np.ndarray, orientations: np.ndarray) -> None:
    """Steps of more than 5 degrees between samples (fast turns or jumps) spread out when sampled 1000 times
    finer: no fine step keeps 5 % of the coarse one, as it would at a jump."""
    steps = _angle_deg(orientations[1:], orientations[:-1])
    for j in np.flatnonzero(steps > 5.0)[:20]:
        finer = path.sample(np.linspace(times[j], times[j + 1], 1001)).orientations
        assert _angle_deg(finer[1:], finer[:-1]).max() < 0.05 * steps[j], f"orientation jumps near t = {times[j]}"


keyframe_rows = st.lists(
    st.tuples(st.floats(0.05, 5.0), st.tuples(*[st.floats(-200, 200)] * 3),
              st.tuples(*[st.floats(-1, 1)] * 4).filter(lambda q: sum(v * v for v in q) > 0.01),
              st.floats(5.0, 120.0)),
    min_size=2, max_size=7)


@settings(max_examples=60, deadline=None)
@given(keyframe_rows, st.booleans(), st.floats(0.0, 3.0))
def test_random_paths_are_finite_continuous_and_hit_their_ends(rows: list, constant_speed: bool,
                                                               ease: float) -> None:
    """Any valid keyframes give finite unit poses without orientation jumps, starting and ending on the end keys."""
    keys, t = [], 0.0
    for gap, position, q, fov in rows:
        keys.append(Keyframe(t, position, tuple(quat.normalize(q)), fov))  # type: ignore[arg-type]
        t += gap
    path = CameraPath("p", tuple(keys), constant_speed=constant_speed, ease=ease)
    samples = path.sample(np.linspace(path.start, path.end, 400 * len(keys)))
    assert np.all(np.isfinite(samples.positions)) and np.all(np.isfinite(samples.fov))
    np.testing.assert_allclose(np.linalg.norm(samples.orientations, axis=1), 1.0, atol=1e-9)
    _assert_no_jumps(path, samples.times, samples.orientations)
    np.testing.assert_allclose(samples.positions[[0, -1]], [keys[0].position, keys[-1].position], atol=1e-6)
    assert _angle_deg(samples.orientations[-1], np.array(keys[-1].orientation)) < 1e-4
