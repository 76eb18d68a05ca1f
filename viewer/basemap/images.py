"""Decoding tile images, treating every byte as hostile.

Rules this module keeps:
1. A tile is at most MAX_TILE_BYTES of PNG, JPEG or WebP (checked by its magic bytes before Pillow sees it:
   no other format's decoder runs on fetched bytes), declares exactly tile_size x tile_size pixels (checked
   from the header, before any pixel is decoded: a decompression bomb is refused unread), and decodes to
   (s, s, 4) uint8 RGBA.
2. Every refusal is a TileError naming the tile and the reason; nothing else leaves decode_tile.
"""

from __future__ import annotations

import io

import numpy as np

from viewer.errors import CitiverseError

MAX_TILE_BYTES = 4 << 20
MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"RIFF": "WEBP"}


class TileError(CitiverseError, ValueError):
    """A tile could not be had or used: names the tile (or URL) and the reason."""

    def __init__(self, where: str, reason: str) -> None:
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}")


def image_format(data: bytes) -> str | None:
    for magic, name in MAGIC.items():
        if data.startswith(magic) and (name != "WEBP" or data[8:12] == b"WEBP"):
            return name
    return None


def decode_tile(data: bytes, tile_size: int, where: str) -> np.ndarray:
    """(s, s, 4) uint8 RGBA of a tile's bytes (rules 1-2)."""
    from PIL import Image  # Pillow decodes the three formats rule 1 allows

    if len(data) > MAX_TILE_BYTES:
        raise TileError(where, f"{len(data):,} bytes is more than the limit of {MAX_TILE_BYTES:,}")
    kind = image_format(data)
    if kind is None:
        head = data[:16].decode("latin-1", "replace").strip()
        raise TileError(where, f"not a PNG, JPEG or WebP image (starts with {head!r})")
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            if image.size != (tile_size, tile_size):
                raise TileError(where, f"is {image.size[0]}x{image.size[1]} pixels, expected "
                                       f"{tile_size}x{tile_size}")
            rgba = np.asarray(image.convert("RGBA"), np.uint8)
    except TileError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise TileError(where, f"broken {kind} image: {exc}") from None
    return np.ascontiguousarray(rgba)
