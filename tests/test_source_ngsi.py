"""NGSI-LD: Smart Data Models Vehicle and TrafficFlowObserved in both forms, and the /notify endpoint."""

from __future__ import annotations

import http.client
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.sources.base import Source
from viewer.sources.ngsi import NgsiSource, entities_of, parse_traffic_flow, parse_vehicle

CONTEXT = ["https://smart-data-models.github.io/dataModel.Transportation/context.jsonld"]

# Modelled on the Smart Data Models examples (dataModel.Transportation Vehicle and TrafficFlowObserved).
VEHICLE_NORMALIZED = {
    "id": "urn:ngsi-ld:Vehicle:vehicle:WasteManagement:1", "type": "Vehicle",
    "bearing": {"type": "Property", "value": 43},
    "category": {"type": "Property", "value": ["municipalServices"]},
    "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [-3.164485591715449,
                                                                                     40.62785133667262]},
                 "observedAt": "2018-09-27T12:00:00Z"},
    "speed": {"type": "Property", "value": 50, "observedAt": "2018-09-27T12:00:00Z"},
    "vehicleType": {"type": "Property", "value": "lorry"},
    "refVehicleModel": {"type": "Relationship", "object": "urn:ngsi-ld:VehicleModel:vehiclemodel:econic"},
    "serviceStatus": {"type": "Property", "value": "onRoute"},
    "@context": CONTEXT,
}
VEHICLE_KEYVALUES = {
    "id": "urn:ngsi-ld:Vehicle:vehicle:WasteManagement:1", "type": "Vehicle", "bearing": 43,
    "category": ["municipalServices"],
    "location": {"coordinates": [-3.164485591715449, 40.62785133667262], "type": "Point"},
    "speed": 50, "vehicleType": "lorry", "refVehicleModel": "urn:ngsi-ld:VehicleModel:vehiclemodel:econic",
    "serviceStatus": "onRoute", "@context": CONTEXT,
}
FLOW_NORMALIZED = {
    "id": "urn:ngsi-ld:TrafficFlowObserved:TrafficFlowObserved-Valladolid-osm-60821110",
    "type": "TrafficFlowObserved",
    "averageHeadwayTime": {"type": "Property", "value": 0.5},
    "averageVehicleSpeed": {"type": "Property", "value": 52.6},
    "dateObserved": {"type": "Property", "value": {"@type": "DateTime",
                                                   "@value": "2016-12-07T11:10:00/2016-12-07T11:15:00"}},
    "dateObservedFrom": {"type": "Property", "value": {"@type": "DateTime", "@value": "2016-12-07T11:10:00Z"}},
    "dateObservedTo": {"type": "Property", "value": {"@type": "DateTime", "@value": "2016-12-07T11:15:00Z"}},
    "intensity": {"type": "Property", "value": 197},
    "laneDirection": {"type": "Property", "value": "forward"},
    "laneId": {"type": "Property", "value": 1},
    "location": {"type": "GeoProperty", "value": {"type": "LineString", "coordinates": [
        [-4.73735395519672, 41.6538181849672], [-4.73414858659993, 41.6600594193478]]}},
    "occupancy": {"type": "Property", "value": 0.76},
    "refRoadSegment": {"type": "Relationship", "object": "urn:ngsi-ld:RoadSegment:-152165#1"},
    "@context": CONTEXT,
}
FLOW_KEYVALUES = {
    "id": "urn:ngsi-ld:TrafficFlowObserved:TrafficFlowObserved-Valladolid-osm-60821110",
    "type": "TrafficFlowObserved", "averageHeadwayTime": 0.5, "averageVehicleSpeed": 52.6,
    "dateObserved": "2016-12-07T11:10:00/2016-12-07T11:15:00", "intensity": 197, "laneDirection": "forward",
    "laneId": 1, "occupancy": 0.76, "refRoadSegment": "urn:ngsi-ld:RoadSegment:-152165#1", "@context": CONTEXT,
}


def test_both_forms_give_the_same_rows():
    """Normalized and keyValues forms of one entity map to the same row, in the feed's units."""
    assert parse_vehicle(VEHICLE_NORMALIZED) == parse_vehicle(VEHICLE_KEYVALUES)
    v = parse_vehicle(VEHICLE_NORMALIZED)
    assert v["x"] == pytest.approx(-3.164485591715449) and v["y"] == pytest.approx(40.62785133667262)
    assert v["speed"] == pytest.approx(50 / 3.6) and v["heading"] == 43 and v["vtype"] == "truck"
    assert np.isnan(v["z"])
    assert parse_traffic_flow(FLOW_NORMALIZED, {}) == parse_traffic_flow(FLOW_KEYVALUES, {})
    f = parse_traffic_flow(FLOW_NORMALIZED, {})
    assert f["road"] == "-152165#1" and f["lane"] == 1 and f["occupancy"] == 0.76
    assert f["speed"] == pytest.approx(52.6 / 3.6) and f["flow"] == pytest.approx(197 * 12)  # 5 minutes
    mapped = {k: v for k, v in FLOW_KEYVALUES.items() if k != "refRoadSegment"}
    assert parse_traffic_flow(mapped, {mapped["id"]: "road-00042"})["road"] == "road-00042"


def test_units_and_unknowns():
    """unitCode MTS keeps m/s; -1 speed and heading are unknown; bearing stands in for heading."""
    entity = {"id": "v", "type": "https://smartdatamodels.org/dataModel.Transportation/Vehicle",
              "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [4.4, 51.9, 3.0]}},
              "speed": {"type": "Property", "value": 12.5, "unitCode": "MTS"}, "heading": -1}
    v = parse_vehicle(entity)
    assert v["speed"] == 12.5 and np.isnan(v["heading"]) and v["z"] == 3.0 and v["vtype"] == "other"
    v = parse_vehicle({**entity, "speed": -1, "heading": 359.5})
    assert np.isnan(v["speed"]) and v["heading"] == 359.5


def test_invalid_entities_are_dropped_with_reasons():
    """Bad entities are rejected one by one with a reason; the good ones in the same notification are kept."""
    source = NgsiSource(serve=False)
    bad = [
        {"type": "Vehicle", "location": VEHICLE_KEYVALUES["location"]},  # no id
        {**VEHICLE_KEYVALUES, "id": "x" * 500},
        {**VEHICLE_KEYVALUES, "id": "no-location", "location": None},
        {**VEHICLE_KEYVALUES, "id": "far", "location": {"type": "Point", "coordinates": [400, 12]}},
        {**VEHICLE_KEYVALUES, "id": "nan", "location": {"type": "Point", "coordinates": ["a", 12]}},
        {**VEHICLE_KEYVALUES, "id": "fast", "speed": 1e9},
        {**VEHICLE_KEYVALUES, "id": "turning", "heading": 720},
        {**VEHICLE_KEYVALUES, "id": "text", "speed": "fast"},
        {**VEHICLE_KEYVALUES, "id": "huge", "speed": 10**400},
        {**VEHICLE_KEYVALUES, "id": "huge-lon", "location": {"type": "Point", "coordinates": [10**400, 1]}},
        {**FLOW_KEYVALUES, "id": "full", "occupancy": 1.5},
        {k: v for k, v in FLOW_KEYVALUES.items() if k != "refRoadSegment"},
        {"id": "p", "type": "Parking"},
        "not an entity",
    ]
    accepted, rejected = source.ingest({"type": "Notification", "data": [VEHICLE_KEYVALUES, *bad, FLOW_NORMALIZED]})
    assert accepted == 2 and len(rejected) == len(bad)
    assert any("no id" in r for r in rejected) and any("out of range" in r for r in rejected)
    assert any("Parking" in r for r in rejected) and any("no road" in r for r in rejected)
    source.start()
    update = source.step()
    assert update.upserts["vehicle"].ids.tolist() == [VEHICLE_KEYVALUES["id"]]
    assert update.upserts["road"].ids.tolist() == ["-152165#1"]
    with pytest.raises(ValueError):
        entities_of({"type": "Notification", "data": "x"})


def test_lanes_of_a_road_add_up():
    """Two lanes of one road: flows add, speed is flow-weighted; a later observation of a lane replaces it."""
    source = NgsiSource(serve=False, free_flow={"-152165#1": 13.9}, period=0.5, start_time=100.0)
    lane2 = {**FLOW_KEYVALUES, "id": "f2", "laneId": 2, "intensity": 97, "averageVehicleSpeed": 30.0}
    older = {**FLOW_KEYVALUES, "intensity": 1000}
    source.ingest([older, FLOW_KEYVALUES, lane2])
    snap = source.start()
    assert snap.snapshot and snap.time == 100.0
    road = source.step().upserts["road"]
    assert road.flow[0] == pytest.approx((197 + 97) * 12)
    assert road.speed[0] == pytest.approx((52.6 * 197 + 30.0 * 97) / 294 / 3.6, rel=1e-5)
    assert road.free_flow_speed[0] == pytest.approx(13.9) and road.occupancy[0] == pytest.approx(0.76)
    empty = source.step()
    assert empty.time == 101.0 and not empty.upserts


def _post(address, body: bytes, path="/notify", method="POST", headers=None):
    conn = http.client.HTTPConnection(*address, timeout=5)
    try:
        conn.request(method, path, body=body, headers=headers or {"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def test_http_notifications_on_loopback():
    """A context broker's POST /notify is queued and comes out of the next step; bad requests get 4xx."""
    source = NgsiSource(max_body=10_000, max_queue=3)
    try:
        assert isinstance(source, Source)
        source.start()
        address = source.address
        assert address[0] == "127.0.0.1" and address[1] > 0
        notification = {"id": "urn:ngsi-ld:Notification:1", "type": "Notification",
                        "subscriptionId": "urn:ngsi-ld:Subscription:1", "notifiedAt": "2024-01-01T00:00:00Z",
                        "data": [VEHICLE_NORMALIZED, FLOW_NORMALIZED, {"id": "bad", "type": "Vehicle"}]}
        status, answer = _post(address, json.dumps(notification).encode())
        assert status == 200 and answer["accepted"] == 2 and len(answer["rejected"]) == 1
        update = source.step()
        assert update.upserts["vehicle"].ids.tolist() == [VEHICLE_NORMALIZED["id"]]
        assert update.upserts["road"].ids.tolist() == ["-152165#1"]
        status, answer = _post(address, b'{"type": "Notification", "data": [')
        assert status == 400 and "malformed JSON" in answer["error"]
        assert _post(address, b'{"type": "Other"}')[0] == 400
        assert _post(address, b"x" * 20_000)[0] == 413
        assert _post(address, b"{}", path="/elsewhere")[0] == 404
        assert _post(address, b"", method="GET")[0] == 405
        too_many = {"type": "Notification", "data": [VEHICLE_KEYVALUES] * 4}
        assert _post(address, json.dumps(too_many).encode())[0] == 503
        assert _post(address, b"[]")[0] == 200  # the service still answers
    finally:
        source.close()
    assert source.step() is None


@settings(max_examples=80, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.sampled_from(["id", "type", "location", "speed", "heading", "value",
                                                       "coordinates", "occupancy", "intensity", "refRoadSegment",
                                                       "Point", "Vehicle", "TrafficFlowObserved", "object"]),
                                      children, max_size=5), max_leaves=20))
def test_generated_payloads_never_crash(payload):
    """Any JSON-like payload is accepted, partly rejected or refused with ValueError; step() never fails."""
    source = NgsiSource(serve=False)
    try:
        source.ingest(payload)
    except ValueError:
        pass
    source.start()
    source.step()
