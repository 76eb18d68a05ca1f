"""Hostile feed peers: a client flooding resyncs, and a server sending absurd times or replayed snapshots.

Real feed servers and clients on 127.0.0.1 where a socket matters; the sans-I/O sessions where only the
policy does. Every deadline only bounds a wait; nothing depends on the machine's speed.
"""

from __future__ import annotations

import struct

from test_net_helpers import Mirror, MovingSource, raw_websocket, read_frame, send_frame, wait_for

from viewer.net.feed_client import FeedClient
from viewer.net.feed_server import ServerOptions
from viewer.net.server_thread import ServerThread
from viewer.twin.batch import TwinUpdate, make_batch
from viewer.twin.codec import decode, encode
from viewer.twin.messages import Resync, Snapshot, Subscribe
from viewer.twin.session import CLOSED, FeedServerSession, RequestLimits


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
