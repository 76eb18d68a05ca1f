"""CityJSON 1.0 / 1.1 / 2.0 (format "cityjson") and CityJSON Text Sequences ("cityjsonseq") -> SourceModel.

Rules this module keeps:
1. Every CityObject gets one row of the object table, in file order, whether or not it has geometry of its
   own: id, type, parent index (from "parents", else from another object's "children"; -1 for none, for an
   unknown id, and for every object caught in a parent cycle), and its "attributes" dict as-is.
2. LoD choice per object: with options.lod == "highest" (the default) all of the object's geometries at its
   highest LoD; otherwise all of its geometries whose LoD equals options.lod ("2" matches 2, "2.0" and
   "2"; "1.2" matches "1.2" and 1.2), and when it has none, its highest-LoD geometries. A GeometryInstance
   has its template's LoD. LoDs that are not numbers rank below every number. A wanted LoD that no
   geometry of the whole file has is a LoadError listing the LoDs it has.
3. Geometry types: MultiSurface, CompositeSurface, Solid, MultiSolid, CompositeSolid and GeometryInstance
   are drawn; MultiPoint and MultiLineString are skipped quietly (counted in meta["skipped_geometries"]);
   any other type is skipped with a warning in meta["warnings"]. Everything else that is malformed
   (structure, types, indices, semantics, templates, counts) raises LoadError naming the file and, where
   known, the object; LimitExceeded for counts beyond Limits, checked before the arrays they size.
4. Coordinates: vertices times transform.scale plus transform.translate when "transform" is present (1.0
   files may lack it); float64 in the file's CRS, metadata.referenceSystem (URN or URL) normalised with
   normalize_crs, overridden by options.crs.
5. Text sequences are read line by line (the whole file is never in memory): line 1 is the CityJSON header
   (transform, metadata, geometry-templates, appearance), every other non-blank line a CityJSONFeature whose
   "vertices" (and own "appearance", cityjson_appearance rule 5) its own indices refer to. Errors name the
   line.
6. iter_chunks streams a plain document too (cityjson_stream.py): memory holds its vertex array and one
   chunk, not the parsed document. A document that does not start with "{" is parsed whole, for the whole
   parse's message; load() always parses whole (it holds the whole model anyway).

Theory of operation: the JSON is parsed with the garbage collector off (see _bulk_load); objects are
walked once, feeding ring index lists to a PolygonSoup (cityjson_geometry); geometry templates are
placed per template in one einsum; then one gather, a chunked triangulation and a few np.repeat calls
build the model.
"""

from __future__ import annotations

import gc
import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city.cityjson_appearance import CityJSONAppearance
from viewer.city.cityjson_geometry import (
    NO_AREA,
    NO_KIND,
    SURFACE_DEPTH,
    TYPE_FALLBACK,
    Polygons,
    PolygonSoup,
    check,
    check_coordinates,
    describe,
    offsets,
    short,
    triangulate_all,
    vertex_array,
)
from viewer.city.cityjson_stream import NotAnObject, StreamedDocument
from viewer.city.limits import check_count, check_file, finite_number, parse_json_text, read_json
from viewer.city.model import SourceModel, SourceModelBuilder, SurfaceKind
from viewer.city.tuning import set_huge_page_advice
from viewer.config import Limits, SourceConfig
from viewer.errors import LimitExceeded, LoadError
from viewer.geo.frame import normalize_crs

KNOWN_VERSIONS = ("1.0", "1.1", "2.0")
OTHER = int(SurfaceKind.OTHER)
MAX_WARNINGS = 100
STREAM_FROM_BYTES = 0  # iter_chunks parses plain documents smaller than this whole (docs/tiles-writing.md)
_MALFORMED = (TypeError, ValueError, KeyError, AttributeError, IndexError)


def load(path: Path, options: SourceConfig, limits: Limits) -> SourceModel:
    """Load a CityJSON file (or, for format "cityjsonseq" or a *.jsonl name, a text sequence)."""
    path = Path(path)
    if options.format == "cityjsonseq" or (options.format is None and path.name.lower().endswith(".jsonl")):
        return load_seq(path, options, limits)
    with _bulk_load():
        doc = read_json(path, limits)
        reader = _Reader(path, options, limits, doc)
        reader.add_block(doc.get("vertices"), doc.get("CityObjects"))
        del doc  # freed while the collector is still off (see _bulk_load)
        return reader.finish("cityjson")


def load_seq(path: Path, options: SourceConfig, limits: Limits) -> SourceModel:
    """Load a CityJSON Text Sequence (.city.jsonl), streaming one feature per line."""
    path = Path(path)
    check_file(path, limits)
    try:
        with _bulk_load(), path.open("rb") as fh:
            lines = (item for item in enumerate(fh, 1) if item[1].strip())
            first = next(lines, None)
            if first is None:
                raise LoadError(path, "empty file (expected a CityJSON header line)")
            header = _line_json(path, *first)
            reader = _Reader(path, options, limits, header)
            if header.get("CityObjects"):
                reader.add_block(header.get("vertices", []), header["CityObjects"])
            for lineno, line in lines:
                _feature(reader, path, lineno, _line_json(path, lineno, line))
            return reader.finish("cityjsonseq")
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None


def iter_chunks(path: Path, options: SourceConfig, limits: Limits,
                objects_per_chunk: int = 20_000) -> Iterator[SourceModel]:
    """The model of `path` as SourceModels of about `objects_per_chunk` CityObjects each, in file order, for
    converters that must not hold a whole city (tiles/write_stream.py). meta["read_fraction"] says how much of
    the input is read. Limits apply to each chunk. A chunk ends only before an object without "parents", so
    a Building and the BuildingParts that follow it stay together; a parent in another chunk is lost (-1).

    A text sequence is streamed line by line: memory holds one chunk, whatever the file size. A plain CityJSON
    document is streamed in two passes (rule 6): memory holds its vertex array and one chunk. The file size
    limit applies to neither."""
    path = Path(path)
    if options.format == "cityjsonseq" or (options.format is None and path.name.lower().endswith(".jsonl")):
        yield from _seq_chunks(path, options, limits, objects_per_chunk)
    else:
        yield from _document_chunks(path, options, limits, objects_per_chunk)


def _seq_chunks(path: Path, options: SourceConfig, limits: Limits, per_chunk: int) -> Iterator[SourceModel]:
    try:
        with path.open("rb") as fh:
            size = max(1, os.fstat(fh.fileno()).st_size)
            lines = (item for item in enumerate(fh, 1) if item[1].strip())
            first = next(lines, None)
            if first is None:
                raise LoadError(path, "empty file (expected a CityJSON header line)")
            header = _line_json(path, *first)
            block = header.get("CityObjects") if isinstance(header, dict) else None
            more = True
            while more:
                with _bulk_load():
                    reader = _Reader(path, options, limits, header)
                    if block:
                        reader.add_block(header.get("vertices", []), block)
                        block = None
                    more = _read_lines(reader, path, lines, per_chunk)
                    model = reader.finish("cityjsonseq")
                    del reader
                model.meta["read_fraction"] = min(1.0, fh.tell() / size) if more else 1.0
                yield model
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None


def _read_lines(reader: _Reader, path: Path, lines: Iterator[tuple[int, bytes]], per_chunk: int) -> bool:
    """Features into `reader` until it has `per_chunk` objects (True) or the file ends (False). A
    CityJSONFeature holds its whole family, so a chunk may end after any feature."""
    for lineno, line in lines:
        _feature(reader, path, lineno, _line_json(path, lineno, line))
        if len(reader.builder.ids) >= per_chunk:
            return True
    return False


def _document_chunks(path: Path, options: SourceConfig, limits: Limits, per_chunk: int) -> Iterator[SourceModel]:
    """A plain document streamed (cityjson_stream.py): header and vertices first, then the CityObjects."""
    try:
        with path.open("rb") as fh:
            if os.fstat(fh.fileno()).st_size < STREAM_FROM_BYTES:
                raise NotAnObject  # small: parsed whole
            with _bulk_load():
                doc = StreamedDocument.open(path, fh)
                header = _Reader(path, options, limits, doc.header)  # checks the type, transform, templates
                objects = doc.element_count("CityObjects")
                if objects is None or not doc.opens_with("CityObjects", b"{"):
                    raise LoadError(path, '"CityObjects" must be an object (id -> CityObject)')
                check_count(path, "object count", objects, limits.max_objects)
                vertices = doc.vertices(limits, header.transform)
                del header
            yield from _object_chunks(path, options, limits, per_chunk, doc, vertices)
    except NotAnObject:
        yield from _whole_document_chunks(path, options, limits, per_chunk)  # small, or for its exact message
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None


def _object_chunks(path: Path, options: SourceConfig, limits: Limits, per_chunk: int, doc: StreamedDocument,
                   vertices: np.ndarray) -> Iterator[SourceModel]:
    """Chunks of about `per_chunk` objects of `doc` (pass 2), each ending before an object without parents."""
    objects = doc.objects()
    pending: tuple[str, Any] | None = None
    more = True
    while more:
        with _bulk_load():
            reader = _Reader(path, options, limits, doc.header)
            reader.chunks, reader.vertex_total = [vertices], vertices.shape[0]
            reader.soup.begin_block(vertices.shape[0])
            count, more = 0, False
            for item in itertools.chain([pending] if pending else [], objects):
                if count >= per_chunk and not _has_parents(item[1]):
                    pending, more = item, True
                    break
                reader._object(item[0], item[1], vertices)
                count += 1
            model = reader.finish("cityjson")
            del reader
        model.meta["read_fraction"] = doc.fraction if more else 1.0
        yield model


def _whole_document_chunks(path: Path, options: SourceConfig, limits: Limits,
                           per_chunk: int) -> Iterator[SourceModel]:
    """A document parsed whole, its objects handed out in chunks: the peak is the parse's (rule 6's fallback;
    tests compare the streamed chunks with these)."""
    with _bulk_load():
        doc = read_json(path, limits)
        header = _Reader(path, options, limits, doc)  # checks the document's type, transform, templates
        city_objects = doc.get("CityObjects")
        if not isinstance(city_objects, dict):
            raise LoadError(path, '"CityObjects" must be an object (id -> CityObject)')
        check_count(path, "object count", len(city_objects), limits.max_objects)
        vertices = vertex_array(str(path), doc.get("vertices"), limits, "vertices", 0, header.transform)
        doc["vertices"] = doc["CityObjects"] = None  # the lists freed now; the objects chunk by chunk below
        keys = list(city_objects)
    start = 0
    while start < len(keys) or start == 0:
        with _bulk_load():
            end = min(start + per_chunk, len(keys))
            while end < len(keys) and _has_parents(city_objects[keys[end]]):
                end += 1
            reader = _Reader(path, options, limits, doc)
            reader.chunks, reader.vertex_total = [vertices], vertices.shape[0]
            reader.soup.begin_block(vertices.shape[0])
            for key in keys[start:end]:
                reader._object(key, city_objects.pop(key), vertices)
            model = reader.finish("cityjson")
            del reader
        model.meta["read_fraction"] = end / max(1, len(keys))
        start = max(end, 1)
        yield model


def _has_parents(obj: Any) -> bool:
    return type(obj) is dict and bool(obj.get("parents"))


def _line_json(path: Path, lineno: int, line: bytes) -> Any:
    try:
        return parse_json_text(path, line)
    except LoadError as exc:
        raise LoadError(path, f"line {lineno}: {exc.reason}") from None


def _feature(reader: _Reader, path: Path, lineno: int, feature: Any) -> None:
    if not isinstance(feature, dict) or feature.get("type") != "CityJSONFeature":
        raise LoadError(path, f"line {lineno}: not a CityJSONFeature")
    try:
        reader.appearance.begin_feature(feature.get("appearance"), len(reader.soup.poly_rings),
                                        len(reader.soup.ring_len))
        reader.add_block(feature.get("vertices"), feature.get("CityObjects"))
    except LimitExceeded:
        raise
    except LoadError as exc:
        raise LoadError(path, f"line {lineno}: {exc.reason}") from None


@contextmanager
def _bulk_load() -> Iterator[None]:
    """Process-wide settings for the duration of one bulk load, restored afterwards (even on error).

    The cyclic GC is off: nothing parsed from JSON forms cycles, and the collector's rescans of millions
    of young lists would cost about a third of the load time. Objects allocated meanwhile all sit in the
    youngest generation, so the first collection after gc.enable() scans whatever survives: the parsed
    document must be dropped inside the block.

    numpy's transparent-huge-page advice is off: on these VMs faulting in fresh huge pages for the large
    temporary arrays costs more than it saves (100k buildings: 2.95 s instead of 3.2-3.9 s per load).
    """
    enabled = gc.isenabled()
    hugepage = set_huge_page_advice(False)
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        if hugepage is not None:
            set_huge_page_advice(hugepage)


def lod_key(value: Any) -> str:
    """A LoD as a comparable string: 2, 2.0 and "2" -> "2"; 1.2 and "1.2" -> "1.2"; None -> ""."""
    if isinstance(value, bool) or value is None:
        return ""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return f"{number:g}" if np.isfinite(number) else text


def lod_rank(key: str) -> float:
    try:
        number = float(key)
    except ValueError:
        return -1.0
    return number if np.isfinite(number) else -1.0


class _Reader:
    """One load: the header's transform, CRS and templates, then blocks of vertices + CityObjects."""

    def __init__(self, path: Path, options: SourceConfig, limits: Limits, doc: Any) -> None:
        self.path, self.name, self.options, self.limits = path, str(path), options, limits
        if not isinstance(doc, dict):
            raise LoadError(path, f"not CityJSON: the top level is a JSON {type(doc).__name__}")
        if doc.get("type") != "CityJSON":
            raise LoadError(path, f'not CityJSON: "type" is {short(doc.get("type"))}, expected "CityJSON"')
        self.warnings: list[str] = []
        self.warnings_dropped = 0
        self.version = doc.get("version")
        if self.version not in KNOWN_VERSIONS:
            self.warn(f"unknown CityJSON version {short(self.version)}; reading it as 2.0")
        self.transform = self._transform(doc.get("transform"))
        self.file_crs = self._crs(doc.get("metadata"))
        self.templates = Templates(self.name, doc.get("geometry-templates"), limits)
        self.wanted = None if str(options.lod).strip().lower() == "highest" else lod_key(options.lod)
        self.lods_seen: set[str] = set()  # with a wanted LoD: every LoD met, to refuse one the file lacks
        self.soup = PolygonSoup()
        self.appearance = CityJSONAppearance(path, doc.get("appearance"), self.warn)
        self.builder = SourceModelBuilder(self.name, limits)
        self.chunks: list[np.ndarray] = []
        self.vertex_total = 0
        self.parent_refs: list[tuple[int, Any]] = []
        self.children_refs: list[tuple[int, Any]] = []
        self.skipped = 0

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        else:
            self.warnings_dropped += 1

    def _transform(self, raw: Any) -> tuple[np.ndarray, np.ndarray] | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise LoadError(self.path, '"transform" must be an object')
        out = []
        for key in ("scale", "translate"):
            values = raw.get(key)
            if type(values) is not list or len(values) != 3:
                raise LoadError(self.path, f'"transform.{key}" must be an array of 3 numbers')
            out.append(np.array([finite_number(self.path, v, f"transform.{key}") for v in values]))
        return out[0], out[1]

    def _crs(self, metadata: Any) -> str | None:
        crs = metadata.get("referenceSystem") if isinstance(metadata, dict) else None
        if crs is not None and not isinstance(crs, str):
            self.warn("metadata.referenceSystem is not a string; ignored")
            crs = None
        return normalize_crs(crs) if crs else None

    def add_block(self, vertices: Any, city_objects: Any) -> None:
        """A file's (or one feature's) vertices and the CityObjects whose indices refer to them."""
        if vertices is None:
            raise LoadError(self.path, 'no "vertices" array')
        if not isinstance(city_objects, dict):
            raise LoadError(self.path, '"CityObjects" must be an object (id -> CityObject)')
        check_count(self.path, "object count", len(self.builder.ids) + len(city_objects),
                    self.limits.max_objects)
        block = vertex_array(self.name, vertices, self.limits, "vertices", self.vertex_total, self.transform)
        self.chunks.append(block)
        self.vertex_total += block.shape[0]
        self.soup.begin_block(block.shape[0])
        for object_id, obj in city_objects.items():
            self._object(object_id, obj, block)

    def _object(self, object_id: str, obj: Any, block: np.ndarray) -> None:
        object_type = obj.get("type") if type(obj) is dict else None
        if type(object_type) is not str:
            raise LoadError(self.path, f'CityObject {short(object_id)}: not an object with a string "type"')
        attributes = obj.get("attributes")
        if attributes is not None and type(attributes) is not dict:
            raise LoadError(self.path, f"CityObject {short(object_id)}: \"attributes\" must be an object")
        index = self.builder.add_object(object_id, object_type, attributes)
        if "parents" in obj:
            self.parent_refs.append((index, obj["parents"]))
        if "children" in obj:
            self.children_refs.append((index, obj["children"]))
        geometries = obj.get("geometry")
        if not geometries:
            return
        try:
            if type(geometries) is not list:
                raise TypeError('"geometry" must be an array')
            if self.wanted is not None:
                self.lods_seen.update(self._lod_keys(geometries))
            if len(geometries) > 1:
                geometries = self._select(geometries)
            fallback = TYPE_FALLBACK.get(object_type, OTHER)
            for geometry in geometries:
                kind = geometry.get("type")
                if type(kind) is not str:
                    raise TypeError('geometry "type" must be a string')
                depth = SURFACE_DEPTH.get(kind)
                if depth is not None:
                    before = len(self.soup.poly_rings)
                    self.soup.add_geometry(geometry, depth, index, fallback)
                    self.appearance.add(geometry, depth, self.soup.poly_rings[before:])
                else:
                    self._other_geometry(object_id, geometry, index, fallback, block)
        except LimitExceeded:
            raise  # a limit is the file's, not this object's
        except LoadError as exc:
            raise LoadError(self.path, f"CityObject {short(object_id)}: {exc.reason}") from None
        except _MALFORMED as exc:
            reason = f"CityObject {short(object_id)}: malformed geometry ({describe(exc)})"
            raise LoadError(self.path, reason) from None

    def _lod_keys(self, geometries: list[Any]) -> list[str]:
        return [lod_key(self.templates.lod(g) if g.get("type") == "GeometryInstance" else g.get("lod"))
                for g in geometries]

    def _select(self, geometries: list[Any]) -> list[Any]:
        """The geometries to draw under rule 2 of the module docstring."""
        keys = self._lod_keys(geometries)
        if self.wanted is not None:
            chosen = [g for g, key in zip(geometries, keys, strict=True) if key == self.wanted]
            if chosen:
                return chosen
        ranks = [lod_rank(key) for key in keys]
        top = max(ranks)
        return [g for g, rank in zip(geometries, ranks, strict=True) if rank == top]

    def _other_geometry(self, object_id: str, geometry: dict[str, Any], index: int, fallback: int,
                        block: np.ndarray) -> None:
        kind = geometry["type"]
        if kind == "GeometryInstance":
            self.templates.add(geometry, index, fallback, block)
        elif kind in NO_AREA:
            self.skipped += 1
        else:
            self.skipped += 1
            self.warn(f"CityObject {short(object_id)}: unknown geometry type {short(kind)} skipped")

    def _parents(self) -> np.ndarray:
        """(n,) int32 parent index per object under rule 1; warns about unknown ids and cycles."""
        index: dict[str, int] = {}
        for i, object_id in enumerate(self.builder.ids):
            index.setdefault(object_id, i)
        parents = np.full(len(self.builder.ids), -1, dtype=np.int64)
        for i, children in self.children_refs:
            for child in children if isinstance(children, list) else []:
                j = index.get(child) if isinstance(child, str) else None
                if j is None:
                    self.warn(f"CityObject {short(self.builder.ids[i])}: child {short(child)} is unknown")
                elif parents[j] < 0 and j != i:
                    parents[j] = i
        for i, refs in self.parent_refs:
            j = next((index[r] for r in (refs if isinstance(refs, list) else []) if isinstance(r, str)
                      and r in index), None)
            if j is None or j == i:
                self.warn(f"CityObject {short(self.builder.ids[i])}: parents {short(refs)} are unknown")
            else:
                parents[i] = j
        return self._break_cycles(parents)

    def _break_cycles(self, parents: np.ndarray) -> np.ndarray:
        # Pointer doubling: after k rounds jump[i] is i's 2**k-th ancestor; with 2**k >= n only objects on
        # or under a cycle still have one. Their parents are cut so consumers can always walk up safely.
        jump = parents.copy()
        for _ in range(max(1, int(len(parents)).bit_length())):
            jump = np.where(jump >= 0, jump[np.maximum(jump, 0)], -1)
        cyclic = jump >= 0
        if cyclic.any():
            self.warn(f"{int(cyclic.sum())} CityObjects in or under a parent cycle lost their parents")
            parents[cyclic] = -1
        return parents.astype(np.int32)

    def check_wanted_lod(self) -> None:
        """A LoD asked for that no geometry of the file has is a mistake, not a quiet fallback (rule 2)."""
        if self.wanted is None or not self.lods_seen or self.wanted in self.lods_seen:
            return
        have = ", ".join(sorted((k or "(none)" for k in self.lods_seen), key=lambda k: (lod_rank(k), k)))
        raise LoadError(self.path, f"no geometry at LoD {self.wanted}: the file has LoD {have}")

    def finish(self, fmt: str) -> SourceModel:
        self.check_wanted_lod()
        vertices = (self.chunks[0] if len(self.chunks) == 1 else  # shared by every chunk of iter_chunks
                    np.concatenate(self.chunks) if self.chunks else np.zeros((0, 3), np.float64))
        main = self.soup.resolve(self.name, vertices, self.limits)
        parts = [main, *self.templates.build(main.positions.shape[0])]
        polys = parts[0] if len(parts) == 1 else Polygons.concatenate(parts)
        triangles, vertex_object, vertex_kind = triangulate_all(self.name, polys, self.limits)
        material, uv = self._appearance(main, polys.positions.shape[0])
        self.builder.add_surfaces(polys.positions, triangles, vertex_object, vertex_kind, material, uv)
        self.builder.parents[:] = self._parents().tolist()
        crs = normalize_crs(self.options.crs) if self.options.crs else self.file_crs
        if self.warnings_dropped:
            self.warnings.append(f"... and {self.warnings_dropped} more warnings")
        meta = {"version": self.version, "lod": self.options.lod, "file_crs": self.file_crs,
                "skipped_geometries": self.skipped, "warnings": self.warnings}
        return self.builder.build(fmt, crs, meta)


    def _appearance(self, main: Polygons, total: int) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Per-vertex material and uv of the main polygons (templates' vertices, after them, have none),
        with the material table set on the builder; (None, None) for a file without appearance."""
        if not self.appearance.enabled:
            return None, None
        materials, material, uv = self.appearance.resolve(self.soup.ring_len, main.ring_lengths, main.poly_rings)
        extra = total - material.shape[0]
        if extra:
            material = np.concatenate([material, np.full(extra, -1, np.int16)])
            uv = np.concatenate([uv, np.full((extra, 2), np.nan, np.float32)])
        self.builder.set_materials(materials)
        return material, uv


class Templates:
    """"geometry-templates": each template's polygons in template coordinates, and the instances to place.

    An instance's vertices are M @ (x, y, z, 1) + reference point, M its row-major 4x4
    "transformationMatrix" and the reference point the vertex its "boundaries"[0] names. Template vertices
    are not subject to the file's "transform"; the reference point is. What the instances expand to (vertices,
    and triangles at most) is counted against the limits as each is read, before any is expanded: a file of
    many tiny instances is refused while it is walked, not after it has been multiplied out.
    """

    def __init__(self, path: str, block: Any, limits: Limits) -> None:
        self.path, self.limits = path, limits
        self.parts: list[Polygons] = []
        self.lods: list[Any] = []
        self.instances: dict[int, _Placed] = {}
        self.part_triangles: list[int] = []  # at most this many triangles per instance of each template
        self.expanded_vertices = self.expanded_triangles = 0
        if block is None:
            return
        if not isinstance(block, dict) or type(block.get("templates")) is not list:
            raise LoadError(path, '"geometry-templates" must be an object with a "templates" array')
        vertices = vertex_array(path, block.get("vertices-templates"), limits, "vertices-templates")
        soup = PolygonSoup()
        soup.begin_block(vertices.shape[0])
        for t, geometry in enumerate(block["templates"]):
            try:
                self.lods.append(geometry.get("lod"))
                kind = geometry["type"]
                depth = SURFACE_DEPTH.get(kind) if type(kind) is str else None
                if depth is None:
                    raise ValueError(f"type {short(kind)} cannot be a template")
                soup.add_geometry(geometry, depth, t, NO_KIND)
            except _MALFORMED as exc:
                raise LoadError(path, f"geometry template {t} is malformed ({describe(exc)})") from None
        polys = soup.resolve(path, vertices, limits)
        # Template t is geometry t of the soup: its polygons, rings and vertices are consecutive runs.
        poly_at = offsets(np.asarray(soup.geom_polys, dtype=np.int64))
        ring_at, vertex_at = offsets(polys.poly_rings), offsets(polys.ring_lengths)
        for a, b in zip(poly_at[:-1].tolist(), poly_at[1:].tolist(), strict=True):
            r0, r1 = int(ring_at[a]), int(ring_at[b])
            self.parts.append(Polygons(polys.positions[vertex_at[r0]:vertex_at[r1]],
                                       polys.ring_lengths[r0:r1], polys.poly_rings[a:b],
                                       polys.poly_object[a:b], polys.poly_kind[a:b]))
            # A polygon of n vertices in h + 1 rings triangulates into at most n + 2 h - 2 triangles.
            vertex_count = int(vertex_at[r1] - vertex_at[r0])
            self.part_triangles.append(max(0, vertex_count + 2 * (r1 - r0) - 4 * (b - a)))

    def lod(self, geometry: dict[str, Any]) -> Any:
        """The LoD of an instance: its template's (None when the template index is invalid)."""
        t = geometry.get("template")
        return self.lods[t] if type(t) is int and 0 <= t < len(self.lods) else None

    def add(self, geometry: dict[str, Any], obj: int, fallback: int, vertices: np.ndarray) -> None:
        """Record a GeometryInstance of object `obj`; `vertices` is the block its reference point indexes."""
        t, refs = geometry.get("template"), geometry.get("boundaries")
        matrix = geometry.get("transformationMatrix")
        if type(t) is not int or not 0 <= t < len(self.parts):
            raise LoadError(self.path, f"geometry template index {short(t)} out of range "
                                       f"({len(self.parts)} templates)")
        if (type(refs) is not list or len(refs) != 1 or type(refs[0]) is not int
                or not 0 <= refs[0] < len(vertices)):
            raise LoadError(self.path, f"GeometryInstance boundaries must be [reference point vertex index] "
                                       f"below {len(vertices)}, got {short(refs)}")
        if type(matrix) is not list or len(matrix) != 16 or not all(type(v) in (int, float) for v in matrix):
            raise LoadError(self.path, "GeometryInstance transformationMatrix must be 16 numbers")
        self._count(t)
        placed = self.instances.setdefault(t, _Placed())
        placed.objects.append(obj)
        placed.fallbacks.append(fallback)
        placed.matrices.append(matrix)  # the parsed list itself: no array per instance
        placed.points.append(vertices[refs[0]])

    def _count(self, t: int) -> None:
        """What the instances expand to, counted as they are read: refused before anything is expanded."""
        self.expanded_vertices += self.parts[t].positions.shape[0]
        self.expanded_triangles += self.part_triangles[t]
        check(self.path, "vertex count (with template instances)", self.expanded_vertices, self.limits.max_vertices)
        check(self.path, "triangle count (with template instances)", self.expanded_triangles,
              self.limits.max_triangles)

    def build(self, already: int) -> list[Polygons]:
        """Polygons of every instance, vectorised per template; `already` vertices exist besides them."""
        out = []
        for t, placed in self.instances.items():
            part = self.parts[t]
            k, m = len(placed.objects), part.positions.shape[0]
            already += k * m
            check(self.path, "vertex count (with template instances)", already, self.limits.max_vertices)
            objs = np.array(placed.objects, dtype=np.int32)
            fallback = np.array(placed.fallbacks, dtype=np.int16)
            mats = _matrices(self.path, placed.matrices)
            refs = np.stack(placed.points)
            with np.errstate(all="ignore"):  # overflow becomes inf, refused just below
                pos = np.einsum("kij,mj->kmi", mats[:, :3, :3], part.positions)
                pos += (mats[:, :3, 3] + refs)[:, None, :]
            check_coordinates(self.path, pos, f"instances of geometry template {t}")
            npoly = part.poly_rings.shape[0]
            kind = np.tile(part.poly_kind, k)
            own = np.repeat(fallback, npoly)
            out.append(Polygons(pos.reshape(-1, 3), np.tile(part.ring_lengths, k),
                                np.tile(part.poly_rings, k), np.repeat(objs, npoly),
                                np.where(kind == NO_KIND, own, kind)))
        return out


class _Placed:
    """The instances of one template, as read: object, fallback kind, 16 numbers, reference point."""

    __slots__ = ("objects", "fallbacks", "matrices", "points")

    def __init__(self) -> None:
        self.objects: list[int] = []
        self.fallbacks: list[int] = []
        self.matrices: list[list[float]] = []
        self.points: list[np.ndarray] = []


def _matrices(path: str, matrices: list[list[float]]) -> np.ndarray:
    """(k, 4, 4) float64 of checked "transformationMatrix" lists (16 numbers each), all finite."""
    try:
        mats = np.array(matrices, dtype=np.float64)
    except OverflowError:  # an integer beyond float range
        mats = np.full((len(matrices), 16), np.inf)
    if not np.isfinite(mats).all():
        raise LoadError(path, "GeometryInstance transformationMatrix must be finite")
    return mats.reshape(-1, 4, 4)
