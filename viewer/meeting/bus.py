"""Meetings over a message bus (NATS JetStream), sans-I/O: BusHub, a MeetingHub whose rooms are replicas
shared by every server of the bus, and the records those servers exchange. viewer/net/meeting_bus.py does
the I/O; docs/meetings.md ("Several servers") has the picture.

    hub = BusHub(secret); hub.set_node(n)                   n: this server's number, unique on the bus
    hub.receive(session, data, now)                         as MeetingHub; what must cross goes to hub.outbox
    hub.apply_stored(room, data, seq, now)                  a record of the room's stream, in stream order
    hub.apply_live(room, data, now) / hub.apply_beat(...)   a pose or pointer / another server's heartbeat
    hub.take_outbox()                                       [BusOut] to publish, in order

Rules:
1. One state machine per room, replicated: every server that has participants in room R keeps a full Room
   (remote participants included) and applies the same records in the same order, the order of R's subject
   in the stream. A client message that changes the room (chat, host actions, and any type added to
   HANDLERS later, e.g. pins) is checked where it arrives (rate, schema, role: hub rule 3), then published
   and applied by every server, its own included, only when it comes back from the stream. So chat order,
   mutes, layers, follow and removals are the same everywhere, and a server that starts hosting R later
   replays R's records and reaches the same state (chat history for late joiners comes from there).
2. Poses and pointers are many and need no history: they go on a plain subject (not stored), applied at
   once where they arrive and by the others on receipt; a pose about a participant not known yet is dropped
   (the next one, at most a second later, heals).
3. Participant ids are unique across servers: server n numbers its participants n * ID_SPAN + 1, 2, ...
   (n is allocated by the bus: a stream's sequence number). Joins and leaves are records (rule 1) saying
   which server owns the participant now. A token that comes back on another server (its server died, or
   the client switched) keeps its id: the replica knows it by its token id (jti), present or reserved.
   A leave from a server that no longer owns the participant is ignored (the participant moved on).
4. Servers beat every BEAT seconds with the ids they hold per room. A server silent for NODE_TIMEOUT
   seconds is dead: its participants leave (reserved for their tokens, hub rule 4), unless they rejoined
   elsewhere first, in which case the others saw them change server and nothing else ("blink"). An id a
   live server's beat no longer lists, BEAT_GRACE after it joined, leaves too (a leave lost on the bus).
   A server heard again after such a silence (a partition, a NATS restart) makes every server that hears
   it publish its own participants' joins again (reannounce): whoever dropped them takes them back.
5. Removal and mute are sanctions on the token (hub rule 7) applied by every replica, so a removed
   participant is refused by every server that hosts the room; the server holding its connection closes it.
6. Chat line numbers are the stream's: a record at stream sequence s numbers its lines from
   s * CHAT_SEQ_STEP, so replicas and replays agree even when the oldest records were trimmed.
7. Recording stays local: the host's server writes the log (it sees the whole room); other servers' clients
   are told by the chat line and `record` event the host's server relays as a record (with the feed its
   log's header names), and their room state says "recording" until it stops or that server is dead (its
   log ends with it, up to its last whole second: log.py rule 1). Then the server the host is connected to
   by now decides for everyone: if it records (a sink) it continues, in a new log of the room there,
   announced like a start ("continued recording ...") and relayed with `resumed`; if not, it says the
   recording ended (relayed with `lost`). The others wait for its word. With the host on no live server the
   recording ended, and the server the host joins first within resume_grace continues it. One recording may
   so be several files, one per server, each a whole log that starts with the room's state.
8. Records are checked like any peer's input (orjson, exact keys and types); a bad one is dropped with a
   log line and counted, never raised.
9. Live records travel batched: the I/O gathers what the hub queued for a room's live subject and publishes
   it as one "batch" record (live_batches: the records in order, at most MAX_RECORD_BYTES); apply_live takes
   a batch apart and applies each record as if it had come alone. So a pose costs the bus and every other
   server a share of one message, not one each. All servers of a bus run the same version (an older server
   counts batch records as bad and drops them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import orjson

from viewer.meeting.codec import MAX_FEED_REF, decode_client, encode
from viewer.meeting.errors import MessageError
from viewer.meeting.fields import as_jti, as_room
from viewer.meeting.hub import HANDLERS, MeetingHub
from viewer.meeting.log import LogSink
from viewer.meeting.messages import (
    DEFAULT_LIMITS,
    ClientMessage,
    Following,
    Joined,
    Left,
    MeetingLimits,
    PointAt,
    PoseUpdate,
    Recording,
    Remove,
    RoomState,
    SetRecording,
)
from viewer.meeting.roles import ROLES
from viewer.meeting.room import Participant, Reservation, Room
from viewer.meeting.sanctions import Sanctions
from viewer.meeting.session import ServerSession

log = logging.getLogger(__name__)

ID_SPAN = 1_000_000  # participant ids per server number (rule 3)
BEAT = 0.5  # seconds between heartbeats
NODE_TIMEOUT = 2.5  # seconds without a beat before a server counts as dead (rule 4)
BEAT_GRACE = 1.5  # seconds a new participant may be missing from its server's beat
CHAT_SEQ_STEP = 4  # chat line numbers per stream sequence (rule 6)
LIVE_TYPES = (PoseUpdate, PointAt)  # rule 2
MAX_RECORD_BYTES = 16_384
MAX_BATCH_RECORDS = 128  # live records in one batch record (rule 9)
HOLD = 10.0  # seconds a room just synced for a joiner is kept even while empty
CONTINUED = "continued recording the meeting (its server stopped)"  # rule 7: the chat line of a continuation


def subject_room(room: str) -> str:
    """A room name as one NATS subject token ('.' separates tokens: it becomes '~', which rooms never hold)."""
    return as_room(room, "room").replace(".", "~")


def room_of_subject(token: str) -> str:
    return token.replace("~", ".")


@dataclass(frozen=True)
class BusOut:
    """One message to publish: `kind` "stored" (the room's stream subject), "live" (its plain subject) or
    "beat"; `room` ("" for a beat); `data` the record (JSON bytes)."""

    kind: str
    room: str
    data: bytes


class BusHub(MeetingHub):
    """A MeetingHub whose rooms are replicas kept equal through the bus (rules 1-8)."""

    def __init__(self, secret: bytes, limits: MeetingLimits = DEFAULT_LIMITS, sanctions: Sanctions | None = None,
                 logs: LogSink | None = None, server: str = "") -> None:
        super().__init__(secret, limits, sanctions, logs, server)
        self.node = 0
        self.outbox: list[BusOut] = []
        self.owners: dict[int, int] = {}  # participant id -> the server number holding its connection
        self.since: dict[int, float] = {}  # participant id -> local time its join was applied (rule 4)
        self.nodes: dict[int, float] = {}  # server number -> local time of its last beat
        self.beats: dict[int, dict[str, set[int]]] = {}  # server number -> its last beat's ids per room
        self.synced: set[str] = set()  # rooms whose records this server follows
        self.hold: dict[str, float] = {}  # room -> keep until (HOLD)
        self.applied: dict[str, int] = {}  # room -> stream sequence of the last record applied
        self.bad_records = 0
        self.recorded_elsewhere: dict[str, tuple[int, int, str | None]] = {}  # room -> (server, host, feed): rule 7
        self.orphans: dict[str, tuple[int, str | None, float]] = {}  # room -> (host, feed, until) to continue (rule 7)
        self._remotes: dict[int, ServerSession] = {}  # participant id -> its stand-in session (_remote_session)

    def set_node(self, node: int) -> None:
        """This server's number on the bus (rule 3); before any join."""
        if not 1 <= node < 2**53 // ID_SPAN:
            raise ValueError(f"server number {node} out of range")
        self.node = node
        self._next_id = node * ID_SPAN + 1

    def take_outbox(self) -> list[BusOut]:
        out, self.outbox = self.outbox, []
        return out

    # ------------------------------------------------------------------ this server's clients

    def join(self, claims: Any, now: float, peer: str = "client", batch: bool = False) -> ServerSession:
        session = super().join(claims, now, peer, batch)
        room = self.rooms[session.room]
        me = room.participants[session.participant]
        self.owners[me.id], self.since[me.id] = self.node, now
        self._stored(room.name, now, "join", p=_participant_record(me))
        session.state_source = lambda: self._room_state(room)
        orphan = self.orphans.get(room.name)
        if orphan is not None and orphan[0] == me.id:  # rule 7: its host is back, here
            del self.orphans[room.name]
            self._continue_recording(room, me.id, orphan[1], now)
        return session

    def _room_state(self, room: Room) -> RoomState:
        """The room as a joiner gets it, "recording" also while another server records it (rule 7)."""
        state = room.state()
        return replace(state, recording=True) if room.name in self.recorded_elsewhere else state

    def _depart(self, session: ServerSession, now: float, reason: str, reserve: bool) -> None:
        room = self.rooms.get(session.room)
        present = room is not None and session.participant in room.participants
        super()._depart(session, now, reason, reserve)
        if present and self.owners.get(session.participant) == self.node:
            self._forget(session.participant)
            self._stored(session.room, now, "leave", id=session.participant, reason=reason, reserve=reserve)

    def _dispatch(self, session: ServerSession, message: ClientMessage, now: float) -> None:
        """Live types now and on the plain subject; the rest only when back from the stream (rule 1)."""
        if isinstance(message, LIVE_TYPES):
            super()._dispatch(session, message, now)
            self.outbox.append(BusOut("live", session.room, _record(
                "msg", self.node, now, id=session.participant, m=encode(message))))
        else:
            self._stored(session.room, now, "msg", id=session.participant, m=encode(message))

    def _stored(self, room: str, now: float, kind: str, **fields: Any) -> None:
        self.outbox.append(BusOut("stored", room, _record(kind, self.node, now, **fields)))

    # ------------------------------------------------------------------ records from the bus

    def apply_stored(self, room_name: str, data: bytes, seq: int, now: float) -> None:
        """One record of `room_name`'s stream subject at stream sequence `seq` (rule 1)."""
        if room_name not in self.synced or seq <= self.applied.get(room_name, 0):
            return
        self.applied[room_name] = seq
        record = self._read(data)
        if record is None:
            return
        room = self.rooms.get(room_name) or self.rooms.setdefault(room_name, Room(room_name, self.limits))
        room.chat.next_seq = max(room.chat.next_seq, seq * CHAT_SEQ_STEP)  # rule 6
        try:
            STORED[record["k"]](self, room, record, now)
        except (MessageError, KeyError, TypeError, ValueError) as exc:
            self._bad(f"record {seq} of room {room_name!r}: {exc}")

    def apply_live(self, room_name: str, data: bytes, now: float) -> None:
        """Poses and pointers from another server (rule 2): one record, or a batch of them (rule 9)."""
        record = self._read(data)
        room = self.rooms.get(room_name)
        if record is None or room is None or record["n"] == self.node:
            return
        if record["k"] != "batch":
            return self._apply_live_record(room, record)
        records = record.get("records")
        if not isinstance(records, list) or len(records) > MAX_BATCH_RECORDS:
            return self._bad(f"a live batch of room {room_name!r} without its list of records")
        for item in records:
            if not isinstance(item, dict) or item.get("n") != record["n"]:
                return self._bad(f"a live batch of room {room_name!r} holds a record not of its server")
            self._apply_live_record(room, item)

    def _apply_live_record(self, room: Room, record: dict[str, Any]) -> None:
        if record.get("k") != "msg":
            return
        try:
            me = room.participants.get(record["id"])
            message = decode_client(record["m"], self.limits, "bus")
            sent = record["t"]
        except (MessageError, KeyError, TypeError) as exc:
            return self._bad(f"live record of room {room.name!r}: {exc}")
        if (me is not None and self.owners.get(me.id) == record["n"] and isinstance(message, LIVE_TYPES)
                and isinstance(sent, int | float)):
            HANDLERS[type(message)](self, self._remote_session(me, room.name), room, me, message, float(sent))

    def beat(self, now: float) -> BusOut:
        """This server's heartbeat: the ids it holds per room (rule 4)."""
        rooms: dict[str, list[int]] = {}
        for pid, session in self.sessions.items():
            rooms.setdefault(session.room, []).append(pid)
        return BusOut("beat", "", _record("beat", self.node, now, rooms=rooms))

    def apply_beat(self, data: bytes, now: float) -> None:
        record = self._read(data)
        if record is None or record["k"] != "beat" or record["n"] == self.node:
            return
        rooms = record.get("rooms")
        if not isinstance(rooms, dict):
            return self._bad("a beat without rooms")
        last = self.nodes.get(record["n"])
        if last is not None and now - last > NODE_TIMEOUT:
            self.reannounce(now)  # rule 4: it may have dropped ours meanwhile (a partition, a NATS restart)
        self.nodes[record["n"]] = now
        self.beats[record["n"]] = {str(r): {i for i in ids if type(i) is int} for r, ids in rooms.items()
                                   if isinstance(ids, list)}

    def reannounce(self, now: float) -> None:
        """A join record again for each participant connected here, so that servers that dropped them while
        they could not hear us (rule 4) take them back, with the same ids."""
        for pid, session in self.sessions.items():
            room = self.rooms.get(session.room)
            me = room.participants.get(pid) if room is not None else None
            if me is not None:
                self._stored(room.name if room else "", now, "join", p=_participant_record(me))

    def tick(self, now: float) -> None:
        """Hub rules 4-5 for this server's clients; rule 4 for the others'; rooms held for joiners kept."""
        self._drop_lost(now)
        held = {name: room for name, room in self.rooms.items() if self.hold.get(name, 0.0) > now}
        super().tick(now)
        self.rooms.update(held)
        self.hold = {name: until for name, until in self.hold.items() if until > now}
        self.orphans = {name: o for name, o in self.orphans.items() if o[2] > now and name in self.rooms}
        # A room synced for a joiner has no Room yet when its stream held nothing: it is kept while held, or
        # a tick between the replay and the join would stop this server following it (and hearing the others).
        for name in [n for n in self.synced if n not in self.rooms and n not in self.hold]:
            self.synced.discard(name)  # the I/O unsubscribes (unsynced())
            self.applied.pop(name, None)

    def start_sync(self, room: str, now: float) -> None:
        """The I/O is about to replay `room`'s records, for a joiner (kept HOLD seconds even while empty)."""
        self.synced.add(room)
        self.hold[room] = now + HOLD

    def finish_sync(self, room: str, now: float) -> None:
        """The replay reached the stream's end: participants of servers not alive now are dropped quietly."""
        found = self.rooms.get(room)
        if found is None:
            return
        for participant in list(found.participants.values()):
            owner = self.owners.get(participant.id, 0)
            if owner != self.node and now - self.nodes.get(owner, float("-inf")) > NODE_TIMEOUT:
                self._drop(found, participant, "its server is gone", now, reserve=True)

    # ------------------------------------------------------------------ handlers of records (STORED)

    def _on_join_record(self, room: Room, record: dict[str, Any], now: float) -> None:
        if record["n"] == self.node:
            return  # applied when it happened (join)
        p = record["p"]
        info = Participant(_id(p["id"]), str(p["name"]), _role(p["role"]), as_jti(p["jti"], "jti"), float(p["exp"]),
                           bool(p["muted"]))
        local = self.sessions.get(info.id)
        if local is not None:  # the client moved to another server while this one still held it
            del self.sessions[info.id]
            local.kick("replaced", "the same token connected to another server")
            self._ready.add(local)
        old = room.participants.get(info.id)
        resumed = old is not None or self.reservations.pop(info.jti, None) is not None
        if old is not None:
            info.pose, info.pointer = old.pose, old.pointer
        room.participants[info.id] = info
        self.owners[info.id], self.since[info.id] = record["n"], now
        self.nodes.setdefault(record["n"], now)
        self._send(room, Joined(info.info(), resumed), now, exclude=info.id)

    def _on_leave_record(self, room: Room, record: dict[str, Any], now: float) -> None:
        pid = _id(record["id"])
        participant = room.participants.get(pid)
        if record["n"] == self.node or participant is None or self.owners.get(pid) != record["n"]:
            return  # ours (done), unknown, or it moved to another server since (rule 3)
        self._drop(room, participant, str(record["reason"])[:200], now, reserve=bool(record["reserve"]))

    def _on_message_record(self, room: Room, record: dict[str, Any], now: float) -> None:
        pid = _id(record["id"])
        me = room.participants.get(pid)
        message = decode_client(record["m"], self.limits, "bus")
        if me is None or isinstance(message, LIVE_TYPES):
            return
        session = self.sessions.get(pid) if record["n"] == self.node else None
        handler = BUS_HANDLERS.get(type(message)) or HANDLERS[type(message)]  # a type added later: the hub's
        handler(self, session or self._remote_session(me, room.name), room, me, message, float(record["t"]))

    def _on_recorded(self, room: Room, record: dict[str, Any], now: float) -> None:
        """The host's server started or stopped recording (rule 7): its chat line and event, here too."""
        if record["n"] == self.node:
            return
        host, on, feed = _id(record["id"]), bool(record["on"]), _feed(record.get("feed"))
        if on:
            self.recorded_elsewhere[room.name] = (record["n"], host, feed)
            self.nodes.setdefault(record["n"], now)
            self.orphans.pop(room.name, None)  # another server continued it
        else:
            self.recorded_elsewhere.pop(room.name, None)
        me = room.participants.get(host)
        name = me.name if me is not None else "a host"
        said = CONTINUED if on and record.get("resumed") is True else (
            f"{'started' if on else 'stopped'} recording the meeting")
        if record.get("lost") is not True:  # a recording lost with its server is no one's chat line
            self._send(room, room.chat.add(host, name, said, float(record["t"])), now)
        self._send(room, Recording(host, on), now)

    # ------------------------------------------------------------------ hub handlers changed for replicas

    def _on_remove(self, session: ServerSession, room: Room, me: Participant, m: Remove, now: float) -> None:
        """Every replica sanctions the token; the server holding the connection closes it (rule 5)."""
        target = self._target(session, room, m.type, m.target, now)
        if target is None:
            return
        self.sanctions.remove(target.jti, target.name, room.name, target.exp)
        self.reservations.pop(target.jti, None)
        self.counters["removed"] += 1
        victim = self.sessions.get(target.id)
        if victim is not None:
            self._kick(victim, "removed", f"removed from the room by {me.name}", now, reserve=False)
        else:
            self._drop(room, target, f"removed from the room by {me.name}", now, reserve=False)

    def _on_record(self, session: ServerSession, room: Room, me: Participant, m: SetRecording, now: float) -> None:
        if session.serial == REMOTE:
            return  # rule 7: the host's server records
        was = room.log is not None
        super()._on_record(session, room, me, m, now)
        if (room.log is not None) != was:
            self._stored(room.name, now, "recorded", id=me.id, on=room.log is not None, feed=m.feed)
        self.orphans.pop(room.name, None)

    # ------------------------------------------------------------------ helpers

    def _drop(self, room: Room, participant: Participant, reason: str, now: float, reserve: bool) -> None:
        """A remote participant leaves this replica (hub _depart without a session)."""
        room.participants.pop(participant.id, None)
        self._forget(participant.id)
        if reserve and not self.sanctions.removed(participant.jti, now):
            until = min(participant.exp, now + self.limits.resume_grace)
            self.reservations[participant.jti] = Reservation(participant.id, room.name, until, participant.muted)
        if room.follow == participant.id:
            room.follow = None
            self._send(room, Following(None), now)
        self._send(room, Left(participant.id, reason), now)

    def _drop_lost(self, now: float) -> None:
        """Rule 4: participants of dead servers, and ids their live server no longer lists; rule 7: a dead
        server's recording ended."""
        for name, (node, host, feed) in list(self.recorded_elsewhere.items()):
            room = self.rooms.get(name)
            if now - self.nodes.get(node, float("-inf")) <= NODE_TIMEOUT and room is not None:
                continue
            del self.recorded_elsewhere[name]
            if room is not None:
                self._recorder_lost(room, node, host, feed, now)
        for room in list(self.rooms.values()):
            for participant in list(room.participants.values()):
                owner = self.owners.get(participant.id, self.node)
                if owner == self.node:
                    continue
                heard = self.nodes.get(owner, float("-inf"))
                listed = participant.id in self.beats.get(owner, {}).get(room.name, set())
                if now - heard > NODE_TIMEOUT:
                    self._drop(room, participant, "its server stopped", now, reserve=True)
                elif not listed and heard - self.since.get(participant.id, now) > BEAT_GRACE:
                    self._drop(room, participant, "connection lost", now, reserve=True)

    def _recorder_lost(self, room: Room, dead: int, host: int, feed: str | None, now: float) -> None:
        """Rule 7: the server recording `room` is dead. The server holding the host's connection decides and
        tells everyone (continued, or ended); the others wait for its word; with the host nowhere, it ended,
        and whoever the host joins first within the resume grace continues it."""
        owner = self.owners.get(host, self.node) if host in room.participants else None
        if owner == self.node and host in self.sessions:
            if not self._continue_recording(room, host, feed, now):
                self._send(room, Recording(host, False), now)
                self._stored(room.name, now, "recorded", id=host, on=False, feed=feed, lost=True)
        elif owner is not None and owner != dead and now - self.nodes.get(owner, float("-inf")) <= NODE_TIMEOUT:
            self.recorded_elsewhere[room.name] = (owner, host, feed)  # its word comes as a "recorded" record
        else:
            self._send(room, Recording(host, False), now)
            self.orphans[room.name] = (host, feed, now + self.limits.resume_grace)

    def _continue_recording(self, room: Room, host: int, feed: str | None, now: float) -> bool:
        """Rule 7: continue a dead server's recording of `room` here, if `host` is connected here and this
        server records; whether it did."""
        me = room.participants.get(host)
        if me is None or host not in self.sessions or self.logs is None or room.log is not None:
            return False
        try:
            self._start_recording(room, me, feed, CONTINUED, now)
        except OSError as exc:
            log.error("room %r: cannot continue its recording here: %s", room.name, exc)
            return False
        self._stored(room.name, now, "recorded", id=host, on=True, feed=feed, resumed=True)
        return True

    def _forget(self, pid: int) -> None:
        self.owners.pop(pid, None)
        self.since.pop(pid, None)
        self._remotes.pop(pid, None)

    def _remote_session(self, me: Participant, room: str) -> ServerSession:
        """The stand-in session of a sender on another server (_remote_session), made once per participant
        and room: a pose arrives 20 times a second."""
        found = self._remotes.get(me.id)
        if found is None or found.room != room or found.role != me.role or found.jti != me.jti:
            found = self._remotes[me.id] = _remote_session(me, room)
        return found

    def _read(self, data: bytes) -> dict[str, Any] | None:
        try:
            if len(data) > MAX_RECORD_BYTES:
                raise ValueError(f"{len(data)} bytes")
            record = orjson.loads(data)
            if not isinstance(record, dict) or record.get("v") != 1 or type(record.get("n")) is not int:
                raise ValueError("not a meeting bus record")
            if record.get("k") not in (*STORED, "beat", "batch") or not isinstance(record.get("t"), int | float):
                raise ValueError(f"unknown record kind {record.get('k')!r}")
        except (orjson.JSONDecodeError, ValueError) as exc:
            self._bad(f"a bus record refused: {exc}")
            return None
        return record

    def _bad(self, reason: str) -> None:
        self.bad_records += 1
        log.warning("meeting bus: %s", reason)


BUS_HANDLERS: dict[type, Callable[..., None]] = {Remove: BusHub._on_remove, SetRecording: BusHub._on_record}
"""The hub handlers a replica runs differently (rules 5, 7); every other type runs the hub's HANDLERS."""

StoredHandler = Callable[[BusHub, Room, dict[str, Any], float], None]
STORED: dict[str, StoredHandler] = {
    "join": BusHub._on_join_record, "leave": BusHub._on_leave_record, "msg": BusHub._on_message_record,
    "recorded": BusHub._on_recorded,
}


def live_batches(items: list[BusOut], node: int, now: float) -> list[BusOut]:
    """`items` to publish, with each room's live records gathered into batch records (rule 9), in order;
    beats and stored records unchanged. A batch of one record stays that record."""
    out: list[BusOut] = []
    gathering: dict[str, tuple[list[bytes], list[int]]] = {}  # room -> its records, their bytes in all
    for item in items:
        if item.kind != "live":
            out.append(item)
            continue
        records, size = gathering.setdefault(item.room, ([], [0]))
        if records and (len(records) >= MAX_BATCH_RECORDS or size[0] + len(item.data) > MAX_RECORD_BYTES - 100):
            out.append(_batch(item.room, records, node, now))
            records, size = gathering[item.room] = ([], [0])
        records.append(item.data)
        size[0] += len(item.data) + 1
    out.extend(_batch(room, records, node, now) for room, (records, _) in gathering.items())
    return out


def _batch(room: str, records: list[bytes], node: int, now: float) -> BusOut:
    if len(records) == 1:
        return BusOut("live", room, records[0])
    head = orjson.dumps({"v": 1, "k": "batch", "n": node, "t": now})
    return BusOut("live", room, head[:-1] + b',"records":[' + b",".join(records) + b"]}")


def _record(kind: str, node: int, now: float, **fields: Any) -> bytes:
    return orjson.dumps({"v": 1, "k": kind, "n": node, "t": now, **fields})


def _participant_record(p: Participant) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "role": p.role, "jti": p.jti, "exp": p.exp, "muted": p.muted}


def _id(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= 2**53:
        raise ValueError(f"not a participant id: {value!r}")
    return value


def _feed(value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or len(value) > MAX_FEED_REF):
        raise ValueError("not a feed reference")
    return value


def _role(value: Any) -> str:
    if value not in ROLES:
        raise ValueError(f"not a role: {value!r}")
    return str(value)


REMOTE = 0  # the serial of a session standing for a sender on another server


def _remote_session(me: Participant, room: str) -> ServerSession:
    """A closed session standing for `me`, a sender on another server, with its identity (handlers check its
    role and token id, e.g. who may remove a pin); notices to it go nowhere (its own server checked the
    message already)."""
    session = ServerSession(REMOTE, me.id, room, me.name, me.role, me.jti, lambda: RoomState(()), 0.0, peer="bus")
    session.lost()
    return session
