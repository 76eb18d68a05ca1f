"""sources/mqtt_mapping.py without a broker: patterns, ids, payloads, units and scaling, and a checked file."""

from __future__ import annotations

import math

import pytest

from viewer.errors import LoadError
from viewer.sources.mqtt_mapping import Reading, match_topic, parse_mapping, read_mapping


def mapping(*rules, **broker):
    return parse_mapping({"broker": broker, "topic": list(rules)} if broker else {"topic": list(rules)})


POWER = {"pattern": "city/+/energy/power", "kind": "building", "id": "{1}", "field": "power", "unit": "W"}


def test_mqtt_wildcards_match_like_a_broker():
    assert match_topic("city/+/energy/power", "city/b12/energy/power") == ["b12"]
    assert match_topic("city/+/energy/power", "city/b12/energy/voltage") is None
    assert match_topic("city/+/energy/power", "city/b12/energy/power/x") is None
    assert match_topic("city/#", "city/a/b/c") == ["a/b/c"]
    assert match_topic("#", "$SYS/broker/load") is None  # $ topics are not matched by wildcards at the root
    assert match_topic("a/b", "a/b") == []


def test_plain_and_json_payloads_with_units_and_scaling():
    m = mapping(POWER,
                {"pattern": "traffic/+/+/speed", "kind": "road", "id": "road-{1}-{2}", "field": "speed",
                 "unit": "km/h", "json": "data.v", "scale": 2.0, "offset": 1.0},
                {"pattern": "traffic/+/+/speed", "kind": "road", "id": "road-{1}-{2}", "field": "occupancy",
                 "unit": "%", "json": "occ"})
    assert m.kinds == ("road", "building")
    assert m.readings("city/b12/energy/power", b" 1500\n") == ([Reading("building", "b12", "power", 1.5)], [])
    assert m.readings("city/b12/energy/power", b"2500.0")[0][0].value == 2.5  # JSON number as text
    readings, reasons = m.readings("traffic/a10/3/speed", b'{"data": {"v": 35.5}, "occ": 40}')
    assert reasons == []
    assert readings[0] == Reading("road", "road-a10-3", "speed", pytest.approx((35.5 * 2 + 1) / 3.6))
    assert readings[1] == Reading("road", "road-a10-3", "occupancy", pytest.approx(0.4))


@pytest.mark.parametrize(("topic", "payload", "why"), [
    ("city/b1/energy/power", b"hot", "not a number"),
    ("city/b1/energy/power", b"nan", "not a finite number"),
    ("city/b1/energy/power", b"1e999", "not a finite number"),
    ("city/b1/energy/power", b"\xff\xfe", "not a number"),
    ("city/b1/energy/power", b"7" * 70_000, "limit"),
    ("m/x", b'{"p": "12"}', "not a finite number"),
    ("m/x", b'{"q": 1}', "no 'p'"),
    ("m/x", b"{broken", "not JSON"),
    ("m/" + "x" * 200, b'{"p": 1}', "over 128 characters"),
])
def test_bad_readings_are_refused_with_a_reason(topic, payload, why):
    m = mapping(POWER, {"pattern": "m/+", "kind": "building", "id": "{1}", "field": "energy", "json": "p"})
    readings, reasons = m.readings(topic, payload)
    assert readings == [] and len(reasons) == 1 and why in reasons[0]


@pytest.mark.parametrize(("change", "why"), [
    ({"kind": "ufo"}, "kind 'ufo'"),
    ({"field": "colour"}, "no numeric field 'colour'"),
    ({"field": "vtype"}, "no numeric field"),
    ({"unit": "hp"}, "unit 'hp' for power"),
    ({"pattern": "city/#/power"}, "# must be the last level"),
    ({"pattern": "city/b+/power"}, "whole level"),
    ({"id": "{2}"}, "names wildcard {2} but the pattern has 1"),
    ({"scale": "x"}, "scale must be a finite number"),
    ({"json": "a..b"}, "dotted path"),
    ({"colour": 1}, "unknown key"),
    ({"pattern": ""}, "needs pattern"),
])
def test_a_bad_mapping_rule_is_refused_naming_the_rule(change, why):
    with pytest.raises(LoadError, match=r"\[\[topic\]\] #2: .*" + why.replace("{", r"\{").replace("}", r"\}")
                       .replace("(", r"\(").replace("+", r"\+")):
        mapping(POWER, POWER | change)


def test_mapping_file_errors_name_the_file(tmp_path):
    good = tmp_path / "sensors.toml"
    good.write_text('[broker]\nqos = 0\nperiod = 0.5\n\n[[topic]]\npattern = "s/+/t"\nkind = "building"\n'
                    'id = "{1}"\nfield = "power"\n')
    m = read_mapping(good)
    assert (m.qos, m.period, m.subscriptions) == (0, 0.5, ("s/+/t",))
    for text, why in (("[[topic]\n", "not valid TOML"), ("[broker]\nqos = 2\n[[topic]]\n", "qos must be 0 or 1"),
                      ("x = 1\n", "unknown table"), ("[broker]\n", "no \\[\\[topic\\]\\] rules")):
        good.write_text(text)
        with pytest.raises(LoadError, match=why) as info:
            read_mapping(good)
        assert "sensors.toml" in str(info.value)
    with pytest.raises(LoadError, match="cannot read"):
        read_mapping(tmp_path / "missing.toml")
    assert math.isclose(mapping(POWER | {"unit": "MW"}).readings("city/b/energy/power", b"1")[0][0].value, 1000)
