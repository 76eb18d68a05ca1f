"""Batches of poses and pointers (docs/meetings.md "Batches"): a client that asks for them (`?batch=1` in its
handshake URL) gets the presences and pointers queued back to back as one message; every other client gets
each alone, exactly as protocol 1 without batches. Servers on a bus batch their live records per room too.

Sans-I/O parts (session, codec, protocol, BusHub) with time as an argument, then real servers and clients on
loopback: a protocol-1 client that does not ask never sees a batch, a MeetingClient sees every pose either way.
"""

from __future__ import annotations

import contextlib
import time

import orjson
import pytest
from test_meeting_nats_hub import Bus
from websockets.sync.client import connect

from viewer.errors import MessageError
from viewer.meeting.bus import MAX_RECORD_BYTES, BusOut, live_batches
from viewer.meeting.codec import batch_text, decode_server, decode_server_batch, encode
from viewer.meeting.messages import (
    ChatLine,
    Left,
    ParticipantInfo,
    PointAt,
    Pointer,
    Pose,
    PoseUpdate,
    Presence,
    Ray,
    RoomState,
    Welcome,
)
from viewer.meeting.protocol import LIVE, MeetingClientProtocol, Received
from viewer.meeting.session import MAX_BATCH_ITEMS, ServerSession
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_client import MeetingClient
from viewer.net.meeting_server import ServerThread

SECRET = b"batch-test-secret-0123456789abcdef"


def pose(x: float, t: float = 0.0) -> Pose:
    return Pose((x, 1.0, 0.0), 90.0, (x, 1.0, 1.7), 0.0, t)


def presence(sender: int, x: float) -> str:
    return encode(Presence(sender, pose(x)))


def session(batch: bool, backlog: int = 256) -> ServerSession:
    made = ServerSession(1, 7, "delft", "Ana", "guest", "jti-0123456789", lambda: RoomState(()), 0.0, backlog,
                         batch=batch)
    made.welcome(encode(Left(1, "x")))  # any first message; the state follows it
    made.data_to_send()
    return made


# ---------------------------------------------------------------------------------------------- session


def test_live_messages_back_to_back_go_out_as_one_batch_in_order():
    s = session(batch=True)
    for sender in (1, 2, 3):
        s.queue(presence(sender, float(sender)), live=True)
    s.queue(encode(ChatLine(1, 1, "Bo", "hi", 0.0)))
    s.queue(presence(4, 4.0), live=True)
    assert s.pending == 5
    sent = s.data_to_send()
    assert len(sent) == 3 and s.pending == 0
    assert [m.sender for m in decode_server_batch(sent[0])] == [1, 2, 3]
    assert isinstance(decode_server(sent[1]), ChatLine)
    assert sent[2] == presence(4, 4.0)  # a batch of one is that message alone


def test_a_client_that_did_not_ask_gets_every_message_alone():
    s = session(batch=False)
    for sender in (1, 2, 3):
        s.queue(presence(sender, float(sender)), live=True)
    assert not s.only_live_pending
    assert s.data_to_send() == [presence(sender, float(sender)) for sender in (1, 2, 3)]


def test_a_batch_is_bounded_and_the_backlog_counts_messages_not_batches():
    s = session(batch=True)
    for k in range(MAX_BATCH_ITEMS + 1):
        s.queue(presence(2, float(k)), live=True)
    assert s.only_live_pending
    first, second = s.data_to_send()
    assert len(decode_server_batch(first)) == MAX_BATCH_ITEMS and decode_server_batch(second)[0].pose.position[0] == 64
    slow = session(batch=True, backlog=10)
    for k in range(11):
        slow.queue(presence(2, float(k)), live=True)
    assert slow.resets == 1 and [type(decode_server(t)) for t in slow.data_to_send()] == [RoomState]


# ---------------------------------------------------------------------------------------------- codec


def test_a_batch_reads_as_its_items_each_checked_as_if_alone():
    items = [presence(2, 1.0), encode(Pointer(3, Ray((0.0, 0.0, 1.7), (5.0, 6.0, 0.0))))]
    assert decode_server_batch(batch_text(items)) == [decode_server(t) for t in items]
    assert decode_server_batch(presence(2, 1.0)) == [decode_server(presence(2, 1.0))]
    with pytest.raises(MessageError, match="presence and pointer messages only"):
        decode_server_batch(batch_text([encode(ChatLine(1, 1, "Bo", "hi", 0.0))]))
    with pytest.raises(MessageError, match="not finite|must be a number"):
        decode_server_batch(batch_text([presence(2, 1.0).replace("1.0", '"x"', 1)]))
    with pytest.raises(MessageError, match="unexpected field"):
        decode_server_batch('{"type":"batch","items":[],"room":"other"}')
    with pytest.raises(MessageError, match="unknown message type 'batch'"):
        decode_server(batch_text([presence(2, 1.0)]))  # what a protocol-1 client without batches makes of one


def test_the_protocol_reports_a_batch_as_the_messages_it_holds():
    def client() -> MeetingClientProtocol:
        protocol = MeetingClientProtocol()
        protocol.connection_made(0.0)
        protocol.receive_data(encode(Welcome(1, "Ana", "guest", "delft", False, {})), 0.0)
        protocol.receive_data(encode(RoomState((ParticipantInfo(2, "Bo", "guest", False, None, None),))), 0.0)
        return protocol

    items = [presence(2, 1.0), presence(2, 2.0)]
    alone, batched = client(), client()
    one_by_one = [e for text in items for e in alone.receive_data(text, 1.0)]
    together = batched.receive_data(batch_text(items), 1.0)
    assert together == one_by_one and len(together) == 2 and all(isinstance(e, Received) for e in together)
    assert batched.view.members[2].track.latest.position == (2.0, 1.0, 0.0)
    assert batched.state == LIVE and batched.dropped == 0


# ---------------------------------------------------------------------------------------------- bus


def test_live_records_are_batched_per_room_in_order_and_applied_as_if_alone():
    bus = Bus(2)
    a, b = bus.hubs
    ana, _ = bus.join(a, "Ana")
    bo, _ = bus.join(b, "Bo")
    ana.batch = True
    ana.data_to_send()
    for x in (1.0, 2.0, 3.0):
        b.receive(bo, encode(PoseUpdate(pose(x))), bus.now + x)
    b.receive(bo, encode(PointAt((5.0, 6.0, 7.0))), bus.now + 4)
    live = [out for out in b.take_outbox() if out.kind == "live"]
    beat = b.beat(bus.now)
    batched = live_batches([live[0], beat, *live[1:]], b.node, bus.now)
    assert [out.kind for out in batched] == ["beat", "live"]
    record = orjson.loads(batched[1].data)
    assert record["k"] == "batch" and record["records"] == [orjson.loads(out.data) for out in live]
    a.apply_live("delft", batched[1].data, bus.now)
    got = decode_server_batch(ana.data_to_send()[0])
    assert [type(m) for m in got] == [Presence, Presence, Presence, Pointer]
    assert [m.pose.position[0] for m in got if isinstance(m, Presence)] == [1.0, 2.0, 3.0]
    assert a.rooms["delft"].participants[bo.participant].pose.position[0] == 3.0
    assert a.bad_records == 0


def test_a_live_batch_is_split_before_it_outgrows_a_record_and_a_forged_one_is_dropped():
    records = [BusOut("live", "delft", orjson.dumps({"v": 1, "k": "msg", "n": 2, "t": 0.0, "id": 2, "m": "x" * 900}))
               for _ in range(40)]
    batches = live_batches(records, 2, 0.0)
    assert len(batches) > 1 and all(len(out.data) <= MAX_RECORD_BYTES for out in batches)
    assert sum(len(orjson.loads(out.data)["records"]) for out in batches) == 40
    bus = Bus(2)
    a, _ = bus.hubs
    forged = orjson.dumps({"v": 1, "k": "batch", "n": 2, "t": 0.0, "records": [{"v": 1, "k": "msg", "n": 3}]})
    bus.join(a, "Ana")
    a.apply_live("delft", forged, bus.now)
    assert a.bad_records == 1


# ---------------------------------------------------------------------------------------------- loopback


def token(name: str) -> str:
    return issue_token(SECRET, "delft", name, "guest", 600.0, time.time())


def recv_json(ws) -> dict:
    return orjson.loads(ws.recv(10))


def joined(stack: contextlib.ExitStack, url: str, name: str):
    ws = stack.enter_context(connect(url, additional_headers={"Authorization": f"Bearer {token(name)}"}))
    assert [recv_json(ws)["type"] for _ in range(2)] == ["welcome", "state"]
    return ws


def test_an_old_client_gets_single_messages_and_a_new_one_batches_with_every_pose():
    """Bo sends 8 poses at once. Cy, a protocol-1 client that does not ask for batches (raw websockets, the
    previous release's way), gets 8 presence messages and never a batch; Ed, who asks, gets the same 8 poses
    in fewer messages (the server holds live messages 1 s here); Di (MeetingClient, which asks) sees all 8."""
    with ServerThread(SECRET, port=0, tick=0.05, live_hold=1.0, hold_busy=0) as server, \
            contextlib.ExitStack() as stack:
        url = server.url + "/delft"
        cy, ed = joined(stack, url, "Cy"), joined(stack, url + "?batch=1", "Ed")
        di = MeetingClient(url, token("Di")).start()
        stack.callback(di.stop)
        end = time.monotonic() + 10
        while di.state != LIVE and time.monotonic() < end:
            time.sleep(0.02)
        bo = joined(stack, url, "Bo")
        for k in range(8):
            bo.send(encode(PoseUpdate(pose(float(k)))))

        def poses_from(ws) -> tuple[list[float], list[dict]]:
            messages: list[dict] = []
            xs: list[float] = []
            while len(xs) < 8:
                message = recv_json(ws)
                messages.append(message)
                xs += [m["p"][0] for m in message.get("items", [message]) if m["type"] == "presence"]
            return xs, messages

        old_xs, old = poses_from(cy)
        new_xs, new = poses_from(ed)
        assert old_xs == new_xs == [float(k) for k in range(8)]
        assert not [m for m in old if m["type"] == "batch"]
        assert [m for m in new if m["type"] == "batch"] and len(new) < len(old)
        bo_id = next(m["participant"]["id"] for m in old if m["type"] == "joined"
                     and m["participant"]["name"] == "Bo")
        seen: list[float] = []
        while len(seen) < 8 and time.monotonic() < end + 10:
            seen += [e.message.pose.position[0] for _, e in di.poll()
                     if isinstance(e, Received) and isinstance(e.message, Presence) and e.message.sender == bo_id]
            time.sleep(0.02)
        assert seen == [float(k) for k in range(8)]
        assert server.call(lambda: [s.batch for s in server.server.hub.sessions.values() if s.name == "Di"]) == [True]


def test_a_server_that_stalled_a_second_still_takes_the_poses_that_piled_up():
    """A client sending 20 poses a second, read by a server that stalled for a second: all 20 are read at
    the same instant, and all are taken (none refused as a flood), while a 21st at that instant is not."""
    from viewer.meeting.ratelimit import ClientLimiter

    limiter = ClientLimiter()
    for k in range(20):  # the steady stream before the stall
        assert limiter.admit(k / 20.0) and limiter.admit_type("pose", k / 20.0)
    after_stall = 2.0
    taken = [limiter.admit(after_stall) and limiter.admit_type("pose", after_stall) for _ in range(21)]
    assert taken == [True] * 20 + [False]


def test_the_writers_hold_follows_the_servers_load():
    """No hold on a server busy less than 40% of `hold_busy` (a quiet meeting keeps its few-millisecond
    delays), the whole hold from `hold_busy` of a core up, in proportion between; hold_busy 0 always holds."""
    from viewer.net.meeting_server import live_hold_for

    assert live_hold_for(0.0, 0.03, 0.25) == live_hold_for(0.1, 0.03, 0.25) == 0.0
    assert live_hold_for(0.175, 0.03, 0.25) == pytest.approx(0.015)
    assert live_hold_for(0.9, 0.03, 0.25) == 0.03
    assert live_hold_for(0.0, 0.03, 0.0) == 0.03
