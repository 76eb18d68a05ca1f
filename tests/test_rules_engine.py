"""The rules engine on a real TwinState: threshold, between, duration and rate semantics, NaN and missing
fields, entities coming and going, time going back, function rules and their failures."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer.layers.rules import Rule, RuleEngine
from viewer.layers.rules_view import badges, overrides, rule_rgba
from viewer.twin.batch import TwinUpdate, make_batch
from viewer.twin.state import TwinState


class Feed:
    """A TwinState and an engine fed building powers (or other kinds) at feed times."""

    def __init__(self, *rules: Rule) -> None:
        self.state = TwinState()
        self.engine = RuleEngine(list(rules))

    def buildings(self, t: float, snapshot: bool = False, **power: float) -> set[str]:
        batch = make_batch("building", ids=list(power), power=list(power.values()))
        self.state.apply(TwinUpdate(t, {"building": batch}, snapshot=snapshot), t)
        return self.engine.evaluate(self.state)

    def remove(self, t: float, kind: str, *ids: str) -> set[str]:
        self.state.apply(TwinUpdate(t, removals={kind: np.array(ids, dtype=object)}), t)
        return self.engine.evaluate(self.state)

    def events(self) -> list[tuple[float, str, str, str]]:
        return [(e.time, e.event, e.rule, e.id) for e in self.engine.log.events]

    def active(self) -> list[tuple[str, str]]:
        return [(a.rule, a.id) for a in self.engine.active()]


def test_threshold_raises_and_clears_at_the_readings_times():
    """`power > 100`: raised at the reading above, cleared at the reading back below."""
    f = Feed(Rule.make("hot", "building", "power > 100"))
    f.buildings(0.0, a=50.0)
    assert f.buildings(5.0, a=150.0) == {"building"}
    f.buildings(6.0, a=150.0)
    f.buildings(9.0, a=100.0)
    assert f.events() == [(5.0, "raised", "hot", "a"), (9.0, "cleared", "hot", "a")]
    assert f.active() == []


@pytest.mark.parametrize(("when", "value", "hit"), [
    ("power > 10", 10.0, False), ("power >= 10", 10.0, True), ("power < 10", 9.5, True),
    ("power <= 10", 10.5, False), ("power == 10", 10.0, True), ("power between 5 and 10", 10.0, True),
    ("power between 5 and 10", 4.99, False)])
def test_operators(when, value, hit):
    """Each operator's edge (between is inclusive)."""
    f = Feed(Rule.make("r", "building", when))
    f.buildings(0.0, a=value)
    assert (f.active() == [("r", "a")]) is hit


def test_nan_never_matches():
    """An unknown reading (NaN) matches neither `<` nor `>`; a NaN after a match clears it."""
    f = Feed(Rule.make("low", "building", "power < 10"), Rule.make("high", "building", "power > 10"))
    f.buildings(0.0, a=math.nan)
    assert f.active() == []
    f.buildings(1.0, a=5.0)
    f.buildings(2.0, a=math.nan)
    assert f.events() == [(1.0, "raised", "low", "a"), (2.0, "cleared", "low", "a")]


def test_duration_needs_the_condition_held_for_its_seconds():
    """`for 10`: a spell of 6 s raises nothing; a spell from t 20 raises at t 30, even when the time comes
    from other entities' readings."""
    f = Feed(Rule.make("long", "building", "power > 100", hold=10.0))
    f.buildings(0.0, a=200.0)
    f.buildings(6.0, a=50.0)
    f.buildings(20.0, a=200.0)
    f.buildings(29.0, b=1.0)
    assert f.active() == []
    f.buildings(33.0, b=1.0)
    assert f.events() == [(30.0, "raised", "long", "a")]


def test_rate_of_change_over_the_window():
    """`rate(power) > 5` over 10 s: a rise of 100 kW in 5 s (20/s) raises, a plateau clears once the rise has
    left the window."""
    f = Feed(Rule.make("surge", "building", "rate(power) > 5", window=10.0))
    for t, p in [(0.0, 0.0), (1.0, 0.0), (5.0, 100.0)]:
        f.buildings(t, a=p)
    assert f.active() == [("surge", "a")]
    assert f.engine.log.events[0].value == pytest.approx(20.0)
    for t in (8.0, 12.0, 16.0):  # at 8 the rise is still in the window (12.5/s); at 12 the oldest is t 5
        f.buildings(t, a=100.0)
    assert f.events() == [(5.0, "raised", "surge", "a"), (12.0, "cleared", "surge", "a")]


def test_rate_needs_two_readings_at_different_times():
    """One reading, or the same reading again, gives no rate (nothing matches, even `rate < 1`)."""
    f = Feed(Rule.make("flat", "building", "rate(power) < 1"))
    f.buildings(0.0, a=5.0)
    f.engine.evaluate(f.state)
    assert f.active() == []
    f.buildings(2.0, a=5.0)
    assert f.active() == [("flat", "a")]


def test_an_entity_that_leaves_clears_its_alert_and_comes_back_fresh():
    """A removal clears at the removal's time; the id returning starts a new duration."""
    f = Feed(Rule.make("long", "building", "power > 100", hold=5.0))
    f.buildings(0.0, a=200.0, b=1.0)
    f.buildings(6.0, a=200.0, b=1.0)
    f.remove(7.0, "building", "a")
    f.buildings(8.0, a=200.0)
    f.buildings(12.0, b=1.0)
    assert f.active() == []
    f.buildings(13.0, b=1.0)
    assert f.events() == [(5.0, "raised", "long", "a"), (7.0, "cleared", "long", "a"),
                          (13.0, "raised", "long", "a")]


def test_a_snapshot_without_an_entity_clears_it():
    """Rows moving in the state (a snapshot drops one, the last row moves into its hole) keep the others'."""
    f = Feed(Rule.make("hot", "building", "power > 100"))
    f.buildings(0.0, snapshot=True, a=200.0, b=5.0, c=300.0)
    f.buildings(1.0, snapshot=True, b=5.0, c=300.0)
    assert f.active() == [("hot", "c")]
    assert f.events()[-1] == (1.0, "cleared", "hot", "a")


def test_time_going_back_resets_silently():
    """A seek back: the duration starts again from the data at the new time; the log is not rewritten."""
    f = Feed(Rule.make("long", "building", "power > 100", hold=5.0))
    f.buildings(0.0, a=200.0)
    f.buildings(6.0, a=200.0)
    f.state.apply(TwinUpdate(2.0, {"building": make_batch("building", ids=["a"], power=[200.0])}, snapshot=True),
                  2.0, reset=True)
    f.engine.evaluate(f.state)
    assert f.active() == []
    assert f.events() == [(5.0, "raised", "long", "a")]


def test_age_field_and_road_relative_speed():
    """`age` is seconds since an entity's last reading; roads have relative_speed = speed / free flow."""
    f = Feed(Rule.make("silent", "building", "age > 30"), Rule.make("jam", "road", "relative_speed < 0.3"))
    f.buildings(0.0, a=1.0)
    f.state.apply(TwinUpdate(40.0, {"road": make_batch("road", ids=["r"], speed=[2.0], free_flow_speed=[10.0])}),
                  40.0)
    f.engine.evaluate(f.state)
    assert sorted(f.active()) == [("jam", "r"), ("silent", "a")]


def test_function_rules_and_their_failures():
    """A function of the fields returning a bool mask works; one that raises or returns the wrong shape
    disables its rule with a message, and the others go on."""
    def big(fields):
        return fields["power"] > 100

    def broken(fields):
        return fields["no_such_field"] > 1

    def wrong(fields):
        return np.ones(3, bool)

    f = Feed(Rule.make("big", "building", big), Rule.make("broken", "building", broken),
             Rule.make("wrong", "building", wrong))
    f.buildings(0.0, a=500.0)
    assert f.active() == [("big", "a")]
    assert len(f.engine.errors) == 2
    assert "broken" in f.engine.errors[0] and "no_such_field" in f.engine.errors[0]
    assert "(1,) bool mask" in f.engine.errors[1]


def test_matches_and_overrides_take_the_most_severe_rule():
    """Two rules on one entity: the critical one's colour and badge win; each kind is separate."""
    f = Feed(Rule.make("warm", "building", "power > 10", badge="w"),
             Rule.make("hot", "building", "power > 100", severity="critical", badge="!", colour="#00ff00"))
    f.buildings(0.0, a=500.0, b=50.0, c=1.0)
    assert f.engine.matches("building").tolist() == [1, 0, -1]
    ids, rgba, labels = overrides(f.engine, "building", rule_rgba(f.engine))
    assert ids.tolist() == ["a", "b"] and labels == ["!", "w"]
    assert rgba[0].tolist() == [0, 255, 0, 255]
    assert [(b.text, b.row) for b in badges(f.engine, ("building",))] == [("!", 0), ("w", 1)]
    assert f.engine.counts() == {"info": 0, "warning": 2, "critical": 1}


def test_many_entities_vectorised():
    """10,000 buildings, a quarter over the threshold: every one raised once, in one evaluation."""
    n = 10_000
    f = Feed(Rule.make("hot", "building", "power > 75"))
    power = np.arange(n, dtype=np.float64) / 100.0
    f.state.apply(TwinUpdate(0.0, {"building": make_batch("building", ids=[f"b{i}" for i in range(n)],
                                                           power=power)}), 0.0)
    f.engine.evaluate(f.state)
    assert len(f.engine.active()) == int(np.count_nonzero(power.astype(np.float32) > 75))


def test_bad_api_rules_are_refused():
    """Rule.make names what is wrong: an unknown field, a bad severity, a test that is neither."""
    with pytest.raises(ValueError, match="unknown field 'pwr'"):
        Rule.make("r", "building", "pwr > 1")
    with pytest.raises(ValueError, match="severity"):
        Rule.make("r", "building", "power > 1", severity="urgent")
    with pytest.raises(ValueError, match="test"):
        Rule.make("r", "building", 42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="already called"):
        RuleEngine([Rule.make("r", "building", "power > 1"), Rule.make("r", "building", "power > 2")])
