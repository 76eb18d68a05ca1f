"""RoadGraph: the lanes traffic drives on, as directed edges with polylines, from the demo city or a SUMO net.

Rules this module keeps:
1. One graph edge per lane and direction. An edge has a polyline (positions in the graph's CRS), a length
   (the polyline's), a speed limit (m/s) and the id of the city object it belongs to (the procedural Road
   object, or the SUMO edge id, which viewer/city/sumo.py uses as the Road object id). Several edges share a
   road id (lanes, directions); `road_index` numbers the distinct ids.
2. Successors are stored as CSR arrays (succ_start, succ): the edges a vehicle may take at the end of an edge.
   Procedural graph: every lane of every street leaving the end node, U-turns only at dead ends. SUMO: the
   net's <connection>s between normal edges (lane to lane); an edge without any is a dead end.
3. SUMO positions are net coordinates minus netOffset, in the CRS of <location projParameter> (None when the
   net has no projection, "!"), exactly as viewer/city/sumo.py places the network's geometry. Only lanes that
   allow the vClass asked for (passenger by default) are kept; connections to dropped lanes are dropped.
4. Hostile nets (not XML, a DOCTYPE, missing ids or shapes, non-numeric or non-finite numbers, counts over the
   limits) raise LoadError or LimitExceeded naming the file. XML is streamed (iter_elements).
5. Point lookup is vectorised: `locate(edge, s)` interpolates along all polylines at once through one global,
   non-decreasing arc-length array (each edge's points offset by the lengths of the edges before it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city.limits import check_count, check_file
from viewer.city.sumo import stream_xml
from viewer.config import Limits
from viewer.errors import LoadError

MAX_COORD = 1e9  # metres; anything larger is a lie
_MIN_LENGTH = 0.1  # metres: shorter lanes are stretched to this so no division by zero can happen


@dataclass(frozen=True)
class RoadGraph:
    """Directed lane graph. e edges, p polyline points.

    crs: CRS of the positions (None: an engineering frame). edge_road (e,) object road ids; road_ids (r,)
    object, the distinct ids; road_index (e,) int64 into road_ids; end_road_index (e,) int64 into road_ids:
    the junction road object each edge ends in (-1: none; the procedural city's junctions are Road objects
    too); speed (e,) float64 m/s speed limit;
    length (e,) float64 metres; lanes (e,) int64: how many lanes this edge's road has in its direction.
    points (p, 3) float64; point_start (e + 1,) int64; arc (p,) float64 global arc length (rule 5);
    base (e,) float64 global arc length at each edge's first point; heading (p,) float64 degrees clockwise
    from north of the segment starting at each point. succ_start (e + 1,) int64; succ (k,) int64.
    """

    crs: str | None
    edge_road: np.ndarray
    road_ids: np.ndarray
    road_index: np.ndarray
    end_road_index: np.ndarray
    speed: np.ndarray
    length: np.ndarray
    lanes: np.ndarray
    points: np.ndarray
    point_start: np.ndarray
    arc: np.ndarray
    base: np.ndarray
    heading: np.ndarray
    succ_start: np.ndarray
    succ: np.ndarray

    @property
    def edge_count(self) -> int:
        return int(self.length.shape[0])

    def successor_count(self) -> np.ndarray:
        return np.diff(self.succ_start)

    def locate(self, edge: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions (n, 3) float64 and headings (n,) float64 of points at distance s (n,) along edges (n,)."""
        s = np.clip(s, 0.0, self.length[edge])
        k = np.searchsorted(self.arc, self.base[edge] + s, side="right") - 1
        k = np.clip(k, self.point_start[edge], self.point_start[edge + 1] - 2)
        span = self.arc[k + 1] - self.arc[k]
        t = np.divide(self.base[edge] + s - self.arc[k], span, out=np.zeros_like(span), where=span > 0)
        xyz = self.points[k] + (self.points[k + 1] - self.points[k]) * t[:, None]
        return xyz, self.heading[k]

    @classmethod
    def build(cls, crs: str | None, edge_road: np.ndarray, speed: np.ndarray, lanes: np.ndarray,
              points: np.ndarray, counts: np.ndarray, succ_from: np.ndarray, succ_to: np.ndarray,
              end_road: np.ndarray | None = None) -> RoadGraph:
        """Assemble from per-edge arrays: points (p, 3) back to back, counts (e,) >= 2 points per edge,
        successor pairs (succ_from[k] -> succ_to[k]) and the junction road id each edge ends in ("" none)."""
        e = counts.shape[0]
        start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        seg = np.diff(points, axis=0)
        seg_len = np.hypot(seg[:, 0], seg[:, 1])
        last = np.zeros(points.shape[0], bool)
        last[start[1:] - 1] = True
        seg_len[last[:-1]] = 0.0  # no segment from one edge's last point to the next edge's first
        local = np.concatenate([[0.0], np.cumsum(seg_len)])
        length = np.maximum(local[start[1:] - 1] - local[start[:-1]], _MIN_LENGTH)
        base = np.concatenate([[0.0], np.cumsum(length)[:-1]])
        edge_of_point = np.repeat(np.arange(e), counts)
        arc = base[edge_of_point] + (local - local[start[:-1]][edge_of_point])
        heading = np.degrees(np.arctan2(np.append(seg[:, 0], 0.0), np.append(seg[:, 1], 1.0))) % 360.0
        heading[last] = heading[np.maximum(np.flatnonzero(last) - 1, 0)]  # the last point keeps its segment's
        order = np.lexsort((succ_to, succ_from))
        succ_start = np.searchsorted(succ_from[order], np.arange(e + 1)).astype(np.int64)
        ends = np.full(e, "", dtype=object) if end_road is None else end_road
        road_ids, index = np.unique(np.concatenate([edge_road, ends]).astype(str), return_inverse=True)
        road_index, end_index = index[:e], index[e:]
        if road_ids[0] == "":  # "" (no junction) sorts first: drop it from the ids
            road_ids, road_index, end_index = road_ids[1:], road_index - 1, end_index - 1
        return cls(crs=crs, edge_road=edge_road, road_ids=road_ids.astype(object), road_index=road_index,
                   end_road_index=end_index,
                   speed=speed.astype(np.float64), length=length, lanes=lanes.astype(np.int64), points=points,
                   point_start=start, arc=arc, base=base, heading=heading, succ_start=succ_start,
                   succ=succ_to[order].astype(np.int64))


# ---------------------------------------------------------------- the procedural city


def from_street_graph(graph: Any, crs: str | None = "EPSG:7415") -> RoadGraph:
    """Lanes of viewer.city.procedural.StreetGraph: each street carries lanes/2 lanes each way (at least one),
    offset to the right of the centre line by (k + 0.5) lane widths. Successors: every lane of every other
    street at the end node; back along the same street only where there is no other way (a dead end)."""
    a, b = graph.edges[:, 0], graph.edges[:, 1]
    per_dir = np.maximum(graph.lanes // 2, 1)
    lane_w = graph.width / (2 * per_dir)
    street = np.repeat(np.arange(a.size), 2 * per_dir)  # lanes of street k: forward lanes, then backward
    k = np.arange(street.size) - np.repeat(np.cumsum(2 * per_dir) - 2 * per_dir, 2 * per_dir)
    backward = k >= per_dir[street]
    lane = np.where(backward, k - per_dir[street], k)
    start, end = np.where(backward, b[street], a[street]), np.where(backward, a[street], b[street])
    p0, p1 = graph.nodes[start], graph.nodes[end]
    d = p1 - p0
    right = np.stack([d[:, 1], -d[:, 0]], axis=1) / np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)[:, None]
    offset = right * ((lane + 0.5) * lane_w[street])[:, None]
    z = graph.z[street]
    points = np.stack([np.column_stack([p0 + offset, z]), np.column_stack([p1 + offset, z])], axis=1)
    succ_from, succ_to = _node_successors(start, end, street)
    speed = graph.speed_limit[street] / 3.6
    return RoadGraph.build(crs, graph.edge_road[street], speed, per_dir[street], points.reshape(-1, 3),
                           np.full(street.size, 2), succ_from, succ_to, graph.node_road[end])


def _node_successors(start: np.ndarray, end: np.ndarray, street: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (from edge, to edge) of edges meeting end-to-start at a node; U-turns only where nothing else."""
    order = np.argsort(start, kind="stable")
    first = np.searchsorted(start[order], end, side="left")
    count = np.searchsorted(start[order], end, side="right") - first
    src = np.repeat(np.arange(end.size), count)
    dst = order[np.repeat(first, count) + (np.arange(src.size) - np.repeat(np.cumsum(count) - count, count))]
    uturn = street[src] == street[dst]
    others = np.bincount(src[~uturn], minlength=end.size)
    keep = ~uturn | (others[src] == 0)
    return src[keep], dst[keep]


# ---------------------------------------------------------------- SUMO networks


def iter_elements(path: Path, limits: Limits) -> Iterator[Any]:
    """Yield the root tag, then every depth-1 element of an XML (or .gz) file once complete, then clear it.

    No entities, no DTD, no network; a DOCTYPE is refused. LoadError on malformed XML or unreadable files.
    """
    check_file(path, limits)
    yield from stream_xml(path)


def number(path: Path, elem: Any, name: str, default: float | None = None) -> float:
    """A finite float attribute of `elem` (within ±MAX_COORD), `default` when absent, else LoadError."""
    text = elem.get(name)
    if text is None:
        if default is None:
            raise LoadError(path, f"<{elem.tag}> (line {elem.sourceline}): missing attribute {name!r}")
        return default
    try:
        value = float(text)
    except ValueError:
        raise LoadError(path, f"<{elem.tag}> (line {elem.sourceline}): {name} must be a number, "
                              f"got {text[:40]!r}") from None
    if not abs(value) <= MAX_COORD:
        raise LoadError(path, f"<{elem.tag}> (line {elem.sourceline}): {name} must be finite")
    return value


@dataclass(frozen=True)
class NetLocation:
    """A SUMO <location>: offset (2,) float64 netOffset; proj the projParameter (None for "!")."""

    offset: np.ndarray
    proj: str | None

    def to_crs(self, xy: np.ndarray) -> np.ndarray:
        """Net coordinates (n, >=2) -> projected coordinates (same shape, x and y minus netOffset)."""
        out = np.array(xy, dtype=np.float64, copy=True)
        out[:, :2] -= self.offset
        return out


def parse_location(path: Path, elem: Any) -> NetLocation:
    text = elem.get("netOffset", "0,0").split(",")
    if len(text) != 2:
        raise LoadError(path, f"<location> (line {elem.sourceline}): netOffset must be 'x,y'")
    try:
        offset = np.array([float(v) for v in text])
    except ValueError:
        raise LoadError(path, f"<location> (line {elem.sourceline}): netOffset is not numeric") from None
    if not (np.abs(offset) <= MAX_COORD).all():
        raise LoadError(path, f"<location> (line {elem.sourceline}): netOffset must be finite")
    proj = (elem.get("projParameter") or "!").strip()
    return NetLocation(offset, None if proj in ("!", "") else proj)


def read_location(path: Path, limits: Limits | None = None) -> NetLocation:
    """The <location> of a .net.xml, reading no further than it (it comes first in SUMO's nets)."""
    elements = iter_elements(path, limits or Limits())
    if next(elements, None) != "net":
        raise LoadError(path, "not a SUMO network (root is not <net>)")
    for elem in elements:
        if elem.tag == "location":
            return parse_location(path, elem)
    return NetLocation(np.zeros(2), None)


def lane_allows(elem: Any, vclass: str) -> bool:
    """SUMO's permissions of a <lane>: `allow` lists the classes allowed, else `disallow` the refused ones."""
    allow, disallow = elem.get("allow"), elem.get("disallow")
    if allow is not None:
        names = allow.split()
        return vclass in names or "all" in names
    if disallow is not None:
        names = disallow.split()
        return vclass not in names and "all" not in names
    return True


class _NetLanes:
    """What from_sumo_net gathers while streaming: kept lanes and connections."""

    def __init__(self, path: Path, limits: Limits, vclass: str) -> None:
        self.path, self.limits, self.vclass = path, limits, vclass
        self.location = NetLocation(np.zeros(2), None)
        self.lane_index: dict[tuple[str, int], int] = {}
        self.road: list[str] = []
        self.speed: list[float] = []
        self.lanes: list[int] = []
        self.shapes: list[str] = []
        self.counts: list[int] = []
        self.connections: list[tuple[int, int]] = []

    def edge(self, elem: Any) -> None:
        if elem.get("function", "normal") != "normal":
            return
        edge_id = elem.get("id")
        if not edge_id:
            raise LoadError(self.path, f"<edge> (line {elem.sourceline}): missing attribute 'id'")
        kept = [(k, lane) for k, lane in enumerate(elem.iterchildren("lane")) if lane_allows(lane, self.vclass)]
        for k, lane in kept:
            shape = lane.get("shape")
            if not shape:
                raise LoadError(self.path, f"<lane> (line {lane.sourceline}): missing attribute 'shape'")
            points = shape.split()
            check_count(self.path, "points in one lane", len(points), self.limits.max_ring_vertices)
            if len(points) < 2:
                raise LoadError(self.path, f"<lane> (line {lane.sourceline}): a lane needs 2 shape points")
            index = int(number(self.path, lane, "index", default=float(k)))
            self.lane_index[(edge_id, index)] = len(self.road)
            self.road.append(edge_id)
            self.speed.append(max(number(self.path, lane, "speed", default=13.89), 0.1))
            self.lanes.append(len(kept))
            self.shapes.append(shape)
            self.counts.append(len(points))
            check_count(self.path, "lane count", len(self.road), self.limits.max_objects)

    def connection(self, elem: Any) -> None:
        src, dst = elem.get("from", ""), elem.get("to", "")
        if not src or not dst or src.startswith(":") or dst.startswith(":"):
            return  # internal (junction) connections: vehicles cross junctions straight from lane to lane
        a = self.lane_index.get((src, int(number(self.path, elem, "fromLane", default=0.0))))
        b = self.lane_index.get((dst, int(number(self.path, elem, "toLane", default=0.0))))
        if a is not None and b is not None:
            self.connections.append((a, b))
            check_count(self.path, "connection count", len(self.connections), self.limits.max_objects)

    def points(self) -> np.ndarray:
        """(p, 3) float64 of every kept lane shape, in net coordinates (z 0 where the shape is 2D)."""
        total = sum(self.counts)
        check_count(self.path, "lane shape points", total, self.limits.max_vertices)
        text = " ".join(self.shapes)
        commas = text.count(",")
        try:
            if commas == total:
                xy = np.array(text.replace(",", " ").split(), dtype=np.float64).reshape(-1, 2)
                xyz = np.column_stack([xy, np.zeros(total)])
            elif commas == 2 * total:
                xyz = np.array(text.replace(",", " ").split(), dtype=np.float64).reshape(-1, 3)
            else:  # 2D and 3D points mixed: pad each 2D point with z = 0
                tokens = [p if p.count(",") == 2 else p + ",0" for p in text.split()]
                xyz = np.array(",".join(tokens).split(","), dtype=np.float64).reshape(-1, 3)
        except ValueError:
            raise LoadError(self.path, "malformed lane shape (expected 'x,y[,z] x,y[,z] ...')") from None
        if xyz.shape[0] != total or not (np.abs(xyz) <= MAX_COORD).all():
            raise LoadError(self.path, "malformed lane shape: wrong point count or non-finite coordinates")
        return xyz


def from_sumo_net(path: Path, limits: Limits | None = None, vclass: str = "passenger",
                  crs: str | None = None) -> RoadGraph:
    """The lanes of a SUMO .net.xml that allow `vclass`, positions in the net's projected CRS (rule 3).
    crs overrides the projParameter."""
    limits = limits or Limits()
    path = Path(path)
    elements = iter_elements(path, limits)
    if next(elements, None) != "net":
        raise LoadError(path, "not a SUMO network (root is not <net>)")
    net = _NetLanes(path, limits, vclass)
    for elem in elements:
        if elem.tag == "edge":
            net.edge(elem)
        elif elem.tag == "connection":
            net.connection(elem)
        elif elem.tag == "location":
            net.location = parse_location(path, elem)
    if not net.road:
        raise LoadError(path, f"no lanes that allow {vclass!r}")
    pairs = _edge_level_fallback(np.array(net.connections, dtype=np.int64).reshape(-1, 2),
                                 np.unique(np.array(net.road, dtype=object).astype(str), return_inverse=True)[1])
    return RoadGraph.build(crs or net.location.proj, np.array(net.road, dtype=object), np.array(net.speed),
                           np.array(net.lanes), net.location.to_crs(net.points()), np.array(net.counts),
                           pairs[:, 0], pairs[:, 1])


def _edge_level_fallback(pairs: np.ndarray, lane_edge: np.ndarray) -> np.ndarray:
    """Connection pairs (k, 2) plus, for each lane with none, those of the other lanes of its edge: a vehicle on
    a lane that ends changes lanes at the end instead of getting stuck (SUMO's drivers change lanes earlier)."""
    has = np.zeros(lane_edge.size, bool)
    has[pairs[:, 0]] = True
    edge_pairs = np.unique(np.stack([lane_edge[pairs[:, 0]], pairs[:, 1]], axis=1), axis=0)  # (edge, to lane)
    lonely = np.flatnonzero(~has)
    order = np.argsort(edge_pairs[:, 0], kind="stable")
    first = np.searchsorted(edge_pairs[order, 0], lane_edge[lonely], side="left")
    count = np.searchsorted(edge_pairs[order, 0], lane_edge[lonely], side="right") - first
    src = np.repeat(lonely, count)
    pick = np.repeat(first, count) + (np.arange(src.size) - np.repeat(np.cumsum(count) - count, count))
    return np.concatenate([pairs, np.stack([src, edge_pairs[order[pick], 1]], axis=1)])
