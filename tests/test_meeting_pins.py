"""Pins in meetings: a lasting pin message, shared with the whole room, kept for late joiners, removed by its
author or a host, recorded in meeting logs and replays; hostile pin messages refused with clear notices.

The loopback tests run a real meeting server and real MeetingClients on 127.0.0.1; the codec tests feed
the server's reader hostile text directly.
"""

from __future__ import annotations

import json
import time

import pytest

from viewer.meeting.codec import decode_client, decode_server, encode
from viewer.meeting.errors import MessageError, MessageTooLarge
from viewer.meeting.log import MeetingLogError, read_log
from viewer.meeting.messages import (
    DEFAULT_LIMITS,
    DropPin,
    MeetingLimits,
    Mute,
    Notice,
    PinRemoved,
    RoomPin,
    RoomState,
    SetRecording,
    Unpin,
)
from viewer.meeting.protocol import LIVE, Received
from viewer.meeting.replay import MeetingTimeline
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_client import MeetingClient
from viewer.net.meeting_server import ServerThread

SECRET = b"pins-test-secret-0123456789abcdef"
FAST = {"ping_interval": 0.3, "ping_timeout": 0.5, "tick": 0.05,
        "limits": MeetingLimits(presence_timeout=3.0, resume_grace=10.0, max_pins=6, max_pins_each=3)}


def token(room: str, name: str, role: str = "guest", jti: str | None = None) -> str:
    return issue_token(SECRET, room, name, role, 600.0, time.time(), jti=jti)


def wait_for(predicate, timeout: float = 8.0, step: float = 0.01):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = predicate()
        if result:
            return result
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")


class Peer:
    """A real MeetingClient and what it was told."""

    def __init__(self, url: str, tok: str) -> None:
        self.client = MeetingClient(url, tok, backoff=(0.05, 0.3), ping_interval=0.3, ping_timeout=0.5).start()
        self.messages: list = []

    def of(self, kind) -> list:
        self.messages += [e.message for _, e in self.client.poll() if isinstance(e, Received)]
        return [m for m in self.messages if isinstance(m, kind)]

    @property
    def pins(self) -> dict[int, RoomPin]:
        return self.client.protocol.view.pins

    @property
    def id(self) -> int:
        return self.client.protocol.view.me

    def live(self) -> Peer:
        wait_for(lambda: self.client.state == LIVE)
        return self

    def notice(self, code: str) -> Notice:
        return wait_for(lambda: next((n for n in self.of(Notice) if n.code == code), None))


@pytest.fixture
def peers():
    made: list[Peer] = []

    def make(url: str, tok: str) -> Peer:
        made.append(Peer(url, tok))
        return made[-1]
    yield make
    for peer in made:
        peer.client.stop()


# ---------------------------------------------------------------------------- loopback


def ended(path) -> bool:
    """The log at `path` is whole (its end written); False while the server has not flushed it yet (an
    empty or partial file reads as an error until then)."""
    try:
        return read_log(path).ended
    except MeetingLogError:
        return False


def test_a_pin_is_seen_by_the_room_and_a_late_joiner_and_removal_reaches_everyone(tmp_path, peers):
    """A guest pins: the host sees it at once, a late joiner gets it in its room state; the author removes
    it and it is gone for all; the log holds both and the replay shows the pin only between them."""
    with ServerThread(SECRET, port=0, record_dir=tmp_path / "logs", **FAST) as server:
        url = server.url + "/council"
        host = peers(url, token("council", "Ana", "host")).live()
        bo = peers(url, token("council", "Bo")).live()
        host.client.send(SetRecording(True))
        wait_for(lambda: bo.client.protocol.view.recording)
        bo.client.send(DropPin((12.5, -40.0, 3.0), "broken street light", "bldg-7"))
        pin = wait_for(lambda: next(iter(host.pins.values()), None))
        assert (pin.sender, pin.name, pin.position, pin.note, pin.object) == (
            bo.id, "Bo", (12.5, -40.0, 3.0), "broken street light", "bldg-7")
        wait_for(lambda: pin.id in bo.pins)  # the author learns the pin's id the same way
        late = peers(url, token("council", "Cy")).live()
        first_state = late.of(RoomState)[0]
        assert [p.id for p in first_state.pins] == [pin.id] and late.pins[pin.id].note == "broken street light"
        bo.client.send(Unpin(pin.id))
        for peer in (host, bo, late):
            wait_for(lambda p=peer: not p.pins)
        assert late.of(PinRemoved)[0].sender == bo.id
        host.client.send(SetRecording(False))
        logs = wait_for(lambda: list((tmp_path / "logs").glob("council-*.meeting.jsonl.gz")))
        wait_for(lambda: ended(logs[0]))
    log = read_log(logs[0])
    added = next(e for e in log.entries if isinstance(e.message, RoomPin))
    removed = next(e for e in log.entries if isinstance(e.message, PinRemoved))
    timeline = MeetingTimeline(log)
    assert not timeline.moment(added.t - 1e-3).pins
    assert timeline.moment(added.t).pins[pin.id].note == "broken street light"
    assert not timeline.moment(removed.t).pins
    assert timeline.moment(added.t).pins  # seeking back brings it again


def test_only_the_author_or_a_host_removes_a_pin_and_the_author_keeps_it_across_a_rejoin(peers):
    """Another guest's unpin is refused (forbidden) and changes nothing; the author, reconnecting with the
    same token after its id was released, may still remove it; a host may remove anyone's."""
    quick_grace = {**FAST, "limits": MeetingLimits(presence_timeout=3.0, resume_grace=0.3)}
    with ServerThread(SECRET, port=0, **quick_grace) as server:
        url = server.url + "/council"
        host = peers(url, token("council", "Ana", "host")).live()
        bo_token = token("council", "Bo", jti="bo-token-0001")
        bo = peers(url, bo_token).live()
        cy = peers(url, token("council", "Cy")).live()
        bo.client.send(DropPin((1.0, 2.0, 0.0), "one"))
        bo.client.send(DropPin((3.0, 4.0, 0.0), "two"))
        wait_for(lambda: len(cy.pins) == 2)
        first, second = sorted(cy.pins)
        cy.client.send(Unpin(first))
        assert "only its author or a host" in cy.notice("forbidden").reason
        assert set(host.pins) == {first, second}
        old_id = bo.id
        bo.client.stop()
        wait_for(lambda: old_id not in host.client.protocol.view.members)
        time.sleep(0.6)  # beyond the resume grace: the token's old id is released
        bo = peers(url, bo_token).live()  # the same token: the same author, whatever its id now
        assert bo.id != old_id
        bo.client.send(Unpin(first))
        wait_for(lambda: set(cy.pins) == {second})
        host.client.send(Unpin(second))
        wait_for(lambda: not cy.pins and not bo.pins)
        host.client.send(Unpin(second))
        assert "no pin" in host.notice("target").reason


def test_pin_limits_and_mute_are_enforced_with_clear_notices(peers):
    """Per author and per room counts are bounded; a muted guest cannot pin; nobody else is affected."""
    with ServerThread(SECRET, port=0, **FAST) as server:
        url = server.url + "/council"
        host = peers(url, token("council", "Ana", "host")).live()
        bo = peers(url, token("council", "Bo")).live()
        cy = peers(url, token("council", "Cy")).live()
        for i in range(4):  # max_pins_each = 3
            bo.client.send(DropPin((float(i), 0.0, 0.0), f"bo {i}"))
            time.sleep(0.25)  # within the pin rate (1/s, burst 5)
        assert "remove one first" in bo.notice("invalid").reason
        for i in range(3):
            host.client.send(DropPin((0.0, float(i), 0.0), f"ana {i}"))
        wait_for(lambda: len(cy.pins) == 6)  # max_pins = 6: the room is full
        cy.client.send(DropPin((9.0, 9.0, 0.0), "one too many"))
        assert "maximum of 6 pins" in cy.notice("invalid").reason
        host.client.send(Unpin(min(cy.pins)))
        host.client.send(Mute(cy.id))
        wait_for(lambda: len(cy.pins) == 5 and cy.client.protocol.view.muted)
        cy.client.send(DropPin((9.0, 9.0, 0.0), "muted"))
        assert "muted" in cy.notice("muted").reason
        time.sleep(0.3)
        assert len(host.pins) == 5 and all(p.note != "muted" for p in host.pins.values())


# ---------------------------------------------------------------------------- hostile input (codec)


@pytest.mark.parametrize("text, words", [
    ('{"type": "pin", "p": [NaN, 0, 0], "note": "x"}', "malformed JSON"),
    ('{"type": "pin", "p": [1e300, 0, 0], "note": "x"}', "outside"),
    ('{"type": "pin", "p": [1, 2], "note": "x"}', "list of 3 numbers"),
    ('{"type": "pin", "p": [1, 2, true]}', "must be a number"),
    ('{"type": "pin", "note": "x"}', "has no 'p'"),
    ('{"type": "pin", "p": [1, 2, 3], "note": 5}', "must be a string"),
    ('{"type": "pin", "p": [1, 2, 3], "from": 1}', "unexpected field 'from'"),
    ('{"type": "pin", "p": [1, 2, 3], "id": 4}', "unexpected field 'id'"),
    ('{"type": "pin", "p": [1, 2, 3], "name": "Host"}', "unexpected field 'name'"),
    ('{"type": "unpin", "pin": 0}', "participant id"),
    ('{"type": "unpin", "pin": "3"}', "participant id"),
    ('{"type": "unpin"}', "has no 'pin'"),
])
def test_hostile_pin_messages_are_refused_naming_the_field(text, words):
    """Non-finite, huge or missing coordinates, wrong types and spoofed author fields do not parse."""
    with pytest.raises(MessageError) as info:
        decode_client(text, DEFAULT_LIMITS, "peer-9")
    assert words in str(info.value) and str(info.value).startswith("peer-9: ")


def test_a_long_note_is_refused_and_a_hostile_note_is_cleaned():
    """A note over max_pin_note characters is refused as too large; control and bidi characters go."""
    with pytest.raises(MessageTooLarge) as info:
        decode_client(json.dumps({"type": "pin", "p": [0, 0, 0], "note": "x" * 201}))
    assert "characters in pin.note" in str(info.value)
    pin = decode_client(json.dumps({"type": "pin", "p": [0, 0, 0], "note": "evil\u202e\nnote\x00 ", "object": "  "}))
    assert pin == DropPin((0.0, 0.0, 0.0), "evil note", "")


def test_a_room_state_with_too_many_pins_is_refused_by_the_client():
    """A client bounds the pins a state may carry (4x the announced room limit)."""
    limits = MeetingLimits(max_pins=2)
    pins = [RoomPin(i + 1, 1, "Ana", (0.0, 0.0, 0.0), "", "", 0.0) for i in range(9)]
    with pytest.raises(MessageTooLarge):
        decode_server(encode(RoomState((), pins=tuple(pins))), limits)
    assert decode_server(encode(RoomState((), pins=tuple(pins[:8]))), limits).pins == tuple(pins[:8])


def test_pin_messages_round_trip_and_a_state_without_pins_keeps_its_old_form():
    """Every pin message decodes to itself; a state with no pins has no "pins" key (older readers)."""
    for message in (DropPin((1.0, 2.0, 3.0), "n", "o"), Unpin(4)):
        assert decode_client(encode(message)) == message
    for message in (RoomPin(3, 2, "Bo", (1.0, 2.0, 3.0), "note", "bldg-1", 1767225600.5), PinRemoved(3, 1)):
        assert decode_server(encode(message)) == message
    assert "pins" not in json.loads(encode(RoomState(())))
