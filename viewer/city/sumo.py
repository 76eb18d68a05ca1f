"""SUMO loaders: road networks (format "sumo-net", .net.xml) and polygons (format "sumo-poly", .poly.xml).

Rules this module keeps:
1. XML is streamed with lxml iterparse (no entity resolution, no network, no huge_tree) and every top-level
   element is cleared and detached once handled, so memory holds the geometry arrays, not the tree. A
   document with a DOCTYPE (the only way to declare entities, hence XML bombs) is refused before its root.
2. Positions are in the projected CRS: x_proj = x_net - netOffset (from <location>). SourceModel.crs is
   options.crs, else the location's projParameter (a PROJ string), else None ("!" means no projection).
   Polygons with geo="1" are lon/lat and are projected with projParameter.
3. Net: each edge whose function is normal (internal, crossing, walkingarea and connector edges are skipped
   and counted: they are junction interiors and pedestrian furniture that the junction polygons cover) is
   one "Road" object; each of its lanes is a ROAD ribbon of the lane's width (default 3.2 m) along its shape,
   LANE_LIFT_M above its z (3D shapes keep their z). Junctions other than "internal" with a shape of >= 3
   points are "Junction" objects drawn as ROAD polygons JUNCTION_LIFT_M up, below the lanes they join.
   Lane markings (city/lanes.py), owned by the edge, on the lanes cars may use (lane_markings): a solid line
   inside the right edge of the rightmost one, dashed lines between neighbours, and on the left either a
   dashed centre line, when an edge runs the other way between the same junctions (painted once, by the
   edge whose id sorts first), or a solid edge line.
4. Poly: types starting with "building" are extruded "Building" objects (height from a "height" param,
   else a "building:levels" param x options.storey_height, else options.default_height; recorded as in
   geojson.py). Other filled polygons are flat surfaces (WATER for water types, else OTHER) of an object
   typed by the poly type, a few cm up by layer; unfilled ones (SUMO's default) are outlines lineWidth wide.
   POIs are skipped and counted.
5. Hostile input (not XML, a DOCTYPE, missing id or shape, malformed shape strings, non-numeric or
   non-finite numbers, counts over the limits) raises LoadError (or LimitExceeded) naming the file.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from lxml import etree

from viewer.city.extrude import (
    MAX_COORD,
    MAX_HEIGHT_M,
    Mesh,
    extrude_polygons,
    flat_polygons,
    parse_length,
    ribbons,
    ring_starts,
)
from viewer.city.lanes import EDGE_INSET_M, MarkLines, marking_mesh
from viewer.city.limits import check_count, check_file
from viewer.city.model import SourceModel, SourceModelBuilder, SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import CRSError, LoadError
from viewer.geo.frame import crs_from, normalize_crs

DEFAULT_LANE_WIDTH_M = 3.2  # SUMO's default lane width
LANE_LIFT_M = 0.06  # lanes above junction polygons above land-use polygons: no z-fighting between them
JUNCTION_LIFT_M = 0.04
POLY_LIFT_M, POLY_LAYER_STEP_M = 0.02, 0.002  # flat polygons: 0.01..0.03 m by layer -5..5
_NUM = r"[-+]?+(?:\d++(?:\.\d*+)?+|\.\d++)(?:[eE][-+]?+\d++)?+"  # possessive: no backtracking blow-up
_POINT = rf"{_NUM},{_NUM}(?:,{_NUM})?+"
_SHAPE = re.compile(rf"\s*+{_POINT}(?:\s++{_POINT})*+\s*+")
_NET_ROOTS, _POLY_ROOTS = {"net"}, {"additional", "shapes"}
_TRUE = {"1", "true", "True", "yes"}
_CAR_CLASSES = {"all", "passenger", "private", "taxi", "bus", "coach", "delivery", "truck", "trailer", "evehicle"}


def load(path: Path, options: SourceConfig, limits: Limits) -> SourceModel:
    """Load a SUMO .net.xml or .poly.xml; which one is decided by the root element (and options.format)."""
    check_file(path, limits)
    elements = stream_xml(path)
    root = next(elements, None)
    if root in _NET_ROOTS and options.format in (None, "sumo-net"):
        reader: _Reader = _NetReader(path, options, limits)
    elif root in _POLY_ROOTS and options.format in (None, "sumo-poly"):
        reader = _PolyReader(path, options, limits)
    else:
        raise LoadError(path, f"not a SUMO {options.format or 'network or polygon'} file (root <{root}>)")
    for element in elements:
        handler = reader.handlers.get(element.tag)
        if handler is None:
            reader.skipped[str(element.tag)] += 1
        else:
            handler(element)
    return reader.finish()


def stream_xml(path: Path) -> Iterator[Any]:
    """Yield the root tag, then each top-level element of an XML (or .xml.gz) file once complete; each is
    cleared after use (rule 1). No entities, no DTD, no network; a DOCTYPE is refused."""
    depth = 0
    try:
        with (gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")) as fh:
            for event, elem in etree.iterparse(fh, events=("start", "end"), resolve_entities=False,
                                               no_network=True, huge_tree=False, load_dtd=False,
                                               remove_comments=True, remove_pis=True):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        if elem.getroottree().docinfo.doctype:
                            raise LoadError(path, "XML with a DOCTYPE (entity declarations) is refused")
                        yield elem.tag
                    continue
                depth -= 1
                if depth == 1:
                    yield elem
                    elem.clear()
                    while elem.getprevious() is not None:
                        del elem.getparent()[0]
    except etree.LxmlError as exc:
        raise LoadError(path, f"malformed XML: {exc}") from None
    except (OSError, EOFError) as exc:
        raise LoadError(path, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None


class _Reader:
    """Common state: the builder, <location>, skip counts and the attribute parsers."""

    format = ""

    def __init__(self, path: Path, options: SourceConfig, limits: Limits) -> None:
        self.path, self.options, self.limits = path, options, limits
        self.builder = SourceModelBuilder(str(path), limits)
        self.offset = np.zeros(2)
        self.proj: str | None = None
        self.skipped: Counter[str] = Counter()
        self.output_vertices = 0
        self.handlers: dict[str, Any] = {"location": self.location}

    def fail(self, elem: Any, reason: str) -> LoadError:
        return LoadError(self.path, f"{_where(elem)}: {reason}")

    def location(self, elem: Any) -> None:
        offset = elem.get("netOffset", "0,0").split(",")
        if len(offset) != 2:
            raise self.fail(elem, f"netOffset must be 'x,y', got {elem.get('netOffset')!r}")
        self.offset = np.array([self.number(elem, "netOffset", v) for v in offset])
        proj = elem.get("projParameter", "!").strip()
        self.proj = None if proj in ("!", "") else proj

    def required(self, elem: Any, name: str) -> str:
        value = elem.get(name)
        if not value:
            raise self.fail(elem, f"missing attribute {name!r}")
        return str(value)

    def number(self, elem: Any, name: str, text: str | None = None, default: float | None = None) -> Any:
        """A finite float from attribute `name` (or `text`), `default` when absent."""
        text = elem.get(name) if text is None else text
        if text is None:
            return default
        try:
            value = float(text)
        except ValueError:
            raise self.fail(elem, f"{name} must be a number, got {text[:40]!r}") from None
        if not abs(value) <= MAX_COORD:
            raise self.fail(elem, f"{name} must be finite and within ±{MAX_COORD:g}")
        return value

    def grow(self, vertices: int) -> None:
        self.output_vertices += vertices
        check_count(self.path, "vertex count", self.output_vertices, self.limits.max_vertices)

    def to_crs(self, shapes: _Shapes) -> np.ndarray:
        """(v, 3) float64 positions of `shapes` in the output CRS (rule 2): net coordinates minus netOffset,
        lon/lat (geo) shapes projected with projParameter."""
        xyz = shapes.array()
        out = xyz.copy()
        out[:, :2] -= self.offset
        geo = np.repeat(np.asarray(shapes.geo, dtype=bool), shapes.lengths)
        if geo.any():
            if self.proj is None:
                raise LoadError(self.path, 'polygons with geo="1" need a <location> with a projParameter')
            from pyproj import Transformer  # only poly files with lon/lat shapes need it

            t = Transformer.from_crs("EPSG:4326", self.checked_crs(self.proj), always_xy=True)
            out[geo, 0], out[geo, 1] = t.transform(xyz[geo, 0], xyz[geo, 1])
            if not np.isfinite(out).all():
                raise LoadError(self.path, "lon/lat polygon coordinates cannot be projected")
        return out

    def checked_crs(self, text: str) -> Any:
        try:
            return crs_from(text)
        except CRSError as exc:
            raise LoadError(self.path, f"projParameter {text!r} is not a valid projection: {exc.reason}") from None

    def crs(self) -> str | None:
        if self.options.crs:
            return normalize_crs(self.options.crs)
        if self.proj is not None:
            self.checked_crs(self.proj)
        return self.proj

    def add(self, mesh: Mesh, owners: list[int]) -> None:
        self.builder.add_surfaces(mesh.positions, mesh.triangles, np.asarray(owners, np.int32)[mesh.vertex_item],
                                  mesh.vertex_kind)

    def finish(self) -> SourceModel:
        raise NotImplementedError

    def meta(self, **counts: Any) -> dict[str, Any]:
        return {**counts, "skipped": sum(self.skipped.values()), "skipped_types": dict(self.skipped),
                "net_offset": self.offset.tolist()}


def _where(elem: Any) -> str:
    """An element for error messages: tag, id when it has one, line."""
    ident = f" id={elem.get('id')!r}" if elem.get("id") is not None else ""
    return f"<{elem.tag}{ident}> (line {elem.sourceline})"


class _Shapes:
    """One group of shapes (lanes, junctions, buildings, ...). Each shape string is checked when read (point
    count, grammar) and kept as normalised "x,y,z" text; array() converts the whole group to numbers at once.
    SUMO omits z where it is 0, so a shape may mix 2D and 3D points."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.texts: list[str] = []
        self.lengths: list[int] = []
        self.elements: list[str] = []  # where each shape came from, for error messages
        self.geo: list[bool] = []

    def add(self, elem: Any, text: str, minimum: int, z: str = "0", ring: bool = False,
            close: bool = False, geo: bool = False) -> int:
        """Keep one shape; returns its point count, or 0 (and keeps nothing) when below `minimum` points.
        ring: drop a closing point equal to the first; close: repeat the first point at the end."""
        r = self.reader
        # A lower bound of the point count first, so a huge string is refused before the regex reads it.
        check_count(r.path, "points in one shape", text.count(",") // 2, r.limits.max_ring_vertices)
        if not _SHAPE.fullmatch(text):
            raise r.fail(elem, f"malformed shape {text[:60]!r} (expected 'x,y[,z] x,y[,z] ...')")
        points = text.split()
        check_count(r.path, "points in one shape", len(points), r.limits.max_ring_vertices)
        commas, count = text.count(","), len(points)
        if ring and len(points) > 1 and points[0] == points[-1]:
            points = points[:-1]
        if len(points) < minimum:
            return 0
        if close:
            points.append(points[0])
        if commas == count:
            joined = f",{z} ".join(points) + f",{z}"
        elif commas != 2 * count:
            arr = np.array(points)
            joined = " ".join(np.where(np.char.count(arr, ",") == 1, np.char.add(arr, f",{z}"), arr).tolist())
        else:
            joined = " ".join(points)
        self.texts.append(joined)
        self.lengths.append(len(points))
        self.elements.append(_where(elem))
        self.geo.append(geo)
        return len(points)

    def array(self) -> np.ndarray:
        """(v, 3) float64 of every shape back to back, in file coordinates; LoadError on a non-finite value."""
        if not self.texts:
            return np.zeros((0, 3))
        values = np.array(" ".join(self.texts).replace(",", " ").split(), dtype=np.float64).reshape(-1, 3)
        bad = ~(np.abs(values) <= MAX_COORD).all(axis=1)
        if bad.any():
            where = self.elements[int(np.searchsorted(np.cumsum(self.lengths), np.argmax(bad), side="right"))]
            raise LoadError(self.reader.path, f"{where}: shape coordinates must be finite and within "
                                              f"±{MAX_COORD:g}")
        return values


class _NetReader(_Reader):
    """<edge> (normal ones) -> Road objects with lane ribbons; <junction> -> Junction polygons."""

    format = "sumo-net"

    def __init__(self, path: Path, options: SourceConfig, limits: Limits) -> None:
        super().__init__(path, options, limits)
        self.handlers.update(edge=self.edge, junction=self.junction)
        self.lanes, self.junctions = _Shapes(self), _Shapes(self)
        self.lane_width: list[float] = []
        self.lane_edge: list[int] = []
        self.lane_cars: list[bool] = []
        self.edge_lanes: list[tuple[str, str, str, int, int]] = []  # (id, from, to, first lane, lane count)
        self.junction_object: list[int] = []

    def edge(self, elem: Any) -> None:
        function = elem.get("function", "normal")
        if function != "normal":
            self.skipped[f"{function} edge"] += 1
            return
        edge_id = self.required(elem, "id")
        speeds, lanes = [], 0
        for lane in elem.iterchildren("lane"):
            points = self.lanes.add(lane, self.required(lane, "shape"), 1)
            width = self.number(lane, "width", default=-1.0)
            self.lane_width.append(width if 0 < width <= 100 else DEFAULT_LANE_WIDTH_M)  # SUMO: -1 = default
            speeds.append(self.number(lane, "speed", default=0.0))
            self.lane_cars.append(_for_cars(lane.get("allow"), lane.get("disallow")))
            self.grow(4 * (points - 1))
            lanes += 1
        attributes: dict[str, Any] = {"type": elem.get("type", ""), "lanes": lanes,
                                      "speed": max(speeds, default=None), "from": elem.get("from"),
                                      "to": elem.get("to")}
        priority = self.number(elem, "priority")
        if priority is not None:
            attributes["priority"] = int(priority)
        if elem.get("name"):
            attributes["name"] = elem.get("name")
        index = self.builder.add_object(edge_id, "Road", attributes)
        self.edge_lanes.append((edge_id, str(elem.get("from")), str(elem.get("to")), len(self.lane_edge), lanes))
        self.lane_edge.extend([index] * lanes)

    def junction(self, elem: Any) -> None:
        kind = elem.get("type", "")
        if kind == "internal":
            self.skipped["internal junction"] += 1
            return
        junction_id, text = self.required(elem, "id"), elem.get("shape")
        z = repr(self.number(elem, "z", default=0.0))  # for 2D shape points
        points = self.junctions.add(elem, text, 3, z=z, ring=True) if text else 0
        if not points:
            self.skipped["junction without area"] += 1
            return
        self.junction_object.append(self.builder.add_object(junction_id, "Junction", {"type": kind}))
        self.grow(points)

    def finish(self) -> SourceModel:
        if self.junction_object:
            n = len(self.junction_object)
            self.add(flat_polygons(self.to_crs(self.junctions), self.junctions.lengths, np.ones(n, np.int64),
                                   SurfaceKind.ROAD, JUNCTION_LIFT_M), self.junction_object)
        if self.lane_edge:
            xyz = self.to_crs(self.lanes)
            xyz[:, 2] += LANE_LIFT_M
            self.add(ribbons(xyz, self.lanes.lengths, np.asarray(self.lane_width)), self.lane_edge)
            self.add_markings(xyz)
        meta = self.meta(edges=self.builder.types.count("Road"), lanes=len(self.lane_edge),
                         junctions=len(self.junction_object))
        return self.builder.build(self.format, self.crs(), meta)


    def add_markings(self, xyz: np.ndarray) -> None:
        """The lane markings of rule 3 on the lane shapes xyz (already in the output CRS and lifted)."""
        lanes, offsets, dashed = lane_markings(self.edge_lanes, self.lane_cars, self.lane_width)
        if not lanes:
            return
        lengths = np.asarray(self.lanes.lengths, np.int64)
        starts = ring_starts(lengths)
        chosen = np.asarray(lanes, np.int64)
        counts = lengths[chosen]
        rows = np.repeat(starts[chosen] - ring_starts(counts), counts) + np.arange(int(counts.sum()))
        lines = MarkLines(xyz[rows], counts, np.asarray(offsets), np.asarray(dashed, bool), np.arange(chosen.size))
        mesh = marking_mesh(lines)
        self.grow(mesh.positions.shape[0])
        self.add(mesh, np.asarray(self.lane_edge)[chosen].tolist())


def lane_markings(edges: list[tuple[str, str, str, int, int]], cars: list[bool], widths: list[float]
                  ) -> tuple[list[int], list[float], list[bool]]:
    """Which lane each marking line follows, its offset (metres, + left) and whether it is dashed (rule 3):
    edges (id, from, to, first lane, lane count), cars and widths per lane."""
    first_id: dict[tuple[str, str], str] = {}  # the smallest id of the car edges from one junction to another
    for edge_id, f, t, first, n in edges:
        if any(cars[first:first + n]) and ((f, t) not in first_id or edge_id < first_id[(f, t)]):
            first_id[(f, t)] = edge_id
    lanes: list[int] = []
    offsets: list[float] = []
    dashed: list[bool] = []

    def line(lane: int, offset: float, dash: bool) -> None:
        lanes.append(lane)
        offsets.append(offset)
        dashed.append(dash)

    for edge_id, start, end, first, count in edges:
        car = [first + k for k in range(count) if cars[first + k]]
        if not car:
            continue
        right, left = car[0], car[-1]
        line(right, -(widths[right] / 2 - EDGE_INSET_M), False)
        for lane in car[:-1]:
            line(lane, widths[lane] / 2, lane + 1 in car)
        opposite = first_id.get((end, start))
        if opposite is None:
            line(left, widths[left] / 2 - EDGE_INSET_M, False)
        elif edge_id < opposite:
            line(left, widths[left] / 2, True)
    return lanes, offsets, dashed


def _for_cars(allow: str | None, disallow: str | None) -> bool:
    """Whether a lane with these SUMO allow / disallow lists (None: absent) takes cars."""
    if allow is not None:
        return bool(_CAR_CLASSES & set(allow.split()))
    return disallow is None or not ({"all", "passenger"} & set(disallow.split()))


class _PolyReader(_Reader):
    """<poly> -> extruded buildings, flat areas or outlines (rule 4); <poi> skipped."""

    format = "sumo-poly"

    def __init__(self, path: Path, options: SourceConfig, limits: Limits) -> None:
        super().__init__(path, options, limits)
        self.handlers.update(poly=self.poly)
        self.buildings, self.areas, self.outlines = _Shapes(self), _Shapes(self), _Shapes(self)
        self.building_object: list[int] = []
        self.building_height: list[float] = []
        self.area_object: list[int] = []
        self.area_kind: list[int] = []
        self.area_layer: list[float] = []
        self.outline_object: list[int] = []
        self.outline_width: list[float] = []

    def poly(self, elem: Any) -> None:
        poly_id, kind, text = self.required(elem, "id"), elem.get("type", ""), self.required(elem, "shape")
        geo = elem.get("geo", "0") in _TRUE
        params = {str(p.get("key")): p.get("value") for p in elem.iterchildren("param")}
        attributes: dict[str, Any] = {"type": kind, "layer": elem.get("layer"), **params}
        if kind.startswith("building"):
            points = self.buildings.add(elem, text, 3, ring=True, geo=geo)
            if points:
                height, source = self.height(params)
                attributes.update(_height=height, _height_source=source)
                self.building_object.append(self.builder.add_object(poly_id, "Building", attributes))
                self.building_height.append(height)
            self.grow(6 * points)
        elif elem.get("fill", "0") in _TRUE:
            points = self.areas.add(elem, text, 3, ring=True, geo=geo)
            if points:
                self.area_object.append(self.builder.add_object(poly_id, kind or "Polygon", attributes))
                water = "water" in kind or kind.startswith("waterway")
                self.area_kind.append(SurfaceKind.WATER if water else SurfaceKind.OTHER)
                self.area_layer.append(float(np.clip(self.number(elem, "layer", default=0.0), -5, 5)))
            self.grow(points)
        else:  # an outline goes all the way round: close it
            points = self.outlines.add(elem, text, 2, ring=True, close=True, geo=geo)
            if points:
                self.outline_object.append(self.builder.add_object(poly_id, kind or "Polygon", attributes))
                width = self.number(elem, "lineWidth", default=1.0)
                self.outline_width.append(width if 0 < width <= 100 else 1.0)
            self.grow(4 * points)
        if not points:
            self.skipped["poly with too few points"] += 1

    def height(self, params: dict[str, Any]) -> tuple[float, str]:
        """(metres, source) from the "height" param, "building:levels" x storey height, or the default."""
        height = parse_length(params.get("height"), MAX_HEIGHT_M)
        if height is not None:
            return height, "attribute"
        levels = parse_length(params.get("building:levels"), 300)
        if levels is not None:
            return levels * self.options.storey_height, "levels"
        return float(self.options.default_height), "default"

    def finish(self) -> SourceModel:
        if self.building_object:
            xyz, lengths = self.to_crs(self.buildings), np.asarray(self.buildings.lengths, np.int64)
            base = np.minimum.reduceat(xyz[:, 2], ring_starts(lengths))
            self.add(extrude_polygons(xyz, lengths, np.ones(lengths.shape[0], np.int64), base,
                                      base + np.asarray(self.building_height)), self.building_object)
        if self.area_object:
            xyz, n = self.to_crs(self.areas), len(self.area_object)
            xyz[:, 2] = 0.0  # land use lies on the ground, a few cm up by its layer (rule 4)
            lift = POLY_LIFT_M + POLY_LAYER_STEP_M * np.asarray(self.area_layer)
            self.add(flat_polygons(xyz, self.areas.lengths, np.ones(n, np.int64),
                                   np.asarray(self.area_kind, np.uint8), lift), self.area_object)
        if self.outline_object:
            xyz = self.to_crs(self.outlines)
            xyz[:, 2] = POLY_LIFT_M
            self.add(ribbons(xyz, self.outlines.lengths, np.asarray(self.outline_width), kind=SurfaceKind.OTHER),
                     self.outline_object)
        meta = self.meta(buildings=len(self.building_object), areas=len(self.area_object),
                         outlines=len(self.outline_object))
        return self.builder.build(self.format, self.crs(), meta)
