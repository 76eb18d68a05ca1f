"""A plain CityJSON document (one JSON object, not a text sequence) read in memory bounded by its vertex array:
the header members and "vertices" first, then "CityObjects" a few thousand at a time (cityjson.iter_chunks).

Rules this module keeps:
1. Two passes, never the whole text in memory. Pass 1 (`StreamedDocument.open`) scans the file's structure
   block by block (Scanner) and records each top-level member's byte range; every member but "CityObjects"
   and "vertices" is then parsed whole (they are small: transform, metadata, templates, appearance, ...).
   The two big members are split at commas between their elements into pieces of about PIECE_BYTES,
   recorded in pass 1 with their element counts (checked against the limits before anything is built).
   "vertices" is parsed piece by piece into one float64 array; pass 2 (`objects`) parses the CityObjects
   pieces in file order. Member order in the file does not matter, and a repeated key takes its last value
   (as a whole parse does).
2. Every byte of the document is parsed by orjson as part of some value, or is a separator the scanner
   checked (braces, commas and colons between members, whitespace): the same numbers, strings, refusals and
   reasons as limits.parse_json_text, with positions (line, column, char) in the whole file. The scanner
   refuses nesting deeper than orjson's 1024 levels, so pieces nest no deeper than in a whole parse.
3. What a whole parse does differently: CityObjects with the same id are all kept, each in its place (a whole
   parse keeps the last value at the first id's place), as text sequences do; malformed JSON inside
   CityObjects is found when its piece is read, after the chunks before it were handed out; the file-size
   limit does not apply (memory is bounded by the vertex limit and per-chunk limits).
4. A file whose first non-blank byte is not "{" is not streamed: the caller parses it whole, for the
   whole-parse path's exact message.

Theory of operation: the scanner finds quotes (minus escaped ones), takes the parity of their running count
to know what is inside a string (a block without quotes, as in "vertices", skips this), and keeps the
brackets, commas and colons outside strings with their depth (a running sum of +1/-1): all in numpy over
blocks of BLOCK_BYTES, about 120 MB per CPU second. Only separators at depth 1 (between top-level members) go
through Python one by one; commas at depth 2 (between the elements of the big members) are counted and
sampled in numpy. 1M LoD1 buildings (617 MB): pass 1 about 5 s of CPU, the vertices 4 s, the CityObjects'
parse 5 s; the rest of a conversion is the same as for a text sequence.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from viewer.city.cityjson_geometry import check, vertex_array
from viewer.city.limits import _reason
from viewer.config import Limits
from viewer.errors import LoadError

BLOCK_BYTES = 8 << 20  # scanned at once (numpy temporaries: a few times this)
PIECE_BYTES = 4 << 20  # parsed at once (Python objects: about ten times this for CityObjects)
MAX_DEPTH = 1024  # orjson's nesting limit
BIG = ("CityObjects", "vertices")
OPEN, CLOSE, COMMA, COLON = 1, 2, 3, 4
_CLASS = np.zeros(256, np.int8)
_CLASS[[ord("{"), ord("[")]] = OPEN
_CLASS[[ord("}"), ord("]")]] = CLOSE
_CLASS[ord(",")] = COMMA
_CLASS[ord(":")] = COLON
_SPACE = b" \t\r\n"
QUOTE, BACKSLASH = ord('"'), ord("\\")


class NotAnObject(Exception):
    """The document does not start with "{": rule 4 (the caller parses it whole)."""


@dataclass
class Separators:
    """One block's structural bytes outside strings that the reader needs: pos (k,) int64 file offsets,
    kind (k,) int8 (OPEN, CLOSE, COMMA, COLON), depth (k,) int32 nesting before the byte (the document's
    own braces are depth 0 -> 1)."""

    pos: np.ndarray
    kind: np.ndarray
    depth: np.ndarray


class Scanner:
    """Feed blocks of the file in order; each gives its Separators at depth <= 2 (rule 2's skeleton)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.depth = 0
        self.in_string = 0
        self.backslashes = 0  # length of the run of backslashes that ended the previous block
        self.base = 0  # file offset of the next block

    def feed(self, buffer: bytearray, n: int) -> Separators:
        """Separators of buffer[:n], the next n bytes of the file."""
        a = np.frombuffer(buffer, np.uint8, n)
        kinds = _CLASS[a]
        outside = kinds.astype(bool)
        if buffer.find(b'"', 0, n) >= 0:  # else (runs of vertices) all is inside or all outside a string
            quote = a == QUOTE
            if self.backslashes or buffer.find(b"\\", 0, n) >= 0:
                self._drop_escaped(a, quote)
            parity = np.bitwise_xor.accumulate(quote.view(np.uint8))  # 1 from an opening quote to its closing one
            outside &= parity == self.in_string
            if n:
                self.in_string ^= int(parity[-1])
        else:
            if self.in_string:
                outside[:] = False
            self._carry_backslashes(a)
        pos = np.flatnonzero(outside)
        kind = kinds[pos]
        delta = (kind == OPEN).astype(np.int32) - (kind == CLOSE)
        after = np.cumsum(delta, dtype=np.int64) + self.depth
        before = after - delta
        self._check_depth(pos, after)
        keep = (before <= 1) | ((before == 2) & ((kind == COMMA) | (kind == CLOSE)))
        if after.size:
            self.depth = int(after[-1])
        out = Separators(pos[keep] + self.base, kind[keep], before[keep].astype(np.int32))
        self.base += n
        return out

    def _drop_escaped(self, a: np.ndarray, quote: np.ndarray) -> None:
        """Unset quotes preceded by an odd run of backslashes (a run may go on from the previous block)."""
        if not a.size:
            return
        index = np.arange(a.size, dtype=np.int32)
        last_other = np.maximum.accumulate(np.where(a != BACKSLASH, index, -1))  # last non-backslash so far
        q = np.flatnonzero(quote)
        before = q - 1
        other = np.where(before >= 0, last_other[np.maximum(before, 0)], -1)
        run = before - other + np.where(other < 0, self.backslashes, 0)  # backslashes just before each quote
        quote[q[run % 2 == 1]] = False
        last = int(last_other[-1])
        self.backslashes = a.size - 1 - last + (self.backslashes if last < 0 else 0)

    def _carry_backslashes(self, a: np.ndarray) -> None:
        """The run of backslashes that ends a block without quotes (it may escape the next block's first)."""
        if not a.size or a[-1] != BACKSLASH:
            self.backslashes = 0
            return
        others = np.flatnonzero(a != BACKSLASH)
        run = a.size - 1 - int(others[-1]) if others.size else a.size + self.backslashes
        self.backslashes = run

    def _check_depth(self, pos: np.ndarray, after: np.ndarray) -> None:
        if not after.size:
            return
        if int(after.max()) > MAX_DEPTH:
            at = int(pos[np.argmax(after > MAX_DEPTH)]) + self.base
            raise LoadError(self.path, f"JSON nested too deeply: {where(self.path, at)}")
        if int(after.min()) < 0:
            at = int(pos[np.argmax(after < 0)]) + self.base
            raise LoadError(self.path, f"malformed JSON: unexpected closing bracket: {where(self.path, at)}")


@dataclass
class Member:
    """A top-level member: bytes [start, end) hold `"key" : value`; colon is the offset of its ':'. For the
    big members (rule 1): the element count, the commas where pieces end, and the value's closing bracket."""

    start: int
    colon: int = -1
    end: int = -1
    key: str | None = None
    commas: int = 0
    cuts: list[int] = field(default_factory=list)
    last_bucket: int = -1
    closer: int = -1


class StreamedDocument:
    """Pass 1 of rule 1 over `path`: `header` holds every parsed top-level member but the big two."""

    def __init__(self, path: Path, file: io.BufferedReader, size: int) -> None:
        self.path, self.file, self.size = path, file, size
        self.members: dict[str, Member] = {}
        self.header: dict[str, Any] = {}
        self.fraction = 0.0  # of the CityObjects parsed so far (pass 2)

    @classmethod
    def open(cls, path: Path, file: io.BufferedReader) -> StreamedDocument:
        """Scan `file` (open for binary reading, kept open for pass 2); NotAnObject for rule 4; LoadError for
        malformed JSON."""
        doc = cls(path, file, os.fstat(file.fileno()).st_size)
        doc._scan()
        for key, member in doc.members.items():
            if key not in BIG:
                # In brackets, as in the file: orjson words a cut-off literal as it does in a whole parse.
                doc.header[key] = doc._parse(member.colon + 1, member.end, b"[", b"]")[0]
        return doc

    # ------------------------------------------------------------ pass 1

    def _scan(self) -> None:
        first = self._first_byte(0, self.size)
        if first is None or self._read(first, first + 1) != b"{":
            raise NotAnObject
        scanner = Scanner(self.path)
        state = _TopLevel(self, first)
        buffer = bytearray(BLOCK_BYTES)
        offset = 0
        while offset < self.size:
            n = self._read_into(memoryview(buffer), offset)
            if n <= 0:
                break
            state.block(scanner.feed(buffer, n))
            offset += n
        if state.closed < 0 or scanner.in_string:
            raise LoadError(self.path, f"malformed JSON: unexpected end of data: {where(self.path, self.size)}")
        if self._read(state.closed, state.closed + 1) != b"}":
            raise LoadError(self.path, f"malformed JSON: unexpected character: {where(self.path, state.closed)}")
        tail = self._first_byte(state.closed + 1, self.size)
        if tail is not None:
            raise LoadError(self.path, f"malformed JSON: trailing characters: {where(self.path, tail)}")

    def _first_byte(self, start: int, end: int) -> int | None:
        """Offset of the first non-blank byte in [start, end), or None."""
        while start < end:
            chunk = self._read(start, min(end, start + (1 << 16)))
            stripped = chunk.lstrip(_SPACE)
            if stripped:
                return start + len(chunk) - len(stripped)
            start += len(chunk)
        return None

    def _read(self, start: int, end: int) -> bytes:
        buffer = bytearray(max(0, end - start))
        return bytes(buffer[:self._read_into(memoryview(buffer), start)])

    def _read_into(self, view: memoryview, start: int) -> int:
        """Fill `view` from file offset `start` (less at the end of the file); the bytes read."""
        self.file.seek(start)
        done = 0
        while done < len(view):
            n = self.file.readinto(view[done:])
            if not n:
                break
            done += n
        return done

    def key_of(self, member: Member) -> str:
        """The key of `member` (between its start and its colon), parsed as orjson parses keys."""
        parsed = self._parse(member.start, member.colon, b"{", b":0}")
        return next(iter(parsed))

    def _parse(self, start: int, end: int, prefix: bytes = b"", suffix: bytes = b"") -> Any:
        """orjson over bytes [start, end) of the file between `prefix` and `suffix`; errors with file positions."""
        buffer = bytearray(len(prefix) + (end - start) + len(suffix))
        buffer[:len(prefix)] = prefix
        if end > start:
            self._read_into(memoryview(buffer)[len(prefix):len(buffer) - len(suffix)], start)
        buffer[len(buffer) - len(suffix):] = suffix
        try:
            return orjson.loads(buffer)
        except orjson.JSONDecodeError as exc:
            raise LoadError(self.path, _rebased(self.path, exc, buffer, start - len(prefix), end)) from None

    # ------------------------------------------------------------ the big members

    def element_count(self, key: str) -> int | None:
        """How many elements the big member `key` has; None when it is absent."""
        member = self.members.get(key)
        if member is None:
            return None
        opener = self._first_byte(member.colon + 1, member.end)
        if opener is not None and member.closer > opener and self._first_byte(opener + 1, member.closer) is None:
            return 0
        return member.commas + 1

    def opens_with(self, key: str, bracket: bytes) -> bool:
        """Whether the big member `key` is a JSON value starting with `bracket` ("{" or "[")."""
        member = self.members[key]
        opener = self._first_byte(member.colon + 1, member.end)
        return opener is not None and self._read(opener, opener + 1) == bracket

    def pieces(self, key: str) -> Iterator[tuple[int, int]]:
        """Byte ranges [start, end) of the big member `key`'s pieces: its elements, split at rule 1's commas.
        Checks what lies around them: the closing bracket, nothing after it, no empty piece."""
        member = self.members[key]
        opener = self._first_byte(member.colon + 1, member.end)
        assert opener is not None  # opens_with was checked
        pair = {b"{": b"}", b"[": b"]"}[self._read(opener, opener + 1)]
        if member.closer < opener or self._read(member.closer, member.closer + 1) != pair:
            raise LoadError(self.path, f"malformed JSON: unexpected character: {where(self.path, member.end)}")
        after = self._first_byte(member.closer + 1, member.end)
        if after is not None:
            raise LoadError(self.path, f"malformed JSON: trailing characters: {where(self.path, after)}")
        bounds = [opener, *member.cuts, member.closer]
        if len(bounds) == 2 and self._first_byte(opener + 1, member.closer) is None:
            return  # empty
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            if self._first_byte(a + 1, b) is None:
                raise LoadError(self.path, f"malformed JSON: unexpected character: {where(self.path, b)}")
            yield a + 1, b

    def vertices(self, limits: Limits, transform: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
        """(n, 3) float64 of "vertices", transformed and checked as cityjson_geometry.vertex_array does,
        with the count checked against limits.max_vertices before any is parsed."""
        name = str(self.path)
        count = self.element_count("vertices")
        if count is None or not self.opens_with("vertices", b"["):
            return vertex_array(name, None, limits)  # the whole-parse path's message
        check(name, "vertex count", count, limits.max_vertices)
        out = np.zeros((count, 3), np.float64)
        filled = 0
        for start, end in self.pieces("vertices"):
            block = vertex_array(name, self._parse(start, end, b"[", b"]"), limits, "vertices",
                                 filled, transform)
            if filled + block.shape[0] > count:
                raise LoadError(name, '"vertices" must be an array of [x, y, z] number triples')
            out[filled:filled + block.shape[0]] = block
            filled += block.shape[0]
        if filled != count:  # the commas counted in pass 1 are the elements parsed: a scanner bug otherwise
            raise LoadError(name, '"vertices" must be an array of [x, y, z] number triples')
        return out

    def objects(self) -> Iterator[tuple[str, Any]]:
        """Pass 2: (id, CityObject) in file order, one piece parsed at a time; self.fraction follows."""
        member = self.members["CityObjects"]
        span = max(1, member.closer - member.colon)
        for start, end in self.pieces("CityObjects"):
            parsed = self._parse(start, end, b"{", b"}")
            step = (end - start) / max(1, len(parsed)) / span  # objects of a piece are taken as equally long
            self.fraction = (start - member.colon) / span
            for item in parsed.items():
                self.fraction += step
                yield item
            del parsed
        self.fraction = 1.0


class _TopLevel:
    """Pass 1's walk over the separators: members of the document at depth 1, pieces of the big ones."""

    def __init__(self, doc: StreamedDocument, opener: int) -> None:
        self.doc, self.opener = doc, opener
        self.member = Member(opener + 1)
        self.closed = -1  # offset of the document's closing brace once met

    def block(self, seps: Separators) -> None:
        top = np.flatnonzero(seps.depth <= 1)
        touched = [self.member]
        for i in top.tolist():
            pos, kind, depth = int(seps.pos[i]), int(seps.kind[i]), int(seps.depth[i])
            if self.closed >= 0:
                raise LoadError(self.doc.path, f"malformed JSON: trailing characters: {where(self.doc.path, pos)}")
            if depth == 0:
                if kind == OPEN and pos == self.opener:
                    continue
                raise LoadError(self.doc.path, f"malformed JSON: unexpected character: {where(self.doc.path, pos)}")
            if kind == COLON and self.member.colon < 0:
                self.member.colon = pos
                self.member.key = self.doc.key_of(self.member)
            elif kind == COMMA or (kind == CLOSE and depth == 1):
                self._end_member(pos, last=kind == CLOSE)
                touched.append(self.member)
        for member in touched:
            if member.key in BIG:
                self._sample(member, seps)

    def _end_member(self, pos: int, last: bool) -> None:
        member = self.member
        member.end = pos
        if member.colon < 0:
            empty = last and not self.doc.members and self.doc._first_byte(member.start, pos) is None
            if not empty:  # `{"a"}`, `{,}`, `{"a":1,}`: orjson words it
                self.doc._parse(member.start, pos, b"{", b"}")
                raise LoadError(self.doc.path, f"malformed JSON: expected a member: {where(self.doc.path, pos)}")
        else:
            assert member.key is not None
            self.doc.members[member.key] = member  # a repeated key: the last one wins
        if last:
            self.closed = pos
        self.member = Member(pos + 1)

    @staticmethod
    def _sample(member: Member, seps: Separators) -> None:
        """Count the member's element commas in this block and keep the first of every PIECE_BYTES as a cut."""
        end = member.end if member.end >= 0 else np.iinfo(np.int64).max
        inside = (seps.pos > member.colon) & (seps.pos < end) & (seps.depth == 2)
        closers = seps.pos[inside & (seps.kind == CLOSE)]
        if closers.size:
            member.closer = int(closers[-1])
        commas = seps.pos[inside & (seps.kind == COMMA)]
        if not commas.size:
            return
        member.commas += int(commas.size)
        bucket = (commas - member.colon) // PIECE_BYTES
        firsts = np.flatnonzero(np.diff(bucket, prepend=member.last_bucket) > 0)
        member.cuts.extend(commas[firsts].tolist())
        member.last_bucket = int(bucket[-1])


def where(path: Path, offset: int) -> str:
    """`line L column C (char P)` of byte `offset` of the file, as orjson words positions (P counts characters)."""
    line, column, chars = 1, 0, 0
    with path.open("rb") as fh:
        remaining = offset
        while remaining > 0:
            data = fh.read(min(remaining, BLOCK_BYTES))
            if not data:
                break
            remaining -= len(data)
            a = np.frombuffer(data, np.uint8)
            starts = (a & 0xC0) != 0x80  # bytes that begin a character
            newlines = np.flatnonzero(a == 10)
            chars += int(starts.sum())
            if newlines.size:
                line += int(newlines.size)
                column = int(starts[newlines[-1] + 1:].sum())
            else:
                column += int(starts.sum())
    return f"line {line} column {column + 1} (char {chars})"


def _rebased(path: Path, exc: orjson.JSONDecodeError, buffer: bytearray, origin: int, end: int) -> str:
    """limits.parse_json_text's reason for an error in `buffer` (file bytes from `origin`, with a wrapper
    byte before them and after `end`), its position moved to the whole file."""
    reason = _reason(exc, bytes(buffer))
    local = f"line {exc.lineno} column {exc.colno} (char {exc.pos})"
    text = bytes(buffer).decode("utf-8", errors="surrogateescape")
    offset = min(max(origin + len(text[:exc.pos].encode("utf-8", errors="surrogateescape")), 0), end)
    return reason[: len(reason) - len(local)] + where(path, offset) if reason.endswith(local) else reason
