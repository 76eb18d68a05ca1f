"""The feed server over real loopback sockets: convergence, encodings, slow clients, tokens and limits."""

from __future__ import annotations

import socket

import pytest
from test_net_helpers import (
    Mirror,
    MovingSource,
    assert_same_state,
    raw_websocket,
    read_frame,
    send_frame,
    wait_for,
)
from websockets.exceptions import ConnectionClosedError, InvalidStatus
from websockets.sync.client import connect as sync_connect

from viewer.net.feed_client import FeedClient
from viewer.net.feed_server import ServerOptions
from viewer.net.server_thread import ServerThread
from viewer.twin.codec import decode, encode
from viewer.twin.messages import Delta, Hello, Snapshot, Subscribe


def test_three_clients_in_three_encodings_converge_to_the_server_state():
    """Each client gets hello + snapshot + deltas in the encoding it asked for and ends equal to the server."""
    source = MovingSource(n=300, steps=40, period=0.1)
    with ServerThread(source, ServerOptions(port=0, speed=5.0)) as server:
        clients = {e: FeedClient(server.url, encodings=(e,)).start() for e in ("binary", "columns", "objects")}
        mirrors = {e: Mirror(c) for e, c in clients.items()}
        try:
            for mirror in mirrors.values():
                wait_for(mirror.reaches(source.final_time), 15, "the client to reach the last update")
            server.call(server.server.driver.catch_up)
            reference = server.server.driver.state  # frozen: the source has ended
            encodings = server.call(lambda: {s["encoding"] for s in server.server.stats().values()})
            for encoding, mirror in mirrors.items():
                assert clients[encoding].hello is not None and clients[encoding].hello.encoding == encoding
                assert_same_state(reference, mirror.twin)
                assert mirror.snapshots >= 1 and mirror.updates > 10 and mirror.resets == 1
            assert encodings == {"binary", "columns", "objects"}
            assert all(c.status().state == "live" for c in clients.values())
        finally:
            for c in clients.values():
                c.stop()


def test_slow_client_gets_a_fresh_snapshot_and_never_stalls_the_others():
    """A client that reads nothing goes lagging (backlog replaced by a snapshot, with no seq gap); another
    client keeps receiving every update at the source's rate meanwhile."""
    source = MovingSource(n=2000, steps=None, period=0.02, churn=0)
    options = ServerOptions(port=0, max_backlog=4, send_buffer=16384, write_limit=16384)
    with ServerThread(source, options) as server:
        good = FeedClient(server.url).start()
        mirror = Mirror(good)
        slow = raw_websocket(server.server.port, rcvbuf=4096)
        try:
            send_frame(slow, str(encode(Subscribe())).encode())
            wait_for(lambda: mirror.pump().count()["vehicle"] == 2000, 10, "the good client's snapshot")

            host, port = slow.getsockname()[:2]
            peer = f"{host}:{port}"

            def slow_stats() -> dict:
                return server.call(server.server.stats).get(peer, {})

            wait_for(lambda: slow_stats().get("resets", 0) >= 1, 10, "the slow client to be lagging")
            assert slow_stats()["state"] == "lagging" and slow_stats()["pending"] <= 2
            # The good client keeps getting new data while the slow one reads nothing: it reaches a source
            # time 10 steps past now (a behaviour, not a rate: the deadline only bounds the wait).
            target = server.call(lambda: server.server.driver.state.time) + 10 * source.period
            wait_for(lambda: mirror.pump() is not None and mirror.last_time >= target - 1e-9, 30,
                     "the good client to receive 10 more steps while the slow one is stuck")
            assert mirror.times == sorted(mirror.times)
            assert slow_stats()["state"] == "lagging"  # still stuck: the good client never waited for it
            # Now read: hello, snapshot, deltas, then the fresh snapshot, all numbered without a gap.
            slow.settimeout(10)
            messages = []
            while sum(isinstance(m, Snapshot) for m in messages) < 2:
                opcode, payload = read_frame(slow)
                messages.append(decode(payload if opcode == 2 else payload.decode()))
            assert isinstance(messages[0], Hello) and isinstance(messages[1], Snapshot)
            assert all(isinstance(m, Delta) for m in messages[2:-1])
            assert [m.seq for m in messages] == list(range(messages[0].seq, messages[0].seq + len(messages)))
            # Fresh: cut when sent, so newer than the deltas before it and than what the good client saw.
            assert messages[-1].time > messages[-2].time and messages[-1].time >= target - 1e-9
            wait_for(lambda: slow_stats().get("state") == "streaming", 10, "the slow client to catch up")
        finally:
            slow.close()
            good.stop()


def test_token_missing_or_wrong_gets_401_and_the_status_says_so():
    """With a token set, no token or a wrong one is refused with HTTP 401 (shown in the client's status);
    the right token in the header or the ?token= query is accepted."""
    with ServerThread(MovingSource(steps=None), ServerOptions(port=0, token="s3cret-token")) as server:
        for token in (None, "wrong-token"):
            client = FeedClient(server.url, token=token).start()
            try:
                wait_for(lambda c=client: c.status().last_error is not None, 5, "the refusal")
                status = client.status()
                assert "401" in status.last_error and "token" in status.last_error
                assert status.state in ("connecting", "reconnecting") and client.hello is None
            finally:
                client.stop()
        with pytest.raises(InvalidStatus) as refused:
            sync_connect(server.url, open_timeout=5)
        assert refused.value.response.status_code == 401
        assert refused.value.response.headers["WWW-Authenticate"].startswith("Bearer")
        for client in (FeedClient(server.url, token="s3cret-token"), FeedClient(server.url + "?token=s3cret-token")):
            with client:
                wait_for(lambda c=client: c.status().state == "live", 5, "the accepted client to be live")
                assert client.status().last_error is None
        assert server.server.refused >= 3


def test_oversized_client_message_closes_only_that_client():
    """A client message over 64 KiB closes that connection (1009); the other clients keep streaming."""
    with ServerThread(MovingSource(steps=None, period=0.05), ServerOptions(port=0)) as server:
        good = FeedClient(server.url).start()
        mirror = Mirror(good)
        try:
            wait_for(lambda: good.status().state == "live", 5, "the good client")
            with sync_connect(server.url, open_timeout=5) as bad:
                bad.send(str(encode(Subscribe())))
                assert isinstance(decode(bad.recv(timeout=5)), Hello)
                bad.send("x" * (70 * 1024))
                with pytest.raises(ConnectionClosedError) as closed:
                    while True:
                        bad.recv(timeout=5)
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
            before = mirror.pump().time
            wait_for(lambda: mirror.pump().time > before + 0.2, 5, "the good client to keep receiving")
            assert good.status().state == "live" and good.connections == 1
        finally:
            good.stop()


def test_malformed_client_messages_are_dropped_and_the_connection_stays():
    """Garbage, a wrong type and a wrong version from a client are dropped; it still gets hello and snapshot."""
    with ServerThread(MovingSource(steps=None), ServerOptions(port=0)) as server:
        with sync_connect(server.url, open_timeout=5) as ws:
            for junk in ("not json", '{"type": "hello", "v": 1}', '{"type": "subscribe", "v": 99}', "[[[[[[[[[[1]]]]]]]]]]"):
                ws.send(junk)
            ws.send(str(encode(Subscribe(kinds=("vehicle",), encodings=("columns",)))))
            hello, snapshot = decode(ws.recv(timeout=5)), decode(ws.recv(timeout=5))
            assert isinstance(hello, Hello) and hello.kinds == ("vehicle",) and hello.crs == "EPSG:3857"
            assert isinstance(snapshot, Snapshot) and set(snapshot.update.upserts) == {"vehicle"}
            assert isinstance(decode(ws.recv(timeout=5)), Delta)
            dropped = server.call(lambda: [list(c.session.dropped) for c in server.server.clients.values()])
            assert len(dropped[0]) == 4


def test_client_that_never_subscribes_is_closed_and_too_many_are_refused():
    """No subscribe within subscribe_timeout closes the connection (1008); past max_clients: HTTP 503."""
    options = ServerOptions(port=0, subscribe_timeout=0.3, max_clients=1)
    with ServerThread(MovingSource(steps=None), options) as server:
        with sync_connect(server.url, open_timeout=5) as idle:
            with pytest.raises(InvalidStatus) as refused:
                sync_connect(server.url, open_timeout=5)
            assert refused.value.response.status_code == 503
            with pytest.raises(ConnectionClosedError) as closed:
                idle.recv(timeout=5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


def test_source_that_fails_to_start_stops_the_server_from_opening():
    """An exception in source.start() comes out of ServerThread.start(); nothing listens."""

    class Broken(MovingSource):
        def start(self):
            raise ValueError("no data")

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(ValueError, match="no data"):
        ServerThread(Broken(), ServerOptions(port=port)).start()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)
