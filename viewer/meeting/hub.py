"""MeetingHub: every room of a meeting server and every connection in them, sans-I/O.

    authenticate(token, room, now)  check a join token at the handshake -> Claims (TokenError, Refused)
    join(claims, now, peer)         a verified connection enters its room -> its ServerSession
    receive(session, data, now)     one websocket message from that connection
    leave(session, now, reason)     its transport closed
    tick(now)                       presence timeouts, expired reservations and bans, empty rooms
    take_ready()                    sessions with something new to send (or to close) since the last call
    recording_failed(log, why, now) the I/O layer could not write a room's log: recording stops
    close_logs(now)                 the server is stopping: every recording ends

Rules:
1. Identity comes from the token, never from a message: the participant id is assigned here (a counter
   that never repeats), the name and role are the token's, and every relayed message is stamped with the
   sender's id by the hub. Client messages carrying "from", "room" or "role" do not even parse.
2. Isolation: a message is only ever queued to sessions of the sender's room (`_send`), and a host action
   can only target a participant of its own room; an id from another room is "no such participant".
3. Order of checks for each message, cheapest first: session open, overall rate (before parsing), schema
   (codec.py), permission (roles.PERMISSIONS), the type's rate, then the handler in HANDLERS. A refusal
   is a Notice to the sender only; nobody else is affected.
4. Resume: a participant whose connection is lost leaves the room for everyone at once, but its id is
   reserved for its token (jti) for `resume_grace` seconds (never beyond the token's expiry): reconnecting
   with the same token gets the same id and its mute back. A second connection with the same token
   replaces the first.
5. A participant silent for `presence_timeout` seconds is dropped (clients send a pose at least once a
   second); the I/O layer's pings catch dead transports sooner.
6. Time is an argument (seconds since the Unix epoch: token expiry is wall-clock time); nothing here
   reads a clock, touches a socket or imports asyncio.
7. Sanctions (sanctions.py) belong to the token, not to the connection: a participant removed by a host is
   refused for its token's lifetime, and a muted one stays muted whenever that token joins, resumed or
   not, until a host unmutes it or the token expires. `sanctions` may be loaded from and saved to a file
   by the I/O layer (its `dirty` flag), so both survive a server restart.
8. Recording (meeting/log.py): while a host has a room recorded, everything `_send` queues to that room is
   also written, with the server time, to the room's log through the LogSink `logs` (the I/O layer's
   files). So the log holds exactly what the room was told: joins, leaves, every pose relayed, pointers,
   chat and host actions, and a removal as the leave it caused. Starting and stopping are announced to the
   room (a `record` event and a chat line from the host); a server without a sink, or a sink that cannot
   create the log, refuses with a `record` notice to the host and nothing changes.
9. Pins (room.py rule 4): a pin goes to the whole room, its author included (who learns its id that way),
   and into the room state; a muted participant's pins are refused (a note is text for others), so are
   pins beyond the room's `max_pins` or the author's `max_pins_each`. Only the pin's author (the same
   token, even after rejoining with a new id) or a host removes it.
10. Poses and pointers are "live": a session whose client asked for batches (`join(batch=True)`) gets the
   ones queued back to back as one batch message (session.py rule 5); everyone else gets each alone, as in
   protocol 1 without batches. The log (rule 8) holds each one alone either way.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

from viewer.meeting.codec import decode_client, encode
from viewer.meeting.errors import MessageError, MessageTooLarge, Refused, TokenError
from viewer.meeting.fields import as_room
from viewer.meeting.log import LineWriter, LogSink, header_line
from viewer.meeting.messages import (
    DEFAULT_LIMITS,
    ClientMessage,
    DropPin,
    FeedTime,
    Following,
    FollowMe,
    Joined,
    LayerShown,
    Left,
    MeetingLimits,
    Mute,
    Muted,
    PinRemoved,
    PointAt,
    Pointer,
    PoseUpdate,
    Presence,
    Ray,
    Recording,
    Remove,
    Say,
    ServerMessage,
    SetFeedTime,
    SetLayer,
    SetRecording,
    Unpin,
    Welcome,
)
from viewer.meeting.roles import HOST, allowed, may_target
from viewer.meeting.room import Participant, Reservation, Room
from viewer.meeting.sanctions import Sanctions
from viewer.meeting.session import ServerSession
from viewer.meeting.tokens import Claims, check_secret, verify_token

log = logging.getLogger(__name__)


class MeetingHub:
    """All rooms of one server (rules 1-6). `secret` signs join tokens (tokens.py)."""

    def __init__(self, secret: bytes, limits: MeetingLimits = DEFAULT_LIMITS,
                 sanctions: Sanctions | None = None, logs: LogSink | None = None, server: str = "") -> None:
        self.secret = check_secret(secret)
        self.limits = limits
        self.sanctions = sanctions if sanctions is not None else Sanctions()  # rule 7
        self.rooms: dict[str, Room] = {}
        self.sessions: dict[int, ServerSession] = {}  # participant id -> its current session
        self.reservations: dict[str, Reservation] = {}  # jti -> reserved id (rule 4)
        self.counters: Counter[str] = Counter()  # joins, resumes, refusals and drops by reason code
        self._next_id = 1
        self._next_serial = 1
        self._ready: set[ServerSession] = set()
        self.logs, self.server = logs, server  # rule 8
        self._writers: dict[str, tuple[LineWriter, int]] = {}  # log name -> its lines, the host who started it
        self._feeds: dict[str, str | None] = {}  # log name -> the feed its header names

    # ------------------------------------------------------------------ admission

    def authenticate(self, token: Any, room: str | None, now: float, peer: str = "client") -> Claims:
        """The claims of `token` if it may join (`room`: the room the client asked for, or None for the
        token's own). TokenError (forged, expired, other room) or Refused (removed, full)."""
        try:
            claims = verify_token(self.secret, token, now, room, peer)
            self._admissible(claims, now, peer)
        except (Refused, TokenError) as exc:
            self.counters[f"refused:{exc.code}"] += 1
            raise
        return claims

    def _admissible(self, claims: Claims, now: float, peer: str) -> None:
        if self.sanctions.removed(claims.jti, now):
            raise Refused("removed", "a host removed this token from the room", peer)
        room = self.rooms.get(claims.room)
        if room is None:
            if len(self.rooms) >= self.limits.max_rooms:
                raise Refused("rooms", f"the server has its maximum of {self.limits.max_rooms} rooms", peer)
        elif room.full and room.by_jti(claims.jti) is None and claims.jti not in self.reservations:
            raise Refused("full", f"room {room.name!r} has its maximum of {self.limits.max_participants}", peer)

    def join(self, claims: Claims, now: float, peer: str = "client", batch: bool = False) -> ServerSession:
        """Enter the token's room (rule 4 for resuming and replacing); Refused if that became impossible.
        `batch`: the client asked for batches of poses and pointers (rule 10)."""
        self._admissible(claims, now, peer)
        room = self.rooms.get(as_room(claims.room)) or self.rooms.setdefault(claims.room, Room(claims.room, self.limits))
        participant, resumed = self._participant(room, claims, now)
        session = ServerSession(self._next_serial, participant.id, room.name, participant.name, participant.role,
                                claims.jti, room.state, now, self.limits.max_backlog, peer, batch)
        self._next_serial += 1
        self.sessions[participant.id] = session
        session.welcome(encode(Welcome(participant.id, participant.name, participant.role, room.name, resumed,
                                       self.limits.announce())))
        self._ready.add(session)
        self._send(room, Joined(participant.info(), resumed), now, exclude=participant.id)
        self.counters["resumed" if resumed else "joined"] += 1
        log.info("%s joined %r as participant %d (%s%s)", peer, room.name, participant.id, participant.role,
                 ", resumed" if resumed else "")
        return session

    def _participant(self, room: Room, claims: Claims, now: float) -> tuple[Participant, bool]:
        """The participant for this token: the connected one (its old connection replaced), the reserved
        one, or a new one."""
        present = room.by_jti(claims.jti)
        if present is not None:
            old = self.sessions.get(present.id)
            if old is not None:
                old.kick("replaced", "the same token connected again")
                self._ready.add(old)
            return present, True
        reserved = self.reservations.pop(claims.jti, None)
        if reserved is not None and reserved.room == room.name:
            participant = Participant(reserved.id, claims.name, claims.role, claims.jti, claims.exp, reserved.muted)
        else:
            participant = Participant(self._next_id, claims.name, claims.role, claims.jti, claims.exp,
                                      self.sanctions.muted(claims.jti, now))
            self._next_id += 1
        room.participants[participant.id] = participant
        return participant, reserved is not None and reserved.room == room.name

    # ------------------------------------------------------------------ leaving

    def leave(self, session: ServerSession, now: float, reason: str = "connection lost") -> None:
        """The transport of `session` closed: it leaves its room (if still its participant's session)."""
        was_current = self.sessions.get(session.participant) is session
        if session.state != "closed":
            session.lost()
        if was_current:
            self._depart(session, now, reason, reserve=True)

    def _depart(self, session: ServerSession, now: float, reason: str, reserve: bool) -> None:
        """Take the session's participant out of its room and tell the others (rule 4)."""
        del self.sessions[session.participant]
        room = self.rooms.get(session.room)
        participant = room.participants.pop(session.participant, None) if room is not None else None
        if room is None or participant is None:
            return
        if reserve and not self.sanctions.removed(session.jti, now):
            until = min(participant.exp, now + self.limits.resume_grace)
            self.reservations[session.jti] = Reservation(participant.id, room.name, until, participant.muted)
        if room.follow == participant.id:
            room.follow = None
            self._send(room, Following(None), now)
        self._send(room, Left(participant.id, reason), now)
        log.info("participant %d left %r: %s", participant.id, room.name, reason)

    def _kick(self, session: ServerSession, code: str, reason: str, now: float, reserve: bool = True) -> None:
        """Close a session from the server side: it leaves the room now; the I/O layer closes it."""
        session.kick(code, reason)
        self._ready.add(session)
        if self.sessions.get(session.participant) is session:
            self._depart(session, now, reason, reserve)

    def tick(self, now: float) -> None:
        """Drop silent participants (rule 5); forget expired reservations, bans and empty rooms."""
        timeout = self.limits.presence_timeout
        for session in [s for s in self.sessions.values() if now - s.last_seen > timeout]:
            self.counters["dropped:timeout"] += 1
            self._kick(session, "timeout", f"nothing received for {now - session.last_seen:.1f} s", now)
        for jti in [j for j, r in self.reservations.items() if r.until <= now]:
            del self.reservations[jti]
        self.sanctions.expire(now)
        reserved = {r.room for r in self.reservations.values()}
        for name in [n for n, r in self.rooms.items() if not r.participants and n not in reserved]:
            self._stop_recording(self.rooms.pop(name))

    # ------------------------------------------------------------------ messages

    def receive(self, session: ServerSession, data: Any, now: float) -> None:
        """One message from `session`'s client, checked in the order of rule 3."""
        if not session.open:
            return
        session.last_seen = now
        if not session.limiter.admit(now):
            self._throttled(session, now)
            return
        try:
            message = decode_client(data, self.limits, session.peer)
        except MessageTooLarge as exc:
            return self._refuse(session, "oversize", exc.reason, now)
        except MessageError as exc:
            return self._refuse(session, "invalid", exc.reason, now)
        if not allowed(session.role, message.type):
            return self._refuse(session, "forbidden", f"a {session.role} may not send {message.type!r}", now)
        if not session.limiter.admit_type(message.type, now):
            self._throttled(session, now)
            return
        self._dispatch(session, message, now)

    def _dispatch(self, session: ServerSession, message: ClientMessage, now: float) -> None:
        """Apply an accepted message (a BusHub, meeting/bus.py, orders it through the bus first)."""
        room = self.rooms[session.room]
        HANDLERS[type(message)](self, session, room, room.participants[session.participant], message, now)

    def _throttled(self, session: ServerSession, now: float) -> None:
        self.counters["dropped:throttled"] += 1
        if session.limiter.flooding:
            self._kick(session, "throttled", "disconnected for flooding", now)
        else:
            session.notice("throttled", "too many messages: some were dropped", now)
            self._ready.add(session)

    def _refuse(self, session: ServerSession, code: str, reason: str, now: float) -> None:
        self.counters[f"dropped:{code}"] += 1
        if session.notice(code, reason, now):
            self._ready.add(session)

    def _send(self, room: Room, message: ServerMessage, now: float, exclude: int | None = None,
              live: bool = False) -> None:
        """Queue one message, encoded once, to every session of `room` but `exclude` (rule 2), and write it
        to the room's log when it is being recorded (rule 8). `live`: a pose or pointer (rule 10)."""
        text = encode(message)
        if room.log is not None and self.logs is not None:
            self.logs.write(room.log, self._writers[room.log][0].line(now, text))
        for pid in room.participants:
            session = self.sessions.get(pid)
            if pid != exclude and session is not None:
                session.queue(text, live)
                self._ready.add(session)

    def take_ready(self) -> list[ServerSession]:
        """Sessions with new messages to send, or to close, since the last call."""
        ready, self._ready = list(self._ready), set()
        return ready

    # ------------------------------------------------------------------ handlers (HANDLERS)

    def _on_pose(self, session: ServerSession, room: Room, me: Participant, m: PoseUpdate, now: float) -> None:
        me.pose = m.pose
        self._send(room, Presence(me.id, m.pose), now, exclude=me.id, live=True)

    def _on_pointer(self, session: ServerSession, room: Room, me: Participant, m: PointAt, now: float) -> None:
        origin = m.origin or (me.pose.eye if me.pose is not None else m.target)
        me.pointer = None if m.target is None or origin is None else Ray(origin, m.target)
        self._send(room, Pointer(me.id, me.pointer), now, exclude=me.id, live=True)

    def _on_chat(self, session: ServerSession, room: Room, me: Participant, m: Say, now: float) -> None:
        if me.muted:
            return self._refuse(session, "muted", "a host muted your chat", now)
        self._send(room, room.chat.add(me.id, me.name, m.text, now), now)

    def _on_follow(self, session: ServerSession, room: Room, me: Participant, m: FollowMe, now: float) -> None:
        room.follow = me.id if m.on else None
        self._send(room, Following(room.follow), now)

    def _on_layer(self, session: ServerSession, room: Room, me: Participant, m: SetLayer, now: float) -> None:
        if m.name not in room.layers and len(room.layers) >= self.limits.max_layers:
            return self._refuse(session, "invalid", f"at most {self.limits.max_layers} shared layers", now)
        room.layers[m.name] = m.visible
        self._send(room, LayerShown(me.id, m.name, m.visible), now)

    def _on_feed_time(self, session: ServerSession, room: Room, me: Participant, m: SetFeedTime,
                      now: float) -> None:
        room.feed_time = m.time
        self._send(room, FeedTime(me.id, m.time), now)

    def _on_mute(self, session: ServerSession, room: Room, me: Participant, m: Mute, now: float) -> None:
        target = self._target(session, room, m.type, m.target, now)
        if target is not None:
            target.muted = m.muted
            self.sanctions.mute(target.jti, target.name, room.name, target.exp, m.muted)
            self._send(room, Muted(me.id, target.id, m.muted), now)

    def _on_remove(self, session: ServerSession, room: Room, me: Participant, m: Remove, now: float) -> None:
        target = self._target(session, room, m.type, m.target, now)
        victim = self.sessions.get(target.id) if target is not None else None
        if target is None or victim is None:
            return
        self.sanctions.remove(target.jti, target.name, room.name, target.exp)
        self.reservations.pop(target.jti, None)
        self.counters["removed"] += 1
        self._kick(victim, "removed", f"removed from the room by {me.name}", now, reserve=False)

    def _on_record(self, session: ServerSession, room: Room, me: Participant, m: SetRecording, now: float) -> None:
        """Start or stop recording the room (rule 8)."""
        if m.on == (room.log is not None):
            return self._refuse(session, "record", "already recording" if m.on else "not recording", now)
        if not m.on:
            self._send(room, room.chat.add(me.id, me.name, "stopped recording the meeting", now), now)
            self._send(room, Recording(me.id, False), now)
            self._stop_recording(room)
            return None
        if self.logs is None:
            return self._refuse(session, "record", "this server does not record meetings", now)
        try:
            self._start_recording(room, me, m.feed, "started recording the meeting", now)
        except OSError as exc:
            log.error("room %r: cannot start recording: %s", room.name, exc)
            return self._refuse(session, "record", f"cannot record here: {exc.strerror or exc}", now)
        return None

    def _start_recording(self, room: Room, host: Participant, feed: str | None, said: str, now: float) -> str:
        """Open a log for `room` (rule 8) recorded by `host`, announce it with the chat line `said`; its name.
        OSError when the sink cannot create it (nothing changed then)."""
        assert self.logs is not None
        name = self.logs.open(room.name, now)
        writer = LineWriter(now)
        self._writers[name] = (writer, host.id)
        self._feeds[name] = feed
        self.logs.write(name, header_line(room.name, now, feed, self.server))
        room.log = name
        self.logs.write(name, writer.line(now, encode(room.state())))
        self.counters["recordings"] += 1
        log.info("room %r: %s %s to %s", room.name, host.name, said, name)
        self._send(room, Recording(host.id, True), now)
        self._send(room, room.chat.add(host.id, host.name, said, now), now)
        return name

    def _on_pin(self, session: ServerSession, room: Room, me: Participant, m: DropPin, now: float) -> None:
        """A lasting pin for the room (rule 9)."""
        if me.muted:
            return self._refuse(session, "muted", "a host muted you: your pins are refused too", now)
        if len(room.pins) >= self.limits.max_pins:
            return self._refuse(session, "invalid", f"the room has its maximum of {self.limits.max_pins} pins", now)
        if room.pins_of(session.jti) >= self.limits.max_pins_each:
            return self._refuse(session, "invalid", f"you have {self.limits.max_pins_each} pins here, the most "
                                "one person may have: remove one first", now)
        self._send(room, room.add_pin(me, m.position, m.note, m.object, now), now)
        return None

    def _on_unpin(self, session: ServerSession, room: Room, me: Participant, m: Unpin, now: float) -> None:
        """Remove a pin: its author's token or a host (rule 9)."""
        if m.pin not in room.pins:
            return self._refuse(session, "target", f"no pin {m.pin} in this room", now)
        if session.role != HOST and room.pin_authors.get(m.pin) != session.jti:
            return self._refuse(session, "forbidden", f"only its author or a host may remove pin {m.pin}", now)
        room.remove_pin(m.pin)
        self._send(room, PinRemoved(m.pin, me.id), now)
        return None

    def _stop_recording(self, room: Room) -> None:
        if room.log is None:
            return
        name, room.log = room.log, None
        self._writers.pop(name, None)
        self._feeds.pop(name, None)
        if self.logs is not None:
            self.logs.close(name)
        log.info("room %r: recording ended (%s)", room.name, name)

    def recording_failed(self, name: str, reason: str, now: float) -> None:
        """The I/O layer could not write log `name`: the room is told the recording stopped (rule 8)."""
        room = next((r for r in self.rooms.values() if r.log == name), None)
        host = self._writers.get(name, (None, None))[1]
        if room is None or host is None:
            return
        self._stop_recording(room)
        self._send(room, Recording(host, False), now)
        for pid in room.participants:
            session = self.sessions.get(pid)
            if session is not None and session.role == "host":
                self._refuse(session, "record", f"recording stopped: {reason}", now)

    def close_logs(self, now: float) -> None:
        """End every recording (the server is stopping)."""
        for room in self.rooms.values():
            self._stop_recording(room)

    def _target(self, session: ServerSession, room: Room, kind: str, target: int, now: float) -> Participant | None:
        """The participant a host action names, if it is in this room and may be targeted (rule 2)."""
        found = room.participants.get(target)
        if found is None:
            self._refuse(session, "target", f"no participant {target} in this room", now)
        elif not may_target(kind, found.role) or found.id == session.participant:
            self._refuse(session, "forbidden", f"a {found.role} cannot be the target of {kind!r}", now)
        else:
            return found
        return None


Handler = Callable[[MeetingHub, ServerSession, Room, Participant, Any, float], None]
HANDLERS: dict[type[ClientMessage], Handler] = {
    PoseUpdate: MeetingHub._on_pose, PointAt: MeetingHub._on_pointer, Say: MeetingHub._on_chat,
    FollowMe: MeetingHub._on_follow, SetLayer: MeetingHub._on_layer, SetFeedTime: MeetingHub._on_feed_time,
    Mute: MeetingHub._on_mute, Remove: MeetingHub._on_remove, SetRecording: MeetingHub._on_record,
    DropPin: MeetingHub._on_pin, Unpin: MeetingHub._on_unpin,
}
