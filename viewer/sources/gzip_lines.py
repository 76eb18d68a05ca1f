"""Lines of a gzip file, with positions to come back to: a seek into a recording without reading it from the start.

    reader = GzipLines(path, limit)
    line = reader.readline()          # b"" at the end
    here = reader.position()          # between two lines
    again = GzipLines(path, limit, at=here)   # reads on from there: the same lines, the same numbers

Rules this module keeps:
1. A Position holds all that reading on from a point between two lines needs: the offset of the next
   compressed chunk in the file, a copy of the zlib decompressor (its 32 KiB window: tens of kB), the
   compressed bytes it has not taken yet, the decompressed bytes not yet returned, and the line number.
   Taking one copies the decompressor and restoring copies it again, so one Position serves any number of
   readers. Output per decompress call is capped (OUT_CHUNK) so the bytes a Position keeps stay small.
2. Concatenated gzip members read as one stream (RFC 1952), as the gzip module reads them.
3. A line longer than `limit` comes back cut to limit + 1 bytes (the caller sees it is too long, as with
   readline(limit + 1)); a truncated stream raises EOFError and a corrupt one zlib.error, as gzip does.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHUNK = 64 * 1024  # compressed bytes read at a time
OUT_CHUNK = 256 * 1024  # decompressed bytes at most per decompress call (rule 1)
GZIP_WBITS = 16 + zlib.MAX_WBITS


@dataclass(frozen=True)
class Position:
    """A point between two lines of one file (rule 1); `number` lines were returned before it."""

    offset: int
    decompressor: Any  # a private zlib decompressor, copied again on restore
    tail: bytes
    pending: bytes
    number: int


class GzipLines:
    """Reads lines of the gzip file `path` (rules above), from the start or from a Position."""

    def __init__(self, path: Path, limit: int, at: Position | None = None) -> None:
        self.limit = limit
        self._fh = open(path, "rb")  # noqa: SIM115 (closed by close(), a reader outlives a with block)
        if at is None:
            self._d: Any = zlib.decompressobj(GZIP_WBITS)
            self._tail, self._buf, self.number = b"", bytearray(), 0
        else:
            self._fh.seek(at.offset)
            self._d = at.decompressor.copy()
            self._tail, self._buf, self.number = at.tail, bytearray(at.pending), at.number
        self._start = 0  # first byte of _buf not returned yet
        self._scanned = 0  # bytes after _start known to hold no newline

    def position(self) -> Position:
        """Where the next readline() starts (rule 1)."""
        return Position(self._fh.tell(), self._d.copy(), self._tail, bytes(self._buf[self._start:]), self.number)

    def readline(self) -> bytes:
        """The next line with its newline (the last line may have none); b"" at the end of the file."""
        while True:
            end = self._buf.find(b"\n", self._start + self._scanned)
            if end >= 0:
                return self._take(min(end + 1, self._start + self.limit + 1))
            self._scanned = len(self._buf) - self._start
            if self._scanned > self.limit:
                return self._take(self._start + self.limit + 1)
            if not self._more():
                return self._take(len(self._buf)) if self._scanned else b""

    def _take(self, end: int) -> bytes:
        line = bytes(self._buf[self._start:end])
        self._start, self._scanned = end, 0
        self.number += 1
        if self._start > OUT_CHUNK:  # drop what was returned, now and then
            del self._buf[:self._start]
            self._start = 0
        return line

    def _more(self) -> bool:
        """Decompress some more into the buffer; False at the clean end of the last member."""
        while True:
            if self._d.eof:  # a member ended: the next one starts in the bytes after it (rule 2)
                rest = self._d.unused_data or self._fh.read(CHUNK)
                if not rest:
                    return False
                self._d, self._tail = zlib.decompressobj(GZIP_WBITS), rest
            data = self._tail or self._fh.read(CHUNK)
            if not data:
                raise EOFError("Compressed file ended before the end-of-stream marker was reached")
            out = self._d.decompress(data, OUT_CHUNK)
            self._tail = self._d.unconsumed_tail
            if out:
                self._buf += out
                return True

    def close(self) -> None:
        self._fh.close()
