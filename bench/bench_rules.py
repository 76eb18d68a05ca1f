"""Cost of the rules engine per update: 10,000 vehicles + 10,000 buildings, six rules, every entity tested.

    python bench/bench_rules.py [--runs 3] [--updates 200] [--entities 10000]

Each update (1 s of feed time apart) moves every vehicle's speed and every building's power a random step and
is applied to a TwinState; we time RuleEngine.evaluate alone (the apply is timed apart, for scale). Rules:
building `power > 400`, `power > 300 for 30`, `rate(power) > 5` over 60 s; vehicle `speed > 25`,
`speed < 2 for 20`, and a Python function `(speed < 1) & (age < 5)`. The updates are made before the
timed loop. Each run prints the median, p95 and max milliseconds per update, the raises and clears logged,
and the load average (1 min) before and after: the machine is shared, so read figures beside the load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from viewer.layers.rules import Rule, RuleEngine
from viewer.twin.batch import TwinUpdate, make_batch
from viewer.twin.state import TwinState

WARM_UP = 20


def rules() -> list[Rule]:
    def stopped_fresh(fields):
        return (fields["speed"] < 1.0) & (fields["age"] < 5.0)

    return [Rule.make("overload", "building", "power > 400", severity="critical", badge="!"),
            Rule.make("high for 30 s", "building", "power > 300", hold=30.0),
            Rule.make("surge", "building", "rate(power) > 5", window=60.0),
            Rule.make("speeding", "vehicle", "speed > 25", severity="info"),
            Rule.make("stuck", "vehicle", "speed < 2", hold=20.0),
            Rule.make("stopped", "vehicle", stopped_fresh, severity="info")]


def updates(n: int, count: int, seed: int = 1) -> list[TwinUpdate]:
    rng = np.random.default_rng(seed)
    vids, bids = [f"v{i}" for i in range(n)], [f"b{i}" for i in range(n)]
    speed, power = rng.uniform(0, 30, n), rng.uniform(0, 450, n)
    out = []
    for k in range(count):
        speed = np.clip(speed + rng.normal(0, 2, n), 0, 40)
        power = np.clip(power + rng.normal(0, 20, n), 0, 600)
        out.append(TwinUpdate(1.8e9 + k, {
            "vehicle": make_batch("vehicle", ids=vids, x=rng.uniform(0, 1000, n), y=rng.uniform(0, 1000, n),
                                  speed=speed, heading=rng.uniform(0, 360, n)),
            "building": make_batch("building", ids=bids, power=power)}, snapshot=k == 0))
    return out


def run(n: int, count: int) -> dict[str, float]:
    feed = updates(n, count + WARM_UP)
    state, engine = TwinState(), RuleEngine(rules())
    evaluate, apply = [], []
    for k, update in enumerate(feed):
        t0 = time.perf_counter()
        state.apply(update, update.time)
        t1 = time.perf_counter()
        engine.evaluate(state)
        t2 = time.perf_counter()
        if k >= WARM_UP:
            apply.append((t1 - t0) * 1e3)
            evaluate.append((t2 - t1) * 1e3)
    evaluate.sort()
    logged = len(engine.log) + engine.log.dropped  # raises and clears, including any the bounded log dropped
    return {"median": statistics.median(evaluate), "p95": evaluate[int(0.95 * (len(evaluate) - 1))],
            "max": evaluate[-1], "apply": statistics.median(apply), "events": logged,
            "active": len(engine.active())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--entities", type=int, default=10_000, help="vehicles, and as many buildings")
    args = parser.parse_args()
    print(f"{args.entities:,} vehicles + {args.entities:,} buildings, {len(rules())} rules, "
          f"{args.updates} updates per run (after {WARM_UP} to warm up)")
    for k in range(args.runs):
        before = os.getloadavg()[0]
        r = run(args.entities, args.updates)
        print(f"run {k + 1}: evaluate median {r['median']:.2f} ms, p95 {r['p95']:.2f} ms, max {r['max']:.2f} ms "
              f"per update (state apply {r['apply']:.2f} ms); {r['events']:,.0f} raises and clears, "
              f"{r['active']:,.0f} active at the end; load average {before:.2f} before, "
              f"{os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
