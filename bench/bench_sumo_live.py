"""Live SUMO: wall time per simulation step of SumoLiveSource on MoST Monaco (4,412 edges, 0.25 s steps).

    python bench/bench_sumo_live.py [--begin 18000] [--steps 800] [--runs 3] [--sumocfg PATH]

Each run starts the scenario at --begin (SUMO skips vehicles that departed before it, so traffic builds up
from there: 2-105 vehicles over the first 600 s from 18000), times start() and then every step() (SUMO's
step plus the source's vehicle and road batches), and prints ms per step: mean, median, p99 and worst.
The reference line is SUMO alone stepping with the same vehicle subscriptions and no road data, the floor
the source can reach. Needs libsumo (the `sumo` extra) and ../shared/data/sumo_most_monaco.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from viewer.sources.sumo_live import SumoLiveSource

MOST = Path(__file__).resolve().parents[2] / "shared" / "data" / "sumo_most_monaco" / "most.sumocfg"
QUIET = ("--verbose", "false", "--duration-log.statistics", "false")


def window(begin: float, steps: int, period: float = 0.25) -> tuple[str, ...]:
    return ("--begin", f"{begin:g}", "--end", f"{begin + (steps + 1) * period:g}", *QUIET)


def source_run(sumocfg: Path, begin: float, steps: int) -> tuple[float, np.ndarray, int]:
    """(start() s, (steps,) ms per step(), vehicles at the end) of one SumoLiveSource run."""
    source = SumoLiveSource(sumocfg, sumo_args=window(begin, steps), backend="libsumo")
    try:
        began = time.perf_counter()
        source.start()
        started = time.perf_counter() - began
        times = np.zeros(steps)
        for k in range(steps):
            began = time.perf_counter()
            source.step()
            times[k] = (time.perf_counter() - began) * 1e3
        return started, times, int(source.conn.vehicle.getIDCount())
    finally:
        source.close()


def sumo_alone(sumocfg: Path, begin: float, steps: int) -> np.ndarray:
    """(steps,) ms per step of libsumo with position/angle/speed/class vehicle subscriptions only."""
    import libsumo

    libsumo.start(["sumo", "-c", str(sumocfg), "--no-step-log", "true", "--no-warnings", "true",
                   *window(begin, steps)])
    try:
        times = np.zeros(steps)
        for k in range(steps):
            began = time.perf_counter()
            libsumo.simulationStep()
            for vehicle in libsumo.simulation.getDepartedIDList():
                libsumo.vehicle.subscribe(vehicle, (0x39, 0x43, 0x40, 0x49))
            libsumo.vehicle.getAllSubscriptionResults()
            times[k] = (time.perf_counter() - began) * 1e3
        return times
    finally:
        libsumo.close()


def line(name: str, ms: np.ndarray) -> str:
    return (f"  {name:28s} mean {ms.mean():6.2f}  median {np.median(ms):6.2f}  p99 {np.percentile(ms, 99):6.2f}"
            f"  worst {ms.max():6.2f} ms/step")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sumocfg", type=Path, default=MOST)
    parser.add_argument("--begin", type=float, default=18000.0)
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.sumocfg.name}: {args.steps} steps from t={args.begin:g}, {args.runs} runs alternated")
    for run in range(args.runs):
        floor = sumo_alone(args.sumocfg, args.begin, args.steps)
        started, times, vehicles = source_run(args.sumocfg, args.begin, args.steps)
        print(f"run {run + 1}: start() {started:.2f} s, {vehicles} vehicles at the end")
        print(line("SumoLiveSource.step()", times))
        print(line("SUMO alone (reference)", floor))


if __name__ == "__main__":
    main()
