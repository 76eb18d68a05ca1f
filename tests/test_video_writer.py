"""The video writer's leftovers after a SIGKILL, and the progress line's time left (viewer/app/video.py)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from viewer.app.video import ProgressLine, VideoWriter, frame_rate, read_video, remove_leftovers, time_left


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _write(out, frames: int = 3) -> None:
    with VideoWriter(out, (64, 48), 10.0) as writer:
        for k in range(frames):
            writer.write(np.full((48, 64, 3), 40 * k, np.uint8))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the O_TMPFILE path is Linux's")
def test_sigkill_between_link_and_rename_is_cleaned_on_the_next_run(tmp_path):
    """A writer killed (SIGKILL) right after linking an overwrite under its hidden name leaves
    .NAME.link-PID; the next writer of that name removes it and writes the video."""
    out = tmp_path / "clip.mp4"
    _write(out, 2)
    script = textwrap.dedent(f"""
        import os, signal, numpy as np
        import viewer.app.video as video
        def killed(*args):
            os.kill(os.getpid(), signal.SIGKILL)
        video.os.replace = killed  # die exactly between linking and renaming
        with video.VideoWriter({str(out)!r}, (64, 48), 10.0) as writer:
            writer.write(np.zeros((48, 64, 3), np.uint8))
    """)
    child = subprocess.run([sys.executable, "-c", script], timeout=60)
    assert child.returncode == -9
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "clip.mp4"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".clip.mp4.link-")
    _write(out, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4"]
    assert read_video(out)[0] == 3


def test_leftovers_of_running_processes_stay(tmp_path):
    """Only hidden files of processes no longer running are removed, and only those of the output's name."""
    out = tmp_path / "v.mp4"
    dead, alive = _dead_pid(), os.getppid()
    names = [f".v.mp4.link-{dead}", f".v.mp4.part-{dead}", f".v.mp4.link-{alive}", f".w.mp4.link-{dead}",
             ".v.mp4.link-x"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    removed = remove_leftovers(out)
    assert sorted(p.name for p in removed) == sorted(names[:2])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the O_TMPFILE path is Linux's")
def test_a_new_name_is_linked_straight_and_an_old_one_replaced(tmp_path):
    """A fresh output and an overwritten one both end as the only file in the folder."""
    out = tmp_path / "a.mp4"
    _write(out, 2)
    _write(out, 4)
    assert [p.name for p in tmp_path.iterdir()] == ["a.mp4"] and read_video(out)[0] == 4


def _samples(load: float, per_frame: float, frames: int) -> list[tuple[float, int]]:
    """(clock, done) after each frame: the first frame ends after `load` seconds, then one every per_frame."""
    return [(load + k * per_frame, k + 1) for k in range(frames)]


def test_time_left_ignores_loading_and_the_first_frame():
    """A 200-frame job at 2 fps after 20 s of loading: about 98 s left after 4 frames, not ~4,000 s."""
    samples = _samples(20.0, 0.5, 4)
    assert time_left(samples[:1], 200) is None  # one frame says nothing about the rate
    assert time_left(samples[:3], 200) is None
    assert time_left(samples, 200) == pytest.approx(196 / 2.0)
    assert frame_rate(samples) == pytest.approx(2.0)


def test_time_left_follows_the_recent_rate():
    """The rate is measured over the last window: a render that slows from 10 to 1 fps says so."""
    fast = _samples(0.0, 0.1, 100)  # 10 s at 10 fps
    slow = [(fast[-1][0] + k, 100 + k) for k in range(1, 21)]  # then 20 s at 1 fps
    assert frame_rate(fast) == pytest.approx(10.0)
    assert frame_rate(fast + slow) == pytest.approx(1.0)
    assert time_left(fast + slow, 220) == pytest.approx(100.0)


def test_slow_frames_still_get_an_estimate():
    """Frames slower than the window still give a rate once MIN_FRAMES of them are done."""
    samples = _samples(5.0, 30.0, 5)
    assert frame_rate(samples) == pytest.approx(1 / 30.0)
    assert time_left(samples, 10) == pytest.approx(150.0)


def test_progress_line_first_estimate():
    """The printed line: '? s left' at the first frame, then the estimate from the frames after it."""
    clock = iter([20.0 + 0.5 * k for k in range(4)])  # the first frame ends 20 s after the start
    stream = io.StringIO()
    progress = ProgressLine("job", stream=stream, every=0.0, clock=lambda: next(clock))
    for done in range(1, 5):
        progress(done, 200)
    lines = stream.getvalue().splitlines()
    assert "? s left" in lines[0] and lines[-1].endswith("2.0 fps,   98 s left")
