"""Shared pieces of the net tests: a small deterministic source, condition waits, state comparison, raw sockets.

No tests here; the test_net_* modules import it (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import base64
import os
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import fields

import numpy as np

from viewer.twin.batch import TwinUpdate, make_batch
from viewer.twin.state import TwinState


class MovingSource:
    """`n` vehicles moving east 1 m per step, one replaced every `churn` steps, roads every 5 steps,
    buildings every 10; ends after `steps` steps (None = never). Deterministic; time = start + k * period."""

    name = "moving"
    crs = "EPSG:3857"

    def __init__(self, n: int = 200, steps: int | None = 60, period: float = 0.1, start: float = 1_000.0,
                 churn: int = 3, kinds: tuple[str, ...] = ("vehicle", "road", "building")) -> None:
        self.n, self.steps, self.period, self.start_time, self.churn = n, steps, period, start, churn
        self.kinds = kinds
        self.k = 0
        self.first = 0  # vehicle ids are first .. first + n - 1
        self.closed = False

    def _ids(self) -> np.ndarray:
        return np.array([f"veh-{i}" for i in range(self.first, self.first + self.n)], dtype=object)

    def _vehicles(self) -> object:
        i = np.arange(self.first, self.first + self.n, dtype=np.float64)
        return make_batch("vehicle", ids=self._ids(), x=i * 10.0 + self.k, y=i * 5.0, heading=np.full(self.n, 90.0),
                          speed=np.full(self.n, 10.0), vtype=np.where(i % 7 == 0, "bus", "car"))

    def _update(self, snapshot: bool) -> TwinUpdate:
        update = TwinUpdate(time=self.start_time + self.k * self.period, snapshot=snapshot)
        if "vehicle" in self.kinds:
            update.upserts["vehicle"] = self._vehicles()
        if "road" in self.kinds and (snapshot or self.k % 5 == 0):
            update.upserts["road"] = make_batch("road", ids=["r1", "r2"], speed=[self.k % 13, 5.0],
                                                free_flow_speed=[13.9, 13.9], occupancy=[0.1, 0.2], flow=[600, 700])
        if "building" in self.kinds and (snapshot or self.k % 10 == 0):
            update.upserts["building"] = make_batch("building", ids=["b1"], power=[float(self.k)],
                                                    energy=[self.k * 0.1], timestamp=[update.time])
        return update

    def start(self) -> TwinUpdate:
        return self._update(snapshot=True)

    def step(self) -> TwinUpdate | None:
        if self.closed or (self.steps is not None and self.k >= self.steps):
            return None
        self.k += 1
        removed = None
        if self.churn and self.k % self.churn == 0:
            removed = np.array([f"veh-{self.first}"], dtype=object)
            self.first += 1
        update = self._update(snapshot=False)
        if removed is not None and "vehicle" in self.kinds:
            update.removals["vehicle"] = removed
        return update

    def close(self) -> None:
        self.closed = True

    @property
    def final_time(self) -> float:
        assert self.steps is not None
        return self.start_time + self.steps * self.period


def wait_for(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.01) -> float:
    """Poll `condition` until true; returns the seconds waited, or fails naming `what` after `timeout`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
    return time.monotonic() - start


class Mirror:
    """The render thread's side: drains a FeedClient into its own TwinState."""

    def __init__(self, client: object, kinds: tuple[str, ...] = ("vehicle", "road", "building")) -> None:
        self.client = client
        self.twin = TwinState(kinds)
        self.updates = 0
        self.resets = 0
        self.snapshots = 0
        self.last_time = float("-inf")  # of the last update applied (TwinState.time keeps the maximum ever)
        self.times: list[float] = []  # of every update applied, in order

    def pump(self) -> TwinState:
        for update, reset in self.client.drain():  # type: ignore[attr-defined]
            self.twin.apply(update, time.monotonic(), reset=reset)
            self.updates += 1
            self.resets += int(reset)
            self.snapshots += int(update.snapshot)
            self.last_time = update.time
            self.times.append(update.time)
        return self.twin

    def reaches(self, time_: float) -> Callable[[], bool]:
        """A condition: the last update applied is the one at `time_` (a finished source's last)."""
        return lambda: self.pump() is not None and abs(self.last_time - time_) < 1e-9


def table_rows(twin: TwinState, kind: str) -> dict[str, tuple]:
    """id -> the row's batch values (NaN as None) of one kind."""
    table = twin[kind]
    batch = table.batch()
    names = [f.name for f in fields(batch) if f.name != "ids"]
    columns = [[None if isinstance(v, float) and v != v else v for v in getattr(batch, n).tolist()] for n in names]
    return {i: tuple(c[k] for c in columns) for k, i in enumerate(batch.ids.tolist())}


def assert_same_state(a: TwinState, b: TwinState, kinds: tuple[str, ...] = ("vehicle", "road", "building")) -> None:
    """Equal ids and values per kind."""
    for kind in kinds:
        assert table_rows(a, kind) == table_rows(b, kind), kind


def raw_websocket(port: int, path: str = "/", rcvbuf: int | None = None, headers: str = "") -> socket.socket:
    """A TCP socket that has done the websocket handshake by hand (so the test controls every read)."""
    sock = socket.socket()
    if rcvbuf is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(5)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{headers}\r\n".encode())
    response = b""
    while b"\r\n\r\n" not in response:
        chunk = sock.recv(1)
        assert chunk, "connection closed during the handshake"
        response += chunk
    assert response.startswith(b"HTTP/1.1 101"), response
    return sock


def send_frame(sock: socket.socket, payload: bytes, opcode: int = 1) -> None:
    """One masked client frame (text by default)."""
    mask = os.urandom(4)
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack(">H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack(">Q", n)
    masked = (np.frombuffer(payload, np.uint8) ^ np.resize(np.frombuffer(mask, np.uint8), n)).tobytes()
    sock.sendall(head + mask + masked)


def _exact(sock: socket.socket, n: int) -> bytes:
    out = bytearray()
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise ConnectionError("closed")
        out += chunk
    return bytes(out)


def read_frame(sock: socket.socket) -> tuple[int, bytes]:
    """(opcode, payload) of one unmasked server frame (no fragmentation: the server sends whole messages)."""
    b0, b1 = _exact(sock, 2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack(">H", _exact(sock, 2))[0]
    elif n == 127:
        n = struct.unpack(">Q", _exact(sock, 8))[0]
    return b0 & 0x0F, _exact(sock, n)
