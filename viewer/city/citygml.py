"""CityGML 1.0 / 2.0 / 3.0 (format "citygml": .gml, .xml, .gml.gz, .zip of .gml files) -> SourceModel.

Rules this module keeps:
1. Streamed: lxml iterparse reports only polygon, envelope and top-level member end events. A polygon's
   coordinates leave the tree at its end event (citygml_geometry rule 1); a member is walked at its end
   event and then cleared with everything before it, so memory holds one member's small tree plus the
   coordinate text of a batch (FLUSH_CHARS), whatever the file size.
2. Hostile XML: no DTD is loaded, no entity expanded, nothing fetched (resolve_entities=False,
   no_network=True, load_dtd=False); a document with a DOCTYPE is refused; lxml's default limits on text
   size and depth stay on (no huge_tree). gz and zip input is bounded in total size and compression ratio
   (citygml_input).
3. Objects: each city object (citygml_names.OBJECT_TYPES, or any other feature directly in a member) is one
   row of the object table in document order, its gml:id the id, the enclosing object its parent
   (BuildingPart -> Building, Section -> Road, TrafficSpace -> Section, ...). Boundary surfaces are not
   objects: they give the surface kind of their polygons (as CityJSON semantics do).
4. LoD per object: every polygon of the object at the chosen LoD: options.lod when the object has geometry
   at it, else its highest. Geometry outside lodN properties (a relief's TIN) takes the relief's <lod>, else
   ranks below every LoD. A polygon reached twice in one object (an lod2Solid's xlinks to its boundary
   surfaces' polygons) is drawn once, with its boundary surface's kind.
5. xlink:href to geometry is resolved within the member, else (a reference to another member) in a second
   pass over the file that looks only for the missing ids; references nest at most MAX_HOPS deep. References
   to other files are not followed (a warning).
6. Implicit geometry: each instance's template polygons placed by M[:3, :3] @ p + M[:3, 3] + reference point.
7. CRS: srsName of the envelope or of any geometry (inherited downwards); the model's CRS is the first one
   met (or options.crs). Geometry in another CRS is reprojected to it; lat-first geographic CRSs spelled as
   URN/URL are swapped to lon/lat, and a file whose numbers contradict the declared order is read the other
   way with a warning (citygml_crs).
8. Appearances (citygml_appearance): read from members and appearanceMembers in the main pass, applied per
   polygon at the end through the ids the ring store tracked (citygml_geometry rule 6), so they may come
   before or after their geometry.
9. Every failure is a LoadError naming the file (and the zip member, the line where known).
"""

from __future__ import annotations

import gzip
import queue
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from lxml import etree

from viewer.city import citygml_names as N
from viewer.city.citygml_appearance import APPEARANCE_PROPERTY_TAGS, CityGMLAppearance, declares_appearance
from viewer.city.citygml_attributes import object_attributes
from viewer.city.citygml_crs import CrsTable, metric_scale
from viewer.city.citygml_geometry import FLUSH_CHARS, RingInfo, RingStore, assemble
from viewer.city.citygml_implicit import read_implicit
from viewer.city.citygml_input import Bounded, NoDoctype, closing, zip_members
from viewer.city.cityjson import lod_key, lod_rank
from viewer.city.cityjson_geometry import triangulate_all
from viewer.city.limits import check_count, check_file
from viewer.city.model import SourceModel, SourceModelBuilder, SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import CRSError, LoadError

MAX_HOPS = 8  # xlink references followed from one another
MAX_WARNINGS = 100
MAX_PENDING = 1_000_000  # references to other members awaiting the second pass
_PARSE_TAGS = (*N.POLYGON_TAGS, *N.MEMBER_TAGS, *N.APPEARANCE_MEMBER_TAGS, *N.ENVELOPE_TAGS)
_OTHER = int(SurfaceKind.OTHER)
_POLYGON_TAG_SET = frozenset(N.POLYGON_TAGS)
_APPEARANCE_MEMBER_SET = frozenset(N.APPEARANCE_MEMBER_TAGS)
_POLYGON_ID = {tag: "{" + tag[1:].partition("}")[0] + "}id" for tag in N.POLYGON_TAGS}  # tag -> its gml:id
_GML_BOUNDED_BY = frozenset(f"{{{ns}}}boundedBy" for ns in N.GML_NAMESPACES)
_CONTEXT_ATTRIBUTES = frozenset({"srsName", "orientation", "srsDimension"})  # see _plain_geometry
_GML_ID_VALUES = etree.XPath(".//@*[local-name() = 'id' and (namespace-uri() = $a or namespace-uri() = $b)]")


def load(path: Path, options: SourceConfig, limits: Limits) -> SourceModel:
    """Load a CityGML file, a gzip-compressed one, or a zip archive of .gml files."""
    path = Path(path)
    check_file(path, limits)
    reader = _Reader(path, options, limits)
    _read_into(reader, path, limits)
    return reader.finish()


def _read_into(reader: _Reader, path: Path, limits: Limits) -> None:
    name = path.name.lower()
    try:
        if name.endswith(".zip"):
            _load_zip(reader, path, limits)
        elif name.endswith(".gz"):
            reader.read(lambda: Bounded(gzip.open(path, "rb"), path.stat().st_size, limits, path.name), "")
        else:
            reader.read(lambda: path.open("rb"), "")
    except OSError as exc:  # includes gzip.BadGzipFile
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise LoadError(path, f"broken archive or compressed stream: {exc}") from None


def iter_chunks(path: Path, options: SourceConfig, limits: Limits,
                objects_per_chunk: int = 20_000) -> Iterator[SourceModel]:
    """The model of `path` as SourceModels of about `objects_per_chunk` city objects each (cut between top-level
    members, so a Building stays with its parts), for converters that must not hold a whole city
    (tiles/write_stream.py). Limits apply to each chunk; the file size limit does not (memory holds a chunk).
    meta["read_fraction"] is the part of the file read (0 until the end for .gz and .zip). What a chunk lacks:
    appearances (converters colour by surface kind), and xlink references to geometry in other members (the
    second pass of rule 5 would need every chunk kept): counted in meta["unresolved_references"].

    The reader runs on a thread of its own and hands chunks over a queue of one, so iterparse (a push loop)
    needs no rewrite; closing the iterator early stops the thread at its next member."""
    path = Path(path)
    handoff: queue.Queue[Any] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: Any) -> None:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.2)
                return
            except queue.Full:
                continue
        raise _Stopped

    def produce() -> None:
        try:
            reader = _ChunkReader(path, options, limits, objects_per_chunk, put, stop)
            _read_into(reader, path, limits)
            put(reader.take_chunk(1.0))
            put(_DONE)
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the consumer, raised there
            try:
                put(exc)
            except _Stopped:
                pass

    thread = threading.Thread(target=produce, name="citygml-chunks", daemon=True)
    thread.start()
    try:
        while True:
            item = handoff.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


_DONE = object()


class _Stopped(Exception):
    """The consumer of iter_chunks went away."""


def _load_zip(reader: _Reader, path: Path, limits: Limits) -> None:
    with zipfile.ZipFile(path) as archive:
        members = zip_members(archive, path, limits)
        for info in members:
            try:
                reader.read(lambda info=info: Bounded(archive.open(info), info.compress_size, limits, info.filename),
                            info.filename)
            except _NotCityGML as exc:  # codelists and other GML beside the city: skipped
                reader.where = ""
                reader.warn(f"skipped {exc.reason}")
                reader.skipped_members += 1
        if reader.skipped_members == len(members):
            raise LoadError(path, "zip archive holds no CityGML file (" + "; ".join(reader.warnings[-3:]) + ")")


class _NotCityGML(LoadError):
    """The document's root is not a CityGML CityModel (a zip skips such members)."""


class _Reader:
    """One load: the object table, the CRSs met, batches of chosen polygons, warnings."""

    def __init__(self, path: Path, options: SourceConfig, limits: Limits) -> None:
        self.path, self.name, self.options, self.limits = path, str(path), options, limits
        self.where = ""  # zip member being read, for messages
        self.tags = N.TagTable()
        self._actions = self.tags.cache  # read directly in the walk's hot path
        self.store = RingStore()
        self.builder = SourceModelBuilder(self.name, limits)
        self.wanted = None if str(options.lod).strip().lower() == "highest" else lod_key(options.lod)
        self.crs = CrsTable(options.crs, self.warn)
        self.chunks: list[tuple[np.ndarray, ...]] = []  # triangulated batches: positions, triangles, object, kind
        self.ring_chunks: list[RingInfo] = []  # per batch, its rings' ids (rule 8; one blank ring untracked)
        self.appearance = CityGMLAppearance(path, self.warn)
        self.main_pass = False
        self.vertex_total = 0
        self.triangle_total = 0
        self.versions: set[str] = set()
        self.warnings: list[str] = []
        self.warnings_dropped = 0
        self.counters = {"external_references": 0, "unresolved_references": 0, "skipped_features": 0}
        self.follows = 0
        self.skipped_members = 0  # zip members that are not CityGML
        self.emitted = 0  # polygons chosen (for the polygon limit, checked as they are chosen)
        self.open: dict[int, dict[tuple[int, int], list[Any]]] = {}  # object -> (mark, transform) -> choice
        self.open_pending: dict[int, list[tuple[Any, ...]]] = {}  # object -> references to other members
        self.fallback: list[int] = []  # per object: kind of its polygons outside boundary surfaces
        self.direct = False  # second pass: emit resolved references at once (their LoD was chosen already)
        self._ids: dict[str, Any] | None = None
        self._member_elem: Any = None
        self.polygon_ids: dict[str, Any] = {}  # gml:id -> polygon element, in the member being read

    # ----- messages -----

    def fail(self, reason: str, elem: Any = None) -> LoadError:
        line = f"line {elem.sourceline}: " if elem is not None and elem.sourceline else ""
        member = f"{self.where}: " if self.where else ""
        return LoadError(self.path, f"{member}{line}{reason}")

    def fail_not_citygml(self, reason: str) -> LoadError:
        error = self.fail(reason)
        return _NotCityGML(error.path, error.reason)

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(f"{self.where}: {message}" if self.where else message)
        else:
            self.warnings_dropped += 1

    # ----- passes -----

    def read(self, opener: Any, where: str) -> None:
        """Read one CityGML document (a file, or one member of a zip): the main pass, then the second pass
        for references to other members if any are left."""
        self.where = where
        self.pending: dict[str, list[tuple[Any, ...]]] = {}
        self.pending_count = 0
        self.file_crs, self.file_dim = -1, 0
        self.main_pass = True
        try:
            with closing(NoDoctype(opener(), self.fail)) as stream:
                self._pass(stream, self._member)
        finally:
            self.main_pass = False
        self._flush()
        if self.pending:
            with closing(opener()) as stream:
                self._pass(stream, self._resolve_pending)
            self._flush()
            left = sum(len(v) for v in self.pending.values())
            if left:
                self.counters["unresolved_references"] += left
                self.warn(f"{left} xlink references name no gml:id in the file; not drawn")

    def _pass(self, stream: Any, on_member: Any) -> None:
        context = etree.iterparse(stream, events=("end",), tag=_PARSE_TAGS, resolve_entities=False,
                                  no_network=True, load_dtd=False, huge_tree=False, remove_comments=True,
                                  remove_pis=True)
        root = None
        add_polygon, mark_attr, polygon_ids = self.store.add_polygon, self.mark_attr, self.polygon_ids
        try:
            for _, elem in context:
                if root is None:
                    root = self._root(elem.getroottree())
                tag = elem.tag
                id_attribute = _POLYGON_ID.get(tag)
                if id_attribute is not None:
                    gid = elem.get(id_attribute)
                    if gid is not None:
                        polygon_ids[gid] = elem
                    elem.set(mark_attr, str(add_polygon(elem)))
                    continue
                if elem.getparent() is not root:
                    if tag in N.ENVELOPE_TAGS and self.file_crs < 0:
                        self._envelope(elem)
                    continue
                if tag in N.MEMBER_TAGS:
                    on_member(elem)
                elif tag in _APPEARANCE_MEMBER_SET and self.main_pass:
                    self.appearance.read(elem, self.where)
                polygon_ids.clear()
                elem.clear()
                while elem.getprevious() is not None:
                    del root[0]
            if root is None:
                self._root(context.root.getroottree())
        except etree.XMLSyntaxError as exc:
            line = f"line {exc.lineno}: " if exc.lineno else ""
            message = re.sub(r",? ?line \d+(, column \d+)?$", "", str(exc.msg or exc))
            raise self.fail(f"{line}malformed XML: {message}") from None
        except (CRSError, RecursionError) as exc:
            raise self.fail(str(exc)) from None

    mark_attr = "{urn:citiverse:citygml-loader}polygon"

    def _root(self, tree: Any) -> Any:
        if tree.docinfo.doctype:
            raise self.fail("XML with a DOCTYPE (DTD) is refused: CityGML needs none, and entities are unsafe")
        root = tree.getroot()
        ns, local = _split(root.tag)
        if local != "CityModel" or ns not in N.CORE_NAMESPACES:
            found = f"{{{ns}}}{local}" if ns else local
            raise self.fail_not_citygml(f"not CityGML: the root element is {found}, expected CityModel in one of "
                            f"{', '.join(N.CORE_NAMESPACES)}")
        self.versions.add(N.CORE_NAMESPACES[ns])
        self.store.set_tracking(declares_appearance(root))
        return root

    def _envelope(self, elem: Any) -> None:
        """The document's own envelope (CityModel/boundedBy/Envelope) sets the CRS and dimension inherited by
        every geometry without its own."""
        parent = elem.getparent()
        if parent is None or parent.getparent() is None or parent.getparent().getparent() is not None:
            return
        srs = elem.get("srsName")
        if srs:
            self.file_crs = self._crs(srs, elem)
        self.file_dim = _dim(elem.get("srsDimension"))

    def _member(self, member: Any) -> None:
        self._ids = None
        self._member_elem = member
        if self.store.track_ids:
            for prop in member.iter(*APPEARANCE_PROPERTY_TAGS):
                self.appearance.read(prop, self.where)
        for feature in member:
            tag = feature.tag
            if type(tag) is not str:
                continue
            action, value = self.tags.action(tag)
            if action == N.OBJECT:
                self._object(feature, str(value), -1)
            elif _split(tag)[1] == "ReliefFeature" or tag.endswith("}CityModel"):
                self._walk(feature, -1, None, None, False, self.file_dim, self.file_crs, -1, 0)
            elif action == N.SKIP and not _split(tag)[0].startswith(N.CITYGML_PREFIX):
                self.counters["skipped_features"] += 1
            else:
                local = _split(tag)[1]
                self.warn(f"line {feature.sourceline}: feature type {local} read as a generic object")
                self._object(feature, local, -1)
        if self.store.chars > FLUSH_CHARS:
            self._flush()

    # ----- the walk -----

    def _object(self, elem: Any, object_type: str, parent: int, crs: int | None = None, dim: int | None = None) -> None:
        """One city object: its row, then its geometry (CRS and dimension inherited from the enclosing object,
        its own envelope's srsName first), then its LoD choice."""
        object_id = elem.get(N.GML_IDS[0]) or elem.get(N.GML_IDS[1]) or f"{object_type}_{len(self.builder.ids)}"
        index = self.builder.add_object(object_id, object_type, object_attributes(elem), parent)
        self.fallback.append(N.FALLBACK_KINDS.get(object_type, _OTHER))
        self.open[index] = {}
        self.open_pending[index] = []
        crs = self.file_crs if crs is None else crs
        dim = self.file_dim if dim is None else dim
        lod = None
        for child in elem:
            tag = child.tag
            if type(tag) is not str:
                continue
            if tag in _GML_BOUNDED_BY:
                envelope = next(iter(child), None)
                if envelope is not None and envelope.get("srsName"):
                    crs = self._crs(envelope.get("srsName"), envelope)
            elif tag.endswith("}lod") and self.tags.action(tag)[0] == N.RELIEF_LOD:
                lod = _int_or_none(child.text)
        for child in elem:
            self._walk(child, index, None, lod, False, dim, crs, -1, 0)
        self._choose(index)

    def _walk(self, elem: Any, obj: int, kind: int | None, lod: int | None, flip: bool, dim: int, crs: int,
              xf: int, hops: int) -> None:
        tag = elem.tag
        if type(tag) is not str:
            return
        hit = self._actions.get(tag)
        action, value = hit if hit is not None else self.tags.action(tag)
        if action == N.POLYGON:
            self._candidate(elem, obj, kind, lod, flip, dim, crs, xf)
            return
        if action == N.SKIP or action == N.RELIEF_LOD:
            return
        if action == N.OBJECT:
            self._object(elem, str(value), obj, crs, dim)
            return
        if action == N.SURFACE:
            kind = int(value)  # type: ignore[call-overload]
        elif action == N.LOD:
            lod = int(value)  # type: ignore[call-overload]
            if self._plain_geometry(elem, obj, kind, lod, flip, dim, crs, xf, hops):
                return
        elif action == N.IMPLICIT:
            self._implicit(elem, obj, kind, int(value), dim, crs, hops)  # type: ignore[call-overload]
            return
        elif action == N.ORIENTABLE and elem.get("orientation") == "-":
            flip = not flip
        if action == N.GEOMETRY or action == N.ORIENTABLE:
            srs = elem.get("srsName")
            if srs is not None and xf < 0:
                crs = self._crs(srs, elem)
            d = elem.get("srsDimension")
            if d is not None:
                dim = _dim(d)
        href = elem.get(N.XLINK_HREF) if action != N.DESCEND else None  # not feature references
        if href is not None:
            self._follow(href, elem, obj, kind, lod, flip, dim, crs, xf, hops)
        for child in elem:
            self._walk(child, obj, kind, lod, flip, dim, crs, xf, hops)

    def _plain_geometry(self, prop: Any, obj: int, kind: int | None, lod: int, flip: bool, dim: int, crs: int,
                        xf: int, hops: int) -> bool:
        """An lodN property in one flat loop when nothing below it changes the walk's context (srsName,
        srsDimension, orientation) but xlinks, which are then followed with the property's context. Most
        geometry is like this. False (nothing done) when the subtree needs the recursive walk."""
        polygons, links = [], []
        for node in prop.iter():
            tag = node.tag
            if tag in _POLYGON_TAG_SET:
                if node.get("srsName") is not None or node.get("srsDimension") is not None:
                    return False
                polygons.append(node)
            elif node.keys():
                if not _CONTEXT_ATTRIBUTES.isdisjoint(node.keys()):
                    return False
                if node.get(N.XLINK_HREF) is not None:
                    links.append(node)
        if obj < 0:
            return True
        if links and hops < MAX_HOPS:  # xlinks straight to polygons of this member join the loop below
            self.follows += len(links)
            check_count(self.path, "xlink references followed", self.follows, 10 * self.limits.max_objects)
            others = []
            for node in links:
                href = node.get(N.XLINK_HREF)
                target = self._target(href[1:]) if href.startswith("#") else None
                if (target is not None and target.tag in _POLYGON_TAG_SET and target.get("srsName") is None
                        and target.get("srsDimension") is None):
                    polygons.append(target)
                else:
                    others.append(node)
            links = others
        if self.direct:
            for polygon in polygons:
                self._candidate(polygon, obj, kind, lod, flip, dim, crs, xf)
        else:
            candidates = self.open[obj]
            mark_attr = self.mark_attr
            for polygon in polygons:
                mark = polygon.get(mark_attr)
                if mark is None:
                    continue
                key = (int(mark), xf)
                old = candidates.get(key)
                if old is None:
                    candidates[key] = [lod, kind, flip, dim, crs]
                    self.emitted += 1
                elif old[1] is None and kind is not None:
                    old[1] = kind
            if self.emitted > self.limits.max_triangles:
                check_count(self.path, "polygon count", self.emitted, self.limits.max_triangles)
        for node in links:
            self._follow(node.get(N.XLINK_HREF), node, obj, kind, lod, flip, dim, crs, xf, hops)
        return True

    def _candidate(self, elem: Any, obj: int, kind: int | None, lod: int | None, flip: bool, dim: int, crs: int,
                   xf: int) -> None:
        mark = elem.get(self.mark_attr)
        if mark is None or obj < 0:
            return
        own_dim = _dim(elem.get("srsDimension")) or dim
        srs = elem.get("srsName")
        own_crs = self._crs(srs, elem) if srs and xf < 0 else crs
        if self.direct:
            self.store.emit(int(mark), obj, kind if kind is not None else self.fallback[obj], flip, own_dim,
                            own_crs, xf)
            self._count_emitted()
            return
        item = [lod, kind, flip, own_dim, own_crs]
        candidates = self.open[obj]
        key = (int(mark), xf)
        old = candidates.get(key)
        if old is None:
            candidates[key] = item
            self._count_emitted()
        elif old[1] is None and kind is not None:
            old[1] = kind

    def _count_emitted(self) -> None:
        self.emitted += 1
        check_count(self.path, "polygon count", self.emitted, self.limits.max_triangles)

    def _choose(self, index: int) -> None:
        """Emit the object's polygons at its chosen LoD (rule 4); keep its pending references at that LoD."""
        candidates = self.open.pop(index)
        pending = self.open_pending.pop(index)
        fallback = self.fallback[index]
        lods = {c[0] for c in candidates.values()} | {p[1] for p in pending}
        if not lods:
            return
        chosen = self._chosen_lod(lods)
        emit = self.store.emit
        for (mark, xf), (lod, kind, flip, dim, crs) in candidates.items():
            if lod == chosen:
                emit(mark, index, fallback if kind is None else kind, flip, dim, crs, xf)
        for item in pending:
            if item[1] == chosen:
                self.pending.setdefault(item[0], []).append((index, *item[1:]))
                self.pending_count += 1
                check_count(self.path, "xlink references to other members", self.pending_count, MAX_PENDING)

    def _chosen_lod(self, lods: set[int | None]) -> int | None:
        if self.wanted is not None:
            for lod in lods:
                if lod is not None and lod_key(lod) == self.wanted:
                    return lod
        return max(lods, key=lambda lod: -1.0 if lod is None else lod_rank(str(lod)))

    def _follow(self, href: str, elem: Any, obj: int, kind: int | None, lod: int | None, flip: bool, dim: int,
                crs: int, xf: int, hops: int) -> None:
        if obj < 0:
            return
        if not href.startswith("#"):
            self.counters["external_references"] += 1
            if self.counters["external_references"] == 1:
                self.warn(f"line {elem.sourceline}: xlink to another document ({href[:80]}) not followed")
            return
        if hops >= MAX_HOPS:
            raise self.fail(f"xlink references nested more than {MAX_HOPS} deep (a cycle?)", elem)
        self.follows += 1
        check_count(self.path, "xlink references followed", self.follows, 10 * self.limits.max_objects)
        target = self._target(href[1:])
        if target is None:
            if self.direct:
                return  # a reference inside a resolved reference: not chased further
            transform = self.store.transforms[xf] if xf >= 0 else None
            self.open_pending[obj].append((href[1:], lod, kind, flip, dim, crs, transform))
            return
        if target.tag in _POLYGON_TAG_SET:
            self._candidate(target, obj, kind, lod, flip, dim, crs, xf)
            return
        action = self.tags.action(target.tag)[0] if type(target.tag) is str else N.SKIP
        if action in (N.GEOMETRY, N.POLYGON, N.ORIENTABLE):
            self._walk(target, obj, kind, lod, flip, dim, crs, xf, hops + 1)

    def _target(self, gid: str) -> Any:
        """The element of the current member with this gml:id, or None: polygons are indexed as they are
        parsed; anything else needs the member's full index (built on the first such reference)."""
        target = self.polygon_ids.get(gid)
        return target if target is not None else self._member_ids().get(gid)

    def _member_ids(self) -> dict[str, Any]:
        """gml:id -> element within the current member (built on the first reference)."""
        if self._ids is None:
            ids: dict[str, Any] = {}
            for gid in _GML_ID_VALUES(self._member_elem, a=N.GML_NAMESPACES[0], b=N.GML_NAMESPACES[1]):
                ids.setdefault(str(gid), gid.getparent())
            self._ids = ids
        return self._ids

    def _resolve_pending(self, member: Any) -> None:
        """Second pass: walk every awaited gml:id found in this member for the references awaiting it."""
        self._ids = None
        self._member_elem = member
        found = [gid for gid in self._member_ids() if gid in self.pending]
        self.direct = True
        try:
            for gid in found:
                target = self._ids[gid]  # type: ignore[index]
                waiting = self.pending.pop(gid)
                if self.tags.action(target.tag)[0] not in (N.GEOMETRY, N.POLYGON, N.ORIENTABLE):
                    continue  # an id shared by something that is not geometry: nothing to draw
                for obj, lod, kind, flip, dim, crs, transform in waiting:
                    xf = self.store.add_transform(*transform) if transform is not None else -1
                    self._walk(target, obj, kind, lod, flip, dim, crs, xf, 1)
        finally:
            self.direct = False
        if self.store.chars > FLUSH_CHARS:  # the polygons of members without a wanted id as well
            self._flush()

    def _implicit(self, prop: Any, obj: int, kind: int | None, lod: int, dim: int, crs: int, hops: int) -> None:
        """lodNImplicitRepresentation > ImplicitGeometry: template, matrix and reference point (rule 6)."""
        for geometry in prop:
            if type(geometry.tag) is not str:
                continue
            found = read_implicit(self, geometry, crs)
            if found is None:
                continue
            matrix, reference, ref_crs, template = found
            xf = self.store.add_transform(matrix, reference)
            href = template.get(N.XLINK_HREF)
            if href is not None:
                self._follow(href, template, obj, kind, lod, False, 3, ref_crs, xf, hops)
            for child in template:
                self._walk(child, obj, kind, lod, False, 3, ref_crs, xf, hops)

    # ----- CRS -----

    def _crs(self, srs: str, elem: Any) -> int:
        return self.crs.index(srs, lambda reason: self.fail(reason, elem))

    # ----- the end -----

    def _flush(self) -> None:
        """The chosen polygons so far: placed in the model's CRS, triangulated, kept as a compact chunk."""
        result = self.store.flush(self.name, self.limits, self.vertex_total)
        if result is None:
            return
        polys, vertex_crs = result
        info = self.store.ring_info
        n = polys.positions.shape[0]
        self.ring_chunks.append(info if info is not None else RingInfo(
            np.zeros(1, np.int64), np.zeros(1, np.int64), np.array([n], np.int32), np.zeros(1, bool)))
        self.crs.place(self.name, polys.positions, vertex_crs)
        # Geographic models are triangulated in metres (citygml_crs rule 4); positions stay in degrees.
        metric = (replace(polys, positions=polys.positions * metric_scale(polys.positions))
                  if self.crs.model_is_geographic else polys)
        triangles, vertex_object, vertex_kind = triangulate_all(self.name, metric, self.limits)
        del metric
        self.vertex_total += polys.positions.shape[0]
        self.triangle_total += triangles.shape[0]
        check_count(self.path, "triangle count", self.triangle_total, self.limits.max_triangles)
        self.chunks.append((polys.positions, triangles.astype(np.uint32), vertex_object, vertex_kind))

    def finish(self) -> SourceModel:
        positions, triangles, vertex_object, vertex_kind = assemble(self.chunks)
        material = self._object_materials(vertex_object)
        uv = None
        if self.appearance:
            rings = RingInfo(*(np.concatenate(column) for column in zip(*self.ring_chunks, strict=True)))
            base = self.builder.appearance.materials if self.builder.appearance is not None else []
            table, material, uv = self.appearance.resolve(positions, rings, base, material)
            self.builder.set_materials(table)
        self.ring_chunks.clear()
        self.builder.add_surfaces(positions, triangles, vertex_object, vertex_kind, material, uv)
        crs = self.crs.model
        if crs is None:
            self.warn("no srsName anywhere in the file: coordinates are taken as local metres (give --crs)")
        if self.store.skipped_rings:
            self.warn(f"{self.store.skipped_rings} rings in encodings not read (gml:Ring of curves, ...) skipped")
        if self.warnings_dropped:
            self.warnings.append(f"... and {self.warnings_dropped} more warnings")
        meta = {"version": ", ".join(sorted(self.versions)), "lod": self.options.lod, "file_crs": self.crs.first,
                "warnings": self.warnings, **self.counters}
        return self.builder.build("citygml", crs, meta)


    def _object_materials(self, vertex_object: np.ndarray) -> np.ndarray | None:
        """Per vertex, the material of its object's X3DMaterial colour (citygml_attributes.py rule 5), one
        Material per distinct colour; None when no object has one. Per-polygon appearances come on top (rule 8)."""
        from viewer.city.appearance import Material

        colours = [a.get("colour") if isinstance(a.get("colour"), str) else None for a in self.builder.attributes]
        distinct = sorted({c for c in colours if c})
        if not distinct:
            return None
        index = {c: i for i, c in enumerate(distinct)}
        per_object = np.array([index.get(c, -1) if c else -1 for c in colours], np.int16)
        self.builder.set_materials([Material(f"X3DMaterial {c}", _rgb(c)) for c in distinct])
        return per_object[vertex_object] if per_object.size else None


class _ChunkReader(_Reader):
    """A _Reader that hands out a SourceModel every `per_chunk` objects (iter_chunks). At a cut every object
    read so far has chosen its LoD and been flushed, so numbering starts again at 0 with a fresh builder."""

    def __init__(self, path: Path, options: SourceConfig, limits: Limits, per_chunk: int,
                 put: Callable[[Any], None], stop: threading.Event) -> None:
        super().__init__(path, options, limits)
        self.per_chunk, self.put, self.stop = per_chunk, put, stop
        self.size = max(1, path.stat().st_size)
        self.handle: Any = None
        self.appearance.read = lambda *_: None  # type: ignore[method-assign]  # no appearances (docstring)

    def read(self, opener: Any, where: str) -> None:
        def tracked() -> Any:
            self.handle = opener()
            return self.handle

        self.where = where
        self.pending = {}
        self.pending_count = 0
        self.file_crs, self.file_dim = -1, 0
        self.main_pass = True
        try:
            with closing(NoDoctype(tracked(), self.fail)) as stream:
                self._pass(stream, self._member)
        finally:
            self.main_pass = False
        self._flush()
        self._drop_pending()

    def _member(self, member: Any) -> None:
        if self.stop.is_set():
            raise _Stopped
        super()._member(member)
        if len(self.builder.ids) >= self.per_chunk:
            self._flush()
            self._drop_pending()
            position = self.handle.tell() if hasattr(self.handle, "tell") and self.where == "" else 0
            self.put(self.take_chunk(min(1.0, position / self.size)))

    def _drop_pending(self) -> None:
        left = sum(len(v) for v in self.pending.values())
        if left:
            self.counters["unresolved_references"] += left
            self.warn(f"{left} xlink references to geometry in other members not followed (read in chunks)")
        self.pending.clear()
        self.pending_count = 0

    def take_chunk(self, fraction: float) -> SourceModel:
        """The objects read since the last cut, as a SourceModel; the reader starts a new chunk."""
        positions, triangles, vertex_object, vertex_kind = assemble(self.chunks)
        self.ring_chunks.clear()
        builder, self.builder = self.builder, SourceModelBuilder(self.name, self.limits)
        self.fallback = []
        self.vertex_total = self.triangle_total = self.emitted = 0
        builder.add_surfaces(positions, triangles, vertex_object, vertex_kind)
        meta = {"version": ", ".join(sorted(self.versions)), "lod": self.options.lod, "file_crs": self.crs.first,
                "warnings": list(self.warnings), "read_fraction": fraction, **self.counters}
        return builder.build("citygml", self.crs.model, meta)


def _rgb(colour: str) -> tuple[float, float, float]:
    """'#rrggbb' -> RGB 0..1."""
    value = int(colour.lstrip("#")[:6].ljust(6, "0"), 16)
    return ((value >> 16) / 255.0, ((value >> 8) & 255) / 255.0, (value & 255) / 255.0)


def _split(tag: str) -> tuple[str, str]:
    if not tag.startswith("{"):
        return "", tag
    ns, _, local = tag[1:].partition("}")
    return ns, local


def _dim(text: str | None) -> int:
    if text is None:
        return 0
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 3 else -1


def _int_or_none(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 3 else None


