"""GeoJSON loader (format "geojson"): building footprints extruded into prisms, lines into road ribbons.

Rules this module keeps:
1. Polygon / MultiPolygon features become one object each ("Building", or "BuildingPart" when the properties
   carry an OSM `building:part` other than "no"), extruded by extrude.extrude_polygons into closed prisms:
   roof (ROOF), walls (WALL, outer rings and holes), ground (GROUND). All roofs and grounds of the file are
   triangulated in one call; walls are built from edge arrays.
2. Height, first valid wins: options.height_attribute, the OSM `height` property ("12", "12.5 m", "40'"),
   options.levels_attribute x options.storey_height, options.default_height. The value used is recorded in
   the object's attributes as "_height" (metres) and its origin as "_height_source" ("attribute", "levels",
   "default"). options.min_height_attribute (else OSM `min_height`) lifts the base when below the height;
   it is recorded as "_min_height". Base z is the footprint's own minimum z when the ring is 3D, else 0.
3. LineString / MultiLineString features become one "Road" object each: a ribbon options.road_width metres
   wide (mitred joints, see extrude.py), at the line's z (or 0) plus LIFT_M against z-fighting with ground.
   In a lon/lat CRS the width is converted to degrees at each vertex's latitude.
4. Anything else (Point, MultiPoint, GeometryCollection, null geometry) is skipped and counted:
   meta["skipped"] (total) and meta["skipped_types"] ({type: count}).
5. CRS: options.crs, else the legacy "crs" member (normalised), else RFC 7946's OGC:CRS84 when every
   coordinate is a plausible lon/lat; otherwise None (unknown) with meta["crs_note"] saying why.
6. Hostile input: wrong structure or types, rings of fewer than 4 positions, NaN/inf, coordinates beyond
   MAX_COORD, more features than limits.max_objects or too many vertices raise LoadError (or LimitExceeded)
   naming the file; counts are checked before geometry is allocated. An unusable height property is not an
   error: the next rule of 2 applies.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city.extrude import (
    MAX_COORD,
    MAX_HEIGHT_M,
    extrude_polygons,
    metres_per_degree,
    parse_length,
    ribbons,
    ring_starts,
)
from viewer.city.limits import check_count, read_json, too_complex
from viewer.city.model import SourceModel, SourceModelBuilder, SurfaceKind
from viewer.city.triangulate import TooComplex
from viewer.config import Limits, SourceConfig
from viewer.errors import CRSError, LoadError
from viewer.geo.frame import crs_from, horizontal, normalize_crs

LIFT_M = 0.05  # roads float this far above their line so they do not flicker against ground surfaces
MAX_LEVELS = 300.0
_POLYGONS = {"Polygon", "MultiPolygon"}
_LINES = {"LineString", "MultiLineString"}
_SKIPPED = {"Point", "MultiPoint", "GeometryCollection"}


def load(path: Path, options: SourceConfig, limits: Limits) -> SourceModel:
    """Read a GeoJSON FeatureCollection, Feature or bare geometry into a SourceModel (see module rules)."""
    data = read_json(path, limits)
    features = _features(path, data, limits)
    builder = SourceModelBuilder(str(path), limits)
    collector = _Collector(path, options, limits, builder)
    for n, feature in enumerate(features):
        collector.add_feature(n, feature)
    rings = collector.stack(collector.rings, collector.ring_feature)
    lines = collector.stack(collector.lines, collector.line_feature)
    max_abs = np.abs(np.concatenate([rings[:, :2], lines[:, :2]])).max(axis=0, initial=0.0)
    crs, note = _choose_crs(path, data, options, max_abs)
    geographic = crs is not None and _is_geographic(path, crs)
    if geographic and max_abs[1] > 90:
        raise LoadError(path, f"coordinates are not lon/lat degrees although the CRS {crs} is geographic")
    try:
        collector.emit(rings, lines, geographic)
    except TooComplex as exc:
        raise too_complex(path, exc.limit, exc.value, exc.maximum) from None
    meta: dict[str, Any] = {"features": len(features), "skipped": sum(collector.skipped.values()),
                            "skipped_types": dict(collector.skipped), "height_sources": dict(collector.sources)}
    if note:
        meta["crs_note"] = note
    return builder.build("geojson", crs, meta)


def _features(path: Path, data: Any, limits: Limits) -> list[Any]:
    """The list of Feature objects, whatever the top level; LoadError when it is not GeoJSON."""
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise LoadError(path, 'not GeoJSON: a FeatureCollection needs a "features" array')
    elif kind == "Feature":
        features = [data]
    elif isinstance(kind, str) and kind in _POLYGONS | _LINES | _SKIPPED:
        features = [{"type": "Feature", "geometry": data, "properties": None}]
    else:
        raise LoadError(path, "not GeoJSON: the top level must be an object with type FeatureCollection, "
                              "Feature or a geometry")
    check_count(path, "feature count", len(features), limits.max_objects)
    return features


class _Collector:
    """Checks features one by one into flat lists of ring and line arrays; stack() validates the coordinates
    of all of them at once and emit() builds every prism and ribbon in bulk."""

    def __init__(self, path: Path, options: SourceConfig, limits: Limits, builder: SourceModelBuilder) -> None:
        self.path, self.options, self.limits, self.builder = path, options, limits, builder
        self.rings: list[np.ndarray] = []  # (k, 2|3) int or float each, closing position dropped
        self.ring_feature: list[int] = []
        self.poly_ring_counts: list[int] = []
        self.poly_object: list[int] = []
        self.poly_height: list[float] = []
        self.poly_min_height: list[float] = []
        self.lines: list[np.ndarray] = []  # (k, 2|3) int or float each
        self.line_feature: list[int] = []
        self.line_object: list[int] = []
        self.output_vertices = 0  # upper bound of the vertices the geometry will need
        self.skipped: Counter[str] = Counter()
        self.sources: Counter[str] = Counter()

    def fail(self, n: int, reason: str) -> LoadError:
        return LoadError(self.path, f"feature {n}: {reason}")

    def add_feature(self, n: int, feature: Any) -> None:
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise self.fail(n, 'not a GeoJSON Feature (needs "type": "Feature")')
        props = feature.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            raise self.fail(n, '"properties" must be an object or null')
        geometry = feature.get("geometry")
        if geometry is None:
            self.skipped["null"] += 1
            return
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if not isinstance(kind, str):
            raise self.fail(n, '"geometry" must be null or an object with a string "type"')
        if kind not in _POLYGONS and kind not in _LINES:
            self.skipped[kind if kind in _SKIPPED else "other"] += 1
            return
        coordinates = geometry.get("coordinates")
        groups = [coordinates] if kind in ("Polygon", "LineString") else coordinates
        if not isinstance(groups, list) or not all(isinstance(group, list) for group in groups):
            raise self.fail(n, f"{kind} coordinates are not nested arrays")
        if kind in _POLYGONS:
            self._add_building(n, feature, props, groups)
        else:
            self._add_road(n, feature, props, groups)

    def _array(self, n: int, value: Any, minimum: int, what: str) -> np.ndarray:
        """(k, 2|3) numeric array of one ring or line; values are checked later, in bulk, by stack()."""
        if not isinstance(value, list):
            raise self.fail(n, f"{what} must be an array of positions")
        check_count(self.path, "vertices in one ring or line", len(value), self.limits.max_ring_vertices)
        if len(value) < minimum:
            raise self.fail(n, f"{what} has {len(value)} positions, needs at least {minimum}")
        try:
            arr = np.asarray(value)  # dtype inferred, so strings, objects and ragged rows are refused below
        except (ValueError, TypeError):
            raise self.fail(n, f"{what}: positions must all have the same 2 or 3 numbers") from None
        if arr.ndim != 2 or arr.shape[1] not in (2, 3) or arr.dtype.kind not in "iuf":
            raise self.fail(n, f"{what}: positions must be arrays of 2 or 3 numbers")
        return arr

    def _add_building(self, n: int, feature: dict[str, Any], props: dict[str, Any], polygons: list[Any]) -> None:
        height, source = _height(props, self.options)
        min_height = parse_length(props.get(self.options.min_height_attribute or "min_height"), MAX_HEIGHT_M, True)
        attributes = dict(props, _height=height, _height_source=source)
        if min_height is not None and 0 < min_height < height:
            attributes["_min_height"] = min_height
        else:
            min_height = 0.0
        part = props.get("building:part") not in (None, "no", False)
        index = self.builder.add_object(_object_id(feature, props, n), "BuildingPart" if part else "Building",
                                        attributes)
        self.sources[source] += 1
        for polygon in polygons:
            for ring in polygon:
                arr = self._array(n, ring, 4, "a polygon ring")
                # GeoJSON closes rings; triangulate.py wants them open.
                self.rings.append(arr[:-1] if ring[0] == ring[-1] else arr)
                self._grow(6 * arr.shape[0])  # roof + ground + 4 per wall quad
            if polygon:
                self.ring_feature.extend([n] * len(polygon))
                self.poly_ring_counts.append(len(polygon))
                self.poly_object.append(index)
                self.poly_height.append(height)
                self.poly_min_height.append(min_height)

    def _add_road(self, n: int, feature: dict[str, Any], props: dict[str, Any], lines: list[Any]) -> None:
        index = self.builder.add_object(_object_id(feature, props, n), "Road", dict(props))
        for line in lines:
            arr = self._array(n, line, 2, "a line")
            self.lines.append(arr)
            self.line_feature.append(n)
            self.line_object.append(index)
            self._grow(4 * (arr.shape[0] - 1))

    def _grow(self, vertices: int) -> None:
        self.output_vertices += vertices
        check_count(self.path, "vertex count", self.output_vertices, self.limits.max_vertices)

    def stack(self, arrays: list[np.ndarray], owner: list[int]) -> np.ndarray:
        """(v, 3) float64 of `arrays` back to back (z = 0 for 2D ones), every value finite and within
        MAX_COORD, else a LoadError naming the feature (`owner` per array) of the first bad coordinate."""
        if not arrays:
            return np.zeros((0, 3))
        dims = {a.shape[1] for a in arrays}
        if dims == {3}:
            xyz = np.concatenate(arrays).astype(np.float64)
        elif dims == {2}:
            xyz = np.zeros((sum(a.shape[0] for a in arrays), 3))
            xyz[:, :2] = np.concatenate(arrays)
        else:  # a file mixing 2D and 3D positions (rare): pad each 2D array
            xyz = np.concatenate([np.pad(a.astype(np.float64), ((0, 0), (0, 3 - a.shape[1]))) for a in arrays])
        bad = ~(np.abs(xyz) <= MAX_COORD).all(axis=1)  # also catches NaN and inf
        if bad.any():
            ends = np.cumsum([a.shape[0] for a in arrays])
            n = owner[int(np.searchsorted(ends, np.argmax(bad), side="right"))]
            raise self.fail(n, f"coordinates must be finite and within ±{MAX_COORD:g}")
        return xyz

    def emit(self, rings: np.ndarray, lines: np.ndarray, geographic: bool) -> None:
        """Build every prism and ribbon from the stacked rings and lines and hand them to the builder."""
        if rings.shape[0]:
            lengths = np.array([r.shape[0] for r in self.rings], dtype=np.int64)
            outer = ring_starts(np.asarray(self.poly_ring_counts, np.int64))
            base_z = np.minimum.reduceat(rings[:, 2], ring_starts(lengths))[outer]
            mesh = extrude_polygons(rings, lengths, self.poly_ring_counts,
                                    base_z + np.asarray(self.poly_min_height), base_z + np.asarray(self.poly_height))
            self.builder.add_surfaces(mesh.positions, mesh.triangles,
                                      np.asarray(self.poly_object, np.int32)[mesh.vertex_item], mesh.vertex_kind)
        if lines.shape[0]:
            lines[:, 2] += LIFT_M
            scale = metres_per_degree(lines[:, 1]) if geographic else None
            mesh = ribbons(lines, [line.shape[0] for line in self.lines], self.options.road_width,
                           metres_per_unit=scale)
            self.builder.add_surfaces(mesh.positions, mesh.triangles,
                                      np.asarray(self.line_object, np.int32)[mesh.vertex_item], SurfaceKind.ROAD)


def _height(props: dict[str, Any], options: SourceConfig) -> tuple[float, str]:
    """(height in metres, source) by the rules of the module docstring."""
    for key in (options.height_attribute, "height"):
        if key is not None:
            value = parse_length(props.get(key), MAX_HEIGHT_M)
            if value is not None:
                return value, "attribute"
    levels = parse_length(props.get(options.levels_attribute), MAX_LEVELS)
    if levels is not None:
        return levels * options.storey_height, "levels"
    return float(options.default_height), "default"


def _object_id(feature: dict[str, Any], props: dict[str, Any], n: int) -> str:
    """The feature's "id", else a properties id ("id", "ID", OSM "osm_type/osm_id"), else "feature-<n>"."""
    candidates = [feature.get("id"), props.get("id"), props.get("ID")]
    for value in candidates:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    osm_id, osm_type = props.get("osm_id"), props.get("osm_type")
    if isinstance(osm_id, (str, int)) and not isinstance(osm_id, bool):
        return f"{osm_type}/{osm_id}" if isinstance(osm_type, str) else str(osm_id)
    return f"feature-{n}"


def _choose_crs(path: Path, data: Any, options: SourceConfig, max_abs: np.ndarray) -> tuple[str | None, str]:
    """(CRS, note) by rule 5 (max_abs : (2,) largest |x| and |y|); the note explains a None."""
    if options.crs:
        return normalize_crs(options.crs), ""
    member = data.get("crs")
    if member is not None:
        props = member.get("properties") if isinstance(member, dict) else None
        name = props.get("name") if isinstance(props, dict) else None
        if not isinstance(name, str) or member.get("type") != "name":
            raise LoadError(path, 'the "crs" member must be {"type": "name", "properties": {"name": <CRS>}}')
        return normalize_crs(name), ""
    if max_abs[0] <= 180 and max_abs[1] <= 90:
        return "OGC:CRS84", ""
    return None, "no CRS declared and coordinates are not lon/lat: set the source's crs"


def _is_geographic(path: Path, crs: str) -> bool:
    """Whether x, y are degrees; an unknown CRS is a LoadError naming the file."""
    try:
        return bool(horizontal(crs_from(crs)).is_geographic)
    except CRSError as exc:
        raise LoadError(path, f"unknown CRS {crs!r}: {exc.reason}") from None
