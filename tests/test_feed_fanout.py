"""The feed server's fan-out: each update is encoded once for all clients, each client keeps its own seq.

A real FeedServer on loopback with real clients (FeedClients and raw websockets); the encoder is wrapped only
to count its calls.
"""

from __future__ import annotations

import numpy as np
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

from viewer.net.feed_client import FeedClient
from viewer.net.feed_server import ServerOptions
from viewer.net.server_thread import ServerThread
from viewer.twin import codec
from viewer.twin.batch import EntityBatch, TwinUpdate, make_batch
from viewer.twin.codec import decode, encode
from viewer.twin.messages import Delta, Hello, Resync, Snapshot, Subscribe
from viewer.twin.shared import SharedUpdate, renumber


def _update(snapshot: bool, generic: bool) -> TwinUpdate:
    cars = make_batch("vehicle", ids=["a", "b"], x=[1.0, 2.0], y=[3.0, 4.0], heading=[90.0, 0.0],
                      speed=[10.0, 0.0], vtype=["car", "bus"])
    update = TwinUpdate(1_700_000_000.25, {"vehicle": cars}, snapshot=snapshot)
    if not snapshot:
        update.removals["vehicle"] = np.array(["c"], object)
    if generic:
        update.upserts["air_quality"] = EntityBatch("air_quality", np.array(["s1"], object), {
            "x": np.array([4.4]), "y": np.array([51.9]), "z": np.array([np.nan], np.float32),
            "no2": np.array([12.5], np.float32)})
    return update


@pytest.mark.parametrize("encoding", ["binary", "columns", "objects"])
@pytest.mark.parametrize("snapshot", [True, False])
@pytest.mark.parametrize("generic", [False, True])
def test_renumber_gives_exactly_what_encode_gives(encoding: str, snapshot: bool, generic: bool) -> None:
    """A message encoded once and renumbered is byte for byte the message encoded with that seq."""
    update = _update(snapshot, generic)
    message = Snapshot if snapshot else Delta
    once = encode(message(1, update), encoding)
    for seq in (1, 2, 9, 10, 123_456_789, 2**53):
        assert renumber(once, seq) == encode(message(seq, update), encoding)


def test_shared_update_filters_and_encodes_once_per_subscription_and_encoding() -> None:
    """Clients with the same subscription and encoding share one encoding; others get their own."""
    shared = SharedUpdate(_update(False, False))
    everything, cars = ("vehicle", "road", "building"), ("vehicle",)
    assert shared.part(("road",), ()) is None  # nothing of this update for a roads-only client
    first = shared.wire(everything, (), "binary")
    assert shared.wire(everything, (), "binary") is first and shared.encodings == 1
    shared.wire(cars, (), "binary")
    shared.wire(everything, (), "columns")
    assert shared.encodings == 3
    whole = SharedUpdate(TwinUpdate(float("nan"), {}, snapshot=True), whole_state=True).part(everything, ())
    assert whole is not None and whole.time == 0.0 and set(whole.upserts) == set(everything)  # session rule 5


def _subscribe_raw(port: int) -> object:
    sock = raw_websocket(port)
    send_frame(sock, str(encode(Subscribe(encodings=("binary",)))).encode())
    return sock


def _read_until(sock: object, final_time: float, snapshots: int = 1) -> list[tuple[object, bytes]]:
    """(message, payload) until a data message at final_time and `snapshots` snapshots were read."""
    out: list[tuple[object, bytes]] = []
    while True:
        opcode, payload = read_frame(sock)  # type: ignore[arg-type]
        message = decode(payload if opcode == 2 else payload.decode())
        out.append((message, payload))
        seen = sum(isinstance(m, Snapshot) for m, _ in out)
        if isinstance(message, Snapshot | Delta) and abs(message.time - final_time) < 1e-9 and seen >= snapshots:
            return out


def test_clients_share_one_encoding_of_each_update_with_their_own_seq(monkeypatch: pytest.MonkeyPatch) -> None:
    """Five binary clients, a columns and an objects one, one of cars only: every client converges, its seq
    runs +1 without a gap, two clients' frames of one update differ only in the seq, and the server encoded
    far fewer binary frames than it sent (once per update and subscription, not once per client). Resyncs
    on a frozen state are answered with one shared snapshot."""
    calls = [0]
    real = codec.encode_binary

    def counted(*args: object, **kwargs: object) -> bytes:
        calls[0] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(codec, "encode_binary", counted)
    source = MovingSource(n=300, steps=40, period=0.1)
    with ServerThread(source, ServerOptions(port=0)) as server:
        raws = [_subscribe_raw(server.server.port) for _ in range(2)]
        clients = {name: FeedClient(server.url, encodings=(encoding,), kinds=kinds).start()
                   for name, encoding, kinds in [("b1", "binary", ()), ("b2", "binary", ()), ("cars", "binary", ("vehicle",)),
                                                 ("columns", "columns", ()), ("objects", "objects", ())]}
        mirrors = {name: Mirror(c) for name, c in clients.items()}
        try:
            streams = [_read_until(sock, source.final_time) for sock in raws]
            for mirror in mirrors.values():
                wait_for(mirror.reaches(source.final_time), 30, "every client to reach the last update")
            server.call(server.server.driver.catch_up)
            reference = server.server.driver.state
            for name, mirror in mirrors.items():
                assert_same_state(reference, mirror.twin, ("vehicle",) if name == "cars" else
                                  ("vehicle", "road", "building"))
                assert mirror.resets == 1  # the first snapshot only: no seq gap ever made the client resync
            for stream in streams:
                assert isinstance(stream[0][0], Hello)
                seqs = [m.seq for m, _ in stream]  # type: ignore[attr-defined]
                assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
            by_time = [{m.time: p for m, p in s if isinstance(m, Delta)} for s in streams]  # type: ignore[attr-defined]
            common = set(by_time[0]) & set(by_time[1])
            assert len(common) >= 10
            for t in common:
                a, b = by_time[0][t], by_time[1][t]
                assert a[:8] + a[16:] == b[:8] + b[16:]  # the same bytes but the seq (binary.py's header)
            binary_messages = sum(mirrors[n].updates for n in ("b1", "b2", "cars")) + \
                sum(1 for s in streams for m, _ in s if isinstance(m, Snapshot | Delta))
            assert calls[0] * 2 < binary_messages, (calls[0], binary_messages)  # one per client: equal

            # Resync on the frozen state: each raw client gets a fresh snapshot, both from one encoding.
            before = calls[0]
            for sock in raws:
                send_frame(sock, str(encode(Resync(last_seq=None))).encode())
            answers = []
            for sock in raws:
                message, payload = _one(sock)
                while not isinstance(message, Snapshot):  # a delta or heartbeat sent before the resync
                    message, payload = _one(sock)
                answers.append(payload)
                assert message.update.upserts["vehicle"].ids.tolist() == \
                    reference["vehicle"].batch().ids.tolist()
            assert answers[0][:8] + answers[0][16:] == answers[1][:8] + answers[1][16:]
            assert calls[0] - before <= 1
        finally:
            for sock in raws:
                sock.close()  # type: ignore[attr-defined]
            for c in clients.values():
                c.stop()


def _one(sock: object) -> tuple[object, bytes]:
    opcode, payload = read_frame(sock)  # type: ignore[arg-type]
    return decode(payload if opcode == 2 else payload.decode()), payload


def test_server_negotiates_no_compression_even_when_the_client_offers_it() -> None:
    """permessage-deflate per client would cost more CPU than the whole fan-out (feed_server.py rule 1): a
    client offering it (as browsers and websockets' client do by default) gets plain frames, and the feed
    works."""
    from websockets.sync.client import connect as sync_connect

    with ServerThread(MovingSource(n=50, steps=None), ServerOptions(port=0)) as server:
        with sync_connect(server.url, compression="deflate", open_timeout=10) as ws:
            assert "permessage-deflate" in (ws.request.headers.get("Sec-WebSocket-Extensions") or "")
            assert ws.response.headers.get("Sec-WebSocket-Extensions") is None
            ws.send(str(encode(Subscribe(encodings=("binary",)))))
            assert isinstance(decode(ws.recv(timeout=10)), Hello)
            assert isinstance(decode(ws.recv(timeout=10)), Snapshot)
