"""Where CityGML bytes come from: a file, a .gml.gz, the .gml members of a zip, each read through guards.

Rules this module keeps:
1. Decompressed input is bounded: at most the file-size limit and MAX_RATIO times its compressed size
   (Bounded raises LimitExceeded as soon as it is crossed, so a bomb is never expanded whole); a zip holds
   at most MAX_ZIP_MEMBERS entries, and its .gml members' declared sizes are checked before any is read.
2. A DOCTYPE in a document's first 64 KiB is refused before libxml2 reads its declarations (NoDoctype):
   CityGML needs no DTD, and internal entities are the billion-laughs and external ones the XXE attack.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from viewer.city.limits import check_count
from viewer.config import Limits
from viewer.errors import LoadError

MAX_ZIP_MEMBERS = 10_000
MAX_RATIO = 200  # uncompressed / compressed bytes beyond which a gz or zip member is taken for a bomb
_MIN_COMPRESSED = 1 << 16  # small files may compress well: the ratio applies from 64 KiB up


class Bounded:
    """A read-only stream that stops with LimitExceeded past a total size or a compression ratio (rule 1)."""

    def __init__(self, raw: Any, compressed: int, limits: Limits, label: str) -> None:
        self.raw, self.label, self.read_total = raw, label, 0
        self.maximum = min(limits.max_file_bytes, MAX_RATIO * max(compressed, _MIN_COMPRESSED))

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.raw.read(size if size is not None and size >= 0 else 1 << 20)
        self.read_total += len(data)
        check_count(self.label, "uncompressed bytes (at most the file-size limit and "
                                f"{MAX_RATIO}x the compressed size)", self.read_total, self.maximum)
        return data

    def close(self) -> None:
        self.raw.close()


class NoDoctype:
    """Passes a stream through, refusing a DOCTYPE in its first bytes (rule 2) with fail(reason)."""

    HEAD = 1 << 16

    def __init__(self, raw: Any, fail: Callable[[str], LoadError]) -> None:
        self.raw, self.fail, self.seen = raw, fail, b""

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.raw.read(size)
        if len(self.seen) < self.HEAD:
            self.seen += data[: self.HEAD]
            if b"<!DOCTYPE" in self.seen:
                raise self.fail("XML with a DOCTYPE (DTD) is refused: CityGML needs none, and its entities are "
                                "unsafe")
        return data

    def close(self) -> None:
        self.raw.close()


def zip_members(archive: zipfile.ZipFile, path: Path, limits: Limits) -> list[zipfile.ZipInfo]:
    """The .gml members of an archive, after the checks of rule 1; LoadError when there is none."""
    infos = archive.infolist()
    check_count(path, "zip members", len(infos), MAX_ZIP_MEMBERS)
    members = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(".gml")]
    if not members:
        raise LoadError(path, "zip archive holds no .gml file")
    check_count(path, "uncompressed size of the zip's .gml files (bytes)", sum(i.file_size for i in members),
                limits.max_file_bytes)
    for info in members:
        if info.file_size > MAX_RATIO * max(info.compress_size, _MIN_COMPRESSED):
            ratio = info.file_size / max(info.compress_size, 1)
            raise LoadError(path, f"{info.filename}: compressed {ratio:.0f} times, beyond {MAX_RATIO} (a zip bomb?)")
    return members


@contextmanager
def closing(stream: Any) -> Iterator[Any]:
    try:
        yield stream
    finally:
        stream.close()
