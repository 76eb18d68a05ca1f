"""Meeting server under load: 50 clients in 5 rooms sending poses at 20 Hz on loopback (goal: p99 < 50 ms).

    python bench/bench_meeting.py [--clients 50] [--rooms 5] [--hz 20] [--duration 60]

The server (viewer.net.meeting_server.MeetingServer) runs in its own process, so its CPU time is its own
(process time over the measured window, reported back through a pipe). The clients are plain websockets
connections on one event loop in this process, each with a signed guest token for its room. Every pose
carries the sender's monotonic clock (`t`, relayed untouched: CLOCK_MONOTONIC is system-wide) and the
sender's own sequence number in p[0], so each receiver measures delivery latency and checks, per sender:
nothing lost (every pose sent reaches every other member of the room), nothing duplicated, and nothing from
another room (every `from` id belongs to the receiver's room). Prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import random
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import orjson
from websockets.asyncio.client import ClientConnection, connect

from viewer.meeting.tokens import issue_token

SECRET = b"bench-meeting-secret-0123456789abcdef"


# ---------------------------------------------------------------------------- server process


def server_main(conn) -> None:
    """Run a MeetingServer on a free port; report the port, then CPU seconds between "start" and "stop"."""
    from viewer.net.meeting_server import MeetingServer

    async def main() -> None:
        server = MeetingServer(SECRET, "127.0.0.1", 0)
        await server.start()
        conn.send(server.port)
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(None, conn.recv) == "start"
        cpu0, wall0 = time.process_time(), time.monotonic()
        assert await loop.run_in_executor(None, conn.recv) == "stop"
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
        hub = server.hub
        conn.send({"cpu": cpu, "wall": wall, "counters": dict(hub.counters),
                   "resets": sum(s.resets for s in hub.sessions.values()),
                   "pending_max": max((s.pending for s in hub.sessions.values()), default=0)})
        await server.stop()

    asyncio.run(main())


# ---------------------------------------------------------------------------- clients


@dataclass
class Client:
    room: str
    index: int
    ws: ClientConnection | None = None
    me: int = 0
    sent: int = 0
    received: Counter[int] = field(default_factory=Counter)  # sender id -> poses received
    last_seq: dict[int, int] = field(default_factory=dict)
    duplicates: int = 0
    senders: set[int] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)
    other: Counter[str] = field(default_factory=Counter)  # other message types received
    ready: asyncio.Event = field(default_factory=asyncio.Event)


async def reader(client: Client) -> None:
    assert client.ws is not None
    async for data in client.ws:
        now = time.monotonic()
        message = orjson.loads(data)
        kind = message["type"]
        if kind == "presence":
            sender, seq = message["from"], int(message["p"][0])
            client.senders.add(sender)
            if seq <= client.last_seq.get(sender, -1):
                client.duplicates += 1
            client.last_seq[sender] = seq
            client.received[sender] += 1
            client.latencies.append(now - message["t"])
        elif kind == "welcome":
            client.me = message["you"]
        else:
            client.other[kind] += 1
            if kind == "state":
                client.ready.set()


async def sender(client: Client, hz: float, until: float) -> None:
    """Poses at `hz` on an absolute schedule with a random phase (no drift, no bunching)."""
    assert client.ws is not None
    period = 1.0 / hz
    due = time.monotonic() + random.uniform(0.0, period)
    while due < until:
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        t = time.monotonic()
        x = float(client.sent)
        await client.ws.send(orjson.dumps({"type": "pose", "p": [x, float(client.index), 0.0], "h": 0.0,
                                           "e": [x, float(client.index), 1.65], "pi": 0.0, "t": t}).decode())
        client.sent += 1
        due += period


async def run_clients(port: int, args: argparse.Namespace, server_conn) -> list[Client]:
    now = time.time()
    clients = [Client(f"room{i % args.rooms}", i) for i in range(args.clients)]
    tasks = []
    for c in clients:
        token = issue_token(SECRET, c.room, f"client{c.index}", "guest", 3600, now)
        c.ws = await connect(f"ws://127.0.0.1:{port}/{c.room}", additional_headers={"Authorization": f"Bearer {token}"},
                             max_size=1 << 20, compression=None)
        tasks.append(asyncio.create_task(reader(c)))
    await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c in clients)), 30)
    await asyncio.sleep(0.5)  # the joins' events settle
    for c in clients:
        c.latencies.clear()
    server_conn.send("start")
    cpu0 = time.process_time()
    until = time.monotonic() + args.duration
    await asyncio.gather(*(sender(c, args.hz, until) for c in clients))
    await asyncio.sleep(1.0)  # drain what is in flight
    server_conn.send("stop")
    clients[0].other["client cpu s"] = round(time.process_time() - cpu0)
    for c in clients:
        assert c.ws is not None
        await c.ws.close()
    for task in tasks:
        task.cancel()
    return clients


def report(clients: list[Client], server: dict, args: argparse.Namespace) -> None:
    rooms: dict[str, set[int]] = defaultdict(set)
    for c in clients:
        rooms[c.room].add(c.me)
    sent = {c.me: c.sent for c in clients}
    expected = sum(sent[other] for c in clients for other in rooms[c.room] if other != c.me)
    received = sum(sum(c.received.values()) for c in clients)
    lost = sum(max(0, sent[other] - c.received[other]) for c in clients for other in rooms[c.room] if other != c.me)
    leaked = sum(len(c.senders - rooms[c.room]) for c in clients)
    dups = sum(c.duplicates for c in clients)
    lat = sorted(x * 1000.0 for c in clients for x in c.latencies)
    q = statistics.quantiles(lat, n=1000)
    poses = sum(sent.values())
    print(f"meeting bench: {args.clients} clients in {args.rooms} rooms, poses at {args.hz:g} Hz, {args.duration:g} s")
    print(f"  poses sent {poses:,} ({poses / args.duration:,.0f}/s), deliveries expected {expected:,}, "
          f"received {received:,} ({received / args.duration:,.0f}/s)")
    print(f"  lost {lost}, duplicated {dups}, leaked across rooms {leaked}")
    print(f"  delivery latency ms: p50 {q[499]:.2f}  p90 {q[899]:.2f}  p99 {q[989]:.2f}  p99.9 {q[998]:.2f}  "
          f"max {lat[-1]:.2f}")
    print(f"  server CPU {server['cpu']:.2f} s over {server['wall']:.1f} s = {100 * server['cpu'] / server['wall']:.1f}% "
          f"of one core ({1e6 * server['cpu'] / max(1, poses + received):.1f} us per message in or out)")
    print(f"  client process CPU {clients[0].other['client cpu s']} s; server counters {server['counters']}, "
          f"slow-client resets {server['resets']}")
    verdict = "PASS" if q[989] < 50.0 and lost == 0 and leaked == 0 and dups == 0 else "FAIL"
    print(f"  goal p99 < 50 ms, nothing lost or leaked: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rooms", type=int, default=5)
    parser.add_argument("--hz", type=float, default=20.0)
    parser.add_argument("--duration", type=float, default=60.0)
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=server_main, args=(child,), daemon=True)
    proc.start()
    try:
        port = parent.recv()
        clients = asyncio.run(run_clients(port, args, parent))
        report(clients, parent.recv(), args)
    finally:
        proc.join(10)
        if proc.is_alive():
            proc.kill()


if __name__ == "__main__":
    main()
