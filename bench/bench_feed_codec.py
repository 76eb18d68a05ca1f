"""Feed codec throughput: updates per second encoded, decoded, and decoded + validated + applied, per encoding.

    python bench/bench_feed_codec.py [--rows 1000] [--messages 200]

Messages are vehicle deltas of `rows` updates (lon/lat positions, heading, speed, vehicle type; z unknown),
the shape a 10 Hz traffic feed sends. "applied" is the client's whole path for one message: decode,
validate.py, TwinState.apply (rows already present, as in a steady stream). The single-update line sends
the same rows one per message, for the batching ratio. Last, one 10,000-vehicle message per encoding: what a
10 Hz frame of a large scene costs each side. Best of three runs, in one process, no sockets.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from viewer.twin.batch import VEHICLE_TYPES, TwinUpdate, make_batch
from viewer.twin.codec import decode, encode
from viewer.twin.messages import ENCODINGS, Delta
from viewer.twin.state import TwinState
from viewer.twin.validate import validate_update


def vehicle_update(rows: int, time: float, seed: int = 1, first: int = 0) -> TwinUpdate:
    rng = np.random.default_rng(seed)
    ids = [f"veh-{i:06d}" for i in range(first, first + rows)]
    batch = make_batch("vehicle", ids=ids, x=rng.uniform(4.40, 4.55, rows), y=rng.uniform(51.88, 51.95, rows),
                       heading=rng.uniform(0, 360, rows), speed=rng.uniform(0, 25, rows),
                       vtype=rng.choice(VEHICLE_TYPES, rows))
    return TwinUpdate(time=time, upserts={"vehicle": batch})


def best(fn: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def client_path(wires: list[bytes | str], state: TwinState) -> None:
    for seq, wire in enumerate(wires):
        message = decode(wire)
        clean, _ = validate_update(message.update)  # type: ignore[union-attr]
        state.apply(clean, now=float(seq))


def run(rows: int, messages: int) -> None:
    updates = [vehicle_update(rows, 1.7e9 + 0.1 * i, seed=i) for i in range(messages)]
    total = rows * messages
    print(f"{messages} messages of {rows} vehicle updates ({total:,} updates per run), best of 3")
    print(f"{'encoding':<10}{'bytes/msg':>11}{'encode /s':>14}{'decode /s':>14}{'enc+dec /s':>14}{'applied /s':>14}")
    for encoding in ENCODINGS:
        def encode_all(e: str = encoding) -> list[bytes | str]:
            return [encode(Delta(i, u), e) for i, u in enumerate(updates)]

        wires = encode_all()
        t_encode = best(encode_all)
        t_decode = best(lambda w=wires: [decode(x) for x in w])
        state = TwinState()
        state.apply(updates[0], now=0.0)
        t_apply = best(lambda s=state, w=wires: client_path(w, s))
        size = np.mean([len(w.encode() if isinstance(w, str) else w) for w in wires])
        print(f"{encoding:<10}{size:>11,.0f}{total / t_encode:>14,.0f}{total / t_decode:>14,.0f}"
              f"{total / (t_encode + t_decode):>14,.0f}{total / t_apply:>14,.0f}")
    singles = [vehicle_update(1, 1.7e9 + 0.1 * i, seed=i, first=i % rows) for i in range(min(total, 20_000))]
    for encoding in ("columns", "binary"):
        wires = [encode(Delta(i, u), encoding) for i, u in enumerate(singles)]
        state = TwinState()
        t_apply = best(lambda s=state, w=wires: client_path(w, s))
        print(f"{encoding + ' x1':<10}{'':>11}{'':>14}{'':>14}{'':>14}{len(singles) / t_apply:>14,.0f}"
              "   (one update per message)")


def big_message(rows: int = 10_000) -> None:
    """Time for one message of `rows` vehicles: server encode, client decode + validate + apply (ms)."""
    print(f"one message of {rows:,} vehicles (a 10 Hz frame of a large scene), best of 3, ms")
    for encoding in ENCODINGS:
        update = vehicle_update(rows, 1.7e9)
        state = TwinState()
        state.apply(update, now=0.0)
        t_encode = best(lambda e=encoding, u=update: encode(Delta(1, u), e))
        wire = encode(Delta(1, update), encoding)
        t_client = best(lambda s=state, w=wire: client_path([w], s))
        print(f"{encoding:<10} encode {1e3 * t_encode:6.2f}   decode+validate+apply {1e3 * t_client:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    run(args.rows, args.messages)
    big_message()


if __name__ == "__main__":
    main()
