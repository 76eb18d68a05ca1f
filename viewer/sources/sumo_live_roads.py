"""Road data of a live SUMO run, read only where it can have changed (rule 4 of viewer/sources/sumo_live.py).

Rules this module keeps:
1. `values` (4, e) float32 holds speed, free-flow speed, occupancy and flow of every normal edge as last read;
   read(every=True) reads all edges, read() only `wanted()`: the edges holding any part of a vehicle now, the
   ones that held one at the last read (they may have emptied), and the next slice of the rolling sweep.
2. An edge holds part of a vehicle when the vehicle's front is on it, or its tail reaches back over it: the
   route edges behind the front, walked back until their shortest lane lengths cover the vehicle's length
   (junction lanes are not subtracted, so the walk errs towards reading more edges, never fewer). A
   bidirectional edge's twin counts its vehicles (SUMO's mean speed does), so it is read too.
3. The SUMO connection is passed in (libsumo or a traci connection); vehicle rows come from the source's own
   subscriptions, so finding the occupied edges costs no call except a route for vehicles whose tail sticks out.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

# TraCI variable ids (traci/constants.py), spelled out so this module imports without SUMO installed.
VAR_ROAD_ID, VAR_LANEPOSITION, VAR_LENGTH, VAR_ROUTE_INDEX = 0x50, 0x56, 0x44, 0x69
VEHICLE_PLACE_VARS = (VAR_ROAD_ID, VAR_LANEPOSITION, VAR_LENGTH, VAR_ROUTE_INDEX)
SPEED, FREE_FLOW, OCCUPANCY, FLOW = range(4)


class EdgeReader:
    """Every normal edge of the running network, and its last read road values (rules above)."""

    def __init__(self, conn: Any, sweeps_per_period: int) -> None:
        self.conn = conn
        ids = [e for e in conn.edge.getIDList() if not e.startswith(":")]
        self.ids = np.array(ids, dtype=object)
        self.index = {edge: i for i, edge in enumerate(ids)}
        self.free_flow, self.length, self.shortest_lane = self._lane_limits(ids)
        self.bidi = np.array([self.index.get(self._bidi_of(e), -1) for e in ids], np.int64)
        self.values = np.full((4, len(ids)), np.nan, np.float32)
        self.values[FREE_FLOW] = self.free_flow
        self.slice = max(1, math.ceil(len(ids) / max(1, sweeps_per_period)))
        self._cursor = 0
        self._held = np.zeros(0, np.int64)
        self.last_read = 0  # edges read by the last read() (for tests and benchmarks)

    def _lane_limits(self, edges: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(e,) float64 each: fastest lane speed (m/s), first lane length and shortest lane length (m)."""
        lane = self.conn.lane
        speed, first, shortest = [], [], []
        for e in edges:
            lanes = [f"{e}_{i}" for i in range(self.conn.edge.getLaneNumber(e))]
            lengths = [lane.getLength(name) for name in lanes]
            speed.append(max(lane.getMaxSpeed(name) for name in lanes))
            first.append(lengths[0])
            shortest.append(min(lengths))
        return (np.array(speed, np.float64), np.maximum(np.array(first, np.float64), 0.1),
                np.array(shortest, np.float64))

    def _bidi_of(self, edge: str) -> str:
        try:
            return str(self.conn.edge.getBidiEdge(edge))
        except AttributeError:  # a SUMO older than 1.15 has no getBidiEdge and no bidi mean speeds to follow
            return ""

    def read(self, vehicles: dict[str, dict[int, Any]], every: bool = False) -> np.ndarray:
        """Read the wanted edges (all of them with every=True) into `values`; their indices, (k,) int64."""
        held = self.held_by(vehicles)
        wanted = np.arange(self.ids.size) if every else np.union1d(np.union1d(held, self._held), self._sweep())
        self._held = held
        edge = self.conn.edge
        for i in wanted.tolist():
            name = self.ids[i]
            speed = edge.getLastStepMeanSpeed(name)
            count = edge.getLastStepVehicleNumber(name)
            self.values[SPEED, i] = speed
            self.values[OCCUPANCY, i] = min(max(edge.getLastStepOccupancy(name), 0.0), 1.0)
            self.values[FLOW, i] = count * speed / self.length[i] * 3600.0
        self.last_read = int(wanted.size)
        return wanted

    def _sweep(self) -> np.ndarray:
        """The next `slice` edge indices of the rolling sweep, wrapping around."""
        part = (self._cursor + np.arange(self.slice)) % self.ids.size
        self._cursor = int(part[-1] + 1) % self.ids.size
        return part

    def held_by(self, vehicles: dict[str, dict[int, Any]]) -> np.ndarray:
        """(k,) int64 sorted: the edges holding any part of these vehicles, and their bidirectional twins."""
        held: set[int] = set()
        for vehicle, row in vehicles.items():
            road = row[VAR_ROAD_ID]
            if not road:  # teleporting: on no edge
                continue
            front = self.index.get(road)
            if front is not None:
                held.add(front)
            reach = row[VAR_LENGTH] - row[VAR_LANEPOSITION]
            if reach > 0:
                held.update(self._tail(vehicle, row[VAR_ROUTE_INDEX] - (front is not None), reach))
        twins = self.bidi[list(held)] if held else np.zeros(0, np.int64)
        return np.union1d(np.fromiter(held, np.int64, len(held)), twins[twins >= 0])

    def _tail(self, vehicle: str, route_index: int, reach: float) -> list[int]:
        """Route edges from route_index backwards until their lengths cover `reach` metres (rule 2)."""
        route = self.conn.vehicle.getRoute(vehicle)
        edges = []
        for k in range(min(route_index, len(route) - 1), -1, -1):
            i = self.index.get(route[k])
            if i is None:
                break
            edges.append(i)
            reach -= self.shortest_lane[i]
            if reach <= 0:
                break
        return edges
