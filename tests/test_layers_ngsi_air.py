"""AirQualityObserved from an NGSI-LD notification over loopback HTTP becomes the generic kind the sensors layer shows."""

from __future__ import annotations

import http.client
import json

import numpy as np

from viewer.layers.base import LayerScene, parse_settings
from viewer.layers.drawables import Columns
from viewer.layers.sensors import SensorsLayer
from viewer.sources.ngsi import AIR_QUALITY, NgsiSource
from viewer.twin.codec import decode, encode
from viewer.twin.messages import Delta
from viewer.twin.state import TwinState

NORMALIZED = {"id": "urn:ngsi-ld:AirQualityObserved:Blaak", "type": "AirQualityObserved",
              "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [4.4868, 51.9196]}},
              "no2": {"type": "Property", "value": 48.5, "unitCode": "GQ"},
              "pm25": {"type": "Property", "value": 11.0, "unitCode": "GQ"},
              "name": {"type": "Property", "value": "Rotterdam Blaak"}}
KEY_VALUES = {"id": "urn:ngsi-ld:AirQualityObserved:Schiedamse", "type": "AirQualityObserved",
              "location": {"type": "Point", "coordinates": [4.4731, 51.9136]}, "no2": 21.0, "o3": 44.0}
NEGATIVE = {"id": "bad", "type": "AirQualityObserved", "location": {"type": "Point", "coordinates": [4.4, 51.9]},
            "no2": -3}


def post(source: NgsiSource, body: object) -> dict[str, object]:
    host, port = source.address
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        data = json.dumps(body).encode()
        connection.request("POST", "/notify", data, {"Content-Type": "application/json"})
        reply = connection.getresponse()
        assert reply.status == 200
        answer: dict[str, object] = json.loads(reply.read())
        return answer
    finally:
        connection.close()


def test_air_quality_notification_reaches_the_sensors_layer():
    """Two stations (normalized and keyValues) become air_quality rows with their units; a negative NO2 is
    refused with its reason; the rows cross the wire in 1.1 and the sensors layer draws a column each."""
    source = NgsiSource(port=0)
    source.start()
    try:
        answer = post(source, {"type": "Notification", "data": [NORMALIZED, KEY_VALUES, NEGATIVE]})
        update = source.step()
    finally:
        source.close()
    assert answer["accepted"] == 2 and "no2 -3 is out of range" in str(answer["rejected"])
    assert update is not None
    batch = update.upserts["air_quality"]
    assert batch.station.tolist() == ["Rotterdam Blaak", KEY_VALUES["id"]]
    assert batch.no2.tolist() == [48.5, 21.0] and np.isnan(batch.o3[0]) and batch.o3[1] == 44.0
    assert source.entity_kinds == (AIR_QUALITY,) and AIR_QUALITY.field("no2").unit == "ug/m3"
    wire = decode(encode(Delta(2, update), "binary"))
    state = TwinState()
    state.apply(wire.update, 0.0)  # type: ignore[union-attr]
    layer = SensorsLayer(parse_settings(SensorsLayer, "air", {"range": [0, 80]}, "scene.toml"),
                         LayerScene("city", None, (np.zeros(3), np.ones(3)),  # type: ignore[arg-type]
                                    lambda x, y: np.zeros(len(x)), lambda x, y: (x, y),
                                    {"air_quality": AIR_QUALITY}))
    columns = layer.draw(state, update.time)[0]
    assert isinstance(columns, Columns) and columns.ids.tolist() == batch.ids.tolist()
    assert columns.height[0] > columns.height[1]  # more NO2, a taller column
    assert layer.legend(state).title == "Air quality: no2"  # type: ignore[union-attr]
