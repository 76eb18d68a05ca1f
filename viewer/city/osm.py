"""OpenStreetMap loader (format "osm"): .osm.pbf and .osm XML through pyosmium, in EPSG:4326 (lon/lat).

Rules this module keeps:
1. One osmium FileProcessor reads the file (twice, as osmium's area assembly needs: relations, then all),
   node locations in osmium's flex_mem index (sparse for extracts, dense past a threshold: bounded by the
   file's nodes, which the file-size limit bounds). Nodes never reach Python: only ways and areas carrying
   a key of KEYS do. Any osmium failure (truncated PBF, bad XML, bad coordinate) is a LoadError naming the file.
2. Buildings: areas (closed ways, multipolygon relations with their holes) with `building` or
   `building:part` other than "no" become "Building" / "BuildingPart" objects; ids are "way/<id>" or
   "relation/<id>", tags are the attributes. Heights (metres, OSM semantics: `height` includes the roof,
   levels exclude roof levels): top = height, else building:levels x storey_height + roof height, else
   default_height; base = min_height, else building:min_level x storey_height, else 0 (ignored unless below
   top); roof height = roof:height, else roof:levels x storey_height, else one storey for a shaped roof,
   never more than top - base. Attributes "_height", "_height_source", "_min_height", "_roof" record what
   was drawn.
3. roof:shape gabled, hipped, pyramidal, skillion on a single-ring footprint that is convex once cleaned are
   closed solids from roofs.py (roof:direction, roof:orientation respected); every other building, shape or
   footprint is a prism with a flat roof at its top (extrude.py, all at once), and "_roof" says "flat".
4. A building whose outline holds a building:part (the mean of the part's outer ring) is the part's parent
   and draws nothing itself (Simple 3D Buildings: the parts replace the outline).
5. Ways with `highway` become "Road" objects, drawn as ribbons (extrude.ribbons) `width` metres wide, else
   lanes x LANE_WIDTH_M, else ROAD_WIDTHS by class (options.road_width for a class not listed), LIFT_M up.
   Tunnels (tunnel other than "no") are objects without geometry; highway areas (area=yes) are flat ROAD
   polygons; NOT_ROADS (proposed, abandoned, ...) are skipped. A drawn way of a VEHICLE_CLASSES class with
   a `lanes=` tag gets lane markings (city/lanes.py): solid lines inside both edges and dashed lines
   between its lanes (the lanes share the width equally; the split between directions is dashed too).
6. Areas matching GROUND_CLASSES (first match wins) are flat polygons at z = 0 plus their lift: water WATER,
   parks, nature and land use GROUND; so roads (LIFT_M) lie over parks, and water over land use.
7. Counts are checked as objects arrive (objects, ring vertices, a running vertex estimate), before geometry
   is built. Node references whose location is missing (an extract's cut) are dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city import roofs
from viewer.city.extrude import (
    MAX_HEIGHT_M,
    Mesh,
    extrude_polygons,
    flat_polygons,
    metres_per_degree,
    parse_length,
    ribbons,
)
from viewer.city.geojson import LIFT_M, MAX_LEVELS
from viewer.city.lanes import EDGE_INSET_M, MarkLines, marking_mesh
from viewer.city.limits import check_count
from viewer.city.model import SourceModel, SourceModelBuilder, SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import LoadError

CRS = "EPSG:4326"
LANE_WIDTH_M = 3.25
MAX_ROAD_WIDTH_M = 100.0
ROAD_WIDTHS = {  # metres by highway class, for ways without width or lanes
    "motorway": 11.0, "trunk": 10.0, "primary": 9.0, "secondary": 8.0, "tertiary": 7.0,
    "motorway_link": 6.0, "trunk_link": 6.0, "primary_link": 6.0, "secondary_link": 5.5, "tertiary_link": 5.5,
    "unclassified": 6.0, "residential": 6.0, "road": 6.0, "busway": 4.0, "living_street": 5.0,
    "service": 4.0, "pedestrian": 5.0, "construction": 5.0, "raceway": 8.0, "track": 3.0,
    "cycleway": 2.0, "footway": 2.0, "bridleway": 2.0, "steps": 2.0, "corridor": 2.0, "platform": 3.0,
    "path": 1.5,
}
VEHICLE_CLASSES = {c for c in ROAD_WIDTHS if ROAD_WIDTHS[c] >= 4.0} - {"pedestrian", "platform"}
NOT_ROADS = {"proposed", "abandoned", "razed", "disused", "no"}
GROUND_CLASSES: list[tuple[str, frozenset[str] | None, str, SurfaceKind, float]] = [
    # (key, values or None for any, object type, surface kind, lift in metres)
    ("natural", frozenset({"water"}), "Water", SurfaceKind.WATER, 0.03),
    ("waterway", frozenset({"riverbank", "dock", "canal", "basin"}), "Water", SurfaceKind.WATER, 0.03),
    ("landuse", frozenset({"reservoir", "basin"}), "Water", SurfaceKind.WATER, 0.03),
    ("leisure", frozenset({"swimming_pool"}), "Water", SurfaceKind.WATER, 0.03),
    ("amenity", frozenset({"fountain"}), "Water", SurfaceKind.WATER, 0.03),
    ("leisure", frozenset({"park", "garden", "playground", "pitch", "dog_park", "golf_course", "common",
                           "miniature_golf", "nature_reserve", "recreation_ground", "track"}),
     "Park", SurfaceKind.GROUND, 0.02),
    ("natural", frozenset({"wood", "scrub", "grassland", "heath", "beach", "sand", "wetland", "bare_rock",
                           "scree", "shingle", "grass"}), "Natural", SurfaceKind.GROUND, 0.02),
    ("landuse", None, "LandUse", SurfaceKind.GROUND, 0.01),
]
KEYS = ("building", "building:part", "highway", *sorted({c[0] for c in GROUND_CLASSES}))
_COMPASS = {name: 22.5 * k for k, name in enumerate(
    "N NNE NE ENE E ESE SE SSE S SSW SW WSW W WNW NW NNW".split())}


def load(path: Path, options: SourceConfig, limits: Limits) -> SourceModel:
    """Read an OSM PBF or XML file into a SourceModel (see module rules)."""
    collector = _Collector(path, options, limits)
    for obj in _read(path):
        if obj.is_area():
            collector.add_area(obj)
        elif obj.is_way():
            collector.add_way(obj)
    builder = SourceModelBuilder(str(path), limits)
    collector.emit(builder)
    meta = {"skipped": dict(collector.skipped), "height_sources": dict(collector.sources),
            "roofs": dict(collector.roofs)}
    return builder.build("osm", CRS, meta)


def _read(path: Path) -> Any:
    """Ways and areas with a key of KEYS, in file order; osmium's errors become LoadErrors (rule 1)."""
    import osmium  # only OSM files need it

    # The encoding from the first bytes, not the name, so format = "osm" reads a file of any name.
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None
    encoding = "pbf" if head[4:15] == b"\x0a\x09OSMHeader" else "osm"
    processor = (osmium.FileProcessor(osmium.io.File(str(path), encoding))
                 .with_locations("flex_mem")
                 .with_areas(osmium.filter.KeyFilter(*KEYS))
                 .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY | osmium.osm.AREA))
                 .with_filter(osmium.filter.KeyFilter(*KEYS)))
    iterator = iter(processor)
    while True:
        try:
            obj = next(iterator)
        except StopIteration:
            return
        except (RuntimeError, ValueError, osmium.InvalidLocationError) as exc:  # what osmium raises
            raise LoadError(path, f"not a readable OSM file: {exc}") from None
        yield obj


@dataclass
class _Record:
    """One object to emit: polygons as lists of open (k, 2) lon/lat rings (outer first), or one line."""

    id: str
    type: str
    tags: dict[str, Any]
    polygons: list[list[np.ndarray]] = field(default_factory=list)
    line: np.ndarray | None = None
    kind: SurfaceKind = SurfaceKind.GROUND
    lift: float = 0.0
    width: float = 0.0
    parent: int = -1
    hidden: bool = False  # rule 4: a building replaced by its parts


class _Collector:
    """Sorts ways and areas into buildings, ground polygons and roads as they arrive, checking counts."""

    def __init__(self, path: Path, options: SourceConfig, limits: Limits) -> None:
        self.path, self.options, self.limits = path, options, limits
        self.buildings: list[_Record] = []
        self.grounds: list[_Record] = []
        self.roads: list[_Record] = []
        self.output_vertices = 0
        self.skipped: Counter[str] = Counter()
        self.sources: Counter[str] = Counter()
        self.roofs: Counter[str] = Counter()

    def _count(self, vertices: int) -> None:
        self.output_vertices += vertices
        objects = len(self.buildings) + len(self.grounds) + len(self.roads)
        check_count(self.path, "object count", objects, self.limits.max_objects)
        check_count(self.path, "vertex count", self.output_vertices, self.limits.max_vertices)

    def _ring(self, ring: Any) -> np.ndarray:
        coords = np.array([(n.lon, n.lat) for n in ring], np.float64).reshape(-1, 2)
        check_count(self.path, "vertices in one ring or line", coords.shape[0], self.limits.max_ring_vertices)
        return coords[:-1] if coords.shape[0] > 1 and (coords[0] == coords[-1]).all() else coords

    def add_area(self, area: Any) -> None:
        tags = {t.k: t.v for t in area.tags}
        object_id = f"{'way' if area.from_way() else 'relation'}/{area.orig_id()}"
        if tags.get("building:part", "no") != "no" or tags.get("building", "no") != "no":
            part = tags.get("building:part", "no") != "no"
            record = _Record(object_id, "BuildingPart" if part else "Building", tags)
            target, per_vertex = self.buildings, 8  # roof, ground, walls; shaped roofs add a few
        elif "highway" in tags:
            if tags.get("area") != "yes":
                return  # a closed highway way (a roundabout) is a line: add_way draws it
            record = _Record(object_id, "Road", tags, kind=SurfaceKind.ROAD, lift=LIFT_M)
            target, per_vertex = self.grounds, 1
        else:
            match = _ground_class(tags)
            if match is None:
                return
            record = _Record(object_id, match[0], tags, kind=match[1], lift=match[2])
            target, per_vertex = self.grounds, 1
        vertices = 0
        for outer in area.outer_rings():
            rings = [self._ring(outer), *(self._ring(inner) for inner in area.inner_rings(outer))]
            record.polygons.append(rings)
            vertices += sum(r.shape[0] for r in rings)
        target.append(record)
        self._count(per_vertex * vertices)

    def add_way(self, way: Any) -> None:
        highway = way.tags.get("highway")
        if highway is None or way.tags.get("area") == "yes":
            return
        if highway in NOT_ROADS:
            self.skipped[f"highway={highway}"] += 1
            return
        tags = {t.k: t.v for t in way.tags}
        points = [(n.lon, n.lat) for n in way.nodes if n.location.valid()]
        check_count(self.path, "vertices in one ring or line", len(points), self.limits.max_ring_vertices)
        drawn = tags.get("tunnel", "no") == "no" and len(points) >= 2
        record = _Record(f"way/{way.id}", "Road", tags, kind=SurfaceKind.ROAD, lift=LIFT_M,
                         width=_road_width(tags, self.options.road_width),
                         line=np.array(points, np.float64).reshape(-1, 2) if drawn else None)
        self.roads.append(record)
        self._count(4 * len(points) if drawn else 0)

    def emit(self, builder: SourceModelBuilder) -> None:
        """Add every object, then the geometry of buildings, ground polygons and roads (rules 2-6)."""
        _assign_parts(self.buildings)
        records = self.buildings + self.grounds + self.roads
        for record in records:
            builder.add_object(record.id, record.type, record.tags, record.parent)
        first_road = len(self.buildings) + len(self.grounds)
        meshes = [self._buildings(), self._grounds(len(self.buildings)), self._roads(first_road),
                  self._markings(first_road)]
        for mesh, kinds in meshes:
            builder.add_surfaces(mesh.positions, mesh.triangles, mesh.vertex_item.astype(np.int32), kinds)

    def _buildings(self) -> tuple[Mesh, np.ndarray]:
        """Shaped roofs one by one through roofs.py; every other polygon as a prism, all at once."""
        shaped: list[Mesh] = []
        rings: list[np.ndarray] = []
        ring_counts, owners, bases, tops = [], [], [], []
        for index, record in enumerate(self.buildings):
            if record.hidden:
                continue
            heights = _heights(record.tags, self.options)
            self.sources[heights.source] += 1
            roof = _roof_shape(record.tags) if heights.roof > 0 else "flat"
            drawn = "flat"
            for polygon in record.polygons:
                solid = _shaped(polygon, heights, roof, record.tags) if roof != "flat" else None
                if solid is not None:
                    drawn = roof
                    shaped.append(Mesh(solid.positions, solid.triangles,
                                       np.full(solid.positions.shape[0], index, np.int64), solid.kinds))
                    continue
                rings.extend(polygon)
                ring_counts.append(len(polygon))
                owners.append(index)
                bases.append(heights.base)
                tops.append(heights.top)
            self.roofs[drawn] += 1
            record.tags.update(_height=heights.top, _height_source=heights.source, _roof=drawn)
            if heights.base > 0:
                record.tags["_min_height"] = heights.base
        prisms = Mesh.empty()
        if rings:
            prisms = extrude_polygons(_with_z(rings), [r.shape[0] for r in rings], ring_counts,
                                      np.asarray(bases), np.asarray(tops))
            prisms = prisms._replace(vertex_item=np.asarray(owners, np.int64)[prisms.vertex_item])
        mesh = Mesh.concat([prisms, *shaped])
        return mesh, mesh.vertex_kind

    def _grounds(self, first: int) -> tuple[Mesh, np.ndarray]:
        rings: list[np.ndarray] = []
        ring_counts, owners, kinds, lifts = [], [], [], []
        for index, record in enumerate(self.grounds):
            for polygon in record.polygons:
                rings.extend(polygon)
                ring_counts.append(len(polygon))
                owners.append(first + index)
                kinds.append(record.kind)
                lifts.append(record.lift)
        if not rings:
            return Mesh.empty(), np.zeros(0, np.uint8)
        mesh = flat_polygons(_with_z(rings), [r.shape[0] for r in rings], ring_counts, kinds, lifts)
        mesh = mesh._replace(vertex_item=np.asarray(owners, np.int64)[mesh.vertex_item])
        return mesh, mesh.vertex_kind

    def _roads(self, first: int) -> tuple[Mesh, np.ndarray]:
        drawn = [(first + k, r) for k, r in enumerate(self.roads) if r.line is not None]
        if not drawn:
            return Mesh.empty(), np.zeros(0, np.uint8)
        lines = [r.line for _, r in drawn if r.line is not None]
        points = _with_z(lines)
        mesh = ribbons(points, [line.shape[0] for line in lines], np.array([r.width for _, r in drawn]),
                       lift=LIFT_M, metres_per_unit=metres_per_degree(points[:, 1]))
        mesh = mesh._replace(vertex_item=np.array([k for k, _ in drawn], np.int64)[mesh.vertex_item])
        return mesh, mesh.vertex_kind


    def _markings(self, first: int) -> tuple[Mesh, np.ndarray]:
        """The lane markings of the drawn ways with a lanes tag (rule 5)."""
        lines: list[np.ndarray] = []
        offsets, dashed, owners = [], [], []
        for k, record in enumerate(self.roads):
            lanes = _lane_count(record.tags)
            if record.line is None or lanes is None:
                continue
            half = record.width / 2.0
            across = [(-(half - EDGE_INSET_M), False), (half - EDGE_INSET_M, False)]
            across += [(-half + j * record.width / lanes, True) for j in range(1, lanes)]
            for offset, dash in across:
                lines.append(record.line)
                offsets.append(offset)
                dashed.append(dash)
                owners.append(first + k)
        if not lines:
            return Mesh.empty(), np.zeros(0, np.uint8)
        points = _with_z(lines)
        mesh = marking_mesh(MarkLines(points, np.array([line.shape[0] for line in lines], np.int64),
                                      np.asarray(offsets), np.asarray(dashed, bool), np.asarray(owners, np.int64)),
                            lift=LIFT_M, metres_per_unit=metres_per_degree(points[:, 1]))
        self._count(mesh.positions.shape[0])
        return mesh, mesh.vertex_kind


def _lane_count(tags: dict[str, Any]) -> int | None:
    """The lanes of a vehicle road from its lanes tag (rule 5), None without one."""
    lanes = parse_length(tags.get("lanes"), 20)
    if lanes is None or tags.get("highway", "") not in VEHICLE_CLASSES:
        return None
    return max(1, round(lanes))


def _with_z(arrays: list[np.ndarray]) -> np.ndarray:
    """(v, 3) float64: the (k, 2) lon/lat arrays back to back at z = 0."""
    xy = np.concatenate(arrays) if arrays else np.zeros((0, 2))
    return np.column_stack([xy, np.zeros(xy.shape[0])])


def _ground_class(tags: dict[str, Any]) -> tuple[str, SurfaceKind, float] | None:
    for key, values, object_type, kind, lift in GROUND_CLASSES:
        value = tags.get(key)
        if value is not None and (values is None or value in values):
            return object_type, kind, lift
    return None


def _road_width(tags: dict[str, Any], default: float) -> float:
    """Metres: the width tag, else lanes x LANE_WIDTH_M (vehicle classes), else the class's width (rule 5)."""
    width = parse_length(tags.get("width"), MAX_ROAD_WIDTH_M)
    if width is not None:
        return width
    highway = tags.get("highway", "")
    lanes = parse_length(tags.get("lanes"), 20)
    if lanes is not None and highway in VEHICLE_CLASSES:
        return max(1.0, round(lanes)) * LANE_WIDTH_M
    return ROAD_WIDTHS.get(highway, default)


@dataclass(frozen=True)
class _Heights:
    base: float
    top: float
    roof: float  # roof height; the eave is at top - roof
    source: str


def _heights(tags: dict[str, Any], options: SourceConfig) -> _Heights:
    """Base, top and roof height in metres by rule 2."""
    storey = options.storey_height
    roof_levels = parse_length(tags.get("roof:levels"), MAX_LEVELS, True)
    roof = parse_length(tags.get("roof:height"), MAX_HEIGHT_M, True)
    if roof is None and roof_levels is not None:
        roof = roof_levels * storey
    if roof is None:
        roof = storey if _roof_shape(tags) in roofs.SHAPES else 0.0
    top = parse_length(tags.get(options.height_attribute or "height"), MAX_HEIGHT_M)
    source = "attribute"
    if top is None:
        levels = parse_length(tags.get(options.levels_attribute), MAX_LEVELS)
        top, source = (levels * storey + roof, "levels") if levels is not None else (None, "default")
    if top is None:
        top = float(options.default_height)
    base = parse_length(tags.get(options.min_height_attribute or "min_height"), MAX_HEIGHT_M, True)
    if base is None:
        min_level = parse_length(tags.get("building:min_level"), MAX_LEVELS, True)
        base = min_level * storey if min_level is not None else 0.0
    if not base < top:
        base = 0.0
    return _Heights(base, top, min(roof, top - base), source)


def _roof_shape(tags: dict[str, Any]) -> str:
    shape = str(tags.get("roof:shape", "flat")).strip().lower()
    return shape if shape in roofs.SHAPES else "flat"


def _compass(value: Any) -> float | None:
    """Degrees from a roof:direction value ("135", "SE"), None when unusable."""
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    if text in _COMPASS:
        return _COMPASS[text]
    try:
        degrees = float(text)
    except ValueError:
        return None
    return degrees % 360.0 if np.isfinite(degrees) else None


def _shaped(polygon: list[np.ndarray], heights: _Heights, shape: str, tags: dict[str, Any]) -> roofs.Solid | None:
    """The roofed solid of one single-ring polygon in lon/lat (metres up), None when it must be flat."""
    if len(polygon) != 1 or not 3 <= polygon[0].shape[0] <= roofs.MAX_VERTICES:
        return None
    ring = polygon[0]
    origin = ring[0]
    scale = metres_per_degree(np.array([origin[1]]))[0]
    local = (ring - origin) * scale
    clean = roofs.clean_ring(local)
    if not roofs.is_convex(clean):
        return None
    degrees = _compass(tags.get("roof:direction"))
    facing = roofs.compass_vector(degrees) if degrees is not None else None
    ridge = None
    if shape == "gabled":
        across = str(tags.get("roof:orientation", "")).strip().lower() == "across"
        ridge = np.array([-facing[1], facing[0]]) if facing is not None else roofs.ridge_direction(clean, across)
    solid = roofs.roofed_solid(clean, heights.base, heights.top - heights.roof, heights.roof, shape,
                               ridge=ridge, direction=facing)
    positions = solid.positions.copy()
    positions[:, :2] = positions[:, :2] / scale + origin
    return solid._replace(positions=positions)


def _assign_parts(buildings: list[_Record]) -> None:
    """Rule 4: each part's parent is the first building whose outer ring holds the mean of the part's."""
    outlines = [(k, r.polygons) for k, r in enumerate(buildings) if r.type == "Building" and r.polygons]
    if not outlines:
        return
    boxes = np.array([[min(p[0][:, 0].min() for p in polys), min(p[0][:, 1].min() for p in polys),
                       max(p[0][:, 0].max() for p in polys), max(p[0][:, 1].max() for p in polys)]
                      for _, polys in outlines])
    for record in buildings:
        if record.type != "BuildingPart" or not record.polygons:
            continue
        x, y = record.polygons[0][0].mean(axis=0)
        candidates = np.flatnonzero((boxes[:, 0] <= x) & (x <= boxes[:, 2]) & (boxes[:, 1] <= y) & (y <= boxes[:, 3]))
        for c in candidates.tolist():
            index, polys = outlines[c]
            if any(_inside(x, y, p[0]) for p in polys):
                record.parent = index
                buildings[index].hidden = True
                break


def _inside(x: float, y: float, ring: np.ndarray) -> bool:
    """Whether (x, y) is inside the open ring (k, 2) (even-odd ray casting)."""
    a, b = ring, np.roll(ring, -1, axis=0)
    crosses = (a[:, 1] > y) != (b[:, 1] > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = a[:, 0] + (y - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
    return bool(np.count_nonzero(crosses & (x < at)) % 2)
