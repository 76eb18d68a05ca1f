"""Live SUMO: a .sumocfg run through libsumo (in process) or TraCI (a `sumo` process), one simulation step per
source step.

Rules this module keeps:
1. Backend: libsumo when importable (fastest; one simulation per process, so a second live source at the same
   time fails with a clear error), else traci with the `sumo` binary of the eclipse-sumo package (or
   $SUMO_HOME/bin, or PATH). Neither installed: LoadError naming the config and the `sumo` extra.
2. period = SUMO's step length (from the config or --step-length in sumo_args, so known before start(); SUMO's
   own value replaces it in start()). start() runs the first step and returns its state as a snapshot; each step()
   runs one more. Update time = epoch + the time SUMO's own outputs (FCD) give that state: the simulation time
   before the step (getTime() - deltaT after it), so counts line up with a recorded FCD step for step.
   step() returns None once the configured end time has been simulated.
3. Vehicles come from vehicle subscriptions (position, angle, speed, vClass) made as each vehicle departs, so a
   step costs one call however many vehicles run; every step upserts the vehicles that changed and removes
   those gone. Positions are net coordinates minus the net's netOffset in its projParameter CRS (read from the
   net file named by the config; `crs` overrides), as viewer/city/sumo.py places the network.
4. Roads once per `road_period` seconds from edge subscriptions of every normal edge: mean speed (SUMO gives
   the speed limit when empty), occupancy (TraCI's is already a fraction, checked against SUMO 1.28),
   flow = vehicles x mean speed / edge length x 3600 (q = k v); free-flow speed = the fastest lane's limit.
   Only roads whose values changed are sent after the snapshot.
5. Deterministic: SUMO's own seed (in the config or sumo_args) decides the run; nothing reads the wall clock.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from viewer.config import Limits
from viewer.errors import LoadError
from viewer.sources.base import changed, removed_ids
from viewer.sources.roadgraph import iter_elements, read_location
from viewer.sources.sumo_fcd import _VCLASS
from viewer.twin.batch import TwinUpdate, make_batch

# TraCI variable ids (traci/constants.py), spelled out so this module imports without SUMO installed.
VAR_POSITION3D, VAR_ANGLE, VAR_SPEED, VAR_VEHICLECLASS = 0x39, 0x43, 0x40, 0x49
LAST_STEP_MEAN_SPEED, LAST_STEP_OCCUPANCY, LAST_STEP_VEHICLE_NUMBER = 0x11, 0x13, 0x10
_VEHICLE_VARS = (VAR_POSITION3D, VAR_ANGLE, VAR_SPEED, VAR_VEHICLECLASS)
_EDGE_VARS = (LAST_STEP_MEAN_SPEED, LAST_STEP_OCCUPANCY, LAST_STEP_VEHICLE_NUMBER)
_libsumo_busy = False
_labels = itertools.count()


def sumo_available() -> str | None:
    """"libsumo" or "traci" when SUMO can be run here, else None."""
    for name in ("libsumo", "traci"):
        try:
            __import__(name)
        except ImportError:
            continue
        if name == "libsumo" or _sumo_binary() is not None:
            return name
    return None


def _sumo_binary() -> str | None:
    try:
        import sumo  # the eclipse-sumo wheel

        candidate = Path(sumo.SUMO_HOME) / "bin" / "sumo"
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    home = os.environ.get("SUMO_HOME")
    if home and (Path(home) / "bin" / "sumo").exists():
        return str(Path(home) / "bin" / "sumo")
    return shutil.which("sumo")


def read_config(sumocfg: Path, limits: Limits | None = None) -> dict[str, str]:
    """The options of a .sumocfg as {name: value} (<input><net-file value=...>, <time><step-length ...>)."""
    elements = iter_elements(sumocfg, limits or Limits())
    root = next(elements, None)
    if root not in ("configuration", "sumoConfiguration"):
        raise LoadError(sumocfg, f"not a SUMO configuration (root <{root}>)")
    return {str(option.tag): str(option.get("value")) for section in elements
            for option in section.iterchildren() if isinstance(option.tag, str) and option.get("value") is not None}


def config_net_file(sumocfg: Path, limits: Limits | None = None) -> Path:
    """The net file a .sumocfg names (<input><net-file value=...>), relative to the config's folder."""
    options = read_config(sumocfg, limits)
    net = options.get("net-file") or options.get("net")
    if not net:
        raise LoadError(sumocfg, "the configuration names no net-file")
    return sumocfg.parent / net.split(",")[0].strip()


def _step_length(options: dict[str, str], sumo_args: tuple[str, ...]) -> float:
    """SUMO's step length from the command line (last wins) or the config, else SUMO's default 1 s."""
    text = options.get("step-length", "1")
    for flag, value in zip(sumo_args, sumo_args[1:], strict=False):
        if flag == "--step-length":
            text = value
    try:
        step = float(text)
    except ValueError:
        return 1.0
    return step if 0 < step < 3600 else 1.0


class SumoLiveSource:
    """A running SUMO simulation as a Source (rules above)."""

    name = "sumo-live"
    kinds: tuple[str, ...] = ("vehicle", "road")

    def __init__(self, sumocfg: Path, sumo_args: tuple[str, ...] = (), crs: str | None = None,
                 epoch: float = 0.0, road_period: float = 1.0, backend: str | None = None,
                 limits: Limits | None = None) -> None:
        self.sumocfg = Path(sumocfg)
        self.backend = backend or sumo_available()
        if self.backend not in ("libsumo", "traci"):
            raise LoadError(self.sumocfg, "SUMO is not installed here (install the `sumo` extra: "
                                          "pip install 'citiverse[sumo]')")
        location = read_location(config_net_file(self.sumocfg, limits), limits)
        self.offset, self.crs = location.offset, crs or location.proj or ""
        self.epoch, self.road_period = float(epoch), float(road_period)
        self.sumo_args = tuple(sumo_args)
        self.period = _step_length(read_config(self.sumocfg, limits), self.sumo_args)  # SUMO's confirms in start()
        self.conn: Any = None
        self._ids = np.zeros(0, dtype=object)
        self._last: dict[str, np.ndarray] = {}
        self._roads: np.ndarray | None = None
        self._steps = 0

    # ------------------------------------------------------------ the Source protocol

    def start(self) -> TwinUpdate:
        try:
            self.conn = self._launch()
        except LoadError:
            raise
        except Exception as exc:  # libsumo and traci raise their own types (TraCIException, FatalTraCIError, ...)
            raise LoadError(self.sumocfg, f"SUMO did not start: {exc}") from None
        self.period = float(self.conn.simulation.getDeltaT())
        self.end = float(self.conn.simulation.getEndTime())
        edges = [e for e in self.conn.edge.getIDList() if not e.startswith(":")]
        self.edge_ids = np.array(edges, dtype=object)
        self.free_flow, self.edge_length = self._edge_limits(edges)
        for edge in edges:
            self.conn.edge.subscribe(edge, _EDGE_VARS)
        self.road_every = max(1, round(self.road_period / self.period))
        update = self._advance(snapshot=True)
        assert update is not None
        return update

    def step(self) -> TwinUpdate | None:
        if self.conn is None:
            return None
        if 0 <= self.end <= self.conn.simulation.getTime():
            return None
        return self._advance(snapshot=False)

    def close(self) -> None:
        global _libsumo_busy
        if self.conn is None:
            return
        try:
            self.conn.close()
        finally:
            self.conn = None
            if self.backend == "libsumo":
                _libsumo_busy = False

    # ------------------------------------------------------------ SUMO

    def _launch(self) -> Any:
        global _libsumo_busy
        args = ["-c", str(self.sumocfg), "--no-step-log", "true", "--no-warnings", "true", *self.sumo_args]
        if self.backend == "libsumo":
            if _libsumo_busy:
                raise LoadError(self.sumocfg, "libsumo runs one simulation per process and one is running")
            import libsumo

            libsumo.start(["sumo", *args])
            _libsumo_busy = True
            return libsumo
        import traci

        binary = _sumo_binary()
        if binary is None:
            raise LoadError(self.sumocfg, "no `sumo` binary found (install the `sumo` extra)")
        label = f"citiverse-{os.getpid()}-{next(_labels)}"
        traci.start([binary, *args], label=label)
        return traci.getConnection(label)

    def _edge_limits(self, edges: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Fastest lane speed (m/s) and first lane length (m) of each edge, (e,) float64 each."""
        lane = self.conn.lane
        speed = [max(lane.getMaxSpeed(f"{e}_{i}") for i in range(self.conn.edge.getLaneNumber(e))) for e in edges]
        length = [lane.getLength(f"{e}_0") for e in edges]
        return np.array(speed, np.float64), np.maximum(np.array(length, np.float64), 0.1)

    def _advance(self, snapshot: bool) -> TwinUpdate:
        self.conn.simulationStep()
        self._steps += 1
        t = self.epoch + self.conn.simulation.getTime() - self.period
        for vehicle in self.conn.simulation.getDepartedIDList():
            self.conn.vehicle.subscribe(vehicle, _VEHICLE_VARS)
        update = TwinUpdate(time=t, snapshot=snapshot)
        update.upserts["vehicle"], gone = self._vehicles(snapshot)
        if gone.size:
            update.removals["vehicle"] = gone
        if snapshot or (self._steps - 1) % self.road_every == 0:
            update.upserts["road"] = self._road_batch(snapshot)
        return update

    def _vehicles(self, snapshot: bool) -> tuple[Any, np.ndarray]:
        results = self.conn.vehicle.getAllSubscriptionResults()
        ids = np.array(list(results.keys()), dtype=object)
        rows = list(results.values())
        pos = np.array([r[VAR_POSITION3D] for r in rows], np.float64).reshape(-1, 3)
        values = {"x": pos[:, 0] - self.offset[0], "y": pos[:, 1] - self.offset[1], "z": pos[:, 2],
                  "heading": np.array([r[VAR_ANGLE] for r in rows], np.float64) % 360.0,
                  "speed": np.array([r[VAR_SPEED] for r in rows], np.float64)}
        vtype = np.array([_VCLASS.get(r[VAR_VEHICLECLASS], "other") for r in rows], dtype=object)
        keep = np.ones(ids.size, bool)
        if not snapshot and self._ids.size and ids.size:
            order = np.argsort(self._ids.astype(str))
            sorted_ids = self._ids[order].astype(str)
            at = np.minimum(np.searchsorted(sorted_ids, ids.astype(str)), sorted_ids.size - 1)
            seen = sorted_ids[at] == ids.astype(str)
            keep = ~seen
            for name, column in values.items():
                keep |= seen & changed(self._last[name][order][at], column)
        gone = removed_ids(self._ids, ids)
        self._ids, self._last = ids, values
        return make_batch("vehicle", ids=ids[keep], vtype=vtype[keep], **{k: v[keep] for k, v in values.items()}), gone

    def _road_batch(self, snapshot: bool) -> Any:
        results = self.conn.edge.getAllSubscriptionResults()
        rows = [results.get(e, {}) for e in self.edge_ids.tolist()]
        speed = np.array([r.get(LAST_STEP_MEAN_SPEED, np.nan) for r in rows], np.float64)
        occupancy = np.clip(np.array([r.get(LAST_STEP_OCCUPANCY, np.nan) for r in rows], np.float64), 0, 1)
        count = np.array([r.get(LAST_STEP_VEHICLE_NUMBER, 0) for r in rows], np.float64)
        flow = count * np.nan_to_num(speed) / self.edge_length * 3600.0
        values = np.stack([speed, self.free_flow, occupancy, flow]).astype(np.float32)
        keep = np.ones(values.shape[1], bool) if snapshot or self._roads is None else \
            changed(self._roads, values).any(axis=0)
        self._roads = values
        return make_batch("road", ids=self.edge_ids[keep], speed=values[0, keep], free_flow_speed=values[1, keep],
                          occupancy=values[2, keep], flow=values[3, keep])
