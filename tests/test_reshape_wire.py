"""The twin feed and meetings read untrusted JSON through one shared module (viewer/wire.py)."""

from __future__ import annotations

import pytest

from viewer import wire
from viewer.errors import MessageError, MessageTooLarge
from viewer.meeting import codec as meeting_codec
from viewer.meeting import fields as meeting_fields
from viewer.twin import bodies as twin_bodies
from viewer.twin import codec as twin_codec
from viewer.twin import fields as twin_fields


def test_both_protocols_use_the_shared_readers() -> None:
    for name in ("field", "as_dict", "as_str", "json_type"):
        assert getattr(twin_codec, name) is getattr(meeting_codec, name, getattr(wire, name)) is getattr(wire, name)
    assert twin_bodies.as_list is meeting_codec.as_list is wire.as_list
    assert meeting_codec.decode_guarded is twin_codec.decode_guarded is wire.decode_guarded
    for module in (twin_fields, meeting_fields):
        assert not {"field", "as_dict", "as_list", "as_bool"} & set(vars(module)) - set(vars(wire)), module


def test_a_long_string_is_a_crossed_limit_in_both_protocols() -> None:
    with pytest.raises(MessageTooLarge, match="characters in hello.crs"):
        twin_codec.decode('{"type": "hello", "v": 1, "seq": 0, "time": 0, "crs": "' + "x" * 300
                          + '", "kinds": [], "encoding": "columns"}', peer="feed")
    with pytest.raises(MessageTooLarge, match="characters in chat.text"):
        meeting_codec.decode_client('{"type": "chat", "text": "' + "x" * 3000 + '"}')


def test_numbers_are_finite_and_fit_a_float() -> None:
    assert wire.as_number(3, "t") == 3.0
    for bad, reason in ((True, "must be a number, got boolean"), (10**400, "too large"),
                        (float("nan"), "not finite"), ("1", "got string")):
        with pytest.raises(MessageError, match=reason):
            wire.as_number(bad, "t")
    with pytest.raises(MessageError, match="outside"):
        wire.as_number(5, "t", 0, 1)


def test_text_is_bounded_in_characters_then_bytes() -> None:
    assert wire.utf8_within("é", 2) == "é".encode()
    with pytest.raises(MessageTooLarge, match="message size"):
        wire.utf8_within("é" * 2, 3)  # 2 characters, 4 bytes
    with pytest.raises(MessageError, match="lone surrogate"):
        wire.utf8_within("\ud800", 10)


def test_decode_guarded_names_the_peer_and_catches_holes() -> None:
    def bad_field() -> None:
        raise MessageError("x is wrong")

    def hole() -> None:
        raise KeyError("k")

    with pytest.raises(MessageError) as info:
        wire.decode_guarded(bad_field, "ws://a")
    assert (info.value.peer, str(info.value)) == ("ws://a", "ws://a: x is wrong")
    with pytest.raises(MessageError, match=r"ws://b: internal error \(KeyError\)"):
        wire.decode_guarded(hole, "ws://b")
    assert wire.decode_guarded(lambda: 7, "p") == 7
