"""CityGML polygons: ring text kept as parsed, then turned into numpy Polygons a batch at a time.

Rules this module keeps:
1. A gml:Polygon / Triangle / PolygonPatch / Rectangle is read once, at its end event (RingStore.add_polygon):
   its rings' coordinate text is kept (one string per ring), the element is emptied and numbered (its
   "mark"), so the XML tree of a member holds one small element per polygon, never its coordinates.
2. The walk (citygml.py) only chooses which marks to draw, for which object, with which kind (RingStore.emit).
   RingStore.flush turns the chosen ones into numpy in a few vectorised steps: one C parse of all their
   coordinate text, token counts per ring from the whitespace runs, one gather. Nothing here loops over
   vertices in Python, and text of polygons not chosen (other LoDs) is never parsed.
3. Ring dimension: the posList's srsDimension, else (gml:pos lists) tokens per gml:pos, else the walk's
   inherited srsDimension, else 3. A ring whose token count is not a multiple of it is an error naming the
   polygon's line. 2D points get z = 0. Closed rings lose their repeated last point; a polygon under an
   OrientableSurface with orientation "-" has its rings reversed.
4. Counts (vertices, vertices per ring, polygons) are checked against Limits before the arrays they size.
5. Batches are triangulated as they are flushed (citygml.py) and assembled once at the end (assemble), each
   freed as it is copied: memory holds the model plus a batch, never the model twice.
6. Appearance targets (track_ids, only for documents that declare an appearance namespace): each polygon and
   ring keeps hash(gml:id) (0 without one), and a flush reports per drawn ring its ring and polygon hashes,
   vertex count and flip (RingInfo), so citygml_appearance can find the vertices of `#id` targets after the
   fact, whichever comes first in the file. 17 bytes per drawn ring; nothing for documents without them.
"""

from __future__ import annotations

import ctypes
import warnings
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from viewer.city.cityjson_geometry import Polygons, check, check_coordinates, offsets
from viewer.config import Limits
from viewer.errors import LoadError

FLUSH_CHARS = 2_000_000  # coordinate text (characters) kept before a flush: a flush's temporaries are ~6x this
_WHITESPACE = (9, 10, 13, 32)
_GML = ("http://www.opengis.net/gml", "http://www.opengis.net/gml/3.2")
_EXTERIOR = frozenset(f"{{{ns}}}{n}" for ns in _GML for n in ("exterior", "outerBoundaryIs"))
_INTERIOR = frozenset(f"{{{ns}}}{n}" for ns in _GML for n in ("interior", "innerBoundaryIs"))
_LINEAR_RING = frozenset(f"{{{ns}}}LinearRing" for ns in _GML)
_POSLIST = frozenset(f"{{{ns}}}posList" for ns in _GML)
_POS = frozenset(f"{{{ns}}}pos" for ns in _GML)
_COORDINATES = frozenset(f"{{{ns}}}coordinates" for ns in _GML)
_DIMS: dict[str | None, int] = {None: 0, "3": 3, "2": 2}
_GML_ID = tuple(f"{{{ns}}}id" for ns in _GML)


class RingInfo(NamedTuple):
    """Per drawn ring of a flush (rule 6): hash of its gml:id and of its polygon's, vertices kept, reversed."""

    ring_hash: np.ndarray  # (r,) int64
    poly_hash: np.ndarray  # (r,) int64
    lengths: np.ndarray  # (r,) int32
    flip: np.ndarray  # (r,) bool


def _dimension(text: str | None) -> int:
    """srsDimension attribute: its value, 0 when absent, -1 when not a small integer (refused at flush)."""
    if text is None:
        return 0
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 3 else -1


class RingStore:
    """Rings of the polygons parsed since the last flush (as text), and the polygons chosen to be drawn."""

    def __init__(self) -> None:
        self.track_ids = False  # rule 6
        self.ring_info: RingInfo | None = None  # of the last flush, when tracking
        self.poly_hash: list[int] | None = None  # rule 6: hash(gml:id) per polygon (mark), when tracking
        self.ring_hash: list[int] | None = None  # and per ring of the store
        self.reset()
        self.skipped_rings = 0  # curve rings (gml:Ring) and rings in other encodings: not drawn

    def set_tracking(self, on: bool) -> None:
        """Rule 6 on or off, from the next polygon on (called before a document's first polygon)."""
        self.track_ids = on
        self.poly_hash = [0] * len(self.poly_ring0) if on else None
        self.ring_hash = [0] * len(self.texts) if on else None

    def reset(self) -> None:
        self.texts: list[str] = []  # one string of coordinates per ring
        self.npos: list[int] = []  # gml:pos elements of the ring, 0 for a posList
        self.dims: list[int] = []  # srsDimension on the ring's posList/pos, 0 when absent
        self.poly_ring0: list[int] = []  # first ring of each polygon (mark)
        self.poly_nrings: list[int] = []
        self.poly_line: list[int] = []  # source line of each polygon, for errors
        self.chars = 0
        # Chosen polygons: one entry per (polygon, object, placement).
        self.e_mark: list[int] = []
        self.e_obj: list[int] = []
        self.e_kind: list[int] = []
        self.e_flip: list[bool] = []
        self.e_dim: list[int] = []
        self.e_crs: list[int] = []
        self.e_xf: list[int] = []
        self.transforms: list[tuple[np.ndarray, np.ndarray]] = []  # implicit geometry: (4x4 matrix, ref point)
        self.poly_hash = [] if self.track_ids else None
        self.ring_hash = [] if self.track_ids else None

    # ----- parsing (end events) -----

    def add_polygon(self, elem: Any) -> int:
        """Keep the rings of a polygon element (exterior first), empty the element; returns its mark."""
        mark = len(self.poly_ring0)
        first = len(self.texts)
        interiors = None
        has_exterior = False
        for boundary in elem:
            tag = boundary.tag
            if tag in _EXTERIOR:
                if not has_exterior:
                    has_exterior = self._ring(boundary)
            elif tag in _INTERIOR:
                interiors = [boundary] if interiors is None else [*interiors, boundary]
        if has_exterior and interiors:
            for boundary in interiors:
                self._ring(boundary)
        self.poly_ring0.append(first)
        self.poly_nrings.append(len(self.texts) - first)
        self.poly_line.append(elem.sourceline or 0)
        if self.poly_hash is not None:
            self.poly_hash.append(hash(elem.get(_GML_ID[0]) or elem.get(_GML_ID[1]) or 0))
        del elem[:]
        return mark

    def _ring(self, boundary: Any) -> bool:
        ring: Any = boundary[0] if len(boundary) else None
        coords: Any = ring[0] if ring is not None and ring.tag in _LINEAR_RING and len(ring) else None
        tag = coords.tag if coords is not None else None
        if tag in _POSLIST:
            text, npos = coords.text or "", 0
        elif tag in _POS:
            parts = [c.text or "" for c in ring if c.tag in _POS]
            text, npos = " ".join(parts), len(parts)
        elif tag in _COORDINATES and coords.get("cs", ",") == "," and coords.get("decimal", ".") == ".":
            raw = coords.text or ""
            text, npos = raw.replace(",", " "), len(raw.split())
        else:
            self.skipped_rings += 1
            return False
        self.texts.append(text)
        self.npos.append(npos)
        dim = coords.get("srsDimension")
        self.dims.append(_DIMS[dim] if dim in _DIMS else _dimension(dim))
        self.chars += len(text)
        if self.ring_hash is not None:
            self.ring_hash.append(hash(ring.get(_GML_ID[0]) or ring.get(_GML_ID[1]) or 0))
        return True

    # ----- choosing (the walk) -----

    def add_transform(self, matrix: np.ndarray, reference: np.ndarray) -> int:
        self.transforms.append((matrix, reference))
        return len(self.transforms) - 1

    def emit(self, mark: int, obj: int, kind: int, flip: bool, dim: int, crs: int, xf: int) -> None:
        self.e_mark.append(mark)
        self.e_obj.append(obj)
        self.e_kind.append(kind)
        self.e_flip.append(flip)
        self.e_dim.append(dim)
        self.e_crs.append(crs)
        self.e_xf.append(xf)

    # ----- numpy -----

    def flush(self, path: str, limits: Limits, already: int) -> tuple[Polygons, np.ndarray] | None:
        """The chosen polygons as Polygons plus the CRS index of each vertex ((v,) int16); None when none
        were chosen. `already` vertices were flushed before (for the vertex limit). Resets the store."""
        self.ring_info = None
        try:
            return self._flush(path, limits, already) if self.e_mark else None
        finally:
            self.reset()

    def _flush(self, path: str, limits: Limits, already: int) -> tuple[Polygons, np.ndarray]:
        mark = np.asarray(self.e_mark, np.int64)
        ring0 = np.asarray(self.poly_ring0, np.int64)
        nrings = np.asarray(self.poly_nrings, np.int64)
        # Rings of the distinct chosen polygons, in a compact order: only their text is parsed.
        used = np.unique(mark)
        used_rings = _ranges(ring0[used], nrings[used])
        slot = np.full(len(self.texts), -1, np.int64)
        slot[used_rings] = np.arange(used_rings.shape[0])
        texts = [self.texts[i] for i in used_rings.tolist()]
        tok0, count, values = _tokens(path, texts, self.poly_line, ring0, used_rings)
        # Every drawn ring (a polygon drawn twice has its rings twice).
        p_rings = nrings[mark]
        ring = slot[_ranges(ring0[mark], p_rings)]
        poly_of_ring = np.repeat(np.arange(mark.shape[0]), p_rings)
        src = used_rings[ring]  # store index of each drawn ring
        dim = self._ring_dims(path, src, count[ring], np.asarray(self.e_dim, np.int64)[poly_of_ring], mark,
                              poly_of_ring)
        points = count[ring] // dim
        base = tok0[ring]
        closed = _closed(values, base, dim, points)
        keep = points - closed
        total = int(keep.sum())
        check(path, "vertex count", already + total, limits.max_vertices)
        if keep.size:
            check(path, "vertices in one ring", int(keep.max()), limits.max_ring_vertices)
        # Per vertex: its ring, its position in the ring (reversed for flipped polygons), its first token.
        v_ring = np.repeat(np.arange(ring.shape[0]), keep)
        k = np.arange(total) - np.repeat(offsets(keep)[:-1], keep)
        flip = np.asarray(self.e_flip, bool)[poly_of_ring]
        k = np.where(flip[v_ring], keep[v_ring] - 1 - k, k)
        first = base[v_ring] + dim[v_ring] * k
        positions = np.zeros((total, 3), np.float64)
        positions[:, 0] = values[first]
        positions[:, 1] = values[first + 1]
        has_z = dim[v_ring] >= 3
        positions[has_z, 2] = values[first[has_z] + 2]
        v_poly = poly_of_ring[v_ring]
        self._place(path, positions, np.asarray(self.e_xf, np.int64)[v_poly])
        check_coordinates(path, positions, "coordinates")
        vertex_crs = np.asarray(self.e_crs, np.int16)[v_poly]
        if self.track_ids:
            self.ring_info = RingInfo(np.asarray(self.ring_hash, np.int64)[src],
                                      np.asarray(self.poly_hash, np.int64)[mark[poly_of_ring]],
                                      keep.astype(np.int32), flip)
        polys = Polygons(positions, keep, p_rings, np.asarray(self.e_obj, np.int32),
                         np.asarray(self.e_kind, np.int16))
        return polys, vertex_crs

    def _ring_dims(self, path: str, src: np.ndarray, count: np.ndarray, inherited: np.ndarray,
                   mark: np.ndarray, poly_of_ring: np.ndarray) -> np.ndarray:
        """(r,) int64 dimension of each drawn ring under rule 3; LoadError for a bad one."""
        hint = np.asarray(self.dims, np.int64)[src]
        npos = np.asarray(self.npos, np.int64)[src]
        from_pos = np.where(npos > 0, count // np.maximum(npos, 1), 0)
        dim = np.where(hint != 0, hint, np.where(from_pos > 0, from_pos, np.where(inherited > 0, inherited, 3)))
        bad = (dim < 2) | (dim > 3) | (count % np.maximum(dim, 1) != 0)
        if bad.any():
            i = int(np.argmax(bad))
            line = self.poly_line[int(mark[poly_of_ring[i]])]
            raise LoadError(path, f"line {line}: a ring has {int(count[i])} coordinates, not a whole number of "
                                  f"{int(dim[i])}-dimensional points (srsDimension 2 or 3)")
        return dim

    def _place(self, path: str, positions: np.ndarray, v_xf: np.ndarray) -> None:
        """Implicit geometry: template coordinates -> M[:3, :3] @ p + M[:3, 3] + reference point."""
        placed = np.flatnonzero(v_xf >= 0)
        if placed.size == 0:
            return
        mats = np.stack([m for m, _ in self.transforms])
        refs = np.stack([r for _, r in self.transforms])
        which = v_xf[placed]
        with np.errstate(all="ignore"):  # overflow becomes inf, refused by check_coordinates
            moved = np.einsum("vij,vj->vi", mats[which, :3, :3], positions[placed])
            moved += mats[which, :3, 3] + refs[which]
        positions[placed] = moved


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated aranges: starts[i] .. starts[i] + counts[i] - 1 for every i, as (sum(counts),) int64."""
    total = int(counts.sum())
    return np.repeat(starts - offsets(counts)[:-1], counts) + np.arange(total)


def _tokens(path: str, texts: list[str], poly_line: list[int], ring0: np.ndarray,
            rings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first token, token count) per text, and every token parsed as float64: one C parse for all."""
    joined = " ".join(texts)
    if not joined.isascii():
        raise LoadError(path, f"line {_line_of(texts, poly_line, ring0, rings, _first_non_ascii(texts))}: "
                              "coordinates contain characters that are not numbers")
    raw = np.frombuffer(joined.encode("ascii"), np.uint8)
    space = np.isin(raw, _WHITESPACE)
    starts = np.flatnonzero(~space & np.concatenate(([True], space[:-1])))
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    text_at = offsets(lengths + 1)[:-1]
    tok0 = np.searchsorted(starts, text_at)
    count = np.diff(np.append(tok0, starts.shape[0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # numpy's "could not be read to its end"
        try:
            values = np.fromstring(joined, sep=" ")
        except (ValueError, DeprecationWarning):
            values = np.zeros(0)
    if values.shape[0] != starts.shape[0]:
        bad = _first_bad(texts)
        raise LoadError(path, f"line {_line_of(texts, poly_line, ring0, rings, bad[0])}: coordinate "
                              f"{bad[1]!r} is not a number")
    return tok0, count, values


def _first_bad(texts: list[str]) -> tuple[int, str]:
    for i, text in enumerate(texts):
        for token in text.split():
            try:
                float(token)
            except ValueError:
                return i, token[:40]
    return 0, "?"


def _first_non_ascii(texts: list[str]) -> int:
    return next((i for i, t in enumerate(texts) if not t.isascii()), 0)


def _line_of(texts: list[str], poly_line: list[int], ring0: np.ndarray, rings: np.ndarray, i: int) -> int:
    """Source line of the polygon owning compact ring i."""
    store_ring = int(rings[i])
    poly = int(np.searchsorted(ring0, store_ring, side="right")) - 1
    return poly_line[max(poly, 0)]


def _closed(values: np.ndarray, base: np.ndarray, dim: np.ndarray, points: np.ndarray) -> np.ndarray:
    """(r,) int64: 1 where a ring's last point repeats its first (every coordinate equal), else 0."""
    out = np.zeros(points.shape[0], np.int64)
    ring = np.flatnonzero(points >= 2)
    b, d = base[ring], dim[ring]
    last = b + d * (points[ring] - 1)
    same = (values[b] == values[last]) & (values[b + 1] == values[last + 1])
    three = d >= 3
    same[three] &= values[b[three] + 2] == values[last[three] + 2]
    out[ring] = same
    return out


TRIM_BYTES = 16 << 20  # chunk bytes copied between returns of freed memory to the system (assemble)


def assemble(chunks: list[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
    """Triangulated batches (positions (v, 3) float64, triangles (t, 3) uint32 local, vertex_object (v,) int32,
    vertex_kind (v,) uint8) into one set of arrays. Each chunk is freed once copied (the list is emptied) and
    its memory handed back, so the peak is the model plus a few chunks, not twice the model."""
    vertices = sum(c[0].shape[0] for c in chunks)
    count = sum(c[1].shape[0] for c in chunks)
    positions = np.zeros((vertices, 3), np.float64)
    triangles = np.zeros((count, 3), np.uint32)
    vertex_object = np.zeros(vertices, np.int32)
    vertex_kind = np.zeros(vertices, np.uint8)
    v = t = copied = 0
    chunks.reverse()
    while chunks:
        pos, tris, objs, kinds = chunks.pop()
        n, m = pos.shape[0], tris.shape[0]
        positions[v:v + n] = pos
        np.add(tris, v, out=triangles[t:t + m])
        vertex_object[v:v + n] = objs
        vertex_kind[v:v + n] = kinds
        v, t = v + n, t + m
        copied += pos.nbytes
        del pos, tris, objs, kinds
        if copied > TRIM_BYTES:
            copied = 0
            release_freed_memory()
    release_freed_memory()
    return positions, triangles, vertex_object, vertex_kind


def release_freed_memory() -> None:
    """Give freed heap pages back to the system (glibc's malloc_trim; nothing elsewhere). Chunks of a few MB
    live on the heap, where free() keeps their pages: without this the assembled model and every chunk it
    was copied from would count at once (150 MB file: peak RSS 191 MB instead of 169 MB)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
