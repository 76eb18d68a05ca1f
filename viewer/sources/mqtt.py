"""IoT sensors over MQTT as a Source: readings of mapped topics (sources/mqtt_mapping.py) into twin updates.

    source = MqttSource("mqtt://127.0.0.1:1883", Path("sensors.toml"), start_time=t0)

Rules:
1. The broker URL is mqtt://[USER[:PASSWORD]@]HOST[:PORT][/?client_id=ID] (default port 1883). Without a
   client_id the session is clean (a random id); with one it is persistent (clean_session=False), so the
   broker keeps QoS 1 messages for us while we are away and delivers them on reconnect.
2. paho-mqtt's network thread receives; on every (re)connection every pattern of the mapping is subscribed
   at the mapping's QoS (0 or 1), and start() returns once the first subscriptions are acknowledged. Reconnects are paho's, from 0.1 s doubling to 2 s, forever. The first
   connection must succeed within `connect_timeout` seconds, else start() raises ConnectionError naming the
   broker and the reason.
3. Readings wait in a bounded queue (max_queue; past it the oldest are dropped and counted in `dropped`).
   step() takes them in arrival order and emits the entities they changed, each with every field known so
   far (an upsert replaces a whole row: a building's energy must not turn NaN when only its power arrives).
   A building without a mapped timestamp gets the step's source time.
4. Time: start_time + k * period (the mapping's [broker] period), never the wall clock. Entities are never
   removed: a sensor going quiet is the twin state's staleness rule.
5. Refused readings (rule 2 of mqtt_mapping) are logged, at most one line per topic pattern per minute of
   steps, and counted in `refused`.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
import paho.mqtt.client as mqtt

from viewer.errors import UsageError
from viewer.sources.mqtt_mapping import Mapping, Reading, read_mapping
from viewer.twin.batch import TwinUpdate, column_names, empty_batch, make_batch

log = logging.getLogger(__name__)


def parse_broker(url: str) -> dict[str, Any]:
    """host, port, username, password, client_id from an mqtt:// URL (rule 1); UsageError when it is not one."""
    parts = urlsplit(url)
    if parts.scheme != "mqtt" or not parts.hostname:
        raise UsageError(f"--broker: an MQTT broker URL is mqtt://HOST[:PORT], got {url!r}")
    try:
        port = parts.port or 1883
    except ValueError:  # urllib's parse of the port
        raise UsageError(f"--broker: bad port in {url!r}") from None
    client_id = parse_qs(parts.query).get("client_id", [None])[0]
    return {"host": parts.hostname, "port": port, "username": unquote(parts.username) if parts.username else None,
            "password": unquote(parts.password) if parts.password else None, "client_id": client_id}


class MqttSource:
    """Sensor readings from an MQTT broker (rules above)."""

    name = "mqtt"
    crs = "EPSG:4326"

    def __init__(self, broker: str, mapping: Path | Mapping, start_time: float = 0.0, max_queue: int = 100_000,
                 connect_timeout: float = 5.0) -> None:
        self.broker = parse_broker(broker)
        self.url = broker.split("@")[-1] if "@" in broker else broker  # shown without credentials
        self.mapping = mapping if isinstance(mapping, Mapping) else read_mapping(Path(mapping))
        self.kinds = self.mapping.kinds
        self.period = self.mapping.period
        self.start_time, self.connect_timeout = float(start_time), connect_timeout
        self._queue: deque[Reading] = deque(maxlen=max_queue)
        self._lock = threading.Lock()
        self._values: dict[str, dict[str, dict[str, float]]] = {kind: {} for kind in self.kinds}
        self._k = 0
        self.received = 0  # messages
        self.refused = 0  # readings refused
        self.dropped = 0  # readings dropped by the full queue
        self.connections = 0
        self._connected = threading.Event()
        self._refusal: str | None = None
        self._warned: dict[str, int] = {}
        self._client: mqtt.Client | None = None

    # ------------------------------------------------------------ the network thread (paho's)

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        if reason.is_failure:
            self._refusal = f"the broker refused the connection: {reason}"
            self._connected.set()
            return
        self.connections += 1
        client.subscribe([(pattern, self.mapping.qos) for pattern in self.mapping.subscriptions])
        if self.connections > 1:
            log.warning("mqtt %s: reconnected", self.url)

    def _on_subscribe(self, client: mqtt.Client, userdata: Any, mid: int, reasons: Any, properties: Any) -> None:
        failed = [str(r) for r in reasons if r.is_failure]
        if failed:
            log.warning("mqtt %s: subscriptions refused: %s", self.url, ", ".join(failed))
        self._connected.set()  # start() returns once the broker has the subscriptions

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        if self._client is not None:
            log.warning("mqtt %s: disconnected (%s); reconnecting", self.url, reason)

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        readings, reasons = self.mapping.readings(message.topic, bytes(message.payload))
        with self._lock:
            self.received += 1
            room = self._queue.maxlen - len(self._queue) if self._queue.maxlen else len(readings)
            self.dropped += max(0, len(readings) - room)
            self._queue.extend(readings)
            self.refused += len(reasons)
        for reason in reasons:
            self._warn(reason)

    def _warn(self, reason: str) -> None:
        topic = reason.split(":", 1)[0]
        last = self._warned.get(topic)
        if last is None or self._k - last >= 60 / self.period:
            self._warned[topic] = self._k
            log.warning("mqtt %s: reading refused: %s", self.url, reason)

    # ------------------------------------------------------------ the Source protocol

    def start(self) -> TwinUpdate:
        b = self.broker
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2,
                             client_id=b["client_id"] or f"citiverse-{secrets.token_hex(6)}",
                             clean_session=b["client_id"] is None)
        if b["username"] is not None:
            client.username_pw_set(b["username"], b["password"])
        client.on_connect, client.on_message, client.on_disconnect = self._on_connect, self._on_message, \
            self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.reconnect_delay_set(min_delay=0.1, max_delay=2)  # type: ignore[arg-type] # floats work
        self._client = client
        try:
            client.connect(b["host"], b["port"], keepalive=10)
        except (OSError, ValueError) as exc:
            self._client = None
            raise ConnectionError(f"cannot reach the MQTT broker {self.url}: {exc.strerror or exc}"
                                  if isinstance(exc, OSError) else f"cannot reach the MQTT broker {self.url}: {exc}") \
                from None
        client.loop_start()
        if not self._connected.wait(self.connect_timeout) or self._refusal:
            why = self._refusal or f"no answer within {self.connect_timeout:g} s"
            self.close()
            raise ConnectionError(f"cannot reach the MQTT broker {self.url}: {why}")
        return TwinUpdate(self.start_time, {kind: empty_batch(kind) for kind in self.kinds}, snapshot=True)

    def step(self) -> TwinUpdate | None:
        self._k += 1
        now = self.start_time + self._k * self.period
        with self._lock:
            readings = list(self._queue)
            self._queue.clear()
        changed: dict[str, dict[str, None]] = {kind: {} for kind in self.kinds}
        for reading in readings:
            self._values[reading.kind].setdefault(reading.id, {})[reading.field] = reading.value
            changed[reading.kind][reading.id] = None
        upserts = {kind: self._batch(kind, list(ids), now) for kind, ids in changed.items() if ids}
        return TwinUpdate(now, upserts)

    def _batch(self, kind: str, ids: list[str], now: float) -> Any:
        rows = [self._values[kind][i] for i in ids]
        columns: dict[str, Any] = {"ids": ids}
        for name in column_names(kind)[1:]:
            if name == "vtype":
                continue
            default = now if (kind, name) == ("building", "timestamp") else np.nan
            columns[name] = [row.get(name, default) for row in rows]
        return make_batch(kind, **columns)

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.disconnect()
            client.loop_stop()
