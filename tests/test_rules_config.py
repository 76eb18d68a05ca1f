"""A scene's [[rules]]: parsed into RuleConfig, and every mistake one ConfigError naming the file, the rule
and the reason."""

from __future__ import annotations

import pytest

from viewer.config import load_scene
from viewer.errors import ConfigError
from viewer.rules_config import RULE_FIELDS, Condition
from viewer.twin.batch import column_names, empty_batch

HEAD = '[[sources]]\nformat = "procedural"\n'


def scene(tmp_path, rules: str):
    path = tmp_path / "city.toml"
    path.write_text(HEAD + rules)
    return path


def test_rules_are_read(tmp_path):
    """Threshold, between, rate with window, duration, severity, colour and badge."""
    config = load_scene(scene(tmp_path, '''
[[rules]]
name = "Overload"
kind = "building"
when = "power > 400"
for = 30
severity = "critical"
colour = "#ff0000"
badge = "!"

[[rules]]
name = "Jam"
kind = "road"
when = "occupancy between 0.8 and 1"

[[rules]]
name = "Surge"
kind = "building"
when = "rate(power) >= 2.5e1"
window = 120
'''))
    overload, jam, surge = config.rules
    assert overload.condition == Condition("power", ">", 400.0)
    assert (overload.hold, overload.severity, overload.colour, overload.badge) == (30.0, "critical", (1.0, 0.0, 0.0), "!")
    assert jam.condition == Condition("occupancy", "between", 0.8, 1.0) and jam.severity == "warning"
    assert surge.condition == Condition("power", ">=", 25.0, rate=True) and surge.window == 120.0


def test_no_rules_is_fine(tmp_path):
    assert load_scene(scene(tmp_path, "")).rules == ()


BAD = [
    ('name = "A"\nkind = "tram"\nwhen = "speed > 1"', 'rules[0] \'A\'.kind', "unknown kind 'tram'"),
    ('name = "A"\nkind = "building"\nwhen = "pwr > 1"', "rules[0] 'A'.when", "unknown field 'pwr' of building"),
    ('name = "A"\nkind = "building"\nwhen = "power >> 1"', "rules[0] 'A'.when", "is not FIELD OP NUMBER"),
    ('name = "A"\nkind = "building"\nwhen = "power between 5 and 1"', "rules[0] 'A'.when", "the first must be"),
    ('name = "A"\nkind = "building"\nwhen = "power > 1"\ncolor = "red"', "rules[0] 'A'.color", "unknown key"),
    ('name = "A"\nkind = "building"\nwhen = "power > 1"\ncolour = "red"', "rules[0] 'A'.colour", "#rrggbb"),
    ('name = "A"\nkind = "building"\nwhen = "power > 1"\nseverity = "urgent"', "rules[0] 'A'.severity",
     "unknown severity"),
    ('name = "A"\nkind = "building"\nwhen = "power > 1"\nfor = -3', "rules[0] 'A'.for", "must be 0 and at most"),
    ('name = "A"\nkind = "building"\nwhen = "power > 1"\nwindow = 30', "rules[0] 'A'.window", "only to a rate"),
    ('name = "A"\nkind = "building"\nwhen = "power > 1"\nbadge = "ALERT!"', "rules[0] 'A'.badge", "1..4"),
    ('kind = "building"\nwhen = "power > 1"', "rules[0].name", "is required"),
    ('name = "A"\nkind = "building"', "rules[0] 'A'.when", "is required"),
    ('name = "A"\nkind = "building"\nwhen = 5', "rules[0] 'A'.when", "is not FIELD OP NUMBER"),
]


@pytest.mark.parametrize(("body", "key", "reason"), BAD)
def test_mistakes_name_the_file_the_rule_and_the_reason(tmp_path, body, key, reason):
    path = scene(tmp_path, "[[rules]]\n" + body + "\n")
    with pytest.raises(ConfigError) as caught:
        load_scene(path)
    assert caught.value.file == str(path)
    assert caught.value.key == key
    assert reason in caught.value.reason


def test_duplicate_names_and_a_rules_table(tmp_path):
    """Two rules of one name; `rules` as a plain table instead of [[rules]]."""
    rule = '[[rules]]\nname = "A"\nkind = "road"\nwhen = "flow > 1"\n'
    with pytest.raises(ConfigError, match=r"rules\[1\] 'A'.name: another rule is already called 'A'"):
        load_scene(scene(tmp_path, rule + rule))
    with pytest.raises(ConfigError, match="rules: must be at most 64"):
        load_scene(scene(tmp_path, '[rules]\nname = "A"\n'))


def test_rule_fields_are_columns_of_the_twin():
    """Every field a rule may name is a numeric column of its kind's batch (or one the engine derives)."""
    derived = {"age", "relative_speed"}
    for kind, names in RULE_FIELDS.items():
        batch = empty_batch(kind)
        numeric = {n for n in column_names(kind)[1:] if getattr(batch, n).dtype.kind == "f"}
        assert set(names) - derived <= numeric, kind
