"""The demo source: vehicles driving a RoadGraph, road congestion that follows from them, building energy.

Rules this module keeps:
1. Deterministic: every draw comes from numpy Generators seeded from `seed` (vehicles and routes from one,
   building noise from another, so the number of vehicles does not change the energy). Time is
   start_time + k * period after k steps; the wall clock is never read.
2. Vectorised over vehicles: each step is a fixed number of numpy passes (leader search by one lexsort,
   Intelligent Driver Model acceleration, edge transitions, polyline lookup); no Python loop per vehicle.
3. Traffic: each vehicle follows the vehicle ahead in its lane, or the last one on the lane it turns into
   next, with the IDM (desired speed = lane speed limit x a personal factor, capped by its type's maximum), so
   density makes congestion. Turns are random among the lane's successors; a vehicle at a dead end reappears
   at the start of a random lane (keeping its id). Bikes ride at the right edge and follow only bikes.
4. Output: vehicles at 10 Hz (those that moved or changed speed), roads once a second (those whose values
   changed; junction Road objects aggregate the lanes ending in them), buildings every `building_period`
   seconds. Road speed is the mean speed of motor vehicles, the speed limit when empty; occupancy the fraction
   of lane length covered by vehicles; flow = sum of v / lane length over vehicles, in vehicles per hour.
5. Building power (kW) = floor area x mean intensity of its use x a daily profile by use (weekday/weekend,
   local time = UTC + utc_offset hours) x (1 + AR(1) noise); energy = kWh since the previous reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from viewer.city import procedural
from viewer.city.loaders import detect_format
from viewer.city.model import ObjectTable
from viewer.city.scene import LoadedScene, load_one
from viewer.config import SceneConfig
from viewer.errors import LoadError
from viewer.geo.frame import normalize_crs
from viewer.sources.roadgraph import RoadGraph, from_street_graph, from_sumo_net
from viewer.twin.batch import TwinUpdate, make_batch

# Per vehicle type: share of the default mix, length m, maximum speed m/s, acceleration and comfortable
# deceleration m/s², desired time gap s.
VEHICLE_PARAMS = {
    "car": (0.84, 4.5, 50.0, 2.0, 3.0, 1.2),
    "truck": (0.06, 10.0, 25.0, 1.0, 2.0, 1.6),
    "bus": (0.03, 12.0, 22.0, 1.0, 2.0, 1.5),
    "motorcycle": (0.03, 2.2, 45.0, 3.0, 4.0, 1.0),
    "bike": (0.04, 1.8, 5.5, 1.0, 2.0, 1.0),
}
MIN_GAP_M = 2.0  # IDM jam distance
BIKE_OFFSET_M = 1.0  # bikes ride this far right of their lane's centre

USES = ("residential", "office", "retail", "industrial")
INTENSITY_W_M2 = np.array([4.5, 12.0, 18.0, 15.0])  # mean electric load per m² of floor, by use
WEEKEND = np.array([1.1, 0.35, 0.8, 0.6])  # Saturday and Sunday factor, by use
_PROFILES = np.array([  # 24 hourly factors (local time) per use; normalised to mean 1 below
    [.5, .45, .4, .4, .4, .5, .9, 1.3, 1.2, .8, .7, .7, .75, .7, .7, .8, 1.0, 1.4, 1.8, 1.8, 1.6, 1.3, .9, .6],
    [.3, .3, .3, .3, .3, .35, .6, 1.2, 1.8, 1.9, 1.9, 1.9, 1.8, 1.9, 1.9, 1.8, 1.6, 1.1, .6, .4, .35, .3, .3, .3],
    [.3, .3, .3, .3, .3, .3, .4, .7, 1.2, 1.6, 1.7, 1.8, 1.8, 1.8, 1.7, 1.7, 1.7, 1.7, 1.6, 1.4, 1.0, .5, .35, .3],
    [.9, .9, .9, .9, .9, .95, 1.0, 1.05, 1.1, 1.1, 1.1, 1.1, 1.05, 1.1, 1.1, 1.1, 1.05, 1.0, .95, .95, .9, .9, .9,
     .9],
])
PROFILES = _PROFILES / _PROFILES.mean(axis=1, keepdims=True)


@dataclass
class Fleet:
    """Vehicle state, n rows: edge (n,) int64 lane; s (n,) float64 metres along it; v (n,) float64 m/s;
    next_edge (n,) int64 the lane it turns into (-1: dead end); type (n,) int64 into VEHICLE_PARAMS order;
    factor (n,) float64 desired-speed factor."""

    edge: np.ndarray
    s: np.ndarray
    v: np.ndarray
    next_edge: np.ndarray
    type: np.ndarray
    factor: np.ndarray


class DemoSource:
    """Vehicles on `graph`, buildings with floor areas and uses; see the module rules."""

    name = "demo"
    kinds: tuple[str, ...] = ("vehicle", "road", "building")

    def __init__(self, graph: RoadGraph, seed: int = 1, vehicles: int = 2000, start_time: float = 0.0,
                 building_ids: Any = (), floor_area: Any = (), use: Any = (), mix: dict[str, float] | None = None,
                 period: float = 0.1, road_period: float = 1.0, building_period: float = 5.0,
                 utc_offset: float = 1.0) -> None:
        if vehicles < 0 or not period > 0 or not road_period > 0 or not building_period > 0:
            raise ValueError("vehicles must be >= 0 and the periods > 0")
        self.graph = graph
        self.crs = graph.crs or ""
        self.period = float(period)
        self.start_time, self.utc_offset = float(start_time), float(utc_offset)
        self.road_every = max(1, round(road_period / period))
        self.building_every = max(1, round(building_period / period))
        root = np.random.SeedSequence(seed % (1 << 63))
        self.rng, building_rng = (np.random.default_rng(s) for s in root.spawn(2))
        self.k = 0
        self._init_fleet(int(vehicles), mix)
        self.buildings = _Buildings(building_ids, floor_area, use, building_rng)
        self._last_v = np.full(int(vehicles), np.nan)
        self._last_roads: np.ndarray | None = None
        self._closed = False

    @classmethod
    def from_scene(cls, scene: LoadedScene | SceneConfig, seed: int = 1, vehicles: int = 2000,
                   start_time: float = 0.0, **options: Any) -> DemoSource:
        """The demo on a scene: the road graph of its procedural city or SUMO net (road_graph_for), the
        buildings of its object table (building_table). A SceneConfig is loaded first (through the cache)."""
        if isinstance(scene, LoadedScene):
            config, objects = scene.config, scene.model.objects
        else:
            config = scene
            tables = [load_one(s, config.limits).objects for s in config.sources]
            objects = ObjectTable([i for t in tables for i in t.ids], [i for t in tables for i in t.types],
                                  np.concatenate([t.parents for t in tables]),
                                  [a for t in tables for a in t.attributes])
        graph = road_graph_for(config)
        if not any(s.format == "procedural" for s in config.sources) and "mix" not in options:  # SUMO: no bikes
            options["mix"] = {"car": 0.86, "truck": 0.1, "bus": 0.04}
        ids, area, use = building_table(objects)
        return cls(graph, seed=seed, vehicles=vehicles, start_time=start_time, building_ids=ids,
                   floor_area=area, use=use, **options)

    # ------------------------------------------------------------ the Source protocol

    def start(self) -> TwinUpdate:
        t = self.start_time
        upserts = {"vehicle": self._vehicles(np.ones(self.fleet.v.size, bool)), "road": self._roads(True)}
        upserts["building"] = self.buildings.update(t, self.utc_offset, 0.0)
        return TwinUpdate(time=t, upserts=upserts, snapshot=True)

    def step(self) -> TwinUpdate | None:
        if self._closed:
            return None
        self.k += 1
        self._drive(self.period)
        t = self.start_time + self.k * self.period
        moved = (self.fleet.v > 0) | (self.fleet.v != self._last_v)
        upserts = {"vehicle": self._vehicles(moved)}
        if self.k % self.road_every == 0:
            upserts["road"] = self._roads(False)
        if self.k % self.building_every == 0:
            upserts["building"] = self.buildings.update(t, self.utc_offset, self.building_every * self.period)
        return TwinUpdate(time=t, upserts=upserts)

    def close(self) -> None:
        self._closed = True

    # ------------------------------------------------------------ traffic

    def _init_fleet(self, n: int, mix: dict[str, float] | None) -> None:
        """n vehicles on lanes drawn by length, spread evenly along each lane, at 60-100 % of the limit."""
        g, rng = self.graph, self.rng
        names = list(VEHICLE_PARAMS)
        mix = mix if mix is not None else {k: p[0] for k, p in VEHICLE_PARAMS.items()}
        shares = np.array([mix.get(k, 0.0) for k in names], float)
        if set(mix) - set(names) or not shares.sum() > 0 or not (shares >= 0).all():
            raise ValueError(f"a vehicle mix gives shares >= 0 (not all 0) of {names}, got {mix}")
        self.params = np.array([VEHICLE_PARAMS[k][1:] for k in names])  # (types, 5)
        self.type_names = np.array(names, dtype=object)
        vtype = rng.choice(len(names), size=n, p=shares / shares.sum())
        edge = rng.choice(g.edge_count, size=n, p=g.length / g.length.sum())
        order = np.lexsort((rng.random(n), edge))  # vehicles by lane, in random order within a lane
        count = np.bincount(edge, minlength=g.edge_count)
        rank = np.zeros(n)
        rank[order] = np.arange(n) - (np.cumsum(count) - count)[edge[order]]
        s = (rank + 0.5) / count[edge] * g.length[edge]
        factor = np.clip(rng.normal(1.0, 0.08, n), 0.8, 1.2)
        v = np.minimum(g.speed[edge] * factor, self.params[vtype, 1]) * rng.uniform(0.6, 1.0, n)
        self.fleet = Fleet(edge, s, v, self._choose(edge), vtype, factor)
        self.ids = np.array([f"veh-{i:06d}" for i in range(n)], dtype=object)
        self.bike = self.type_names[vtype] == "bike"

    def _choose(self, edge: np.ndarray) -> np.ndarray:
        """A random successor lane of each of edge (m,); -1 where there is none (a dead end)."""
        g = self.graph
        count = g.succ_start[edge + 1] - g.succ_start[edge]
        pick = g.succ_start[edge] + np.floor(self.rng.random(edge.size) * count).astype(np.int64)
        out = np.full(edge.size, -1, np.int64)
        out[count > 0] = g.succ[pick[count > 0]]
        return out

    def _leaders(self) -> tuple[np.ndarray, np.ndarray]:
        """Gap (n,) metres to the vehicle ahead (inf: none) and approach rate dv (n,) m/s."""
        f, length = self.fleet, self.params[self.fleet.type, 0]
        n = f.s.size
        key = f.edge * 2 + self.bike
        # One float sort key (lane, then position): 10x faster than lexsort; s < span keeps lanes apart.
        order = np.argsort(key * (self.graph.length.max() + 1.0) + f.s)
        ks = key[order]
        gap, dv = np.full(n, np.inf), np.zeros(n)
        same = ks[1:] == ks[:-1]
        me, ahead = order[:-1][same], order[1:][same]
        gap[me] = f.s[ahead] - f.s[me] - length[ahead]
        dv[me] = f.v[me] - f.v[ahead]
        last = np.ones(n, bool)
        last[me] = False
        last = np.flatnonzero(last & (f.next_edge >= 0))
        target = f.next_edge[last] * 2 + self.bike[last]
        pos = np.minimum(np.searchsorted(ks, target), n - 1)
        found = ks[pos] == target
        me, ahead = last[found], order[pos[found]]
        gap[me] = self.graph.length[f.edge[me]] - f.s[me] + f.s[ahead] - length[ahead]
        dv[me] = f.v[me] - f.v[ahead]
        return gap, dv

    def _drive(self, dt: float) -> None:
        """One IDM step, then lane changes at lane ends (a few passes for short lanes)."""
        f, g, p = self.fleet, self.graph, self.params[self.fleet.type]
        gap, dv = self._leaders()
        v0 = np.minimum(g.speed[f.edge] * f.factor, p[:, 1])
        a, b, headway = p[:, 2], p[:, 3], p[:, 4]
        desired = MIN_GAP_M + np.maximum(f.v * headway + f.v * dv / (2 * np.sqrt(a * b)), 0.0)
        acc = a * (1 - (f.v / v0) ** 4 - (desired / np.maximum(gap, 0.1)) ** 2)
        v_new = np.maximum(f.v + np.maximum(acc, -9.0) * dt, 0.0)
        f.s += (f.v + v_new) * (dt / 2)
        self._last_v, f.v = f.v, v_new  # a vehicle is sent when it moves or its speed changed (rule 4)
        for _ in range(4):
            over = np.flatnonzero(f.s >= g.length[f.edge])
            if over.size == 0:
                break
            f.s[over] -= g.length[f.edge[over]]
            dead = f.next_edge[over] < 0
            if dead.any():  # reappear at the start of a random lane
                f.next_edge[over[dead]] = self.rng.choice(g.edge_count, size=int(dead.sum()),
                                                          p=g.length / g.length.sum())
                f.s[over[dead]] = 0.0
            f.edge[over] = f.next_edge[over]
            f.next_edge[over] = self._choose(f.edge[over])
        np.minimum(f.s, g.length[f.edge], out=f.s)

    def _vehicles(self, rows: np.ndarray) -> Any:
        f = self.fleet
        xyz, heading = self.graph.locate(f.edge[rows], f.s[rows])
        bike = self.bike[rows]
        if bike.any():
            h = np.radians(heading[bike])
            xyz[bike, 0] += BIKE_OFFSET_M * np.cos(h)  # right of the direction of travel
            xyz[bike, 1] -= BIKE_OFFSET_M * np.sin(h)
        return make_batch("vehicle", ids=self.ids[rows], x=xyz[:, 0], y=xyz[:, 1], z=xyz[:, 2], heading=heading,
                          speed=f.v[rows], vtype=self.type_names[f.type[rows]])

    def _roads(self, snapshot: bool) -> Any:
        """Road metrics (rule 4); all roads in a snapshot, else those whose values changed."""
        g, f = self.graph, self.fleet
        r = len(g.road_ids)
        motor = ~self.bike
        edge = f.edge[motor]
        groups = [(g.road_index, edge), (g.end_road_index, edge)]
        lane_len = np.zeros(r)
        count, vsum, occ, flow = (np.zeros(r) for _ in range(4))
        vlen = self.params[f.type[motor], 0]
        for index, e in groups:
            ok = index[e] >= 0
            at, ee = index[e][ok], e[ok]
            count += np.bincount(at, minlength=r)
            vsum += np.bincount(at, weights=f.v[motor][ok], minlength=r)
            occ += np.bincount(at, weights=vlen[ok], minlength=r)
            flow += np.bincount(at, weights=f.v[motor][ok] / g.length[ee], minlength=r)
            has = index >= 0
            lane_len += np.bincount(index[has], weights=g.length[has], minlength=r)
        free = np.zeros(r)
        np.maximum.at(free, g.road_index, g.speed)
        np.maximum.at(free, g.end_road_index[g.end_road_index >= 0], g.speed[g.end_road_index >= 0])
        speed = np.where(count > 0, vsum / np.maximum(count, 1), free)
        values = np.stack([speed, free, np.clip(occ / np.maximum(lane_len, 1e-9), 0, 1), flow * 3600.0])
        values = values.astype(np.float32)
        rows = np.ones(r, bool) if snapshot or self._last_roads is None else \
            (values != self._last_roads).any(axis=0)
        self._last_roads = values
        return make_batch("road", ids=g.road_ids[rows], speed=values[0, rows], free_flow_speed=values[1, rows],
                          occupancy=values[2, rows], flow=values[3, rows])


class _Buildings:
    """Building energy (rule 5): ids (b,) object, floor area (b,) float64 m², use (b,) int64 into USES."""

    def __init__(self, ids: Any, floor_area: Any, use: Any, rng: np.random.Generator) -> None:
        self.ids = np.asarray(ids, dtype=object).reshape(-1)
        self.area = np.asarray(floor_area, dtype=np.float64).reshape(-1)
        self.use = np.array([USES.index(u) if u in USES else 0 for u in np.asarray(use).reshape(-1).tolist()],
                            dtype=np.int64)
        if not self.ids.size == self.area.size == self.use.size:
            raise ValueError("building ids, floor areas and uses must have the same length")
        self.rng = rng
        self.noise = rng.normal(0.0, 0.05, self.ids.size)

    def update(self, t: float, utc_offset: float, interval: float) -> Any:
        """Readings at source time t (epoch seconds): power kW, energy kWh over the last `interval` seconds."""
        local = t + utc_offset * 3600.0
        hour = (local % 86400.0) / 3600.0
        weekend = (np.floor(local / 86400.0) + 3) % 7 >= 5  # 1970-01-01 was a Thursday (Monday = 0)
        h0 = int(hour) % 24
        profile = PROFILES[:, h0] + (PROFILES[:, (h0 + 1) % 24] - PROFILES[:, h0]) * (hour - int(hour))
        factor = profile * (WEEKEND if weekend else 1.0)
        self.noise = 0.9 * self.noise + np.sqrt(1 - 0.81) * 0.05 * self.rng.normal(size=self.ids.size)
        power = np.maximum(self.area * INTENSITY_W_M2[self.use] / 1000.0 * factor[self.use] * (1 + self.noise), 0)
        return make_batch("building", ids=self.ids, power=power, energy=power * interval / 3600.0,
                          timestamp=np.full(self.ids.size, t))


def road_graph_for(config: SceneConfig) -> RoadGraph:
    """The road graph of a scene: its first procedural city's streets, else its first SUMO network's lanes."""
    for src in config.sources:
        if src.format == "procedural":
            return from_street_graph(procedural.street_graph(src.seed, src.size), procedural.CRS)
    for src in config.sources:
        if src.path is not None and (src.format or _format_of(src.path)) == "sumo-net":
            return from_sumo_net(src.path, config.limits, crs=normalize_crs(src.crs) if src.crs else None)
    raise LoadError(str(config.path or config.name), "the scene has no road network for the demo traffic "
                                                      "(a procedural city or a SUMO .net.xml)")


def _format_of(path: Any) -> str | None:
    try:
        return detect_format(path)
    except LoadError:
        return None


_USE_WORDS = (("office", 1), ("retail", 2), ("commercial", 2), ("shop", 2), ("industrial", 3), ("warehouse", 3))


def building_table(objects: ObjectTable) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Ids (b,) object, floor areas (b,) float64 m² and uses of the Building objects of a table.

    floor_area is the `floor_area` attribute, else footprint area x storeys (height / 3 m, at least 1) where
    the table knows them (a CityModel), else 100 m². use is the `use` attribute when it is one of USES, else
    guessed from words in the `use`, `function` or `type` attributes, else residential.
    """
    rows = [k for k, t in enumerate(objects.types) if t == "Building"]
    ids = np.array([objects.ids[k] for k in rows], dtype=object)
    area = np.full(len(rows), 100.0)
    if objects.footprint_area is not None and objects.height is not None and rows:
        foot = objects.footprint_area[rows].astype(np.float64)
        storeys = np.maximum(np.round(np.nan_to_num(objects.height[rows].astype(np.float64)) / 3.0), 1.0)
        area = np.where(np.isfinite(foot) & (foot > 0), foot * storeys, area)
    uses = []
    for j, k in enumerate(rows):
        attrs = objects.attributes[k]
        value = attrs.get("floor_area")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1e8:
            area[j] = float(value)
        uses.append(_use_of(attrs))
    return ids, area, uses


def _use_of(attrs: dict[str, Any]) -> str:
    if attrs.get("use") in USES:
        return str(attrs["use"])
    text = " ".join(str(attrs.get(k, "")) for k in ("use", "function", "type")).lower()
    return next((USES[code] for word, code in _USE_WORDS if word in text), "residential")
