"""Re-shooting a recorded meeting (a real loopback meeting, recorded): the video through a participant's eyes
and from behind them is identical across two renders, shows the avatars, the pointer and the chat as
subtitles; a path shot works; unknown names and bad logs are clear errors."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from meeting_log_helpers import MARKER_ROOF, record_meeting
from test_render import town, town_scene

from viewer.flythrough.meeting_camera import camera_pose, meeting_samples
from viewer.meeting.log import read_log
from viewer.meeting.replay import MeetingTimeline

SIZE = (192, 108)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    return record_meeting(tmp_path_factory.mktemp("logs"))


def test_eyes_and_follow_cameras_come_from_the_logged_poses(recorded):
    """Through the eyes: the camera is at each logged eye, turned by its heading; following: behind the feet."""
    timeline = MeetingTimeline(read_log(recorded))
    bo = timeline.find("Bo")
    track = timeline.tracks[bo]
    samples = meeting_samples(timeline, bo, "eyes", track.times)
    assert np.allclose(samples.positions, [p.eye for p in track.poses])
    back = meeting_samples(timeline, bo, "follow", track.times[:1])
    feet = np.array(track.poses[0].position)
    assert 6.0 < np.linalg.norm(back.positions[0][:2] - feet[:2]) < 8.0 and back.positions[0][2] > feet[2] + 3
    assert np.allclose(camera_pose(track.poses[0], "eyes")[0], track.poses[0].eye)


@pytest.mark.render
def test_a_re_shot_meeting_is_identical_across_two_renders(offscreen_gl, recorded, tmp_path):
    """Two renders of the same log, scene and shot give the same frames (hashes equal); frames differ in
    time; the chat shows as subtitles on the frames after it was said."""
    from test_flythrough_render import frames_of

    from viewer.app.meeting_render import Shot, render_meeting

    timeline = MeetingTimeline(read_log(recorded))
    scene = town_scene(town(), {})
    shot = Shot("follow", who=timeline.find("Bo"))
    first = render_meeting(scene, timeline, shot, tmp_path / "a.mp4", size=SIZE, fps=10.0, multisamples=0)
    second = render_meeting(scene, MeetingTimeline(read_log(recorded)), shot, tmp_path / "b.mp4", size=SIZE,
                            fps=10.0, multisamples=0)
    assert first.frames == second.frames >= 15
    assert first.digest == second.digest
    frames = frames_of(tmp_path / "a.mp4")
    assert hashlib.sha256(frames[0]).digest() != hashlib.sha256(frames[-1]).digest()
    said = next(line.time for line in timeline.moment(timeline.end).chat if line.text == "look at the tall one")
    k = int((said - timeline.start) * 10.0) + 2
    band = frames[k][-SIZE[1] // 6:, SIZE[0] // 3: 2 * SIZE[0] // 3]
    before = frames[1][-SIZE[1] // 6:, SIZE[0] // 3: 2 * SIZE[0] // 3]
    # The new line's subtitle replaced the one before it (the host's "recording" line): its text changes
    # the strip, on a dark band whatever the look (sun, haze) makes of the ground behind it.
    changed = np.abs(band.astype(int) - before.astype(int)).max(axis=2) > 24
    assert changed.mean() > 0.05, changed.mean()
    assert (band.astype(int).max(axis=2) < 60).mean() > 0.2  # the band is dark


@pytest.mark.render
def test_the_pointer_is_drawn_in_the_pointing_participants_colour(offscreen_gl, recorded, tmp_path):
    """A still just after Bo points shows Bo's pointer in Bo's colour (drawn over the offline stage's bin)."""
    from viewer.app.meeting_render import meeting_stills, pointing_camera
    from viewer.render.participants import participant_colour

    timeline = MeetingTimeline(read_log(recorded))
    t, pid, ray = timeline.pointings()[0]
    assert ray.target == MARKER_ROOF
    position, orientation = pointing_camera(ray.origin, ray.target)
    image = meeting_stills(town_scene(town(), {}), timeline, [(t + 0.01, position, orientation)], size=SIZE)[0]
    colour = np.array(participant_colour(pid)) * 255
    close = np.abs(image.astype(float) - colour).max(axis=2) < 40
    assert close.sum() > 20, "no pointer pixels"


def test_an_unknown_participant_names_who_was_there(recorded):
    timeline = MeetingTimeline(read_log(recorded))
    with pytest.raises(ValueError, match=r"there were: Ana \(#\d+\), Bo"):
        timeline.find("Zed")
