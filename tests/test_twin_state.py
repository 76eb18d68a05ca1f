"""Twin state and row validation: revisions, snapshots, removals, staleness, samples, and what bad rows get."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.twin.batch import MAX_ID_LENGTH, TwinUpdate, column_names, make_batch
from viewer.twin.state import KindTable, TwinState
from viewer.twin.validate import MAX_SPEED, validate, validate_update


def vehicles(ids: list[str], x: list[float] | None = None, **columns: Any) -> Any:
    n = len(ids)
    return make_batch("vehicle", ids=ids, x=x if x is not None else [float(i) for i in range(n)],
                      y=columns.pop("y", [50.0] * n), **columns)


def update(t: float, snapshot: bool = False, removals: dict[str, list[str]] | None = None, **upserts: Any) -> TwinUpdate:
    return TwinUpdate(time=t, upserts=upserts, snapshot=snapshot,
                      removals={k: np.array(v, dtype=object) for k, v in (removals or {}).items()})


def table_dict(table: KindTable, column: str = "x") -> dict[str, float]:
    return dict(zip(table.live_ids().tolist(), table.column(column).tolist(), strict=True))


# -- validate --------------------------------------------------------------------------------------------------

ROW_RULES = {
    "id not a string": (dict(ids=["ok", 7]), "id is not a string"),
    "id empty": (dict(ids=["ok", ""]), "id is empty"),
    "id too long": (dict(ids=["ok", "x" * (MAX_ID_LENGTH + 1)]), "longer than 128"),
    "id of 10k characters": (dict(ids=["ok", "é" * 10_000]), "longer than 128"),
    "id with NUL": (dict(ids=["ok", "a\x00b"]), "contains NUL"),
    "x NaN": (dict(x=[1.0, np.nan]), "position not finite"),
    "y infinite": (dict(y=[1.0, np.inf]), "y is infinite"),
    "x absurd": (dict(x=[1.0, 1e12]), "position beyond"),
    "speed negative": (dict(speed=[1.0, -0.5]), "speed negative"),
    "speed too high": (dict(speed=[1.0, MAX_SPEED + 1]), "over 150"),
    "z infinite": (dict(z=[0.0, -np.inf]), "z is infinite"),
}


@pytest.mark.parametrize("name", list(ROW_RULES))
def test_each_rule_drops_the_bad_row_and_keeps_the_good(name: str) -> None:
    """A vehicle row breaking one rule is dropped with that reason; the good row stays untouched."""
    changes, reason = ROW_RULES[name]
    columns: dict[str, Any] = dict(ids=["ok", "bad"], x=[1.0, 2.0], y=[3.0, 4.0], speed=[5.0, 6.0])
    columns.update(changes)
    clean, reasons = validate(make_batch("vehicle", **columns))
    assert clean.ids.tolist() == ["ok"]
    assert clean.x.tolist() == [1.0]
    assert len(reasons) == 1 and reason in reasons[0] and "1 row dropped" in reasons[0], reasons


@pytest.mark.parametrize(("columns", "reason"), [
    (dict(occupancy=[0.5, 1.5]), "occupancy outside 0..1"),
    (dict(occupancy=[0.5, -0.1]), "occupancy outside 0..1"),
    (dict(free_flow_speed=[10.0, 200.0]), "speed negative or over"),
    (dict(flow=[10.0, -1.0]), "flow negative"),
])
def test_road_rules(columns: dict[str, Any], reason: str) -> None:
    """Road rows with occupancy outside 0..1, impossible speeds or negative flow are dropped."""
    clean, reasons = validate(make_batch("road", ids=["ok", "bad"], **columns))
    assert clean.ids.tolist() == ["ok"] and reason in reasons[0]


def test_unknown_values_are_kept() -> None:
    """NaN means unknown: NaN speed, heading, z, occupancy and power are not reasons to drop a row."""
    clean, reasons = validate(vehicles(["a"], speed=[np.nan], heading=[np.nan]))
    assert len(clean.ids) == 1 and reasons == []
    clean, reasons = validate(make_batch("road", ids=["r"], occupancy=[np.nan]))
    assert len(clean.ids) == 1 and reasons == []
    clean, reasons = validate(make_batch("building", ids=["b"], power=[-3.0]))  # solar export is negative
    assert len(clean.ids) == 1 and reasons == []


def test_duplicates_keep_the_last_valid_row() -> None:
    """Within one batch the last row of an id wins, and a later invalid row does not evict a valid one."""
    batch = vehicles(["a", "b", "a", "b"], x=[1.0, 2.0, 3.0, np.nan])
    clean, reasons = validate(batch)
    assert dict(zip(clean.ids.tolist(), clean.x.tolist(), strict=True)) == {"b": 2.0, "a": 3.0}
    assert any("duplicate id" in r for r in reasons) and any("position not finite" in r for r in reasons)


def test_unknown_vehicle_types_become_other_and_headings_wrap() -> None:
    """vtype outside VEHICLE_TYPES (or not a str) reads as "other"; heading wraps into [0, 360)."""
    batch = vehicles(["a", "b", "c", "d"], vtype=["bus", "spaceship", None, "tram"],
                     heading=[-90.0, 360.0, 725.5, -1e-9])
    clean, reasons = validate(batch)
    assert clean.vtype.tolist() == ["bus", "other", "other", "tram"]
    np.testing.assert_allclose(clean.heading, [270.0, 0.0, 5.5, 0.0])
    assert (clean.heading < 360).all() and any("2 unknown vtype" in r for r in reasons)
    assert batch.vtype.tolist()[1] == "spaceship"  # the input is not modified


def test_clean_batch_is_returned_as_is() -> None:
    """A batch with nothing to drop or fix comes back as the same object, with no reasons."""
    batch = vehicles([f"v{i}" for i in range(100)], vtype=["car"] * 100, heading=[10.0] * 100)
    clean, reasons = validate(batch)
    assert clean is batch and reasons == []


def test_many_bad_rows_give_one_reason_line_each_cause() -> None:
    """10,000 bad rows of two kinds of fault produce two reason lines with counts, not 10,000 lines."""
    n = 10_000
    x = np.where(np.arange(n) % 2 == 0, np.nan, 1.0)
    speed = np.where(np.arange(n) % 2 == 1, -1.0, 1.0)
    clean, reasons = validate(vehicles([f"v{i}" for i in range(n)], x=x, speed=speed))
    assert len(clean.ids) == 0
    assert reasons == ["vehicle: 5000 rows dropped: position not finite",
                       "vehicle: 5000 rows dropped: speed negative or over 150 m/s"]


def test_long_ascii_and_unicode_ids_are_measured_alike() -> None:
    """Id lengths are characters, whether the batch is ASCII (measured in bulk) or not."""
    ids = [f"v{i}" for i in range(100)] + ["x" * 129, "é" * 128, "é" * 129]
    clean, reasons = validate(vehicles(ids))
    assert len(clean.ids) == 101 and "é" * 128 in clean.ids.tolist()
    assert reasons == ["vehicle: 2 rows dropped: id longer than 128 characters"]


def test_validate_update_checks_removal_ids() -> None:
    """Removal ids that are not strings or too long are dropped with a reason; good ones stay."""
    raw = TwinUpdate(1.0, {}, {"vehicle": np.array(["a", 5, "x" * 500], dtype=object)})
    clean, reasons = validate_update(raw)
    assert clean.removals["vehicle"].tolist() == ["a"] and len(reasons) == 2


# -- state -----------------------------------------------------------------------------------------------------


def test_apply_inserts_updates_and_removes() -> None:
    """Upserts add or overwrite rows by id and removals delete them; every column follows its id."""
    state = TwinState()
    state.apply(update(1.0, vehicle=vehicles(["a", "b", "c"], x=[1, 2, 3])), now=10)
    result = state.apply(update(2.0, removals={"vehicle": ["a", "zz"]}, vehicle=vehicles(["c", "d"], x=[30, 40])),
                         now=11)
    assert (result.applied, result.removed) == (2, 1)
    table = state["vehicle"]
    assert table_dict(table) == {"b": 2.0, "c": 30.0, "d": 40.0}
    assert table_dict(table, "time") == {"b": 1.0, "c": 2.0, "d": 2.0}
    assert table_dict(table, "seen") == {"b": 10.0, "c": 11.0, "d": 11.0}
    assert all(table.index[i] == row for row, i in enumerate(table.live_ids().tolist()))


def test_revisions_never_go_backwards() -> None:
    """An upsert or removal older than an entity's data is ignored and counted; the same time is applied."""
    state = TwinState()
    state.apply(update(5.0, vehicle=vehicles(["a", "b"], x=[1, 2])), now=0)
    result = state.apply(update(4.0, removals={"vehicle": ["b"]}, vehicle=vehicles(["a", "new"], x=[9, 7])), now=1)
    assert (result.applied, result.ignored_older, result.removed) == (1, 2, 0)
    assert table_dict(state["vehicle"]) == {"a": 1.0, "b": 2.0, "new": 7.0}
    state.apply(update(5.0, vehicle=vehicles(["a"], x=[3])), now=2)
    assert table_dict(state["vehicle"])["a"] == 3.0
    assert state.counters.ignored_older == 2


def test_snapshot_removes_unlisted_entities_of_listed_kinds_only() -> None:
    """A snapshot replaces the kinds it lists (an empty batch empties a kind) and leaves other kinds alone."""
    state = TwinState()
    state.apply(update(1.0, vehicle=vehicles(["a", "b"]), road=make_batch("road", ids=["r1", "r2"])), now=0)
    state.apply(update(2.0, snapshot=True, vehicle=vehicles(["b", "c"], x=[5, 6])), now=1)
    assert table_dict(state["vehicle"]) == {"b": 5.0, "c": 6.0}
    assert sorted(state["road"].live_ids()) == ["r1", "r2"]
    state.apply(update(3.0, snapshot=True, road=make_batch("road")), now=2)
    assert len(state["road"]) == 0 and len(state["vehicle"]) == 2


def test_reset_snapshot_waives_revisions() -> None:
    """With reset=True (a new stream) a snapshot older than the state's data is applied in full."""
    state = TwinState()
    state.apply(update(100.0, vehicle=vehicles(["a", "b"], x=[1, 2])), now=0)
    state.apply(update(3.0, snapshot=True, vehicle=vehicles(["a"], x=[9])), now=1, reset=True)
    assert table_dict(state["vehicle"]) == {"a": 9.0}
    assert table_dict(state["vehicle"], "time") == {"a": 3.0}


def test_vehicles_keep_previous_and_latest_samples() -> None:
    """A newer sample moves the latest to previous; the same time overwrites only the latest; new ones start equal."""
    state = TwinState()
    state.apply(update(1.0, vehicle=vehicles(["a"], x=[10], speed=[1.0], heading=[90])), now=0)
    table = state["vehicle"]
    assert table_dict(table, "prev_x") == {"a": 10.0} and table_dict(table, "prev_time") == {"a": 1.0}
    state.apply(update(2.0, vehicle=vehicles(["a"], x=[20], speed=[2.0], heading=[95])), now=1)
    assert table_dict(table, "prev_x") == {"a": 10.0} and table_dict(table, "x") == {"a": 20.0}
    assert table_dict(table, "prev_speed") == {"a": 1.0} and table_dict(table, "prev_heading") == {"a": 90.0}
    state.apply(update(2.0, vehicle=vehicles(["a"], x=[21])), now=2)
    assert table_dict(table, "prev_x") == {"a": 10.0} and table_dict(table, "x") == {"a": 21.0}
    state.apply(update(3.0, vehicle=vehicles(["a"], x=[30])), now=3)
    assert table_dict(table, "prev_x") == {"a": 21.0} and table_dict(table, "prev_time") == {"a": 2.0}


def test_stale_and_expire_use_the_clock_passed_in() -> None:
    """Rows not updated within the deadline are stale; past remove_after they are expired and counted."""
    state = TwinState()
    state.apply(update(1.0, vehicle=vehicles(["a", "b"])), now=100.0)
    state.apply(update(2.0, vehicle=vehicles(["b"])), now=104.0)
    stale = state.stale(now=105.0, deadline=3.0)
    assert dict(zip(state["vehicle"].live_ids().tolist(), stale["vehicle"].tolist(), strict=True)) == \
        {"a": True, "b": False}
    assert state.expire(now=105.0, remove_after=4.5) == 1
    assert state["vehicle"].live_ids().tolist() == ["b"] and state.counters.expired == 1


def test_capacity_grows_and_rows_stay_consistent() -> None:
    """Tables grow past their initial capacity by doubling and keep every column aligned with its id."""
    state = TwinState()
    ids = [f"v{i}" for i in range(5000)]
    state.apply(update(1.0, vehicle=vehicles(ids, x=list(range(5000)))), now=0)
    state.apply(update(2.0, removals={"vehicle": ids[::3]}), now=1)
    table = state["vehicle"]
    assert len(table) == 5000 - len(ids[::3]) and len(table.ids) >= 5000
    assert all(float(i[1:]) == x for i, x in table_dict(table).items())


def test_snapshot_of_state_rebuilds_an_equal_state() -> None:
    """state.snapshot() applied to an empty state gives the same entities and values."""
    state = TwinState()
    state.apply(update(7.0, vehicle=vehicles(["a", "b"], speed=[1.0, np.nan]),
                       building=make_batch("building", ids=["h"], power=[3.5])), now=0)
    snap = state.snapshot()
    assert snap.snapshot and snap.time == 7.0 and set(snap.upserts) == {"vehicle", "road", "building"}
    copy = TwinState()
    copy.apply(snap, now=0)
    for kind in ("vehicle", "building"):
        for name in column_names(kind):
            np.testing.assert_array_equal(copy[kind].batch().__dict__[name], state[kind].batch().__dict__[name])


def test_counters_and_rate() -> None:
    """Applied rows are counted and reported per second over the last second of the given clock."""
    state = TwinState()
    state.apply(update(1.0, vehicle=vehicles(["a", "b"])), now=10.0)
    state.apply(update(2.0, vehicle=vehicles(["a", "b", "c"])), now=10.5)
    assert state.counters.applied == 5
    assert state.counters.updates_per_second(now=10.9) == 5.0
    assert state.counters.updates_per_second(now=11.2) == 3.0


def test_layout_changes_only_when_rows_move() -> None:
    """`layout` moves on additions and removals, not on value updates; `version` moves on every change."""
    state = TwinState()
    table = state["vehicle"]
    state.apply(update(1.0, vehicle=vehicles(["a", "b"])), now=0)
    layout, version = table.layout, table.version
    state.apply(update(2.0, vehicle=vehicles(["a"])), now=1)
    assert table.layout == layout and table.version > version
    state.apply(update(3.0, removals={"vehicle": ["a"]}), now=2)
    assert table.layout > layout


def test_unclean_input_is_refused() -> None:
    """Duplicate new ids or a kind the state does not hold are a ValueError, before any change."""
    state = TwinState(kinds=("vehicle",))
    with pytest.raises(ValueError, match="duplicate"):
        state.apply(update(1.0, vehicle=vehicles(["a", "a"])), now=0)
    with pytest.raises(ValueError, match="road"):
        state.apply(update(1.0, road=make_batch("road", ids=["r"])), now=0)
    assert len(state["vehicle"]) == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["upsert", "remove", "snapshot"]),
                          st.lists(st.integers(0, 30), max_size=12, unique=True)), max_size=25))
def test_state_matches_a_dict_model(ops: list[tuple[str, list[int]]]) -> None:
    """Any sequence of upserts, removals and snapshots leaves the same id -> value map as a plain dict would."""
    state, model = TwinState(), {}
    for step, (op, keys) in enumerate(ops):
        ids = [f"e{k}" for k in keys]
        values = [float(step * 100 + k) for k in keys]
        if op == "remove":
            state.apply(update(float(step), removals={"road": ids}), now=step)
            for i in ids:
                model.pop(i, None)
        else:
            batch = make_batch("road", ids=ids, flow=values)
            state.apply(update(float(step), snapshot=op == "snapshot", road=batch), now=step)
            if op == "snapshot":
                model.clear()
            model.update(zip(ids, values, strict=True))
    table = state["road"]
    assert table_dict(table, "flow") == model
    assert {i: table.index[i] for i in model} == {i: row for row, i in enumerate(table.live_ids().tolist())}
