"""The binary tile formats of 3D Tiles 1.0 (b3dm, i3dm, pnts, cmpt): headers checked and split into parts.

Rules this module keeps:
1. Magic, version (1) and byteLength are checked first; byteLength must equal the bytes given (a cmpt's inner
   tiles: fit inside their container), and every section length must fit inside byteLength.
2. b3dm's two legacy headers (20 and 24 bytes, written by pre-1.0 tools) are recognised as CesiumJS does:
   a "length" that reads as the start of JSON text ('{"' as a little-endian uint32 and above) means legacy.
3. Nothing here allocates more than the input: parts are slices of it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from viewer.errors import LoadError

_LEGACY = 570425344  # '{"' read as the high bytes of a little-endian uint32: a JSON header where a length was
MAGICS = {b"b3dm": "b3dm", b"i3dm": "i3dm", b"pnts": "pnts", b"cmpt": "cmpt", b"glTF": "glb"}


@dataclass(frozen=True)
class Parts:
    """A tile's sections: feature table JSON and binary, batch table JSON and binary, and the payload
    (glTF for b3dm/i3dm, empty for pnts). batch_length is set by legacy b3dm headers; gltf_format by i3dm."""

    feature_json: bytes
    feature_binary: bytes
    batch_json: bytes
    batch_binary: bytes
    payload: bytes
    batch_length: int | None = None
    gltf_format: int = 1


def kind_of(data: bytes) -> str:
    """"b3dm", "i3dm", "pnts", "cmpt", "glb" or "gltf" (JSON) from a content's first bytes."""
    kind = MAGICS.get(data[:4])
    if kind is not None:
        return kind
    if data.lstrip()[:1] == b"{":
        return "gltf"
    raise LoadError("content", "unknown tile content (not b3dm, i3dm, pnts, cmpt, glb or glTF JSON)")


def check_header(where: str, data: bytes, magic: bytes, size: int) -> int:
    """Magic, version and byteLength (rule 1); returns byteLength."""
    if len(data) < size:
        raise LoadError(where, f"truncated {magic.decode()} header ({len(data)} bytes, need {size})")
    found, version, length = struct.unpack_from("<4sII", data)
    if found != magic:
        raise LoadError(where, f"not a {magic.decode()} tile (magic {found!r})")
    if version != 1:
        raise LoadError(where, f"{magic.decode()} version {version} is not supported (only 1)")
    if length != len(data):
        raise LoadError(where, f"{magic.decode()} header says {length:,} bytes but the tile has {len(data):,}")
    return length


def _sections(where: str, data: bytes, start: int, lengths: tuple[int, ...], name: str) -> list[bytes]:
    """Consecutive slices of the given lengths from `start`, then the rest; each must fit (rule 1)."""
    out, at = [], start
    for length in lengths:
        if at + length > len(data):
            raise LoadError(where, f"{name} sections ({sum(lengths):,} bytes) run past the end of the tile "
                                   f"({len(data):,} bytes)")
        out.append(data[at:at + length])
        at += length
    out.append(data[at:])
    return out


def b3dm(where: str, data: bytes) -> Parts:
    check_header(where, data, b"b3dm", 28)
    fj, fb, bj, bb = struct.unpack_from("<IIII", data, 12)
    if bj >= _LEGACY:  # legacy 1: [batchLength, batchTableByteLength] after byteLength (20-byte header)
        parts = _sections(where, data, 20, (fb,), "b3dm")
        return Parts(b"", b"", parts[0], b"", parts[1], batch_length=fj)
    if bb >= _LEGACY:  # legacy 2: [batchTableJsonByteLength, batchTableBinaryByteLength, batchLength] (24)
        parts = _sections(where, data, 24, (fj, fb), "b3dm")
        return Parts(b"", b"", parts[0], parts[1], parts[2], batch_length=bj)
    return _parts(_sections(where, data, 28, (fj, fb, bj, bb), "b3dm"))


def i3dm(where: str, data: bytes) -> Parts:
    check_header(where, data, b"i3dm", 32)
    fj, fb, bj, bb, gltf_format = struct.unpack_from("<IIIII", data, 12)
    if gltf_format not in (0, 1):
        raise LoadError(where, f"i3dm gltfFormat {gltf_format} is neither 0 (uri) nor 1 (embedded)")
    return _parts(_sections(where, data, 32, (fj, fb, bj, bb), "i3dm"), gltf_format)


def pnts(where: str, data: bytes) -> Parts:
    check_header(where, data, b"pnts", 28)
    return _parts(_sections(where, data, 28, struct.unpack_from("<IIII", data, 12), "pnts"))


def _parts(sections: list[bytes], gltf_format: int = 1) -> Parts:
    feature_json, feature_binary, batch_json, batch_binary, payload = sections
    return Parts(feature_json, feature_binary, batch_json, batch_binary, payload, gltf_format=gltf_format)


def cmpt(where: str, data: bytes) -> list[bytes]:
    """The inner tiles of a composite, each checked to fit (rule 1)."""
    check_header(where, data, b"cmpt", 16)
    (count,) = struct.unpack_from("<I", data, 12)
    tiles, at = [], 16
    for i in range(count):
        if at + 12 > len(data):
            raise LoadError(where, f"cmpt declares {count:,} inner tiles but ends after {i}")
        (length,) = struct.unpack_from("<I", data, at + 8)
        if length < 12 or at + length > len(data):
            raise LoadError(where, f"cmpt inner tile {i} says {length:,} bytes: past the end of the composite")
        tiles.append(data[at:at + length])
        at += length
    return tiles
