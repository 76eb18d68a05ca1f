"""Writing frames to an H.264 MP4 that appears only when complete, and a progress line for long renders.

Rules this module keeps:
1. Frames go to the ffmpeg binary bundled with imageio-ffmpeg (so a fresh machine needs no system
   ffmpeg) through a pipe: rgb24 in, H.264 yuv420p out, which needs an even width and height. ffmpeg
   runs with +bitexact, so the same frames give the same file, byte for byte.
2. The output name never holds a partial video. On Linux ffmpeg writes into an unnamed file (O_TMPFILE)
   in the output's folder, linked in at the end straight under the output's name when it is free, else under
   a hidden `.NAME.link-PID` renamed over the output: a render killed at any point (even by SIGKILL) leaves
   nothing behind but, in that last instant, the hidden name. Where O_TMPFILE is missing, a hidden
   `.NAME.part-PID` file beside the output is renamed at the end, and removed on any error. A new writer
   removes the hidden files of its output name that a process no longer running left (a SIGKILL).
3. VideoWriter is a context manager: leaving it normally finishes the file; leaving by an exception (a
   KeyboardInterrupt included) stops ffmpeg and removes what it wrote.
4. ProgressLine shows frames done, percent, frames per second and time left: one redrawn line on a
   terminal, a line every few seconds elsewhere (logs, CI). The rate is measured over the last RATE_WINDOW
   seconds from the first frame on (loading and the first frame's warm-up would inflate it tenfold), and no
   time left is guessed before MIN_FRAMES frames after the first.
"""

from __future__ import annotations

import ctypes
import errno
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

from viewer.errors import RenderError

DEFAULT_CRF = 20  # x264 quality: 18 is visually lossless, 23 is its default
DEFAULT_PRESET = "veryfast"  # keeps up with rendering on 2 cores; "medium" costs about half the frame rate
AT_FDCWD, AT_SYMLINK_FOLLOW = -100, 0x400
RATE_WINDOW = 10.0  # seconds of recent frames the rate and time left are measured over
MIN_FRAMES = 3  # frames after the first before a time left is shown


def _unnamed_file(directory: Path) -> int | None:
    """A file descriptor of an unnamed file in `directory` (Linux O_TMPFILE), or None where unsupported."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not sys.platform.startswith("linux"):
        return None
    try:
        return os.open(directory, flag | os.O_RDWR, 0o644)
    except OSError:
        return None


def _link_unnamed(fd: int, dest: Path) -> bool:
    """Give the unnamed file `fd` the name `dest`; False (errno set) when that fails. os.link cannot: it would
    link the /proc symlink itself, so this calls linkat with AT_SYMLINK_FOLLOW, as open(2) describes."""
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.linkat(AT_FDCWD, f"/proc/self/fd/{fd}".encode(), AT_FDCWD, os.fsencode(dest), AT_SYMLINK_FOLLOW) == 0


def _pid_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_leftovers(out: Path) -> list[Path]:
    """Remove the hidden `.NAME.link-PID` / `.NAME.part-PID` files of `out` whose PID no longer runs (a writer
    killed by SIGKILL); the paths removed."""
    removed = []
    for kind in ("link", "part"):
        for path in out.parent.glob(f".{out.name}.{kind}-*"):
            pid = path.name.rsplit("-", 1)[1]
            if pid.isdigit() and int(pid) != os.getpid() and not _pid_running(int(pid)):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def ffmpeg_exe() -> str:
    """The path of the bundled ffmpeg; RenderError when imageio-ffmpeg is missing."""
    try:
        import imageio_ffmpeg  # the bundled encoder: imported only when a video is written
    except ImportError:
        raise RenderError("writing video needs imageio-ffmpeg (pip install imageio-ffmpeg)") from None
    try:
        exe = str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:  # no bundled binary and none on the system
        raise RenderError(f"no video encoder: {exc}") from None
    if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):  # e.g. IMAGEIO_FFMPEG_EXE set wrongly
        raise RenderError(f"the video encoder {exe} is missing or not executable (check IMAGEIO_FFMPEG_EXE)")
    return exe


class VideoWriter:
    """An H.264 MP4 at `out` of `size` (w, h) at `fps`, fed (h, w, 3) uint8 RGB frames (rules 1-3)."""

    def __init__(self, out: str | Path, size: tuple[int, int], fps: float, crf: int = DEFAULT_CRF,
                 preset: str = DEFAULT_PRESET) -> None:
        w, h = int(size[0]), int(size[1])
        if w % 2 or h % 2 or w <= 0 or h <= 0:
            raise RenderError(f"video size {w}x{h}: H.264 (yuv420p) needs an even width and height")
        if not (math.isfinite(fps) and 0 < fps <= 240):
            raise RenderError(f"video frame rate {fps}: must be between 0 and 240 frames per second")
        self.out, self.size, self.frames = Path(out), (w, h), 0
        if self.out.is_dir():
            raise RenderError(f"cannot write {self.out}: it is a folder")
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RenderError(f"cannot write {self.out}: {exc.strerror or exc}") from None
        if not os.access(self.out.parent, os.W_OK):
            raise RenderError(f"cannot write {self.out}: its folder is not writable")
        remove_leftovers(self.out)
        encoder = ffmpeg_exe()  # before any file is opened, so a missing encoder leaves nothing behind
        self._fd = _unnamed_file(self.out.parent)
        self._part = None if self._fd is not None else self.out.with_name(f".{self.out.name}.part-{os.getpid()}")
        target = f"/proc/self/fd/{self._fd}" if self._fd is not None else str(self._part)
        cmd = [encoder, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-framerate", repr(float(fps)),
               "-i", "pipe:0", "-an", "-c:v", "libx264", "-preset", preset, "-crf", str(int(crf)),
               "-pix_fmt", "yuv420p", "-fflags", "+bitexact", "-flags:v", "+bitexact",
               "-movflags", "+faststart", "-f", "mp4", target]
        self._log: IO[bytes] = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._log,
                                      pass_fds=(self._fd,) if self._fd is not None else ())

    def write(self, frame: np.ndarray) -> None:
        """Append one frame, (h, w, 3) uint8 RGB with row 0 at the top."""
        w, h = self.size
        if frame.shape != (h, w, 3) or frame.dtype != np.uint8:
            raise RenderError(f"frame of shape {frame.shape} {frame.dtype}, expected ({h}, {w}, 3) uint8")
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(np.ascontiguousarray(frame).data)
        except OSError:  # BrokenPipeError: ffmpeg died
            raise RenderError(f"writing {self.out}: the video encoder stopped: {self._error_text()}") from None
        self.frames += 1

    def finish(self) -> Path:
        """Close the pipe, wait for ffmpeg and put the file in place under its name (rule 2)."""
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        if self._proc.wait() != 0:
            raise RenderError(f"writing {self.out}: the video encoder failed: {self._error_text()}")
        if self._fd is not None:
            staged = self._link_in()
        else:
            assert self._part is not None
            staged = self._part
        if staged is not None:
            os.replace(staged, self.out)
        self._part = None
        self._close()
        return self.out

    def _link_in(self) -> Path | None:
        """Link the unnamed file in as the output when that name is free (None), else under a hidden name to
        rename over it (that name)."""
        assert self._fd is not None
        if _link_unnamed(self._fd, self.out):
            return None
        if ctypes.get_errno() != errno.EEXIST:
            raise RenderError(f"cannot write {self.out}: {os.strerror(ctypes.get_errno())}")
        staged = self.out.with_name(f".{self.out.name}.link-{os.getpid()}")
        staged.unlink(missing_ok=True)
        if not _link_unnamed(self._fd, staged):
            raise RenderError(f"cannot write {self.out}: {os.strerror(ctypes.get_errno())}")
        return staged

    def abort(self) -> None:
        """Stop ffmpeg and remove whatever it wrote; the output name is never touched."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._part is not None:
            self._part.unlink(missing_ok=True)
        self._close()

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._log.close()

    def _error_text(self) -> str:
        self._proc.poll()
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        return " / ".join(lines[-3:]) or f"ffmpeg exit code {self._proc.returncode}"

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        if kind is None:
            self.finish()
        else:
            self.abort()


def read_video(path: str | Path) -> tuple[int, tuple[int, int], float]:
    """(frames, (w, h), fps) of a video file as ffmpeg decodes it (tests, checks after a render)."""
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    frames = sum(1 for _ in reader)
    w, h = meta["size"]
    return frames, (int(w), int(h)), float(meta["fps"])


def frame_rate(samples: Sequence[tuple[float, int]], window: float = RATE_WINDOW) -> float | None:
    """Frames per second over the last `window` seconds and at least MIN_FRAMES frames of `samples`: (clock s,
    frames done) pairs, oldest first, the first taken at the first frame. None until MIN_FRAMES frames after
    the first (rule 4)."""
    if not samples:
        return None
    now, done = samples[-1]
    enough = [s for s in samples if _covers(s, now, done, window)]
    then, done_then = enough[-1] if enough else samples[0]
    if done - done_then < MIN_FRAMES or now <= then:
        return None
    return (done - done_then) / (now - then)


def _covers(sample: tuple[float, int], now: float, done: int, window: float) -> bool:
    """Whether measuring from `sample` spans the window and MIN_FRAMES frames."""
    return sample[0] <= now - window and done - sample[1] >= MIN_FRAMES


def time_left(samples: Sequence[tuple[float, int]], total: int, window: float = RATE_WINDOW) -> float | None:
    """Seconds until frame `total` at the recent frame rate of `samples` (frame_rate); None while unknown."""
    rate = frame_rate(samples, window)
    return None if rate is None else max(0, total - samples[-1][1]) / rate


class ProgressLine:
    """Progress of `label` on `stream` (rule 4); call it with (done, total) after each frame."""

    def __init__(self, label: str = "rendering", stream: IO[str] | None = None, every: float = 5.0,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.label, self.stream, self.every, self.clock = label, stream or sys.stderr, every, clock
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.last = -math.inf
        self.samples: deque[tuple[float, int]] = deque()

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        self._sample(now, done)
        if done < total and now - self.last < (0.2 if self.tty else self.every):
            return
        self.last = now
        end = "\n" if not self.tty or done >= total else ""
        self.stream.write(("\r" if self.tty else "") + self.line(done, total) + end)
        self.stream.flush()

    def _sample(self, now: float, done: int) -> None:
        """Keep the samples frame_rate may measure from: drop the oldest while the next one also covers."""
        self.samples.append((now, done))
        while len(self.samples) > 2 and _covers(self.samples[1], now, done, RATE_WINDOW):
            self.samples.popleft()

    def line(self, done: int, total: int) -> str:
        fraction = done / total if total else 1.0
        rate, left = frame_rate(self.samples), time_left(self.samples, total)
        fps = f"{rate:5.1f} fps" if rate is not None else "    ? fps"
        eta = f"{left:4.0f} s left" if left is not None else "   ? s left"
        return (f"{self.label} [{'#' * round(24 * fraction):<24}] frame {done}/{total} {100 * fraction:3.0f}% "
                f"{fps}, {eta}")
