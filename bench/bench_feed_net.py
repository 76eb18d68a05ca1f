"""Feed over real loopback websockets: throughput per encoding and feed-to-client latency at 10k vehicles x 10 Hz.

    python bench/bench_feed_net.py [--small 5000] [--large 300] [--seconds 5]
    python bench/bench_feed_net.py --fanout 100 [--encodings binary,columns] [--seconds 10] [--viewer-processes 2]

Everything runs as in production, on this machine: the FeedServer in a child process (its event loop on a
thread, the source on another: validate + server TwinState + per-client session encode), and in this
process a FeedClient (network thread: decode + validate) plus a "render thread" (the main thread) that
drains the client's queue and applies each update to its own TwinState. --same-process puts the server in
this process too (then both ends share one GIL).

1. Throughput: a source that emits N vehicle deltas back to back (nothing coalesced: unbounded backlog and
   queue), from the moment the client is live to the moment the render thread has applied the last one.
   Reported in updates (rows) per second, for 1-update and 1000-update messages, per encoding.
2. Latency: 10,000 vehicles, every one moving, one delta per 100 ms; the source stamps each update with the
   wall clock when it is made; the render thread polls every 1 ms and notes now - stamp at the moment the
   update is drained (received) and once it is applied. p50 / p99 / max over --seconds per encoding.
3. Fan-out (--fanout N, instead of 1 and 2): 10,000 vehicles, every one moving, 10 Hz, to N websocket viewers
   in --viewer-processes processes (asyncio clients that subscribe in one encoding and count what they
   receive, no decode). Reported per encoding: frames delivered per second (all: N x 10), the message size,
   the server process's CPU seconds per wall second (from /proc: source, validation, state, sessions,
   encoding, sockets) and that CPU per frame per viewer, the figure that says how many viewers a core holds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from viewer.net.feed_client import FeedClient
from viewer.net.feed_server import ServerOptions
from viewer.net.server_thread import ServerThread
from viewer.twin.batch import VEHICLE_TYPES, TwinUpdate, make_batch
from viewer.twin.messages import ENCODINGS
from viewer.twin.state import TwinState


class Fleet:
    """rows vehicles; each step moves all of them a little. `stamp` puts the wall clock in update.time."""

    name, crs, kinds = "bench", "EPSG:4326", ("vehicle",)

    def __init__(self, rows: int, period: float, messages: int | None = None, stamp: bool = False,
                 go: Any = None) -> None:
        rng = np.random.default_rng(1)
        self.rows, self.period, self.messages, self.stamp = rows, period, messages, stamp
        self.ids = np.array([f"veh-{i:06d}" for i in range(rows)], dtype=object)
        self.x, self.y = rng.uniform(4.40, 4.55, rows), rng.uniform(51.88, 51.95, rows)
        self.heading, self.vtype = rng.uniform(0, 360, rows), rng.choice(VEHICLE_TYPES, rows)
        self.go = go if go is not None else threading.Event()  # deltas start when the client is live
        self.k = 0
        self.t = 1.7e9

    def _update(self, snapshot: bool) -> TwinUpdate:
        self.x = self.x + 1e-6
        self.t = time.time() if self.stamp else self.t + self.period
        batch = make_batch("vehicle", ids=self.ids, x=self.x, y=self.y, heading=self.heading,
                           speed=np.full(self.rows, 12.0), vtype=self.vtype)
        return TwinUpdate(self.t, {"vehicle": batch}, snapshot=snapshot)

    def start(self) -> TwinUpdate:
        return self._update(True)

    def step(self) -> TwinUpdate | None:
        if not self.go.is_set():
            self.t += 1e-6
            return TwinUpdate(self.t)  # nothing yet
        if self.messages is not None and self.k >= self.messages:
            return None
        self.k += 1
        return self._update(False)

    def close(self) -> None:
        pass


def wait(condition, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("benchmark condition not reached")
        time.sleep(0.001)


def _serve_in_child(fleet: dict[str, Any], options: ServerOptions, go: Any, urls: Any, stop: Any) -> None:
    with ServerThread(Fleet(**fleet, go=go), options) as server:
        urls.put(server.url)
        stop.wait()


@contextlib.contextmanager
def served(fleet: dict[str, Any], options: ServerOptions, same_process: bool,
           pid: list[int] | None = None) -> Iterator[tuple[str, Any]]:
    """(url, go event) of a server of Fleet(**fleet), in a child process unless same_process (its pid is
    appended to `pid`)."""
    if same_process:
        source = Fleet(**fleet)
        with ServerThread(source, options) as server:
            yield server.url, source.go
        return
    context = multiprocessing.get_context("fork")
    go, stop, urls = context.Event(), context.Event(), context.Queue()
    child = context.Process(target=_serve_in_child, args=(fleet, options, go, urls, stop), daemon=True)
    child.start()
    if pid is not None and child.pid is not None:
        pid.append(child.pid)
    try:
        yield urls.get(timeout=60), go
    finally:
        stop.set()
        child.join(10)


def throughput(rows: int, messages: int, encoding: str, same_process: bool) -> tuple[float, float]:
    """(updates per second, messages per second) from live to the last update applied."""
    options = ServerOptions(port=0, max_backlog=10**7, status_every=1e9)
    with served({"rows": rows, "period": 1e-5, "messages": messages}, options, same_process) as (url, go):
        with FeedClient(url, encodings=(encoding,), queue_size=10**7) as client:
            twin = TwinState(("vehicle",))
            wait(lambda: client.status().state == "live")
            for update, reset in client.drain():
                twin.apply(update, 0.0, reset=reset)
            applied = 0
            start = time.perf_counter()
            go.set()
            while applied < messages:
                for update, reset in client.drain():
                    twin.apply(update, 0.0, reset=reset)
                    applied += update.count() > 0 and not update.snapshot
                time.sleep(0.0005)
            elapsed = time.perf_counter() - start
            assert client.coalesced == 0
    return rows * messages / elapsed, messages / elapsed


def latency(rows: int, seconds: float, encoding: str, same_process: bool) -> tuple[np.ndarray, np.ndarray]:
    """(received, applied) latencies in seconds of each 10 Hz delta."""
    options = ServerOptions(port=0, status_every=1e9)
    with served({"rows": rows, "period": 0.1, "stamp": True}, options, same_process) as (url, go):
        with FeedClient(url, encodings=(encoding,)) as client:
            twin = TwinState(("vehicle",))
            wait(lambda: client.status().state == "live")
            go.set()
            received, applied = [], []
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                for update, reset in client.drain():
                    drained = time.time()
                    twin.apply(update, 0.0, reset=reset)
                    if update.count() and not update.snapshot:
                        received.append(drained - update.time)
                        applied.append(time.time() - update.time)
                time.sleep(0.001)
    return np.array(received), np.array(applied)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process from /proc (Linux)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _viewers(url: str, count: int, encoding: str, window: Any, live: Any, stop: Any, results: Any) -> None:
    """`count` websocket viewers; counts the messages and bytes each receives inside window (t0, t1)."""
    from websockets.asyncio.client import connect

    from viewer.twin.codec import encode
    from viewer.twin.messages import Subscribe

    totals = {"frames": 0, "bytes": 0, "failed": 0}

    async def viewer() -> None:
        try:
            async with connect(url, max_size=64 * 1024 * 1024, compression=None, open_timeout=60) as ws:
                await ws.send(encode(Subscribe(encodings=(encoding,))))
                first = True
                async for message in ws:
                    if first and not isinstance(message, str):  # the snapshot follows the hello
                        first = False
                        live.put(1)
                    now = time.time()
                    if window[0] <= now <= window[1] and len(message) > 1000:  # data, not heartbeats
                        totals["frames"] += 1
                        totals["bytes"] += len(message)
                    if first and isinstance(message, str) and message.startswith('{"type":"snapshot"'):
                        first = False
                        live.put(1)
        except Exception:  # noqa: BLE001 - a bench counts failures instead
            totals["failed"] += 1

    async def run() -> None:
        tasks = [asyncio.create_task(viewer()) for _ in range(count)]
        while not stop.is_set():
            await asyncio.sleep(0.2)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(run())
    results.put(totals)


def fanout(viewers: int, processes: int, seconds: float, encoding: str) -> dict[str, float]:
    """Section 3 of the docstring, one encoding."""
    context = multiprocessing.get_context("fork")
    options = ServerOptions(port=0, status_every=1e9, max_clients=max(256, viewers))
    pid: list[int] = []
    window = context.Array("d", [float("inf"), float("-inf")], lock=False)
    live, results, stop = context.Queue(), context.Queue(), context.Event()
    with served({"rows": 10_000, "period": 0.1}, options, False, pid) as (url, go):
        counts = [viewers // processes + (i < viewers % processes) for i in range(processes)]
        children = [context.Process(target=_viewers, args=(url, n, encoding, window, live, stop, results),
                                    daemon=True) for n in counts if n]
        for child in children:
            child.start()
        for _ in range(viewers):
            live.get(timeout=120)
        go.set()
        time.sleep(1.0)  # the first deltas out
        cpu0, t0 = cpu_seconds(pid[0]), time.time()
        window[0], window[1] = t0, t0 + seconds
        time.sleep(seconds)
        cpu = cpu_seconds(pid[0]) - cpu0
        stop.set()
        totals = [results.get(timeout=60) for _ in children]
        for child in children:
            child.join(10)
    frames = sum(t["frames"] for t in totals)
    return {"frames_per_s": frames / seconds, "kb": sum(t["bytes"] for t in totals) / max(frames, 1) / 1e3,
            "cpu": cpu / seconds, "ms_per_frame": 1e3 * cpu / max(frames, 1),
            "failed": sum(t["failed"] for t in totals)}


def main_fanout(args: argparse.Namespace) -> None:
    print(f"fan-out: 10,000 vehicles x 10 Hz to {args.fanout} viewers in {args.viewer_processes} processes, "
          f"{args.seconds:g} s per encoding; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'encoding':<10}{'frames/s':>10}{'kB/frame':>10}{'server CPU s/s':>16}{'ms/frame/viewer':>17}{'load':>7}")
    for encoding in args.encodings.split(","):
        r = fanout(args.fanout, args.viewer_processes, args.seconds, encoding)
        print(f"{encoding:<10}{r['frames_per_s']:>10.0f}{r['kb']:>10.0f}{r['cpu']:>16.2f}{r['ms_per_frame']:>17.3f}"
              f"{os.getloadavg()[0]:>7.1f}" + (f"  ({r['failed']:.0f} viewers failed)" if r["failed"] else ""),
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=5000, help="1-update messages per run (default 5000)")
    parser.add_argument("--large", type=int, default=300, help="1000-update messages per run (default 300)")
    parser.add_argument("--seconds", type=float, default=5.0, help="latency run per encoding (default 5 s)")
    parser.add_argument("--same-process", action="store_true", help="server and client in one process")
    parser.add_argument("--fanout", type=int, default=0, help="viewers of the fan-out bench (3.), instead of 1-2")
    parser.add_argument("--viewer-processes", type=int, default=2, help="processes the fan-out viewers run in")
    parser.add_argument("--encodings", default="binary", help="fan-out: comma list of encodings (default binary)")
    args = parser.parse_args()
    if args.fanout:
        return main_fanout(args)
    where = "one process" if args.same_process else "server in a child process"
    print(f"throughput over loopback ({where}): source -> server -> socket -> client -> render thread applied")
    print(f"{'encoding':<10}{'1-update msgs/s':>18}{'1000-update rows/s':>21}{'batching x':>12}")
    for encoding in ENCODINGS:
        single, _ = throughput(1, args.small, encoding, args.same_process)
        batched, per_message = throughput(1000, args.large, encoding, args.same_process)
        print(f"{encoding:<10}{single:>18,.0f}{batched:>21,.0f}{batched / single:>12.0f}"
              f"   ({per_message:,.0f} msgs/s of 1000)")
    print(f"\nlatency, 10,000 vehicles x 10 Hz, {args.seconds:g} s per encoding (ms; source stamp -> render thread)")
    print(f"{'encoding':<10}{'n':>5}{'recv p50':>10}{'recv p99':>10}{'applied p50':>13}{'applied p99':>13}{'max':>8}")
    for encoding in ENCODINGS:
        received, applied = latency(10_000, args.seconds, encoding, args.same_process)
        r, a = received * 1e3, applied * 1e3
        print(f"{encoding:<10}{len(a):>5}{np.percentile(r, 50):>10.1f}{np.percentile(r, 99):>10.1f}"
              f"{np.percentile(a, 50):>13.1f}{np.percentile(a, 99):>13.1f}{a.max():>8.1f}")


if __name__ == "__main__":
    main()
