"""The twin feed's shared test vectors (tests/vectors/feed_messages.json): the file is what tests/feed_vectors.py
builds from the Python codec, and the codec decodes each vector to its canonical form or refuses it.
web/test/feed.test.ts checks the browser's decoder against the same file."""

from __future__ import annotations

import base64
import json

import pytest

from tests.feed_vectors import PATH, build, canonical
from viewer.twin.codec import decode
from viewer.twin.errors import MessageError

VECTORS = json.loads(PATH.read_text(encoding="utf-8"))
BY_NAME = {v["name"]: v for v in VECTORS["messages"]}


def _data(vector: dict) -> str | bytes:
    return vector["text"] if "text" in vector else base64.b64decode(vector["binary"])


def test_vector_file_is_what_the_codec_builds() -> None:
    """A protocol change that alters a decoded form must rebuild the shared file (python tests/feed_vectors.py)."""
    assert json.loads(json.dumps(build())) == VECTORS


def test_vectors_cover_every_encoding_and_refusal() -> None:
    names = set(BY_NAME)
    assert {"snapshot as objects", "snapshot as columns", "snapshot as binary", "delta as binary", "hello"} <= names
    assert sum(1 for v in VECTORS["messages"] if v.get("error")) >= 10
    assert any("binary" in v and v.get("error") for v in VECTORS["messages"])


@pytest.mark.parametrize("name", sorted(n for n, v in BY_NAME.items() if not v.get("error")))
def test_message_decodes_to_its_vector(name: str) -> None:
    vector = BY_NAME[name]
    assert canonical(_data(vector)) == vector["decoded"]


@pytest.mark.parametrize("name", sorted(n for n, v in BY_NAME.items() if v.get("error")))
def test_message_refused(name: str) -> None:
    with pytest.raises(MessageError):
        decode(_data(BY_NAME[name]))


def test_encodings_agree_on_one_update() -> None:
    """The same snapshot in objects, columns and binary decodes to the same state (float32 to 1e-6)."""
    forms = [BY_NAME[f"snapshot as {e}"]["decoded"] for e in ("objects", "columns", "binary")]
    for other in forms[1:]:
        assert other.keys() == forms[0].keys()
        for kind, columns in forms[0]["upserts"].items():
            for name, values in columns.items():
                for a, b in zip(values, other["upserts"][kind][name], strict=True):
                    assert a == b or (isinstance(a, float) and abs(a - b) <= 1e-6 * max(1.0, abs(a)))
