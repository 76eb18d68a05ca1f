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
4. Roads once per `road_period` seconds (the road layer's rate): mean speed (SUMO gives the speed limit when
   empty), occupancy (TraCI's is already a fraction, checked against SUMO 1.28), flow = vehicles x mean speed /
   edge length x 3600 (q = k v); free-flow speed = the fastest lane's limit. No edge is subscribed: SUMO would
   compute every subscribed edge every step (12 ms a step for MoST's 4,412 edges, 30x SUMO's own step). An
   empty edge's values never change, so each road step reads only the edges that can differ from the last
   read: those holding any part of a vehicle now (its edge, the route edges its tail reaches back over, their
   bidirectional twins), those that held one at the last read, and a rolling slice of all edges so that
   every edge is read again within `sweep_period` (a speed limit changed by a sign or TraCI). start() reads
   every edge. Only roads whose values changed are sent after the snapshot.
5. Deterministic: SUMO's own seed (in the config or sumo_args) decides the run; nothing reads the wall clock.
6. quiet=True silences SUMO: no loading lines, statistics or warnings on stdout (errors still raise LoadError).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from viewer.config import Limits
from viewer.errors import LoadError
from viewer.sources.base import changed, removed_ids
from viewer.sources.roadgraph import iter_elements, read_location
from viewer.sources.sumo_fcd import _VCLASS
from viewer.sources.sumo_live_roads import FLOW, FREE_FLOW, OCCUPANCY, SPEED, VEHICLE_PLACE_VARS, EdgeReader
from viewer.twin.batch import TwinUpdate, make_batch

# TraCI variable ids (traci/constants.py), spelled out so this module imports without SUMO installed.
VAR_POSITION3D, VAR_ANGLE, VAR_SPEED, VAR_VEHICLECLASS = 0x39, 0x43, 0x40, 0x49
_VEHICLE_VARS = (VAR_POSITION3D, VAR_ANGLE, VAR_SPEED, VAR_VEHICLECLASS, *VEHICLE_PLACE_VARS)
# SUMO options of every run, and those that silence it (rule 6): loading lines and the statistics a config's
# duration-log.statistics prints are "verbose". SUMO refuses an option given twice, so sumo_args override these.
_RUN_OPTIONS = {"--no-step-log": "true", "--no-warnings": "true"}
_QUIET_OPTIONS = {"--verbose": "false", "--duration-log.statistics": "false"}
_SYNONYMS = {"-W": "--no-warnings", "-v": "--verbose", "-t": "--duration-log.statistics"}
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
                 limits: Limits | None = None, quiet: bool = False, sweep_period: float = 60.0) -> None:
        self.sumocfg = Path(sumocfg)
        self.backend = backend or sumo_available()
        if self.backend not in ("libsumo", "traci"):
            raise LoadError(self.sumocfg, "SUMO is not installed here (install the `sumo` extra: "
                                          "pip install 'citiverse[sumo]')")
        location = read_location(config_net_file(self.sumocfg, limits), limits)
        self.offset, self.crs = location.offset, crs or location.proj or ""
        self.epoch, self.road_period, self.sweep_period = float(epoch), float(road_period), float(sweep_period)
        self.quiet = quiet
        self.sumo_args = tuple(sumo_args)
        self.period = _step_length(read_config(self.sumocfg, limits), self.sumo_args)  # SUMO's confirms in start()
        self.conn: Any = None
        self._ids = np.zeros(0, dtype=object)
        self._last: dict[str, np.ndarray] = {}
        self.edges: EdgeReader | None = None
        self._sent: np.ndarray | None = None
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
        self.road_every = max(1, round(self.road_period / self.period))
        self.edges = EdgeReader(self.conn, sweeps_per_period=round(self.sweep_period / (self.road_every * self.period)))
        self.edge_ids = self.edges.ids
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
        args = ["-c", str(self.sumocfg), *self._default_options(), *self.sumo_args]
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
        # quiet: the sumo process's output goes nowhere, and traci's own "Retrying" lines with it
        with contextlib.redirect_stdout(io.StringIO()) if self.quiet else contextlib.nullcontext():
            traci.start([binary, *args], label=label, stdout=subprocess.DEVNULL if self.quiet else None)
        return traci.getConnection(label)

    def _advance(self, snapshot: bool) -> TwinUpdate:
        self.conn.simulationStep()
        self._steps += 1
        t = self.epoch + self.conn.simulation.getTime() - self.period
        for vehicle in self.conn.simulation.getDepartedIDList():
            self.conn.vehicle.subscribe(vehicle, _VEHICLE_VARS)
        update = TwinUpdate(time=t, snapshot=snapshot)
        results = self.conn.vehicle.getAllSubscriptionResults()
        update.upserts["vehicle"], gone = self._vehicles(results, snapshot)
        if gone.size:
            update.removals["vehicle"] = gone
        if snapshot or (self._steps - 1) % self.road_every == 0:
            update.upserts["road"] = self._road_batch(snapshot, results)
        return update

    def _vehicles(self, results: dict[str, dict[int, Any]], snapshot: bool) -> tuple[Any, np.ndarray]:
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

    def _default_options(self) -> list[str]:
        """_RUN_OPTIONS (and _QUIET_OPTIONS when quiet) that sumo_args do not set themselves."""
        given = {_SYNONYMS.get(a, a).split("=")[0] for a in self.sumo_args if a.startswith("-")}
        options = {**_RUN_OPTIONS, **(_QUIET_OPTIONS if self.quiet else {})}
        return [text for name, value in options.items() if name not in given for text in (name, value)]

    def _road_batch(self, snapshot: bool, vehicles: dict[str, dict[int, Any]] | None = None) -> Any:
        """Every road (snapshot) or the roads whose values changed since the last batch (rule 4); `vehicles` are
        this step's subscription results (read again when not given)."""
        assert self.edges is not None
        if vehicles is None:
            vehicles = self.conn.vehicle.getAllSubscriptionResults()
        self.edges.read(vehicles, every=snapshot)
        values = self.edges.values
        keep = np.ones(values.shape[1], bool) if snapshot or self._sent is None else \
            changed(self._sent, values).any(axis=0)
        self._sent = values.copy()
        return make_batch("road", ids=self.edge_ids[keep], speed=values[SPEED, keep],
                          free_flow_speed=values[FREE_FLOW, keep], occupancy=values[OCCUPANCY, keep],
                          flow=values[FLOW, keep])
