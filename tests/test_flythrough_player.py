"""Playing a camera path: the table-driven play/pause/seek/stop state machine and its clock (flythrough/player.py)."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.flythrough.path import CameraPath, Keyframe
from viewer.flythrough.player import TRANSITIONS, IllegalTransition, Player

STATES = ("stopped", "playing", "paused", "ended")
EVENTS = ("play", "pause", "seek", "stop", "end")


def _path() -> CameraPath:
    keys = (Keyframe.from_hpr(2.0, (0.0, 0.0, 10.0), (0.0, 0.0, 0.0), 50.0),
            Keyframe.from_hpr(6.0, (40.0, 0.0, 10.0), (90.0, 0.0, 0.0), 50.0),
            Keyframe.from_hpr(12.0, (40.0, 60.0, 30.0), (180.0, -20.0, 0.0), 40.0))
    return CameraPath("tour", keys)


def _player_in(state: str) -> Player:
    """A player brought to `state` through its public methods."""
    player = Player(_path())
    if state != "stopped":
        player.play()
    if state == "paused":
        player.pause()
    if state == "ended":
        player.tick(100.0)
    assert player.state == state
    return player


def _fire(player: Player, event: str) -> None:
    if event == "end":
        player.tick(1e9)  # the only way to end is to run out of path
    elif event == "seek":
        player.seek_to(5.0)
    else:
        getattr(player, event)()


@pytest.mark.parametrize(("state", "event"), sorted(TRANSITIONS))
def test_every_transition_goes_where_the_table_says(state: str, event: str) -> None:
    """Each (state, event) entry of TRANSITIONS, fired through the public API, ends in the listed state."""
    player = _player_in(state)
    _fire(player, event)
    assert player.state == TRANSITIONS[(state, event)]


ILLEGAL = [(s, e) for s in STATES for e in EVENTS if (s, e) not in TRANSITIONS and e != "end"]


@pytest.mark.parametrize(("state", "event"), ILLEGAL)
def test_illegal_transitions_raise_and_change_nothing(state: str, event: str) -> None:
    """An event without a table entry raises IllegalTransition naming both, leaving state and clock as they were."""
    player = _player_in(state)
    before = (player.state, player.time)
    with pytest.raises(IllegalTransition) as info:
        _fire(player, event)
    assert (info.value.state, info.value.event) == (state, event)
    assert state in str(info.value) and event in str(info.value)
    assert (player.state, player.time) == before


def test_the_table_covers_the_states_and_events() -> None:
    """Every state can be left and every transition lands in a known state (no typo in the table)."""
    assert {s for s, _ in TRANSITIONS} == set(STATES)
    assert set(TRANSITIONS.values()) <= set(STATES) and {e for _, e in TRANSITIONS} <= set(EVENTS)
    assert ILLEGAL  # some events are refused: ("stopped", "pause"), ("stopped", "seek"), ...


def test_tick_runs_the_clock_and_reaches_ended() -> None:
    """tick advances the path clock by dt * speed while playing and ends, holding the last pose, at the end."""
    player = Player(_path(), speed=2.0)
    player.play()
    assert player.time == 2.0
    player.tick(1.0)
    assert player.time == 4.0 and player.state == "playing"
    for _ in range(3):
        player.tick(1.0)
    assert player.time == 10.0
    player.tick(5.0)
    assert player.state == "ended" and player.time == 12.0
    pose = player.pose()
    assert pose is not None
    np.testing.assert_allclose(pose.positions[0], (40.0, 60.0, 30.0), atol=1e-9)


def test_pause_holds_the_clock_and_play_resumes() -> None:
    """While paused tick moves nothing; play resumes from the same time; play after ended restarts."""
    player = _player_in("playing")
    player.tick(1.0)
    player.pause()
    player.tick(3.0)
    assert player.time == 3.0
    player.play()
    player.tick(1.0)
    assert player.time == 4.0
    player.tick(100.0)
    player.play()
    assert player.state == "playing" and player.time == 2.0


def test_seek_clamps_to_the_path() -> None:
    """Seeking before the start or past the end lands on the ends; relative seeks add to the clock."""
    player = _player_in("paused")
    player.seek_to(-50.0)
    assert player.time == 2.0
    player.seek_to(50.0)
    assert player.time == 12.0
    player.seek(-3.5)
    assert player.time == 8.5 and player.state == "paused"
    with pytest.raises(ValueError):
        player.seek_to(float("nan"))
    assert player.time == 8.5


def test_pose_is_none_when_stopped() -> None:
    """A stopped player does not drive the camera; any other state gives the pose at its clock."""
    player = Player(_path())
    assert player.pose() is None and not player.active
    player.play()
    player.tick(4.0)
    pose = player.pose()
    assert pose is not None and player.active
    np.testing.assert_allclose(pose.positions[0], (40.0, 0.0, 10.0), atol=1e-9)
    player.stop()
    assert player.pose() is None


def test_toggle_and_status() -> None:
    """toggle plays when not playing and pauses when playing; status names path, state and clock."""
    player = Player(_path())
    player.toggle()
    assert player.state == "playing"
    player.tick(1.5)
    player.toggle()
    assert player.state == "paused"
    assert player.status() == "tour: paused   1.5 / 10.0 s"


@pytest.mark.parametrize("dt", [float("nan"), float("inf"), -1.0])
def test_bad_clock_steps_move_nothing(dt: float) -> None:
    """A NaN, infinite or negative dt from a glitching clock leaves the player where it was."""
    player = _player_in("playing")
    player.tick(dt)
    assert player.time == 2.0 and player.state == "playing"


@pytest.mark.parametrize("speed", [0.0, -1.0, float("nan")])
def test_bad_speed_is_a_value_error(speed: float) -> None:
    """Playback speed must be finite and positive."""
    with pytest.raises(ValueError, match="speed"):
        Player(_path(), speed=speed)
