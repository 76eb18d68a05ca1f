"""Appearances: a model's material table, its images (loaded lazily, checked), and their packing into one atlas.

Pure: numpy and Pillow only; render/atlas.py turns an Atlas into a Panda3D texture.

Rules this module keeps:
1. A model with appearances carries an Appearance (materials + the texture budget) and two per-vertex arrays
   (city/model.py): vertex_material (v,) int16 into `materials`, NO_MATERIAL (-1) for none, and vertex_uv
   (v, 2) float32 texture coordinates in the OpenGL convention (v = 0 at the image's bottom), NaN where the
   vertex is not textured. Loaders convert to that convention (glTF's v runs downward).
2. A Material's image is only a reference (a file inside the model's folder, a member of the model's zip
   archive, or bytes embedded in the model):
   no image is decoded while loading a model, only when a render builds the atlas.
3. Every image is hostile input: a file outside the model's folder, missing, unreadable, not an image, or
   larger than MAX_IMAGE_PIXELS (checked from its header, before decoding) is skipped with one warning line
   naming it and the reason (the first MAX_IMAGE_WARNINGS, then one line counting the rest); surfaces using it keep their material's diffuse colour, else the style colour.
4. One atlas page, square, power-of-two, at most MAX_PAGE texels a side and within `max_texture_mb` (RGBA8
   with its mipmaps, 4/3 of the base level). Images are packed on shelves, tallest first, each with PAD
   texels of its own edge around it so filtering and mipmaps do not bleed neighbours in. When they do not fit,
   all images are scaled down by one common factor, with one warning; a shrink by at most 5% that halves
   the page side is taken silently (a 1024 x 1024 image and its border would need a 2048 page). A single page keeps one Geom per tile
   (render/geometry.py rule 1); pages would split tiles.
5. Texture coordinates are clamped to the image (wrapping textures are not repeated: a coordinate of 2.5
   shows the image's edge) and mapped into the image's rectangle with a half-texel inset.
6. The atlas's corner at texture coordinate (0, 0) is a white block: untextured vertices get uv (-1, -1), which the shaders
   treat as "no texture" and which the fixed-function path clamps onto white.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

NO_MATERIAL = -1
UNTEXTURED_UV = -1.0  # rule 6
MAX_IMAGE_PIXELS = 64 * 1024 * 1024  # 8192 x 8192: larger images are refused before decoding (rule 3)
MAX_IMAGE_FILE_BYTES = 256 << 20
MAX_PAGE = 8192
MIN_PAGE = 64
PAD = 2
TIGHTEN = 0.95  # images may shrink this much to fit a page of half the side (rule 4)
WHITE = 8  # side of the white block (rule 6)
DEFAULT_TEXTURE_MB = 256
MAX_IMAGE_WARNINGS = 10  # one line per missing image up to this many, then one line for the rest


@dataclass(frozen=True)
class ImageRef:
    """Where an image is: `path` (absolute, already checked to be inside the model's folder), `data`
    (embedded bytes), or `member` of the zip archive at `path` (a CityGML zip's textures). `name` is how the
    model names it (for warnings); `refused` says why a reference was not followed (outside the folder, a URL),
    in which case the image counts as missing."""

    name: str
    path: str | None = None
    data: bytes | None = field(default=None, repr=False)
    refused: str | None = None
    member: str | None = None

    def key(self) -> str:
        """Identity for sharing one atlas rectangle between materials and for cache keys."""
        if self.data is not None:
            return "bytes:" + hashlib.blake2b(self.data, digest_size=12).hexdigest()
        if self.member is not None:
            return f"zip:{self.path}!{self.member}"
        return f"path:{self.path}" if self.path else f"name:{self.name}"

    def present(self) -> bool:
        """Whether the image's bytes can be found (not whether they decode)."""
        if self.refused:
            return False
        if self.data is not None:
            return True
        if self.member is not None:
            return _zip_member_size(self) is not None
        return bool(self.path and Path(self.path).is_file())


@dataclass(frozen=True)
class Material:
    """diffuse: RGB 0..1 shown on untextured surfaces (None: the style colour); image: the texture, if any;
    tint: RGB multiplied with the texture (glTF's baseColorFactor; white elsewhere)."""

    name: str = ""
    diffuse: tuple[float, float, float] | None = None
    image: ImageRef | None = None
    tint: tuple[float, float, float] = (1.0, 1.0, 1.0)


@dataclass
class Appearance:
    """The material table of a model (vertex_material indexes it) and the texture budget in MB."""

    materials: list[Material]
    max_texture_mb: int = DEFAULT_TEXTURE_MB

    def images(self) -> list[ImageRef]:
        """Distinct image references, in first-use order."""
        seen: dict[str, ImageRef] = {}
        for m in self.materials:
            if m.image is not None:
                seen.setdefault(m.image.key(), m.image)
        return list(seen.values())


def merge(parts: list[tuple[Appearance | None, int]]) -> tuple[Appearance | None, list[int]]:
    """Join the appearances of concatenated models: (joined, material index base of each part). The budget
    is the smallest of the parts'."""
    present = [a for a, _ in parts if a is not None]
    if not present:
        return None, [0] * len(parts)
    materials: list[Material] = []
    bases = []
    for appearance, _ in parts:
        bases.append(len(materials))
        if appearance is not None:
            materials.extend(appearance.materials)
    return Appearance(materials, min(a.max_texture_mb for a in present)), bases


# ---------------------------------------------------------------- images (rule 3)

def read_image(ref: ImageRef) -> np.ndarray | str:
    """(h, w, 4) uint8 RGBA, rows from the top, or the reason it cannot be used."""
    from PIL import Image, UnidentifiedImageError  # only renders of textured models decode images

    if ref.refused:
        return ref.refused
    try:
        if ref.data is not None:
            raw = ref.data
        elif ref.member is not None:
            found = _zip_member_bytes(ref)
            if isinstance(found, str):
                return found
            raw = found
        elif ref.path is None:
            return "no file"
        else:
            path = Path(ref.path)
            if not path.is_file():
                return "not found"
            if path.stat().st_size > MAX_IMAGE_FILE_BYTES:
                return f"larger than {MAX_IMAGE_FILE_BYTES >> 20} MB"
            raw = path.read_bytes()
        with Image.open(io.BytesIO(raw)) as image:
            w, h = image.size
            if w < 1 or h < 1 or w * h > MAX_IMAGE_PIXELS:
                return f"{w} x {h} pixels is more than {MAX_IMAGE_PIXELS:,}"
            return np.asarray(image.convert("RGBA"), np.uint8).copy()
    except UnidentifiedImageError:
        return "not an image Pillow can read"
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        return f"unreadable ({exc})"


def _zip_member_size(ref: ImageRef) -> int | None:
    """Uncompressed size of a zip member image as its header says, None when absent or unreadable."""
    import zipfile

    try:
        with zipfile.ZipFile(str(ref.path)) as archive:
            return archive.getinfo(str(ref.member)).file_size
    except (OSError, KeyError, zipfile.BadZipFile):
        return None


def _zip_member_bytes(ref: ImageRef) -> bytes | str:
    """A zip member image's bytes (read at most MAX_IMAGE_FILE_BYTES + 1 whatever its header claims), or
    the reason it cannot be used."""
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(str(ref.path)) as archive:
            try:
                info = archive.getinfo(str(ref.member))
            except KeyError:
                return "not in the archive"
            if info.file_size > MAX_IMAGE_FILE_BYTES:
                return f"larger than {MAX_IMAGE_FILE_BYTES >> 20} MB"
            with archive.open(info) as member:
                raw = member.read(MAX_IMAGE_FILE_BYTES + 1)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        return f"unreadable ({exc})"
    if len(raw) > MAX_IMAGE_FILE_BYTES:
        return f"larger than {MAX_IMAGE_FILE_BYTES >> 20} MB"
    return raw


def resize(pixels: np.ndarray, w: int, h: int) -> np.ndarray:
    from PIL import Image

    if pixels.shape[1] == w and pixels.shape[0] == h:
        return pixels
    return np.asarray(Image.fromarray(pixels, "RGBA").resize((w, h), Image.Resampling.BOX), np.uint8)


# ---------------------------------------------------------------- atlas (rules 4-6)

@dataclass
class Atlas:
    """One page: pixels (side, side, 4) uint8 RGBA, row 0 at the bottom (texture coordinate v = 0, as OpenGL and
    Panda3D's RAM images have it); images are stored upside down in it. rects[i] = (x, y, w, h) texels of
    material i's image (absent: untextured or image missing). Counts for `inspect`."""

    pixels: np.ndarray
    rects: dict[int, tuple[int, int, int, int]]
    referenced: int
    found: list[str]
    missing: list[str]
    scale: float = 1.0
    warnings: list[str] = field(default_factory=list)

    @property
    def side(self) -> int:
        return int(self.pixels.shape[0])

    def signature(self) -> str:
        """Digest of the layout (what baked texture coordinates depend on): for render caches."""
        text = repr((self.side, sorted(self.rects.items()), self.missing))
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def page_limit(max_texture_mb: int) -> int:
    """Largest power-of-two side whose RGBA8 page with mipmaps fits max_texture_mb (at most MAX_PAGE)."""
    side = MIN_PAGE
    while side * 2 <= MAX_PAGE and (side * 2) ** 2 * 4 * 4 / 3 <= max_texture_mb * 1e6:
        side *= 2
    return side


def build_atlas(appearance: Appearance, warn: bool = True) -> Atlas:
    """Read every image of the table once and pack them into one page (rules 3-6); warnings are logged."""
    refs = appearance.images()
    images: dict[str, np.ndarray] = {}
    missing: list[str] = []
    for ref in refs:
        result = read_image(ref)
        if isinstance(result, str):
            missing.append(ref.name)
            if warn and len(missing) <= MAX_IMAGE_WARNINGS:
                log.warning("texture %s: %s; its surfaces keep their colour", ref.name, result)
        else:
            images[ref.key()] = result
    if warn and len(missing) > MAX_IMAGE_WARNINGS:
        log.warning("... and %d more texture images missing or unusable (`citiverse inspect` lists them)",
                    len(missing) - MAX_IMAGE_WARNINGS)
    limit = page_limit(appearance.max_texture_mb)
    keys = list(images)
    sizes = [(images[k].shape[1], images[k].shape[0]) for k in keys]
    scale, side, places = _fit(sizes, limit)
    warnings = []
    if scale < TIGHTEN:
        warnings.append(f"textures scaled to {scale:.0%} to fit one {limit} x {limit} atlas "
                        f"(limits.max_texture_mb = {appearance.max_texture_mb})")
        if warn:
            log.warning("%s", warnings[-1])
    pixels = np.zeros((side, side, 4), np.uint8)
    pixels[:WHITE, :WHITE] = 255  # rule 6
    by_key: dict[str, tuple[int, int, int, int]] = {}
    for key, (x, y, w, h) in zip(keys, places, strict=True):
        image = resize(images[key], w, h)
        pixels[y - PAD:y + h + PAD, x - PAD:x + w + PAD] = np.pad(image, ((PAD, PAD), (PAD, PAD), (0, 0)),
                                                                  mode="edge")
        by_key[key] = (x, y, w, h)
    rects = {i: by_key[m.image.key()] for i, m in enumerate(appearance.materials)
             if m.image is not None and m.image.key() in by_key}
    return Atlas(pixels, rects, len(refs), [r.name for r in refs if r.key() in by_key], missing, scale, warnings)


def _fit(sizes: list[tuple[int, int]], limit: int) -> tuple[float, int, list[tuple[int, int, int, int]]]:
    """(scale, page side, (x, y, w, h) per image): the smallest page that holds every image at full size,
    else the largest scale at which they fit a `limit` page."""
    area = sum((w + 2 * PAD) * (h + 2 * PAD) for w, h in sizes) + (WHITE + 2 * PAD) ** 2
    side = MIN_PAGE
    while side < limit and side * side < area:
        side *= 2
    scale = 1.0
    for _ in range(64):
        scaled = [(max(1, math.floor(w * scale)), max(1, math.floor(h * scale))) for w, h in sizes]
        places = _shelves(scaled, side)
        if places is not None:
            return _tighter(sizes, scale, side, places)
        if side < limit:
            side *= 2
            continue
        scale *= 0.9 if scale < 1.0 else min(0.95, math.sqrt(limit * limit / max(area, 1)))
    raise ValueError("textures do not fit the atlas")  # unreachable: 1x1 images always fit


def _tighter(sizes: list[tuple[int, int]], scale: float, side: int, places: list[tuple[int, int, int, int]]
             ) -> tuple[float, int, list[tuple[int, int, int, int]]]:
    """A page of half the side when shrinking the images by at most TIGHTEN makes them fit: a 1024 x 1024
    image with its border would otherwise take a 2048 page, four times the memory."""
    if side <= MIN_PAGE:
        return scale, side, places
    for shrink in (0.99, 0.98, 0.97, 0.96, TIGHTEN):
        smaller = scale * shrink
        scaled = [(max(1, math.floor(w * smaller)), max(1, math.floor(h * smaller))) for w, h in sizes]
        fitted = _shelves(scaled, side // 2)
        if fitted is not None:
            return smaller, side // 2, fitted
    return scale, side, places


def _shelves(sizes: list[tuple[int, int]], side: int) -> list[tuple[int, int, int, int]] | None:
    """Shelf packing, tallest first, after the white block at (0, 0); None when they do not fit."""
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i][1], -sizes[i][0]))
    places: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)] * len(sizes)
    x = shelf = WHITE + 2 * PAD
    y = 0
    for i in order:
        w, h = sizes[i][0] + 2 * PAD, sizes[i][1] + 2 * PAD
        if w > side:
            return None
        if x + w > side:
            x, y, shelf = 0, y + shelf, 0
        if y + h > side:
            return None
        places[i] = (x + PAD, y + PAD, sizes[i][0], sizes[i][1])
        x += w
        shelf = max(shelf, h)
    return places


def atlas_uv(atlas: Atlas, vertex_material: np.ndarray, vertex_uv: np.ndarray) -> np.ndarray:
    """(v, 2) float32 atlas coordinates (OpenGL convention over the page) per vertex: clamped into the image's
    rectangle with a half-texel inset (rule 5); UNTEXTURED_UV where the vertex has no image in the atlas."""
    n = vertex_material.shape[0]
    out = np.full((n, 2), UNTEXTURED_UV, np.float32)
    if not atlas.rects:
        return out
    count = int(max(atlas.rects) + 1)
    table = np.zeros((count, 4), np.float64)
    has = np.zeros(count, bool)
    for i, rect in atlas.rects.items():
        table[i], has[i] = rect, True
    m = vertex_material.astype(np.int64)
    valid = (m >= 0) & (m < count)
    valid[valid] = has[m[valid]]
    valid &= np.isfinite(vertex_uv).all(axis=1)
    x, y, w, h = (table[m[valid], k] for k in range(4))
    u = np.clip(vertex_uv[valid, 0].astype(np.float64), 0.0, 1.0)
    v = np.clip(vertex_uv[valid, 1].astype(np.float64), 0.0, 1.0)
    side = float(atlas.side)
    out[valid, 0] = (x + 0.5 + u * (w - 1)) / side
    out[valid, 1] = (y + 0.5 + (1.0 - v) * (h - 1)) / side  # image row 0 (its top) at page row y
    return out


def textures_summary(appearance: Appearance | None, atlas: Atlas | None = None) -> dict[str, object] | None:
    """The `textures` key of inspect: materials, images referenced / found / missing (names), atlas side."""
    if appearance is None:
        return None
    refs = appearance.images()
    if atlas is None:
        missing = [r.name for r in refs if not r.present()]
        side = None
    else:
        missing, side = atlas.missing, atlas.side if atlas.rects else None
    return {"materials": len(appearance.materials), "images": len(refs), "found": len(refs) - len(missing),
            "missing": missing, "atlas": side}
