"""Replay of SUMO outputs: FCD (vehicle positions per timestep) and edgeData (road congestion per interval).

Rules this module keeps:
1. Streaming: FCD (.xml or .xml.gz) and edgeData are read one <timestep> / <interval> at a time
   (roadgraph.iter_elements: no DTD, no entities, each element freed after use), so a replay of any length
   holds one timestep in memory. At most limits.max_objects vehicles per timestep.
2. One TwinUpdate per FCD timestep at time epoch + SUMO time: vehicles that changed (position, heading, speed,
   type) are upserted, vehicles gone since the previous timestep are removed. start() is the first timestep
   as a snapshot. step() returns None after the last timestep.
3. Positions: net coordinates minus the net's netOffset, in the CRS of its projParameter (`crs` overrides it);
   FCD written with --fcd-output.geo holds lon/lat ("EPSG:4326", no offset; detected from the file's header
   or forced with geo=True). Without a net file the offset is 0 and crs is `crs` or "" (no CRS).
   SUMO's angle is degrees clockwise from north, the feed's heading convention. z is NaN where absent.
4. edgeData (<interval begin end><edge id speed occupancy density flow ...>) becomes a RoadBatch in the first
   update whose time reaches the interval's end (the latest interval wins if several ended). occupancy is
   a percentage in SUMO and a fraction here; flow is SUMO's `flow` (veh/h) where written, else NaN;
   free_flow_speed is the edge's fastest lane speed from the net, else speed / speedRelative.
   Without an FCD file, each step is the next interval.
5. Vehicle types: the vClass of the vType (from route/additional files, read_vtypes) mapped to VEHICLE_TYPES,
   else a guess from the type id (vehicle_type).
6. Malformed input (not XML, missing or non-numeric attributes, NaN/inf, too many vehicles) raises LoadError
   naming the file and the line.
"""

from __future__ import annotations

import gzip
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city.limits import check_count
from viewer.config import Limits
from viewer.errors import LoadError
from viewer.sources.base import changed, removed_ids
from viewer.sources.roadgraph import MAX_COORD, NetLocation, iter_elements, lane_allows, read_location
from viewer.twin.batch import TwinUpdate, empty_batch, make_batch

_VCLASS = {"passenger": "car", "private": "car", "taxi": "car", "emergency": "car", "authority": "car",
           "army": "car", "vip": "car", "hov": "car", "evehicle": "car", "delivery": "car", "custom1": "car",
           "custom2": "car", "truck": "truck", "trailer": "truck", "bus": "bus", "coach": "bus",
           "tram": "tram", "rail_urban": "tram", "rail": "tram", "rail_electric": "tram", "rail_fast": "tram",
           "motorcycle": "motorcycle", "moped": "motorcycle", "bicycle": "bike", "pedestrian": "pedestrian"}
# Substrings of vType ids, tried in order (motorcycle before cycle, trailer before rail).
_GUESS = (("bus", "bus"), ("coach", "bus"), ("truck", "truck"), ("trailer", "truck"), ("lorry", "truck"),
          ("motorcycle", "motorcycle"), ("moped", "motorcycle"), ("bike", "bike"), ("bicycle", "bike"),
          ("cycl", "bike"), ("tram", "tram"), ("train", "tram"), ("rail", "tram"), ("ped", "pedestrian"),
          ("person", "pedestrian"))


def vehicle_type(sumo_type: str, vclasses: dict[str, str] | None = None) -> str:
    """The feed's vehicle type for a SUMO vType id: its vClass when known, else a guess from the id, else car."""
    vclass = (vclasses or {}).get(sumo_type)
    if vclass is not None:
        return _VCLASS.get(vclass, "other")
    name = sumo_type.lower()
    return next((kind for word, kind in _GUESS if word in name), "car")


def read_vtypes(paths: list[Path], limits: Limits | None = None) -> dict[str, str]:
    """vType id -> vClass from SUMO route or additional files (vTypes without vClass are passenger)."""
    out: dict[str, str] = {}
    for path in paths:
        elements = iter_elements(Path(path), limits or Limits())
        next(elements, None)
        for elem in elements:
            if elem.tag == "vType" and elem.get("id"):
                out[str(elem.get("id"))] = str(elem.get("vClass", "passenger"))
    return out


def edge_speeds(net: Path, limits: Limits | None = None) -> dict[str, float]:
    """Normal edge id -> its fastest lane's speed (m/s) from a .net.xml."""
    out: dict[str, float] = {}
    elements = iter_elements(Path(net), limits or Limits())
    next(elements, None)
    for elem in elements:
        if elem.tag == "edge" and elem.get("function", "normal") == "normal" and elem.get("id"):
            speeds = [lane.get("speed") for lane in elem.iterchildren("lane") if lane_allows(lane, "passenger")]
            try:
                values = [float(v) for v in speeds if v is not None]
            except ValueError:
                raise LoadError(net, f"<edge> (line {elem.sourceline}): lane speed is not a number") from None
            if values and all(0 <= v < 1000 for v in values):
                out[str(elem.get("id"))] = max(values)
    return out


def _is_geo(path: Path) -> bool:
    """Was this FCD written with --fcd-output.geo? SUMO copies its configuration into the header comment."""
    try:
        with (gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")) as fh:
            head = fh.read(1 << 16)
    except (OSError, EOFError) as exc:
        raise LoadError(path, f"cannot read: {exc}") from None
    return b'fcd-output.geo value="true"' in head or b'fcd-output.geo value="1"' in head


@dataclass
class _Step:
    """One FCD timestep: time (SUMO seconds) and columns (n,) of its vehicles."""

    time: float
    ids: np.ndarray
    columns: dict[str, np.ndarray]  # x, y, z (float64), heading, speed (float32), vtype (object)


class _Columns:
    """Attribute columns of a timestep's vehicles. Vehicles are grouped by their attribute layout (SUMO writes
    one layout per file, so this is one group) and each group is converted with numpy in one go."""

    NUMERIC = ("x", "y", "z", "angle", "speed")

    def __init__(self, path: Path, elem: Any) -> None:
        self.path, self.elem = path, elem

    def read(self, vehicles: list[Any]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        groups: dict[tuple[str, ...], list[list[str]]] = {}
        for v in vehicles:
            a = v.attrib
            groups.setdefault(tuple(a.keys()), []).append(a.values())
        ids: list[np.ndarray] = []
        cols: dict[str, list[np.ndarray]] = {k: [] for k in (*self.NUMERIC, "type")}
        for keys, rows in groups.items():
            table = np.array(rows, dtype=object).reshape(len(rows), len(keys))
            if "id" not in keys:
                raise self.fail("a <vehicle> has no id")
            ids.append(table[:, keys.index("id")])
            for name in self.NUMERIC:
                cols[name].append(self.number(table, keys, name, required=name in ("x", "y")))
            cols["type"].append(table[:, keys.index("type")] if "type" in keys else
                                np.full(len(rows), "DEFAULT_VEHTYPE", dtype=object))
        return np.concatenate(ids), {k: np.concatenate(v) for k, v in cols.items()}

    def number(self, table: np.ndarray, keys: tuple[str, ...], name: str, required: bool) -> np.ndarray:
        if name not in keys:
            if required:
                raise self.fail(f"a <vehicle> has no {name!r}")
            return np.full(table.shape[0], np.nan)
        try:
            values = table[:, keys.index(name)].astype(np.float64)
        except ValueError:
            raise self.fail(f"{name} of a <vehicle> is not a number") from None
        if not (np.abs(values) <= MAX_COORD).all():
            raise self.fail(f"{name} of a <vehicle> is not finite")
        return values

    def fail(self, reason: str) -> LoadError:
        return LoadError(self.path, f"<timestep> (line {self.elem.sourceline}): {reason}")


def fcd_steps(path: Path, limits: Limits) -> Generator[_Step, None, None]:
    """The timesteps of an FCD file, in file order (columns in file coordinates, type as in the file)."""
    elements = iter_elements(path, limits)
    root = next(elements, None)
    if root != "fcd-export":
        raise LoadError(path, f"not a SUMO FCD file (root <{root}>, expected <fcd-export>)")
    last = -np.inf
    for elem in elements:
        if elem.tag != "timestep":
            continue
        vehicles = list(elem.iterchildren("vehicle"))
        check_count(path, "vehicles in one timestep", len(vehicles), limits.max_objects)
        reader = _Columns(path, elem)
        try:
            time = float(elem.get("time", "nan"))
        except ValueError:
            time = np.nan
        if not np.isfinite(time) or time < last:
            raise reader.fail(f"time must be a finite number not before {last}, got {elem.get('time')!r}")
        last = time
        ids, cols = reader.read(vehicles) if vehicles else (np.zeros(0, object), None)
        yield _Step(time, ids, cols or {k: np.zeros(0) for k in (*_Columns.NUMERIC, "type")})


def edgedata_intervals(path: Path, limits: Limits, free_flow: dict[str, float]
                       ) -> Generator[tuple[float, Any], None, None]:
    """(end time, RoadBatch) per <interval> of a SUMO edgeData (meandata) file (rule 4)."""
    elements = iter_elements(path, limits)
    root = next(elements, None)
    if root != "meandata":
        raise LoadError(path, f"not a SUMO edgeData file (root <{root}>, expected <meandata>)")
    for elem in elements:
        if elem.tag != "interval":
            continue
        edges = list(elem.iterchildren("edge"))
        check_count(path, "edges in one interval", len(edges), limits.max_objects)
        reader = _Columns(path, elem)
        keys = ("speed", "occupancy", "flow", "speedRelative")
        ids = np.array([e.get("id") for e in edges], dtype=object)
        if (ids == None).any():  # noqa: E711 - elementwise
            raise reader.fail("an <edge> has no id")
        table = np.array([[e.get(k, "nan") for k in keys] for e in edges], dtype=object).reshape(-1, 4)
        try:
            end = float(elem.get("end", "nan"))
            speed, occupancy, flow, relative = table.astype(np.float64).T
        except ValueError:
            raise reader.fail("a number of an <interval> or <edge> is not numeric") from None
        if not np.isfinite(end) or np.isinf(table.astype(np.float64)).any():
            raise reader.fail("an <interval> end or an <edge> value is not finite")
        known = np.array([free_flow.get(str(i), np.nan) for i in ids.tolist()], dtype=np.float64)
        guess = np.divide(speed, relative, out=np.full_like(speed, np.nan), where=relative > 0)
        yield end, make_batch("road", ids=ids, speed=speed, free_flow_speed=np.where(np.isnan(known), guess, known),
                              occupancy=np.clip(occupancy / 100.0, 0.0, 1.0), flow=flow)


class FcdSource:
    """Replay of a SUMO FCD file and/or an edgeData file (rules above)."""

    name = "sumo-fcd"

    def __init__(self, fcd: Path | None, net: Path | None = None, edgedata: Path | None = None,
                 crs: str | None = None, geo: bool | None = None, vtypes: dict[str, str] | None = None,
                 epoch: float = 0.0, limits: Limits | None = None) -> None:
        if fcd is None and edgedata is None:
            raise ValueError("FcdSource needs an FCD file, an edgeData file or both")
        self.limits = limits or Limits()
        self.epoch, self.vtypes = float(epoch), vtypes or {}
        self.geo = bool(fcd is not None and (_is_geo(Path(fcd)) if geo is None else geo))
        location = read_location(Path(net), self.limits) if net is not None else NetLocation(np.zeros(2), None)
        self.offset = np.zeros(2) if self.geo else location.offset
        self.crs = "EPSG:4326" if self.geo else (crs or location.proj or "")
        self.kinds = tuple(k for k, f in (("vehicle", fcd), ("road", edgedata)) if f is not None)
        free_flow = edge_speeds(Path(net), self.limits) if net is not None and edgedata is not None else {}
        self._steps = fcd_steps(Path(fcd), self.limits) if fcd is not None else None
        self._intervals = edgedata_intervals(Path(edgedata), self.limits, free_flow) if edgedata else None
        self._pending = next(self._intervals, None) if self._intervals is not None else None
        self._buffer: list[_Step] = [s for s in (self._next_fcd(), self._next_fcd()) if s is not None]
        if self._steps is not None and not self._buffer:
            raise LoadError(Path(fcd or ""), "the FCD file has no <timestep>")
        self.period = self._period()
        self._ids = np.zeros(0, dtype=object)
        self._last: dict[str, np.ndarray] = {}

    def _next_fcd(self) -> _Step | None:
        return next(self._steps, None) if self._steps is not None else None

    def _period(self) -> float:
        if len(self._buffer) == 2 and self._buffer[1].time > self._buffer[0].time:
            return self._buffer[1].time - self._buffer[0].time
        if self._steps is None and self._pending is not None:
            return 60.0  # one interval a step; SUMO's edgeData default period is the whole run: say a minute
        return 1.0

    # ------------------------------------------------------------ the Source protocol

    def start(self) -> TwinUpdate:
        update = self._advance(snapshot=True)
        return update if update is not None else TwinUpdate(time=self.epoch, snapshot=True)

    def step(self) -> TwinUpdate | None:
        return self._advance(snapshot=False)

    def close(self) -> None:
        for gen in (self._steps, self._intervals):
            if gen is not None:
                gen.close()
        self._steps = self._intervals = None
        self._buffer, self._pending = [], None

    # ------------------------------------------------------------ updates

    def _advance(self, snapshot: bool) -> TwinUpdate | None:
        if self._steps is None and self._intervals is None:
            return None
        if self._steps is None:  # edgeData only: one interval per step
            if self._pending is None:
                return None
            end, roads = self._pending
            self._pending = next(self._intervals, None) if self._intervals is not None else None
            return TwinUpdate(time=self.epoch + end, upserts={"road": roads}, snapshot=snapshot)
        if not self._buffer:
            return None
        step = self._buffer.pop(0)
        following = self._next_fcd()
        if following is not None:
            self._buffer.append(following)
        update = TwinUpdate(time=self.epoch + step.time, snapshot=snapshot)
        update.upserts["vehicle"], gone = self._vehicles(step, snapshot)
        if gone.size:
            update.removals["vehicle"] = gone
        roads = self._roads_until(step.time)
        if roads is not None or (snapshot and "road" in self.kinds):
            update.upserts["road"] = roads if roads is not None else empty_batch("road")
        return update

    def _vehicles(self, step: _Step, snapshot: bool) -> tuple[Any, np.ndarray]:
        """The vehicles of a timestep that changed since the previous one, and the ids that are gone."""
        cols = step.columns
        ids = step.ids
        kinds = np.unique(cols["type"].astype(str), return_inverse=True)
        vtype = np.array([vehicle_type(t, self.vtypes) for t in kinds[0].tolist()], dtype=object)[kinds[1]]
        values = {"x": cols["x"] - self.offset[0], "y": cols["y"] - self.offset[1], "z": cols["z"],
                  "heading": cols["angle"] % 360.0, "speed": cols["speed"]}
        rows = np.ones(ids.size, bool)
        if not snapshot and self._last and ids.size:
            order = np.argsort(self._ids.astype(str))
            sorted_ids = self._ids[order].astype(str)
            at = np.minimum(np.searchsorted(sorted_ids, ids.astype(str)), max(sorted_ids.size - 1, 0))
            seen = (sorted_ids[at] == ids.astype(str)) if sorted_ids.size else np.zeros(ids.size, bool)
            rows = ~seen
            for name, column in values.items():
                rows |= seen & changed(self._last[name][order][at], column)
            rows |= seen & (self._last["vtype"][order][at] != vtype)
        gone = removed_ids(self._ids, ids)
        self._ids, self._last = ids, {**values, "vtype": vtype}
        batch = make_batch("vehicle", ids=ids[rows], vtype=vtype[rows],
                           **{k: v[rows] for k, v in values.items()})
        return batch, gone

    def _roads_until(self, time: float) -> Any:
        """The latest edgeData interval ending at or before `time` not yet sent, or None."""
        latest = None
        while self._pending is not None and self._pending[0] <= time:
            latest = self._pending[1]
            self._pending = next(self._intervals, None) if self._intervals is not None else None
        return latest
