"""Hostile feed peers: a client flooding resyncs, and a server sending absurd times or replayed snapshots.

Real feed servers and clients on 127.0.0.1 where a socket matters; the sans-I/O sessions where only the
policy does. Every deadline only bounds a wait; nothing depends on the machine's speed.
"""

from __future__ import annotations

import contextlib
import struct
import threading
import time
from collections.abc import Callable, Iterator

from test_net_helpers import Mirror, MovingSource, raw_websocket, read_frame, send_frame, wait_for

from viewer.net.feed_client import FeedClient
from viewer.net.feed_server import ServerOptions
from viewer.net.server_thread import ServerThread
from viewer.twin.batch import TwinUpdate, make_batch
from viewer.twin.codec import decode, encode
from viewer.twin.messages import Hello, Resync, Snapshot, Subscribe, data_message
from viewer.twin.session import CLOSED, FeedServerSession, RequestLimits
from viewer.twin.state import TwinState


def _snapshot_source() -> TwinUpdate:
    return TwinUpdate(5.0, {"vehicle": make_batch("vehicle", ids=["a"], x=[1.0], y=[2.0])}, snapshot=True)


def _snapshots(out: list) -> int:
    return sum(isinstance(decode(m), Snapshot) for m in out)


def test_resyncs_are_coalesced_deferred_and_an_abuser_is_closed():
    """With a burst of 4: resyncs while a snapshot is queued cost nothing; past the bucket they wait for
    the refill (answered by tick, once); past the excess the session closes itself with a reason."""
    session = FeedServerSession(_snapshot_source, kinds=("vehicle",), heartbeat=0,
                                requests=RequestLimits(rate=0.5, burst=4, max_excess=10))
    session.receive_data(str(encode(Subscribe())), 0.0)
    for _ in range(3):  # queued behind the subscribe's snapshot: coalesced
        session.receive_data(str(encode(Resync(1))), 0.0)
    assert _snapshots(session.data_to_send(0.0)) == 1 and session.coalesced == 3
    for _ in range(3):  # three tokens left, each read at once: three snapshots
        session.receive_data(str(encode(Resync(1))), 0.0)
        assert _snapshots(session.data_to_send(0.0)) == 1
    for _ in range(3):  # no token: deferred, the latest kept
        session.receive_data(str(encode(Resync(1))), 0.0)
    assert session.pending == 0 and session.deferred == 3
    session.tick(1.0)
    assert session.pending == 0  # half a token
    session.tick(2.0)
    assert _snapshots(session.data_to_send(2.0)) == 1 and session.data_to_send(2.0) == []
    for _ in range(20):
        session.receive_data(str(encode(Resync(1))), 2.0)
    assert session.state == CLOSED and "too many resync requests" in (session.close_reason or "")
    assert session.pending == 0


def test_a_client_that_resyncs_within_its_allowance_is_always_answered():
    """One resync every 2 s (the client's own re-send pace) is answered every time and never closed."""
    session = FeedServerSession(_snapshot_source, kinds=("vehicle",), heartbeat=0)
    session.receive_data(str(encode(Subscribe())), 0.0)
    session.data_to_send(0.0)
    for k in range(1, 40):
        session.receive_data(str(encode(Resync(1))), 2.0 * k)
        session.tick(2.0 * k)
        assert _snapshots(session.data_to_send(2.0 * k)) == 1, k
    assert session.state != CLOSED and session.close_reason is None


def _flood(port: int, resyncs: int) -> tuple[int, int, int, str]:
    """Subscribe, send `resyncs` resyncs at once, read until the close: (snapshots, bytes read, close code,
    close reason)."""
    sock = raw_websocket(port)
    try:
        send_frame(sock, str(encode(Subscribe())).encode())
        for _ in range(resyncs):
            try:
                send_frame(sock, str(encode(Resync(1))).encode())
            except OSError:  # closed by the server half way: what should happen
                break
        snapshots = received = 0
        sock.settimeout(20)
        while True:
            opcode, payload = read_frame(sock)
            received += len(payload)
            if opcode == 8:
                code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 0
                return snapshots, received, code, payload[2:].decode("utf-8", "replace")
            if opcode in (1, 2):
                snapshots += isinstance(decode(payload if opcode == 2 else payload.decode()), Snapshot)
    finally:
        sock.close()


def test_resync_flooders_get_a_few_snapshots_then_are_closed_and_the_good_client_carries_on():
    """Four clients each sending 2,000 resyncs (about 50 KB) get at most a handful of snapshots each, then
    close 1008 with a reason naming resyncs; a good client keeps receiving meanwhile and afterwards."""
    source = MovingSource(n=2000, steps=None, period=0.05, churn=0)
    with ServerThread(source, ServerOptions(port=0)) as server:
        good = FeedClient(server.url).start()
        mirror = Mirror(good)
        try:
            wait_for(lambda: mirror.pump().count()["vehicle"] == 2000, 15, "the good client's snapshot")
            results = [_flood(server.server.port, 2000) for _ in range(4)]
            for snapshots, received, code, reason in results:
                assert snapshots <= 6, results
                assert code == 1008 and "too many resync requests" in reason, results
                assert received < 6 * 400_000, results  # a handful of 2000-vehicle snapshots, not 2000
            target = server.call(lambda: server.server.driver.state.time) + 5 * source.period
            wait_for(lambda: mirror.pump() is not None and mirror.last_time >= target - 1e-9, 30,
                     "the good client to keep receiving")
            assert good.status().state == "live"
        finally:
            good.stop()


# ------------------------------------------------------------------ a hostile server


@contextlib.contextmanager
def scripted_server(script: Callable[[Callable[[object], None]], None],
                    on_resync: Callable[[Callable[[object], None]], None] | None = None) -> Iterator[str]:
    """A real websocket server on 127.0.0.1 that answers a subscribe by calling script(send) (send takes a
    message or a (seq, TwinUpdate)), and each resync with on_resync(send) (nothing when None), until the
    client leaves."""
    from websockets.sync.server import serve

    def handler(ws) -> None:
        def send(m: object) -> None:
            ws.send(encode(data_message(*m) if isinstance(m, tuple) else m))

        ws.recv()  # the subscribe
        script(send)
        with contextlib.suppress(Exception):
            for _ in ws:
                if on_resync is not None:
                    on_resync(send)

    with serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"ws://127.0.0.1:{server.socket.getsockname()[1]}/"
        finally:
            server.shutdown()
            thread.join(5)


def _vehicles(t: float, ids: list[str], x: float, snapshot: bool = False) -> TwinUpdate:
    n = len(ids)
    return TwinUpdate(t, {"vehicle": make_batch("vehicle", ids=ids, x=[x] * n, y=[0.0] * n)}, snapshot=snapshot)


def _mirror_of(url: str) -> tuple[FeedClient, Mirror]:
    client = FeedClient(url, kinds=("vehicle",)).start()
    return client, Mirror(client, kinds=("vehicle",))


def _x_of(mirror: Mirror, vid: str) -> float | None:
    table = mirror.pump()["vehicle"]
    row = table.index.get(vid)
    return None if row is None else float(table.column("x")[row])


def test_an_absurd_time_from_the_server_does_not_pin_entities():
    """A delta stamped 1e15 (finite, absurd), or three days ahead of the stream a second later, is not
    applied but taken as a gap: the snapshot that answers the resync and the deltas after it move the
    vehicles again (with the absurd time applied, every later update would look older and be ignored)."""
    now = time.time()
    seq = [6]

    def on_resync(send) -> None:
        seq[0] += 1
        send((seq[0], _vehicles(now + 2, ["a", "b"], 3.0, snapshot=True)))
        seq[0] += 1
        send((seq[0], _vehicles(now + 3, ["a", "b"], 4.0)))

    def script(send) -> None:
        send(Hello(seq=1, time=now, kinds=("vehicle",)))
        send((2, _vehicles(now, ["a", "b"], 1.0, snapshot=True)))
        send((3, _vehicles(1e15, ["a"], 999.0)))  # absurd time
        send((4, _vehicles(now + 1, ["a", "b"], 2.0)))
        send((5, _vehicles(now + 86400 * 3, ["b"], 777.0)))  # three days ahead in one second: refused too
        send((6, _vehicles(now + 2, ["a", "b"], 3.0)))

    with scripted_server(script, on_resync) as url:
        client, mirror = _mirror_of(url)
        try:
            wait_for(lambda: _x_of(mirror, "a") == 4.0 and _x_of(mirror, "b") == 4.0, 20, "the honest updates")
            assert max(mirror.times) == now + 3 and 1e15 not in mirror.times
            assert client.dropped_messages >= 2
        finally:
            client.stop()


def test_an_old_snapshot_replayed_by_the_server_removes_nothing_that_came_since():
    """After 100 deltas adding vehicles, the server replays its first snapshot (seq 2): the client keeps
    every vehicle (the revision never goes backwards) and carries on with the next delta."""
    now = time.time()

    def script(send) -> None:
        send(Hello(seq=1, time=now, kinds=("vehicle",)))
        first = _vehicles(now, ["v0"], 1.0, snapshot=True)
        send((2, first))
        for k in range(1, 101):
            send((2 + k, _vehicles(now + k * 0.1, [f"v{k}"], 1.0)))
        send((2, first))  # a replay from 100 messages back
        send((103, first))  # and the same old snapshot with a fresh seq
        send((104, _vehicles(now + 11, ["v0"], 5.0)))

    with scripted_server(script) as url:
        client, mirror = _mirror_of(url)
        try:
            wait_for(lambda: _x_of(mirror, "v0") == 5.0, 10, "the delta after the replays")
            assert mirror.twin.count()["vehicle"] == 101
        finally:
            client.stop()


def test_a_snapshot_never_removes_rows_newer_than_itself():
    """TwinState: a (non-reset) snapshot older than some rows keeps them; a reset snapshot removes them."""
    twin = TwinState(("vehicle",))
    twin.apply(_vehicles(10.0, ["a"], 1.0, snapshot=True), 0.0, reset=True)
    twin.apply(_vehicles(20.0, ["b"], 1.0), 0.0)
    result = twin.apply(_vehicles(10.0, ["a"], 1.0, snapshot=True), 0.0)
    assert twin.count()["vehicle"] == 2 and result.removed == 0 and result.ignored_older == 1
    twin.apply(_vehicles(5.0, ["a"], 1.0, snapshot=True), 0.0, reset=True)
    assert twin.count()["vehicle"] == 1


def test_times_far_from_the_clock_or_ahead_of_the_stream_are_gaps():
    """Sans-I/O: a first snapshot 1e15 from the wall clock is not applied; within a stream, a delta a day
    plus max_rate x elapsed ahead is a gap, and one just inside that bound is applied."""
    from viewer.twin.protocol import FeedClientProtocol, ResyncRequested, UpdateApplied

    def wire(m: object) -> str | bytes:
        return encode(data_message(*m) if isinstance(m, tuple) else m)

    wall = 1.8e9
    protocol = FeedClientProtocol(TwinState(("vehicle",)), kinds=("vehicle",))
    protocol.connection_made(0.0)
    protocol.receive_data(wire(Hello(seq=1, time=wall, kinds=("vehicle",))), 0.0, wall)
    events = protocol.receive_data(wire((2, _vehicles(1e15, ["a"], 1.0, snapshot=True))), 0.0, wall)
    assert not any(isinstance(e, UpdateApplied) for e in events)
    events = protocol.receive_data(wire((3, _vehicles(wall, ["a"], 1.0, snapshot=True))), 0.0, wall)
    assert any(isinstance(e, UpdateApplied) for e in events)
    limits = protocol.times
    too_far = wall + limits.max_jump + 1.0 * limits.max_rate + 1.0  # one second later
    events = protocol.receive_data(wire((4, _vehicles(too_far, ["a"], 2.0))), 1.0, wall + 1)
    assert any(isinstance(e, ResyncRequested) for e in events)
    events = protocol.receive_data(wire((5, _vehicles(too_far - 2.0, ["a"], 3.0, snapshot=True))), 1.0, wall + 1)
    assert any(isinstance(e, UpdateApplied) for e in events) and protocol.twin["vehicle"].column("x")[0] == 3.0
