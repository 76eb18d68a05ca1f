"""LogFiles: the meeting server's log files under --record-dir (the format is viewer/meeting/log.py's).

Rules:
1. One file per recording, `ROOM-YYYYmmdd-HHMMSS.meeting.jsonl.gz` (UTC; `-2`, `-3`... when taken), created
   with O_EXCL, mode 0600, in a folder made mode 0700 when missing. A folder that cannot be made or written
   is an OSError from open(): the hub refuses the host's `record` with a notice; the server runs on.
2. Append-only: lines wait in a LogBuffer and go out as one gzip member per write call, at least every
   second (flush(now), called by the server's tick) and at close. A process killed at any moment leaves
   whole members only (log.py rule 1). No fsync: a killed process loses nothing already written; only a
   machine crash may lose the last seconds.
3. A write that fails (disk full) raises OSError from flush() naming the log; the server stops that
   recording (hub.recording_failed) and carries on; the half-written member is cut off again, so the log
   still reads up to the last whole one.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from viewer.meeting.log import SUFFIX, LogBuffer


class LogFileError(OSError):
    """Writing log `name` failed."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        super().__init__(f"{name}: {reason}")


class LogFiles:
    """The open logs of one server, in `folder` (rules 1-3); a LogSink for the hub."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._files: dict[str, tuple[int, LogBuffer]] = {}

    def open(self, room: str, start: float) -> str:
        _private_dirs(self.folder)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(start))
        for n in range(1, 1000):
            path = self.folder / f"{room}-{stamp}{'' if n == 1 else f'-{n}'}{SUFFIX}"
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
            except FileExistsError:
                continue
            self._files[str(path)] = (fd, LogBuffer(start))
            return str(path)
        raise FileExistsError(f"{self.folder}: too many logs of room {room!r} in one second")

    def write(self, name: str, data: bytes) -> None:
        self._files[name][1].add(data)

    def flush(self, now: float) -> None:
        """Write a member for every log with lines waiting a second or more (rule 2); LogFileError."""
        for name, (fd, buffer) in list(self._files.items()):
            if buffer.due(now):
                self._write(name, fd, buffer.take(now))

    def close(self, name: str) -> None:
        found = self._files.pop(name, None)
        if found is None:
            return
        fd, buffer = found
        try:
            self._write(name, fd, buffer.take(time.time()))
        finally:
            os.close(fd)

    def close_all(self) -> None:
        for name in list(self._files):
            with contextlib.suppress(OSError):
                self.close(name)

    @property
    def open_logs(self) -> list[str]:
        return list(self._files)

    def _write(self, name: str, fd: int, member: bytes) -> None:
        view = memoryview(member)
        if not view:
            return
        whole = os.lseek(fd, 0, os.SEEK_END)
        try:
            while view:
                view = view[os.write(fd, view):]
        except OSError as exc:
            with contextlib.suppress(OSError):  # no half member: the log stays readable up to the last one
                os.ftruncate(fd, whole)
            raise LogFileError(name, exc.strerror or str(exc)) from None


def _private_dirs(folder: Path) -> None:
    """`folder` and its missing parents, mode 0700 whatever the umask; OSError when impossible."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):
            part.mkdir(mode=0o700)
            os.chmod(part, 0o700)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(13, "Permission denied", str(folder))
