"""Protocol 1.1: generic entity kinds described in the hello, in JSON and binary, and v1 clients unharmed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from viewer.errors import MessageError
from viewer.twin.batch import EntityBatch, TwinUpdate, make_batch
from viewer.twin.binary import decode_binary
from viewer.twin.codec import decode, encode
from viewer.twin.kinds import EntityKind, FieldSpec, read_kinds
from viewer.twin.messages import Delta, Hello, Snapshot, Subscribe
from viewer.twin.protocol import FeedClientProtocol
from viewer.twin.session import FeedServerSession
from viewer.twin.state import TwinState

ROOT = Path(__file__).resolve().parents[1]
V1_COMMIT = "4d6cc07"  # the last commit before protocol 1.1
AIR = EntityKind("air_quality", "point", (FieldSpec("no2", "ug/m3"), FieldSpec("station", type="str")), "Air quality")


def air(ids: list[str], no2: list[float]) -> EntityBatch:
    n = len(ids)
    return EntityBatch("air_quality", np.array(ids, object), {
        "x": np.linspace(4.47, 4.48, n), "y": np.full(n, 51.92), "z": np.full(n, np.nan, np.float32),
        "no2": np.array(no2, np.float32), "station": np.array([f"S {i}" for i in ids], object)})


def update(t: float, snapshot: bool, no2: list[float]) -> TwinUpdate:
    ids = [f"a{i}" for i in range(len(no2))]
    cars = make_batch("vehicle", ids=["car"], x=[4.47], y=[51.92], heading=[90.0], speed=[10.0], vtype=["car"])
    return TwinUpdate(t, {"vehicle": cars, "air_quality": air(ids, no2)}, snapshot=snapshot)


@pytest.mark.parametrize("encoding", ["columns", "objects", "binary"])
def test_generic_rows_round_trip(encoding: str) -> None:
    """A snapshot and a delta with a generic kind decode to the same rows in every encoding."""
    snap = encode(Snapshot(3, update(10.0, True, [12.5, 40.0])), encoding)
    out = decode(snap)
    assert isinstance(out, Snapshot)
    batch = out.update.upserts["air_quality"]
    assert isinstance(batch, EntityBatch) and batch.no2.tolist() == [12.5, 40.0]
    assert batch.station.tolist() == ["S a0", "S a1"] and np.isnan(batch.z).all()
    assert out.update.upserts["vehicle"].speed.tolist() == [10.0]
    gone = TwinUpdate(11.0, {}, {"air_quality": np.array(["a1"], object)})
    delta = decode(encode(Delta(4, gone), encoding))
    assert isinstance(delta, Delta) and delta.update.removals["air_quality"].tolist() == ["a1"]


def test_binary_frame_is_version_1_without_generic_kinds() -> None:
    """Only a frame that carries generic kinds uses the version-2 layout (a v1 reader reads all others)."""
    plain = encode(Snapshot(1, TwinUpdate(1.0, {"vehicle": update(1.0, True, [1.0]).upserts["vehicle"]},
                                          snapshot=True)), "binary")
    generic = encode(Snapshot(1, update(1.0, True, [1.0])), "binary")
    assert isinstance(plain, bytes) and plain[4] == 1 and isinstance(generic, bytes) and generic[4] == 2
    with pytest.raises(MessageError, match="truncated|declares"):
        decode_binary(generic[:-8], 1000)


def test_hello_describes_kinds() -> None:
    """The hello's entity_kinds round-trip; bad descriptions are refused with the path of the mistake."""
    hello = decode(encode(Hello(seq=0, time=1.0, entity_kinds=(AIR,))))
    assert isinstance(hello, Hello) and hello.entity_kinds == (AIR,) and hello.minor == 1
    for bad, where in (([{"name": "vehicle"}], "name"), ([{"name": "aq", "geometry": "blob"}], "geometry"),
                       ([{"name": "aq", "fields": [{"name": "x"}]}], "field name"),
                       ([{"name": "aq", "fields": [{"name": "v", "type": "int"}]}], "type")):
        with pytest.raises(MessageError, match=where):
            read_kinds(bad)


def pair(minor: int, encoding: str) -> tuple[FeedServerSession, list[bytes | str]]:
    """A server session of a 1.1 source answering one subscribe of protocol minor `minor`."""
    state = TwinState()
    state.apply(update(10.0, True, [12.5, 40.0]), 0.0)
    session = FeedServerSession(state.snapshot, entity_kinds=(AIR,))
    subscribe = json.loads(str(encode(Subscribe(encodings=(encoding,)))))
    if minor == 0:
        del subscribe["minor"]  # what a v1 client sends
    session.receive_data(json.dumps(subscribe), 0.0)
    session.send(update(11.0, False, [13.0, 41.0]), 0.1)
    return session, session.data_to_send(0.2)


@pytest.mark.parametrize("encoding", ["columns", "binary"])
def test_a_v11_client_gets_the_generic_kinds(encoding: str) -> None:
    """A 1.1 subscriber gets the kinds in the hello and their rows in the snapshot and deltas."""
    _, wires = pair(1, encoding)
    client = FeedClientProtocol(TwinState())
    client.connection_made(0.0)
    for wire in wires:
        client.receive_data(wire, 0.3)
    assert client.hello is not None and client.hello.entity_kinds == (AIR,)
    assert client.twin is not None and client.twin["air_quality"].column("no2").tolist() == [13.0, 41.0]


@pytest.mark.parametrize("encoding", ["columns", "binary"])
def test_a_v1_subscriber_gets_a_v1_stream(encoding: str) -> None:
    """A subscribe without "minor" (a v1 client) gets no entity_kinds and no generic rows at all."""
    _, wires = pair(0, encoding)
    texts = [w for w in wires if isinstance(w, str)]
    assert all("entity_kinds" not in t and "entities" not in t for t in texts)
    assert all(w[4] == 1 for w in wires if isinstance(w, bytes))


V1_CLIENT = """
import sys, json, base64
from viewer.twin.protocol import FeedClientProtocol
from viewer.twin.state import TwinState
client = FeedClientProtocol(TwinState())
client.connection_made(0.0)
for line in sys.stdin:
    item = json.loads(line)
    data = base64.b64decode(item["b"]) if "b" in item else item["t"]
    client.receive_data(data, 0.5)
print(json.dumps({"dropped": client.counters.dropped_messages, "state": client.state,
                  "vehicles": client.twin["vehicle"].live_ids().tolist(), "kinds": list(client.twin.tables)}))
"""


def v1_package(tmp_path: Path) -> Path:
    """The twin package as it was in protocol v1 (from git history), to run a real v1 client."""
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", V1_COMMIT, "viewer/__init__.py",
                                  "viewer/errors.py", "viewer/twin"], capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("the v1 code is not in this clone's git history")
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=archive, check=True)
    return tmp_path


def test_v1_client_ignores_what_v11_adds(tmp_path: Path) -> None:
    """The v1 client code of the previous release reads a 1.1 server's JSON stream (hello with entity_kinds,
    snapshots with "entities") without dropping a message, and applies the v1 rows."""
    root = v1_package(tmp_path)
    messages = [encode(Hello(seq=0, time=1.0, entity_kinds=(AIR,))), encode(Snapshot(1, update(10.0, True, [1.0]))),
                encode(Delta(2, TwinUpdate(11.0, {"air_quality": air(["a0"], [2.0])},
                                           {"air_quality": np.array(["a9"], object)})))]
    lines = "".join(json.dumps({"t": m}) + "\n" for m in messages)
    run = subprocess.run([sys.executable, "-c", V1_CLIENT], input=lines, capture_output=True, text=True,
                         cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out == {"dropped": 0, "state": "live", "vehicles": ["car"], "kinds": ["vehicle", "road", "building"]}


def test_v1_client_reads_a_v1_subscribers_binary_stream(tmp_path: Path) -> None:
    """The same v1 client, subscribed in binary to a 1.1 server, gets frames it reads (version 1 only)."""
    import base64

    root = v1_package(tmp_path)
    _, wires = pair(0, "binary")
    hello = {"t": str(wires[0])}
    rest = [{"b": base64.b64encode(w).decode()} if isinstance(w, bytes) else {"t": w} for w in wires[1:]]
    lines = "".join(json.dumps(item) + "\n" for item in [hello, *rest])
    run = subprocess.run([sys.executable, "-c", V1_CLIENT], input=lines, capture_output=True, text=True,
                         cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["dropped"] == 0 and out["vehicles"] == ["car"] and out["state"] == "live"
