"""FeedClient over real loopback sockets: reconnection, the bounded queue, staleness, TLS, stopping."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
import time

import pytest
from test_net_helpers import Mirror, MovingSource, assert_same_state, wait_for

from viewer.net.auth import server_ssl_context
from viewer.net.feed_client import FeedClient
from viewer.net.feed_server import ServerOptions
from viewer.net.server_thread import ServerThread


def test_server_killed_and_restarted_client_reconnects_within_2s_and_converges():
    """Mid-stream the server stops; a new one (restarted clock) on the same port is reached within 2 s and
    the client's state converges to it (the new stream's first snapshot comes with reset)."""
    first = ServerThread(MovingSource(n=150, steps=None, period=0.05, start=5_000.0), ServerOptions(port=0)).start()
    port = first.server.port
    client = FeedClient(first.url).start()
    mirror = Mirror(client)
    try:
        wait_for(lambda: mirror.pump().time > 5_000.3, 10, "the first stream to flow")
        first.stop()
        wait_for(lambda: client.status().state == "reconnecting", 5, "the client to notice")
        time.sleep(1.2)  # stay down long enough for the backoff to reach its 1 s cap
        source = MovingSource(n=120, steps=30, period=0.05, start=100.0)  # an older clock: needs the reset
        with ServerThread(source, ServerOptions(port=port)) as second:
            back = wait_for(lambda: client.status().state in ("syncing", "live"), 5, "the reconnection")
            assert back < 2.0
            wait_for(mirror.reaches(source.final_time), 10, "convergence to the restarted server")
            second.call(second.server.driver.catch_up)
            assert_same_state(second.server.driver.state, mirror.twin)
            assert mirror.last_time == source.final_time and mirror.resets == 2 and client.connections == 2
            assert client.status().last_error is not None  # the outage was reported
    finally:
        client.stop()
        first.stop()


def test_full_queue_coalesces_into_a_resync_and_loses_no_state():
    """A render thread that does not drain: the queue is cleared, a resync fetches a snapshot, and what is
    finally drained rebuilds exactly the server's state (the first snapshot's reset flag carried over)."""
    source = MovingSource(n=100, steps=40, period=0.05)
    with ServerThread(source, ServerOptions(port=0, speed=2.0)) as server:
        client = FeedClient(server.url, queue_size=4).start()
        try:
            wait_for(lambda: server.server.driver.ended, 10, "the source to end")
            wait_for(lambda: client.status().state == "live", 5, "the resync snapshot")
            mirror = Mirror(client)
            mirror.pump()
            assert client.coalesced >= 1
            assert 1 <= mirror.updates <= 4 and mirror.resets == 1 and mirror.snapshots >= 1
            server.call(server.server.driver.catch_up)
            assert_same_state(server.server.driver.state, mirror.twin)
        finally:
            client.stop()


def test_silence_makes_the_feed_stale_and_heartbeats_keep_it_live():
    """With heartbeats a finished source stays live; without them the client turns stale after stale_after."""
    for heartbeat, expected in ((0.1, "live"), (0.0, "stale")):
        source = MovingSource(steps=2, period=0.05)
        with ServerThread(source, ServerOptions(port=0, heartbeat=heartbeat)) as server:
            with FeedClient(server.url, stale_after=0.4) as client:
                wait_for(lambda c=client: c.status().state == "live", 5, "live")
                wait_for(lambda: server.server.driver.ended, 5, "the source to end")
                deadline = time.monotonic() + 1.0
                wait_for(lambda c=client, d=deadline: c.status().state == "stale" or time.monotonic() > d, 5, "1 s")
                status = client.status()
                assert status.state == expected and status.stale_count == (expected == "stale")
                assert status.lag_s > 0.3


def test_drain_never_blocks_and_stop_is_idempotent():
    """drain() gives up after max_seconds when the queue lock is held; stop() twice is fine; status closed."""
    with ServerThread(MovingSource(steps=None), ServerOptions(port=0)) as server:
        client = FeedClient(server.url).start()
        wait_for(lambda: client.status().state == "live", 5, "live")
        holder = threading.Thread(target=lambda: (client._lock.acquire(), time.sleep(0.3), client._lock.release()))
        holder.start()
        wait_for(lambda: client._lock.locked(), 1, "the lock to be held")
        start = time.perf_counter()
        assert client.drain(max_seconds=0.004) == []
        assert time.perf_counter() - start < 0.1
        holder.join()
        assert client.drain()  # the updates were kept
        client.stop()
        client.stop()
        status = client.status()
        assert status.state == "closed" and status.url == server.url and status.updates_per_s >= 0
    assert not client._thread.is_alive()


def test_bad_arguments_are_refused_up_front():
    """Not a ws(s) URL, a CA file for ws://, a token with spaces, a zero queue: ValueError before any thread."""
    for kwargs in ({"url": "http://x/"}, {"url": "ws://x/", "cafile": "ca.pem"}, {"url": "ws://x/", "token": "a b"},
                   {"url": "ws://x/", "queue_size": 0}):
        with pytest.raises(ValueError):
            FeedClient(**kwargs)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a test certificate")
def test_wss_with_a_given_ca_and_a_token(tmp_path):
    """A wss:// server with a self-signed certificate: trusted through cafile (with the token) it streams;
    without the CA the handshake fails and the status says why."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=30)
    options = ServerOptions(port=0, ssl=server_ssl_context(cert, key), token="tls-token")
    with ServerThread(MovingSource(steps=None), options) as server:
        assert server.url.startswith("wss://")
        with FeedClient(server.url, token="tls-token", cafile=cert) as client:
            wait_for(lambda: client.status().state == "live", 5, "the TLS client to be live")
        with FeedClient(server.url, token="tls-token") as untrusted:
            wait_for(lambda: untrusted.status().last_error is not None, 5, "the TLS failure")
            assert "certificate" in untrusted.status().last_error.lower()


def test_hostile_server_messages_never_crash_the_client():
    """Garbage, bad JSON, absurd nesting, NaN rows, duplicate and skipping seqs and an oversized message from a
    server: each is dropped (gaps healed by a resync, the oversized one by reconnecting), the client thread
    stays up and the state ends exactly as the good messages say."""
    from websockets.sync.server import serve

    from viewer.twin.batch import TwinUpdate, make_batch
    from viewer.twin.codec import decode, encode
    from viewer.twin.messages import Delta, Hello, Resync, Snapshot

    def vehicles(ids, x):
        return {"vehicle": make_batch("vehicle", ids=ids, x=[x] * len(ids), y=[0.0] * len(ids))}

    def handler(ws):
        ws.recv()  # subscribe
        if connections.append(ws) or len(connections) > 1:  # after the reconnection: the final state
            for message in (Hello(seq=1, time=0.0, kinds=("vehicle",)),
                            Snapshot(2, TwinUpdate(9.0, vehicles(["a", "c"], 9.0), snapshot=True))):
                ws.send(encode(message))
            ws.recv()  # until the client goes
            return
        ws.send(encode(Hello(seq=1, time=0.0, kinds=("vehicle",))))
        ws.send(encode(Snapshot(2, TwinUpdate(1.0, vehicles(["a", "b"], 1.0), snapshot=True)), "binary"))
        for junk in (b"\x00\xffgarbage", "not json", '{"type": "delta", "seq": 3, "time": 1e999}', "[" * 50,
                     '{"type": "warp", "seq": 3}', b"CVTF" + bytes(60)):
            ws.send(junk)
        bad_row = make_batch("vehicle", ids=["a", "b"], x=[2.0, float("nan")], y=[0.0, 0.0])
        ws.send(encode(Delta(3, TwinUpdate(2.0, {"vehicle": bad_row}))))  # b's row dropped, a's applied
        ws.send(encode(Delta(3, TwinUpdate(2.5, vehicles(["a"], 99.0)))))  # duplicate seq: ignored
        ws.send(encode(Delta(10, TwinUpdate(3.0, vehicles(["a"], 98.0)))))  # gap: not applied, resync asked
        assert isinstance(decode(ws.recv(timeout=5)), Resync)
        ws.send(encode(Snapshot(11, TwinUpdate(4.0, vehicles(["a", "b"], 4.0), snapshot=True)), "columns"))
        ws.send("x" * (17 * 1024 * 1024))  # over max_message_bytes: the client closes and reconnects
        with contextlib.suppress(Exception):
            ws.recv(timeout=5)

    connections: list = []
    with serve(handler, "127.0.0.1", 0, max_size=2**20) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"ws://127.0.0.1:{server.socket.getsockname()[1]}/"
        with FeedClient(url) as client:
            mirror = Mirror(client, kinds=("vehicle",))
            wait_for(lambda: mirror.pump() is not None and mirror.last_time == 9.0, 10, "the final snapshot")
            assert client._thread.is_alive() and client.connections == 2
            assert client.dropped_messages >= 8 and mirror.resets == 2 and mirror.times == [1.0, 2.0, 4.0, 9.0]
            assert "1009" in client.status().last_error
            assert {i: x for i, x in zip(mirror.twin["vehicle"].live_ids(), mirror.twin["vehicle"].column("x"),
                                         strict=True)} == {"a": 9.0, "c": 9.0}
        server.shutdown()
