"""Cameras for re-shooting a recorded meeting (meeting/replay.py): behind a participant, or through their eyes.

Rules:
1. "follow": FOLLOW_BACK metres behind the participant's feet along its heading and FOLLOW_UP above, looking
   at a point LOOK_HEIGHT above its feet: the participant's avatar is in view, turning with it.
   "eyes": at the participant's camera (the logged eye), turned by its heading and camera pitch: what that
   participant saw on screen, give or take the field of view.
2. The pose at a time is the timeline's (exact at logged times, linear between); before the participant's
   first pose it is the first, after leaving the last, so the camera never jumps to the origin.
3. Output is a PathSamples (flythrough/path.py), the same thing a camera path gives the offline renderer.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from viewer.flythrough import quat
from viewer.flythrough.path import PathSamples
from viewer.meeting.messages import Pose
from viewer.meeting.replay import MeetingTimeline

MODES = ("follow", "eyes")
FOLLOW_BACK, FOLLOW_UP, LOOK_HEIGHT = 7.0, 3.5, 1.5
DEFAULT_FOV = 60.0


def pose_near(timeline: MeetingTimeline, pid: int, t: float) -> Pose:
    """The participant's pose at t, or the nearest one it has (rule 2); ValueError if it never had one."""
    track = timeline.tracks.get(pid)
    if track is None or not track.poses:
        raise ValueError(f"{timeline.name(pid)} never sent a pose: nothing to follow")
    return track.at(max(t, track.times[0])) or track.poses[0]


def camera_pose(pose: Pose, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """(position (3,), orientation (4,) w x y z) of a `mode` camera for one participant pose (rule 1)."""
    if mode == "eyes":
        return np.asarray(pose.eye, np.float64), quat.from_hpr([pose.heading, pose.pitch, 0.0])
    if mode != "follow":
        raise ValueError(f"camera mode must be one of {', '.join(MODES)}, not {mode!r}")
    h = np.radians(pose.heading)
    ahead = np.array([-np.sin(h), np.cos(h), 0.0])
    feet = np.asarray(pose.position, np.float64)
    position = feet - FOLLOW_BACK * ahead + (0.0, 0.0, FOLLOW_UP)
    return position, quat.from_look_at(position, feet + (0.0, 0.0, LOOK_HEIGHT))


def meeting_samples(timeline: MeetingTimeline, pid: int, mode: str, times: Any,
                    fov: float = DEFAULT_FOV) -> PathSamples:
    """Camera poses (rule 3) at server `times` (m,) for participant `pid` seen in `mode`."""
    t = np.asarray(times, np.float64).reshape(-1)
    positions, orientations = np.zeros((len(t), 3)), np.zeros((len(t), 4))
    for k, when in enumerate(t):
        positions[k], orientations[k] = camera_pose(pose_near(timeline, pid, float(when)), mode)
    return PathSamples(t, positions, quat.align(orientations), np.full(len(t), float(fov)))
