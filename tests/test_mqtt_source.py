"""MqttSource against real brokers on loopback: Mosquitto (Debian) and nats-server's MQTT listener; QoS 0 and 1,
JSON and plain payloads, a broker restart, and the whole chain `feed publish --source mqtt` -> NATS -> an edge ->
a viewer. Nothing is mocked."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from bus_helpers import Mosquitto, NatsServer, free_port, need_nats, wait_port, wait_until

from viewer.net.feed_client import FeedClient
from viewer.sources.mqtt import MqttSource, parse_broker
from viewer.twin.state import TwinState

PROJECT = Path(__file__).resolve().parents[1]
MAPPING = """
[broker]
qos = 1
period = 0.1

[[topic]]
pattern = "city/+/energy/power"
kind = "building"
id = "{1}"
field = "power"
unit = "W"

[[topic]]
pattern = "city/+/energy/meter"
kind = "building"
id = "{1}"
field = "energy"
unit = "Wh"
json = "reading.total"

[[topic]]
pattern = "traffic/+/speed"
kind = "road"
id = "road-{1}"
field = "speed"
unit = "km/h"
"""


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "sensors.toml"
    path.write_text(MAPPING)
    return path


def send(port: int, messages: list[tuple[str, bytes | str, int]]) -> None:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"sensor-{port}-{time.monotonic_ns()}")
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        for topic, payload, qos in messages:
            client.publish(topic, payload, qos=qos).wait_for_publish(10)
    finally:
        client.disconnect()
        client.loop_stop()


def collect(source: MqttSource, state: TwinState, until, deadline: float = 15.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        state.apply(source.step(), 0.0)
        if until():
            return
        time.sleep(0.05)
    raise AssertionError(f"readings did not arrive within {deadline} s (received {source.received})")


def power(state: TwinState, building: str) -> float:
    table = state["building"]
    row = table.index.get(building)
    return float("nan") if row is None else float(table.column("power")[row])


def readings_arrive(port: int, mapping: Path) -> None:
    source = MqttSource(f"mqtt://127.0.0.1:{port}", mapping, start_time=1.7e9)
    state = TwinState(source.kinds)
    try:
        state.apply(source.start(), 0.0)
        send(port, [("city/b1/energy/power", "1500", 1), ("city/b1/energy/meter", '{"reading": {"total": 2500}}', 1),
                    ("city/b2/energy/power", b"250.5", 0), ("traffic/a10/speed", "36", 1),
                    ("city/b3/energy/power", "hot", 1)])
        collect(source, state, lambda: len(state["building"]) == 2 and len(state["road"]) == 1)
        table = state["building"]
        row = table.index["b1"]
        assert power(state, "b1") == pytest.approx(1.5) and table.column("energy")[row] == pytest.approx(2.5)
        assert power(state, "b2") == pytest.approx(0.2505)
        assert state["road"].column("speed")[0] == pytest.approx(10.0)
        send(port, [("city/b1/energy/power", "3000", 1)])  # power changes: the energy of b1 is kept
        collect(source, state, lambda: power(state, "b1") == pytest.approx(3.0))
        assert state["building"].column("energy")[state["building"].index["b1"]] == pytest.approx(2.5)
        assert source.refused == 1 and "b3" not in state["building"].index
    finally:
        source.close()


def test_readings_from_mosquitto(tmp_path, mapping):
    broker = Mosquitto(tmp_path).start()
    try:
        readings_arrive(broker.port, mapping)
    finally:
        broker.stop()


def test_readings_from_the_nats_mqtt_listener(tmp_path, mapping):
    server = NatsServer(tmp_path, mqtt=True).start()
    try:
        readings_arrive(server.mqtt_port, mapping)
    finally:
        server.stop()


def test_the_source_reconnects_after_a_broker_restart(tmp_path, mapping):
    broker = Mosquitto(tmp_path).start()
    source = MqttSource(f"mqtt://127.0.0.1:{broker.port}", mapping, start_time=1.7e9)
    state = TwinState(source.kinds)
    try:
        state.apply(source.start(), 0.0)
        broker.stop()
        broker.start()
        wait_until(lambda: source.connections >= 2, 20, "the source reconnected")
        time.sleep(0.3)  # its subscriptions go out right after the CONNACK
        send(broker.port, [("city/b9/energy/power", "900", 1)])
        collect(source, state, lambda: power(state, "b9") == pytest.approx(0.9))
    finally:
        source.close()
        broker.stop()


def test_broker_urls_and_an_unreachable_broker(mapping):
    assert parse_broker("mqtt://u:p%40ss@host:1884/?client_id=twin") == {
        "host": "host", "port": 1884, "username": "u", "password": "p@ss", "client_id": "twin"}
    with pytest.raises(ValueError, match="mqtt://HOST"):
        parse_broker("http://host")
    run = subprocess.run([sys.executable, "-m", "viewer.cli", "feed", "serve", "--source", "mqtt", "--broker",
                          f"mqtt://127.0.0.1:{free_port()}", "--mapping", str(mapping), "--port", "0"],
                         cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("citiverse: error: cannot reach the MQTT broker"), run.stderr


def test_sensors_to_the_bus_to_an_edge_to_a_viewer(tmp_path, mapping):
    """One nats-server is both the sensors' MQTT broker and the bus: `feed publish --source mqtt`, an edge."""
    need_nats()
    server = NatsServer(tmp_path, mqtt=True).start()
    port = free_port()
    cli = [sys.executable, "-m", "viewer.cli", "feed"]
    publish = subprocess.Popen(cli + ["publish", "--source", "mqtt", "--broker", f"mqtt://127.0.0.1:{server.mqtt_port}",
                                      "--mapping", str(mapping), "--nats", server.url, "--subject", "sensors",
                                      "--checkpoint-every", "0.5"],
                               cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    edge = subprocess.Popen(cli + ["serve", "--nats", server.url, "--subject", "sensors", "--port", str(port)],
                            cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    client = None
    try:
        assert publish.stdout is not None and "publishing mqtt" in publish.stdout.readline()
        wait_port(port, 30)
        client = FeedClient(f"ws://127.0.0.1:{port}/").start()
        state = TwinState(("road", "building"))

        def seen() -> bool:
            for update, reset in client.drain():
                state.apply(update, 0.0, reset=reset)
            return power(state, "b7") == pytest.approx(7.0)

        deadline = time.monotonic() + 30
        while not seen() and time.monotonic() < deadline:
            send(server.mqtt_port, [("city/b7/energy/power", "7000", 1)])
            time.sleep(0.3)
        assert seen(), f"the viewer never saw b7: {client.status()}"
        assert client.hello is not None and client.hello.kinds == ("road", "building")
    finally:
        if client is not None:
            client.stop()
        for process in (publish, edge):
            process.terminate()
            process.wait(10)
        server.stop()
    assert "Traceback" not in (publish.stderr.read() if publish.stderr else "")
