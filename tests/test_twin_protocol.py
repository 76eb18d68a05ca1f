"""Feed protocol in memory: a server session and a client protocol wired together, no sockets, time passed in."""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.twin.batch import KINDS, TwinUpdate, column_names, make_batch
from viewer.twin.binary import HEADER
from viewer.twin.codec import decode, encode
from viewer.twin.errors import ProtocolError
from viewer.twin.messages import ENCODINGS, Delta, Heartbeat, Hello, Resync, Snapshot, Subscribe
from viewer.twin.protocol import (
    CONNECTING,
    LIVE,
    STALE,
    SYNCING,
    TRANSITIONS,
    FeedClientProtocol,
    HelloReceived,
    MessageDropped,
    ResyncRequested,
    StateChanged,
    UpdateApplied,
    transition,
)
from viewer.twin.session import LAGGING, STREAMING, FeedServerSession
from viewer.twin.state import TwinState

Wire = bytes | str


def moving_vehicles(step: int, count: int = 6) -> TwinUpdate:
    """Vehicles v0..v{count-1} at source time 100 + step; v0 leaves at step 3, v9 appears at step 2."""
    ids = [f"v{i}" for i in range(count) if not (i == 0 and step >= 3)] + (["v9"] if step >= 2 else [])
    n = len(ids)
    batch = make_batch("vehicle", ids=ids, x=4.4 + 0.001 * step + 0.01 * np.arange(n), y=np.full(n, 51.9),
                       heading=np.full(n, 10.0 * step % 360), speed=np.full(n, 5.0 + step), vtype=["car"] * n)
    removals = {"vehicle": np.array(["v0"], dtype=object)} if step == 3 else {}
    return TwinUpdate(100.0 + step, {"vehicle": batch}, removals)


class ConnectionPair:
    """A feed server (its TwinState and one FeedServerSession) and a client protocol, wired in memory.

    Messages move only when the test says so: exchange() delivers everything both ways, while take() and
    deliver() let a test lose, repeat, reorder or corrupt server messages on the way.
    """

    def __init__(self, encodings: tuple[str, ...] = ENCODINGS, kinds: tuple[str, ...] = (),
                 max_backlog: int = 64, stale_after: float = 3.0, with_state: bool = True) -> None:
        self.server_state = TwinState()
        self.server_state.apply(TwinUpdate(100.0, {
            "vehicle": moving_vehicles(0).upserts["vehicle"],
            "road": make_batch("road", ids=["r1", "r2"], speed=[10.0, 3.0], occupancy=[0.1, 0.7])}, snapshot=True),
            now=0.0)
        self.session = FeedServerSession(self.server_state.snapshot, max_backlog=max_backlog, heartbeat=1.0,
                                         server="test-server")
        self.client = FeedClientProtocol(TwinState() if with_state else None, kinds=kinds, encodings=encodings,
                                         stale_after=stale_after, resend_after=5.0)
        self.events: list[Any] = []
        self.server_events: list[Any] = []

    def connect(self, now: float = 0.0) -> None:
        self.events += self.client.connection_made(now)
        self.exchange(now)

    def to_server(self, now: float) -> int:
        sent = self.client.data_to_send()
        for wire in sent:
            self.server_events += self.session.receive_data(wire, now)
        return len(sent)

    def take(self, now: float) -> list[Wire]:
        """Server messages now due, without delivering them."""
        return self.session.data_to_send(now)

    def deliver(self, wires: list[Wire], now: float) -> list[Any]:
        events = []
        for wire in wires:
            events += self.client.receive_data(wire, now)
        self.events += events
        return events

    def exchange(self, now: float) -> None:
        for _ in range(10):
            moved = self.to_server(now)
            wires = self.take(now)
            self.deliver(wires, now)
            if not moved and not wires:
                return
        raise AssertionError("the pair never went quiet")

    def push(self, update: TwinUpdate, now: float) -> None:
        """A source step: the server applies it and queues it for the client."""
        self.server_state.apply(update, now)
        self.session.send(update, now)

    def assert_converged(self, kinds: tuple[str, ...] = KINDS) -> None:
        client = self.client.twin
        assert client is not None
        for kind in kinds:
            assert table_rows(client[kind]) == table_rows(self.server_state[kind]), kind

    def dropped(self) -> list[str]:
        return [e.reason for e in self.events if isinstance(e, MessageDropped)]


def table_rows(table: Any) -> dict[str, tuple[Any, ...]]:
    """id -> every batch column of its row (NaN made comparable), for comparing two states."""
    batch = table.batch()
    columns = [getattr(batch, name) for name in column_names(table.kind)[1:]]
    cells = [[None if isinstance(v, float) and v != v else v for v in c.tolist()] for c in columns]
    return {i: tuple(row) for i, row in zip(batch.ids.tolist(), zip(*cells, strict=True), strict=True)}


# -- handshake and steady state --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_handshake_and_deltas_converge(encoding: str) -> None:
    """subscribe -> hello -> snapshot -> deltas leaves the client live with the server's state, in each encoding."""
    pair = ConnectionPair(encodings=(encoding,))
    pair.connect()
    assert pair.client.state == LIVE and pair.session.encoding == encoding
    assert isinstance(pair.client.hello, Hello) and pair.client.hello.server == "test-server"
    pair.assert_converged()
    for step in range(1, 6):
        pair.push(moving_vehicles(step), now=step)
        pair.exchange(now=step)
    pair.assert_converged()
    assert pair.dropped() == [] and "v0" not in pair.client.twin["vehicle"].index
    states = [(e.old, e.new) for e in pair.events if isinstance(e, StateChanged)]
    assert states == [(CONNECTING, SYNCING), (SYNCING, LIVE)]


def test_wire_types_follow_the_encoding() -> None:
    """Binary data messages are bytes and JSON ones str; control messages are always str."""
    for encoding, kind in (("binary", bytes), ("columns", str), ("objects", str)):
        pair = ConnectionPair(encodings=(encoding,))
        pair.client.connection_made(0.0)
        pair.to_server(0.0)
        hello, snapshot = pair.take(0.0)
        assert isinstance(hello, str) and isinstance(snapshot, kind)


def test_server_picks_the_clients_first_offered_encoding() -> None:
    """The session uses the first of the client's encodings it offers, and columns if there is none."""
    pair = ConnectionPair(encodings=("objects", "binary"))
    pair.connect()
    assert pair.session.encoding == "objects" and pair.client.hello.encoding == "objects"
    pair = ConnectionPair(encodings=("msgpack",))
    pair.connect()
    assert pair.session.encoding == "columns" and pair.client.state == LIVE


def test_subscription_limits_kinds() -> None:
    """A client asking for roads only gets a hello and snapshot with roads only, and no vehicle deltas."""
    pair = ConnectionPair(kinds=("road",))
    pair.connect()
    assert pair.client.hello.kinds == ("road",)
    pair.push(moving_vehicles(1), now=1)
    assert pair.session.pending == 0
    assert len(pair.client.twin["vehicle"]) == 0 and len(pair.client.twin["road"]) == 2


def test_client_without_state_hands_out_clean_updates() -> None:
    """With no TwinState the client hands out validated updates that rebuild the server's state elsewhere."""
    pair = ConnectionPair(with_state=False)
    pair.connect()
    applied = [e for e in pair.events if isinstance(e, UpdateApplied)]
    assert len(applied) == 1 and applied[0].result is None and applied[0].update.snapshot
    assert applied[0].reset  # the first snapshot of the stream
    assert sorted(applied[0].update.upserts["road"].ids) == ["r1", "r2"]
    pair.push(moving_vehicles(1), 1.0)
    pair.exchange(1.0)
    mine = TwinState()
    for event in pair.events:
        if isinstance(event, UpdateApplied):
            mine.apply(event.update, 1.0, reset=event.reset)
    assert table_rows(mine["vehicle"]) == table_rows(pair.server_state["vehicle"])


def test_every_server_message_has_the_next_seq() -> None:
    """hello, snapshot, deltas and heartbeats carry seq strictly +1 from the previous message."""
    pair = ConnectionPair()
    pair.client.connection_made(0.0)
    pair.to_server(0.0)
    wires = pair.take(0.0)
    pair.push(moving_vehicles(1), 1.0)
    pair.session.tick(1.0)
    wires += pair.take(1.0)
    pair.session.tick(2.5)
    wires += pair.take(2.5)
    seqs = [decode(w).seq for w in wires]
    assert [type(decode(w)).__name__ for w in wires] == ["Hello", "Snapshot", "Delta", "Heartbeat"]
    assert seqs == list(range(seqs[0], seqs[0] + 4))


# -- sequence faults ---------------------------------------------------------------------------------------------


def live_pair(**kwargs: Any) -> ConnectionPair:
    pair = ConnectionPair(**kwargs)
    pair.connect()
    return pair


def test_duplicate_messages_are_ignored() -> None:
    """A message delivered twice is applied once; the repeat is dropped as a duplicate and nothing else changes."""
    pair = live_pair()
    pair.push(moving_vehicles(1), 1.0)
    wires = pair.take(1.0)
    pair.deliver(wires + wires, 1.0)
    assert pair.dropped() == [f"duplicate seq {decode(wires[0]).seq} (last {decode(wires[0]).seq})"]
    assert pair.client.state == LIVE and pair.client.data_to_send() == []
    pair.assert_converged()


def test_gap_triggers_resync_and_converges() -> None:
    """A lost delta makes the next one a gap: it is not applied, a resync goes out, and the snapshot heals it."""
    pair = live_pair()
    pair.push(moving_vehicles(1), 1.0)
    pair.take(1.0)  # lost on the way
    pair.push(moving_vehicles(2), 2.0)
    events = pair.deliver(pair.take(2.0), 2.0)
    assert pair.client.state == SYNCING
    assert any(isinstance(e, ResyncRequested) for e in events)
    assert "v9" not in pair.client.twin["vehicle"].index  # the delta after the gap was not applied
    sent = pair.client.data_to_send()
    assert [type(decode(w)) for w in sent] == [Resync]
    for wire in sent:
        pair.session.receive_data(wire, 2.0)
    pair.push(moving_vehicles(3), 3.0)
    pair.exchange(3.0)
    assert pair.client.state == LIVE
    pair.assert_converged()


def test_deltas_after_a_gap_wait_for_the_snapshot() -> None:
    """While a resync is pending, in-order deltas are dropped rather than applied over a hole."""
    pair = live_pair()
    pair.push(moving_vehicles(1), 1.0)
    pair.take(1.0)
    pair.push(moving_vehicles(2), 2.0)
    pair.deliver(pair.take(2.0), 2.0)
    pair.push(moving_vehicles(3), 3.0)
    events = pair.deliver(pair.take(3.0), 3.0)
    assert [e.reason for e in events if isinstance(e, MessageDropped)] == [
        f"delta {pair.client.last_seq} before the snapshot (resync pending)"]
    assert "v0" in pair.client.twin["vehicle"].index
    pair.exchange(3.0)
    pair.assert_converged()


def test_out_of_order_messages_resync_then_converge() -> None:
    """Two deltas swapped in transit: the later one is a gap, the earlier one then a duplicate; a resync converges."""
    pair = live_pair()
    pair.push(moving_vehicles(1), 1.0)
    pair.push(moving_vehicles(2), 1.0)
    first, second = pair.take(1.0)
    pair.deliver([second, first], 1.0)
    reasons = pair.dropped()
    assert "skipped" in reasons[0] and "duplicate" in reasons[1]
    pair.exchange(2.0)
    assert pair.client.state == LIVE
    pair.assert_converged()


def test_seq_jumping_back_far_requests_a_resync() -> None:
    """A seq further back than the duplicate window is not a repeat: the client resyncs and converges."""
    pair = live_pair()
    for step in range(1, 4):
        pair.push(moving_vehicles(step), step)
        pair.exchange(step)
    pair.client.duplicate_window = 1
    stale = encode(Delta(1, moving_vehicles(1)), "columns")  # seq 1 was the hello
    events = pair.deliver([stale], 4.0)
    assert any(isinstance(e, ResyncRequested) for e in events) and "jumped back" in pair.dropped()[0]
    pair.exchange(4.0)
    assert pair.client.state == LIVE
    pair.assert_converged()


def test_unanswered_resync_is_sent_again() -> None:
    """If the snapshot answering a resync never comes, the client asks again after resend_after seconds."""
    pair = live_pair()
    pair.push(moving_vehicles(1), 1.0)
    pair.take(1.0)
    pair.push(moving_vehicles(2), 1.0)
    pair.deliver(pair.take(1.0), 1.0)
    assert len(pair.client.data_to_send()) == 1  # the first resync, lost
    assert pair.client.tick(4.0) == []
    events = pair.client.tick(6.5)
    assert any(isinstance(e, ResyncRequested) for e in events)
    pair.exchange(6.5)
    assert pair.client.state == LIVE
    pair.assert_converged()


def test_lost_hello_means_subscribe_again() -> None:
    """A client that never hears a hello re-sends its subscribe after resend_after seconds."""
    pair = ConnectionPair()
    pair.client.connection_made(0.0)
    pair.to_server(0.0)
    pair.take(0.0)  # hello and snapshot lost
    pair.client.tick(6.0)
    sent = pair.client.data_to_send()
    assert [type(decode(w)) for w in sent] == [Subscribe]
    for wire in sent:
        pair.session.receive_data(wire, 6.0)
    pair.exchange(6.0)
    assert pair.client.state == LIVE


def test_data_before_hello_is_refused_by_the_table() -> None:
    """A snapshot or heartbeat before any hello is dropped with the state machine's reason."""
    pair = ConnectionPair()
    pair.client.connection_made(0.0)
    pair.deliver([encode(Heartbeat(1, 0.0)), encode(Snapshot(2, moving_vehicles(0)), "binary")], 0.0)
    assert pair.dropped() == ["'heartbeat' is not allowed in state 'connecting'",
                              "'snapshot' is not allowed in state 'connecting'"]
    assert len(pair.client.twin["vehicle"]) == 0


# -- stale -------------------------------------------------------------------------------------------------------


def test_stale_after_silence_and_live_again_on_a_heartbeat() -> None:
    """No message for stale_after seconds turns live into stale; a heartbeat brings it back."""
    pair = live_pair(stale_after=3.0)
    assert pair.client.tick(2.9) == []
    assert pair.client.tick(3.5) == [StateChanged(LIVE, STALE, "no message for 3.5 s")]
    pair.session.tick(3.6)
    pair.deliver(pair.take(3.6), 3.6)
    assert pair.client.state == LIVE


def test_heartbeats_keep_the_client_live() -> None:
    """A server that only sends heartbeats (one a second) never lets the client go stale."""
    pair = live_pair(stale_after=3.0)
    for now in np.arange(0.5, 20.0, 0.5):
        pair.session.tick(float(now))
        pair.deliver(pair.take(float(now)), float(now))
        assert pair.client.tick(float(now)) == []
    assert pair.client.state == LIVE


# -- state machine tables ------------------------------------------------------------------------------------------


def test_illegal_transition_is_a_failed_lookup() -> None:
    """An event the table has no entry for raises ProtocolError naming the state and the event."""
    with pytest.raises(ProtocolError) as info:
        transition(TRANSITIONS, CONNECTING, "snapshot", "ws://x")
    assert (info.value.state, info.value.event) == (CONNECTING, "snapshot")
    assert str(info.value) == "ws://x: 'snapshot' is not allowed in state 'connecting'"
    pair = live_pair()
    with pytest.raises(ProtocolError):
        pair.client.connection_made(1.0)  # a caller's mistake is raised, not swallowed


def test_closed_client_drops_everything() -> None:
    """After close(), nothing is sent or re-sent and every message is dropped."""
    pair = ConnectionPair()
    pair.client.connection_made(0.0)  # a subscribe is pending
    pair.client.close(1.0)
    assert pair.client.tick(60.0) == [] and pair.client.data_to_send() == []
    pair.deliver([encode(Hello(seq=1, time=0.0))], 61.0)
    assert pair.dropped() == ["message after close"]


# -- hostile server messages ---------------------------------------------------------------------------------------


def next_delta(pair: ConnectionPair, update: TwinUpdate, encoding: str = "columns") -> Wire:
    return encode(Delta(pair.client.last_seq + 1, update), encoding)


def test_nan_positions_drop_rows_not_messages() -> None:
    """Vehicles with NaN or infinite positions are dropped with a reason; the rest of the delta is applied."""
    pair = live_pair()
    batch = make_batch("vehicle", ids=["v1", "v2", "v3"], x=[np.nan, np.inf, 9.0], y=[1.0, 1.0, 1.0])
    events = pair.deliver([next_delta(pair, TwinUpdate(101.0, {"vehicle": batch}))], 1.0)
    applied = [e for e in events if isinstance(e, UpdateApplied)][0]
    assert applied.update.upserts["vehicle"].ids.tolist() == ["v3"]
    assert applied.reasons == ("vehicle: 2 rows dropped: position not finite",)  # JSON writes inf as null
    table = pair.client.twin["vehicle"]
    assert table.column("x")[table.index["v3"]] == 9.0
    assert table.column("x")[table.index["v1"]] == pytest.approx(4.41)  # the good old value is kept
    assert pair.client.counters.dropped_rows == 2


def test_absurd_ids_are_dropped_rows() -> None:
    """A 10,000-character id is one dropped row; the message's other rows are applied."""
    pair = live_pair()
    batch = make_batch("road", ids=["r1", "x" * 10_000], speed=[1.0, 2.0])
    pair.deliver([next_delta(pair, TwinUpdate(101.0, {"road": batch}))], 1.0)
    assert "longer than 128" in pair.client.counters.reasons[-1]
    assert len(pair.client.twin["road"]) == 2 and pair.client.state == LIVE


HOSTILE = {
    "unknown kind": lambda seq: json.dumps({"type": "delta", "seq": seq, "time": 1, "upserts": {"ufo": []}}),
    "wrong types": lambda seq: json.dumps({"type": "delta", "seq": str(seq), "time": 1}),
    "not json": lambda seq: "{{{{",
    "client message": lambda seq: encode(Subscribe()),
    "huge binary counts": lambda seq: bytes(HEADER.pack(b"CVTF", 1, 2, 1, seq, 1.0, 2**32 - 1, 0, 0, 0, 0, 0, 0, 0)),
    "truncated binary": lambda seq: encode(Delta(seq, moving_vehicles(1)), "binary")[:-9],
    "lying binary count": lambda seq: lying_frame(seq),
}


def lying_frame(seq: int) -> bytes:
    data = bytearray(encode(Delta(seq, moving_vehicles(1)), "binary"))
    struct.pack_into("<I", data, 24, 3)
    return bytes(data)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_message_is_dropped_and_the_client_recovers(name: str) -> None:
    """A malformed message is dropped with a reason, the good state is kept, and the next message's gap heals it."""
    pair = live_pair()
    before = table_rows(pair.client.twin["vehicle"])
    pair.deliver([HOSTILE[name](pair.client.last_seq + 1)], 1.0)
    assert len(pair.dropped()) == 1 and pair.dropped()[0]
    assert table_rows(pair.client.twin["vehicle"]) == before and pair.client.state == LIVE
    pair.session.next_seq += 1  # the server did send a message with that seq
    pair.push(moving_vehicles(2), 2.0)
    pair.exchange(2.0)
    assert pair.client.state == LIVE
    pair.assert_converged()


# -- the server side -----------------------------------------------------------------------------------------------


def test_slow_client_gets_a_snapshot_instead_of_a_backlog() -> None:
    """Past max_backlog queued messages the session drops them for one fresh snapshot, and the client converges."""
    pair = live_pair(max_backlog=4)
    for step in range(1, 10):
        pair.push(moving_vehicles(step), float(step))
        assert pair.session.pending <= 5
    assert pair.session.state == LAGGING and pair.session.resets == 1
    wires = pair.take(10.0)
    assert [type(decode(w)) for w in wires] == [Snapshot]
    assert pair.session.state == STREAMING
    pair.deliver(wires, 10.0)
    assert pair.dropped() == [] and pair.client.state == LIVE
    pair.assert_converged()


def test_resync_is_answered_with_a_snapshot_and_no_gap() -> None:
    """A resync replaces pending deltas with one snapshot whose seq follows the last one sent."""
    pair = live_pair()
    last = pair.session.next_seq - 1
    pair.push(moving_vehicles(1), 1.0)
    pair.push(moving_vehicles(2), 1.0)
    pair.session.receive_data(encode(Resync(last)), 1.0)
    wires = pair.take(1.0)
    assert [(type(m), m.seq) for m in map(decode, wires)] == [(Snapshot, last + 1)]


def test_resubscribe_gets_hello_and_snapshot_again() -> None:
    """A second subscribe on a streaming session is answered with a new hello and snapshot."""
    pair = live_pair()
    pair.session.receive_data(encode(Subscribe(kinds=("road",))), 1.0)
    assert [type(decode(w)) for w in pair.take(1.0)] == [Hello, Snapshot]


@pytest.mark.parametrize(("wire", "reason"), [
    ("garbage", "malformed JSON"),
    ("x" * 70_000, "exceeds the limit"),
    (encode(Resync(3)), "'resync' is not allowed in state 'waiting'"),
    (encode(Heartbeat(1, 0.0)), "a client does not send 'heartbeat'"),
    (json.dumps({"type": "subscribe", "v": 9}), "protocol version 9"),
])
def test_hostile_client_messages_are_dropped(wire: Wire, reason: str) -> None:
    """Garbage, oversized or out-of-place client messages are dropped with a reason; the session waits on."""
    session = FeedServerSession(TwinState().snapshot)
    events = session.receive_data(wire, 0.0)
    assert len(events) == 1 and isinstance(events[0], MessageDropped) and reason in events[0].reason
    assert session.state == "waiting" and session.data_to_send(0.0) == []


def test_server_restart_converges_even_with_an_older_clock() -> None:
    """After reconnecting to a restarted server whose clock starts earlier, the client takes its snapshot whole."""
    pair = live_pair()
    for step in range(1, 4):
        pair.push(moving_vehicles(step), step)
        pair.exchange(step)
    pair.events += pair.client.connection_lost(5.0)
    assert pair.client.state == CONNECTING
    restarted = ConnectionPair()  # a new server process: source time back at 100, seq back at 1
    restarted.client = pair.client
    restarted.connect(6.0)
    assert pair.client.state == LIVE
    restarted.assert_converged()
    hellos = [e for e in pair.events + restarted.events if isinstance(e, HelloReceived)]
    assert len(hellos) == 2


# -- generated hostile input -----------------------------------------------------------------------------------------

VALID = [encode(Delta(5, moving_vehicles(1)), e) for e in ENCODINGS] + [encode(Heartbeat(5, 1.0))]


@st.composite
def malformed(draw: st.DrawFn) -> Wire:
    """A valid server message with bytes flipped, cut or inserted, or a random JSON object with a real type."""
    if draw(st.booleans()):
        base = draw(st.sampled_from(VALID))
        data = bytearray(base.encode() if isinstance(base, str) else base)
        for _ in range(draw(st.integers(1, 3))):
            if not data:
                break
            at = draw(st.integers(0, len(data) - 1))
            if draw(st.booleans()):
                data[at] = draw(st.integers(0, 255))
            else:
                del data[at:at + draw(st.integers(1, 40))]
        return bytes(data)
    values = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4)
    nested = st.recursive(values, lambda v: st.lists(v, max_size=3) | st.dictionaries(
        st.sampled_from(["vehicle", "road", "columns", "ids", "x", "id"]), v, max_size=3), max_leaves=10)
    obj = draw(st.dictionaries(st.sampled_from(["seq", "time", "upserts", "removals", "v", "kinds"]), nested))
    obj["type"] = draw(st.sampled_from(["hello", "snapshot", "delta", "heartbeat", "resync"]))
    return json.dumps(obj)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.lists(malformed(), min_size=1, max_size=5))
def test_generated_malformed_messages_never_crash_the_client(wires: list[Wire]) -> None:
    """Whatever arrives, receive_data returns events (every refusal with a reason) and raises nothing."""
    pair = live_pair()
    for wire in wires:
        for event in pair.client.receive_data(wire, 1.0):
            assert not isinstance(event, MessageDropped) or event.reason
            assert not isinstance(event, MessageDropped) or "internal error" not in event.reason
    pair.exchange(2.0)
    pair.client.tick(20.0)  # re-sends a resync a gap may have left pending
    pair.session.tick(20.0)  # a heartbeat
    pair.exchange(20.0)
    assert pair.client.state == LIVE
    pair.assert_converged()
