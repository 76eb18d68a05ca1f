"""The pin and unpin messages' shared test vectors (tests/vectors/meeting_pins.json), checked against the Python
codec; web/test/pins.test.ts checks the browser's codec, room view and pin helpers against the same file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from viewer.meeting.codec import WRITERS, decode_client, decode_server
from viewer.meeting.errors import MessageError

VECTORS = json.loads((Path(__file__).parent / "vectors" / "meeting_pins.json").read_text(encoding="utf-8"))
SERVER = {v["name"]: v for v in VECTORS["server"]}
CLIENT = {v["name"]: v for v in VECTORS["client"]}
REFUSED = {v["name"]: v for v in VECTORS["client_refused"]}


def test_vector_names_are_unique() -> None:
    """Each vector is one test on both sides: a repeated name would hide one."""
    for kind, by_name in (("server", SERVER), ("client", CLIENT), ("client_refused", REFUSED)):
        assert len(by_name) == len(VECTORS[kind]), f"a {kind} vector name is repeated"


@pytest.mark.parametrize("name", sorted(n for n, v in SERVER.items() if not v.get("error")))
def test_server_pin_message_decodes_to_its_vector(name: str) -> None:
    """A pin, an unpin or a state with pins decodes to the vector's canonical form (note and object cleaned,
    "" when absent or blank; a state's `pins` key only when there are some)."""
    vector = SERVER[name]
    message = decode_server(vector["text"])
    assert WRITERS[type(message)](message) == vector["decoded"]


@pytest.mark.parametrize("name", sorted(n for n, v in SERVER.items() if v.get("error")))
def test_server_pin_message_refused(name: str) -> None:
    """A vector marked as an error is refused by the Python codec, as by the browser's."""
    with pytest.raises(MessageError):
        decode_server(SERVER[name]["text"])


@pytest.mark.parametrize("name", sorted(CLIENT))
def test_client_pin_message_accepted_unchanged(name: str) -> None:
    """The browser's pin and unpin are what the server's reader accepts, field for field."""
    message = CLIENT[name]["message"]
    decoded = decode_client(json.dumps(message))
    assert WRITERS[type(decoded)](decoded) == message


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_client_pin_message_refused(name: str) -> None:
    """What the browser's encoder refuses to send, the server's reader refuses too."""
    with pytest.raises(MessageError):
        decode_client(json.dumps(REFUSED[name]["message"]))
