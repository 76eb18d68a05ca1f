"""The meeting protocol's shared test vectors (tests/vectors/meeting_messages.json), checked against the
Python codec; web/test/protocol.test.ts checks the browser's codec against the same file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from viewer.meeting.codec import WRITERS, decode_client, decode_server
from viewer.meeting.errors import MessageError

VECTORS = json.loads((Path(__file__).parent / "vectors" / "meeting_messages.json").read_text(encoding="utf-8"))
SERVER = {v["name"]: v for v in VECTORS["server"]}
CLIENT = {v["name"]: v for v in VECTORS["client"]}


@pytest.mark.parametrize("name", sorted(n for n, v in SERVER.items() if not v.get("error")))
def test_server_message_decodes_to_its_vector(name: str) -> None:
    """A server message decodes to the canonical form the vector gives (defaults, cleaning, wrapping)."""
    vector = SERVER[name]
    message = decode_server(vector["text"])
    assert WRITERS[type(message)](message) == vector["decoded"]


@pytest.mark.parametrize("name", sorted(n for n, v in SERVER.items() if v.get("error")))
def test_server_message_refused(name: str) -> None:
    """A vector marked as an error is refused by the Python codec, as by the browser's."""
    with pytest.raises(MessageError):
        decode_server(SERVER[name]["text"])


@pytest.mark.parametrize("name", sorted(CLIENT))
def test_client_message_accepted_unchanged(name: str) -> None:
    """What the browser sends is what the server's reader accepts, field for field."""
    message = CLIENT[name]["message"]
    decoded = decode_client(json.dumps(message))
    assert WRITERS[type(decoded)](decoded) == message
