"""Camera quaternions: HPR conversions in Panda3D's convention, look-at, slerp, align and squad (flythrough/quat.py)."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.flythrough import quat

RNG = np.random.default_rng(7)


def _random_hpr(n: int) -> np.ndarray:
    return RNG.uniform([-179.0, -89.0, -179.0], [179.0, 89.0, 179.0], size=(n, 3))


def _random_quats(n: int) -> np.ndarray:
    return quat.normalize(RNG.normal(size=(n, 4)))


def _angle_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Rotation angle between unit quaternions, degrees, q and -q equal (atan2: exact near zero, unlike arccos)."""
    d = quat.multiply(quat.conjugate(b), a)
    return np.degrees(2 * np.arctan2(np.linalg.norm(d[..., 1:], axis=-1), np.abs(d[..., 0])))


def test_hpr_round_trip() -> None:
    """to_hpr(from_hpr(hpr)) gives back hpr for pitch within +-89 degrees, and quaternions are unit."""
    hpr = _random_hpr(500)
    q = quat.from_hpr(hpr)
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(quat.to_hpr(q), hpr, atol=1e-9)


def test_quat_round_trip_through_hpr() -> None:
    """from_hpr(to_hpr(q)) is the same rotation as q for any unit quaternion, looking straight up included."""
    q = np.vstack([_random_quats(500), quat.from_hpr([[30.0, 90.0, 20.0], [-70.0, -90.0, 0.0]])])
    assert np.all(_angle_deg(quat.from_hpr(quat.to_hpr(q)), q) < 1e-6)


def test_heading_zero_looks_north_and_positive_heading_turns_left() -> None:
    """Heading 0 looks along +y, heading 90 along -x (left, counter-clockwise from above), pitch 90 along +z."""
    np.testing.assert_allclose(quat.forward(quat.from_hpr([0, 0, 0])), [0, 1, 0], atol=1e-12)
    np.testing.assert_allclose(quat.forward(quat.from_hpr([90, 0, 0])), [-1, 0, 0], atol=1e-12)
    np.testing.assert_allclose(quat.forward(quat.from_hpr([0, 90, 0])), [0, 0, 1], atol=1e-12)


def test_agrees_with_panda3d() -> None:
    """from_hpr, to_hpr and forward match Panda3D's Quat.setHpr, getHpr and getForward for random angles."""
    core = pytest.importorskip("panda3d.core")
    for h, p, r in _random_hpr(200):
        theirs = core.Quat()
        theirs.setHpr(core.Vec3(h, p, r))
        mine = quat.from_hpr([h, p, r])
        np.testing.assert_allclose(mine, [theirs.getR(), theirs.getI(), theirs.getJ(), theirs.getK()], atol=2e-6)
        np.testing.assert_allclose(quat.to_hpr(mine), list(theirs.getHpr()), atol=2e-3)  # Panda3D is float32
        np.testing.assert_allclose(quat.forward(mine), list(theirs.getForward()), atol=2e-6)


def test_look_at_forward_points_at_the_target() -> None:
    """The camera made by from_look_at looks along the direction to the target, and stays level (no roll)."""
    for _ in range(200):
        position, target = RNG.uniform(-500, 500, size=(2, 3))
        q = quat.from_look_at(position, target)
        direction = (target - position) / np.linalg.norm(target - position)
        np.testing.assert_allclose(quat.forward(q), direction, atol=1e-9)
        assert abs(quat.to_hpr(q)[2]) < 1e-9


def test_look_at_its_own_position_is_a_value_error() -> None:
    """A target at the camera's position has no direction."""
    with pytest.raises(ValueError, match="look_at"):
        quat.from_look_at([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])


def test_slerp_endpoints_and_unit_norm() -> None:
    """slerp gives a at 0, b at 1 (up to sign), unit quaternions in between, at constant angular speed."""
    a, b = _random_quats(2)
    u = np.linspace(0, 1, 11)
    path = quat.slerp(np.broadcast_to(a, (11, 4)), np.broadcast_to(b, (11, 4)), u)
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), 1.0, atol=1e-12)
    assert _angle_deg(path[0], a) < 1e-6 and _angle_deg(path[-1], b) < 1e-6
    steps = _angle_deg(path[1:], path[:-1])
    np.testing.assert_allclose(steps, steps[0], atol=1e-6)
    assert steps.sum() <= 180.0 + 1e-6  # the short way round


def test_slerp_of_nearly_equal_quaternions_is_finite() -> None:
    """Two equal keys interpolate to themselves without 0/0."""
    a = _random_quats(1)[0]
    np.testing.assert_allclose(quat.slerp(a, a, [0.0, 0.3, 1.0]), np.tile(a, (3, 1)), atol=1e-12)


def test_align_flips_signs_into_one_hemisphere() -> None:
    """After align consecutive rows have non-negative dot products and each row is +-the original."""
    q = _random_quats(50)
    q[::3] *= -1
    aligned = quat.align(q)
    assert np.all(np.sum(aligned[1:] * aligned[:-1], axis=1) >= 0)
    np.testing.assert_allclose(np.abs(aligned), np.abs(q))


def test_squad_passes_through_its_keys() -> None:
    """squad between consecutive keys with Shoemake's controls starts at one key and ends at the next."""
    keys = quat.align(quat.from_hpr(_random_hpr(6)))
    controls = quat.squad_controls(keys)
    np.testing.assert_allclose(np.linalg.norm(controls, axis=1), 1.0, atol=1e-12)
    for i in range(len(keys) - 1):
        ends = quat.squad(keys[i], keys[i + 1], controls[i], controls[i + 1], np.array([0.0, 1.0]))
        assert _angle_deg(ends[0], keys[i]) < 1e-6 and _angle_deg(ends[1], keys[i + 1]) < 1e-6


def test_squad_is_smooth_through_an_inner_key() -> None:
    """With even key spacing the angular velocity of squad is continuous at an inner key (C1), unlike slerp."""
    keys = quat.align(quat.from_hpr([[0, 0, 0], [40, 10, 0], [60, -20, 5]]))
    c = quat.squad_controls(keys)
    h = 1e-5
    before = quat.squad(keys[0], keys[1], c[0], c[1], np.array([1 - h]))[0]
    after = quat.squad(keys[1], keys[2], c[1], c[2], np.array([h]))[0]
    w_before = quat.log(quat.multiply(quat.conjugate(before), keys[1]))[1:] / h
    w_after = quat.log(quat.multiply(quat.conjugate(keys[1]), after))[1:] / h
    np.testing.assert_allclose(w_before, w_after, atol=2e-3 * np.linalg.norm(w_after))


def test_normalize_rejects_zero_and_nan() -> None:
    """A zero or NaN quaternion is a ValueError, not a silent NaN."""
    for bad in ([0.0, 0.0, 0.0, 0.0], [np.nan, 0.0, 0.0, 1.0]):
        with pytest.raises(ValueError):
            quat.normalize(bad)
