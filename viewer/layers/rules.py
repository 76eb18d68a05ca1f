"""Rules and alerts over the twin state, vectorised: every rule tests every entity of its kind at once.

    engine = RuleEngine([Rule.from_config(r) for r in scene.config.rules])
    engine.evaluate(state)                     # after each applied update: raises and clears alerts
    engine.active()                            # the alerts now, most severe first
    engine.log.events                          # every raise and clear with its feed time

Rules this module keeps:
1. A rule tests one kind's columns (twin/state.py KindTable) as (n,) float64 arrays in base units (Fields):
   a Condition (rules_config.py: threshold, between, or rate of change) or a Python function of the Fields
   returning an (n,) bool mask. NaN, and a field the kind lacks, never match; a function that raises or
   returns something else than an (n,) bool mask disables its rule with one logged warning (`errors`).
2. Feed time, never a clock: `now` is the state's newest source time. A condition becomes true at the
   source time of the row's reading that made it true (`since`); a rule with `hold` seconds is active once
   now - since >= hold, raised at since + hold; an alert clears at the time of the reading that made its
   condition false, or at `now` when its entity leaves the state.
3. Rate of change: per entity, a ring of RING samples (row time, value) spaced at least window / (RING - 1)
   apart; the rate is (value now - oldest sample within the window) / their time apart, NaN until two
   readings at different times exist. Readings are taken only when a row's time moved (no double counts).
4. Entities are tracked by id in stable slots (rows of the state move, twin/state.py rule 1): the id -> slot
   map is redone only when a table's `layout` changes; everything else is numpy over slots.
5. Time going backwards (a seek, a restarted stream) resets every rule's state silently: what is active
   is recomputed from the data at the new time, and the log goes on.
6. The log (AlertLog) is bounded (MAX_LOG events; older ones dropped and counted).
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from viewer.layers.rules_slots import RuleState, Slots
from viewer.rules_config import (
    DEFAULT_WINDOW,
    SEVERITIES,
    SEVERITY_COLOURS,
    Condition,
    RuleConfig,
    check_common,
    parse_colour,
    parse_condition,
)

log = logging.getLogger(__name__)

MAX_LOG = 200_000
Predicate = Callable[["Fields"], Any]


class Fields(Mapping[str, np.ndarray]):
    """A kind's live rows as (n,) float64 columns by name, computed on first use: the table's numeric
    columns, "age" (now - the row's time), "relative_speed" for roads; "ids" (n,) object too."""

    def __init__(self, table: Any, now: float) -> None:
        self.table, self.now, self.n = table, now, len(table)
        self._cache: dict[str, np.ndarray] = {}
        self._names = [name for name, column in table.columns.items() if column.dtype.kind == "f"
                       and not name.startswith("prev_") and name != "seen"]
        if table.kind == "road":
            self._names.append("relative_speed")
        self._names += ["age", "ids"]

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = self._compute(name)
        return self._cache[name]

    def _compute(self, name: str) -> np.ndarray:
        if name == "ids":
            return self.table.live_ids()
        if name == "age":
            return self.now - self["time"]
        if name == "relative_speed" and self.table.kind == "road":
            speed, free = self["speed"], self["free_flow_speed"]
            with np.errstate(invalid="ignore", divide="ignore"):
                ok = np.isfinite(speed) & np.isfinite(free) & (free > 0)
            return np.divide(speed, free, out=np.full(self.n, np.nan), where=ok)
        if name not in self._names:
            raise KeyError(f"{self.table.kind} has no field {name!r} (known: {', '.join(self._names)})")
        return np.asarray(self.table.column(name), np.float64)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@dataclass(frozen=True)
class Rule:
    """One rule (module rules). test: a Condition or a function of Fields -> (n,) bool; colour (r, g, b)
    0..1 or None (default: the severity's); badge: 1..4 characters drawn above matching objects or None."""

    name: str
    kind: str
    test: Condition | Predicate
    hold: float = 0.0
    window: float = DEFAULT_WINDOW
    severity: str = "warning"
    colour: tuple[float, float, float] | None = None
    badge: str | None = None

    @classmethod
    def from_config(cls, config: RuleConfig) -> Rule:
        return cls(config.name, config.kind, config.condition, config.hold, config.window, config.severity,
                   config.colour, config.badge)

    @classmethod
    def make(cls, name: str, kind: str, test: str | Predicate, *, hold: float = 0.0, window: float = DEFAULT_WINDOW,
             severity: str = "warning", colour: Any = None, badge: str | None = None) -> Rule:
        """A checked rule from Python (the API): `test` is condition text ("power > 400") or a function;
        ValueError naming what is wrong."""
        check_common(name, severity, badge, hold)
        condition: Condition | Predicate
        if isinstance(test, str):
            condition = parse_condition(test, kind)
        elif callable(test):
            if not isinstance(kind, str) or not kind:
                raise ValueError(f"kind: must name a feed kind, got {kind!r}")
            condition = test
        else:
            raise ValueError(f"test: must be condition text or a function of the fields, got {type(test).__name__}")
        if not (isinstance(window, (int, float)) and 0 < window <= 7 * 86400):
            raise ValueError("window: must be above 0 and at most 7 days of seconds")
        rgb = None if colour is None else parse_colour(colour)
        return cls(name.strip(), kind, condition, float(hold), float(window), severity, rgb,
                   badge.strip() if badge else None)

    @property
    def rgb(self) -> tuple[float, float, float]:
        return self.colour if self.colour is not None else SEVERITY_COLOURS[self.severity]

    @property
    def field(self) -> str | None:
        """The field a condition tests (its value goes into the log), None for a function."""
        return self.test.field if isinstance(self.test, Condition) else None

    def describe(self) -> str:
        test = self.test.text() if isinstance(self.test, Condition) else getattr(self.test, "__name__", "function")
        return test + (f" for {self.hold:g} s" if self.hold else "")


@dataclass(frozen=True)
class AlertEvent:
    """A raise or a clear: feed time, "raised" | "cleared", the rule, the entity, the tested value (NaN for
    functions and entities that left)."""

    time: float
    event: str
    rule: str
    severity: str
    kind: str
    id: str
    value: float


@dataclass(frozen=True)
class Alert:
    """An active alert: since = the feed time it was raised."""

    rule: str
    severity: str
    kind: str
    id: str
    since: float
    value: float


class AlertLog:
    """Raises and clears in order (rule 6), kept as columnar chunks (one per rule and evaluation: no Python
    object per event until `events` is read)."""

    def __init__(self, limit: int = MAX_LOG) -> None:
        self.limit = limit
        self.dropped = 0
        self.size = 0
        self._chunks: deque[tuple[np.ndarray, str, Rule, np.ndarray, np.ndarray]] = deque()
        self._events: list[AlertEvent] | None = []

    def __len__(self) -> int:
        return self.size

    def add(self, times: np.ndarray, what: str, rule: Rule, ids: np.ndarray, values: np.ndarray) -> None:
        """Events of one rule: times (k,) float64, ids (k,) object, values (k,) float64."""
        if not times.size:
            return
        self._chunks.append((times, what, rule, ids, values))
        self.size += int(times.size)
        while self.size > self.limit and len(self._chunks) > 1:
            self.size -= int(self._chunks[0][0].size)
            self.dropped += int(self._chunks.popleft()[0].size)
        self._events = None

    @property
    def events(self) -> list[AlertEvent]:
        """Every event kept, oldest first."""
        if self._events is None:
            self._events = [AlertEvent(t, what, rule.name, rule.severity, rule.kind, str(i), v)
                            for times, what, rule, ids, values in self._chunks
                            for t, i, v in zip(times.tolist(), ids.tolist(), values.tolist(), strict=True)]
        return self._events


def _compare(x: np.ndarray, test: Condition) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        if test.op == "between":
            return (x >= test.value) & (x <= test.high)
        return {">": np.greater, "<": np.less, ">=": np.greater_equal, "<=": np.less_equal,
                "==": np.equal}[test.op](x, test.value)


class RuleEngine:
    """Evaluates rules over a TwinState (module rules); `log` keeps every raise and clear."""

    def __init__(self, rules: list[Rule] | tuple[Rule, ...] = ()) -> None:
        self.rules: list[RuleState] = []
        self.slots: dict[str, Slots] = {}
        self.log = AlertLog()
        self.time = -math.inf
        self.errors: list[str] = []
        self.changed: set[str] = set()  # kinds whose matches changed in the last evaluate()
        self.version = 0  # counts evaluations that changed any match
        for rule in rules:
            self.add(rule)

    def add(self, rule: Rule) -> None:
        if any(r.rule.name == rule.name for r in self.rules):
            raise ValueError(f"name: another rule is already called {rule.name!r}")
        state = RuleState(rule)
        slots = self.slots.setdefault(rule.kind, Slots())
        state.resize(slots.capacity)
        self.rules.append(state)

    def __len__(self) -> int:
        return len(self.rules)

    def kinds(self) -> set[str]:
        return set(self.slots)

    def reset(self) -> None:
        """Forget every rule's state (rule 5); the log stays."""
        for state in self.rules:
            state.clear(slice(None))
        self.changed = set(self.slots)
        self.version += 1

    def evaluate(self, state: Any, now: float | None = None) -> set[str]:
        """Test every rule on `state` (a TwinState) at feed time `now` (default: state.time); returns the kinds
        whose matches changed."""
        now = float(state.time if now is None else now)
        self.changed = set()
        if not math.isfinite(now):
            return self.changed
        if now < self.time:
            self.reset()
        self.time = now
        for kind, slots in self.slots.items():
            table = state.tables.get(kind)
            if table is None:
                continue
            gone = slots.sync(table)
            rules = [r for r in self.rules if r.rule.kind == kind]
            if rules[0].since.size < slots.capacity:
                for r in rules:
                    r.resize(slots.capacity)
            if gone.size:
                self._leave(rules, gone, slots.left, now)
            fields = Fields(table, now)
            for r in rules:
                if r.disabled is None and self._step(r, slots, fields, now):
                    self.changed.add(kind)
        if self.changed:
            self.version += 1
        return self.changed

    def _leave(self, rules: list[RuleState], gone: np.ndarray, ids: np.ndarray, now: float) -> None:
        """Clear the alerts of entities that left the state, at `now` (rule 2)."""
        for r in rules:
            was = r.active[gone]
            if was.any():
                count = int(np.count_nonzero(was))
                self.log.add(np.full(count, now), "cleared", r.rule, ids[was], np.full(count, np.nan))
                self.changed.add(r.rule.kind)
            r.clear(gone)

    def _step(self, r: RuleState, slots: Slots, fields: Fields, now: float) -> bool:
        """One rule over every row; True when its matches changed."""
        rows = slots.row_slot
        times = fields["time"]
        values, cond = self._test(r, fields, rows, times)
        if cond is None:  # disabled now: its alerts go without a log entry (the warning says why)
            had = bool(r.active.any())
            r.clear(slice(None))
            return had
        since = r.since[rows]
        since = np.where(cond, np.where(np.isnan(since), np.where(np.isnan(times), now, times), since), np.nan)
        r.since[rows] = since
        with np.errstate(invalid="ignore"):
            held = cond & (now - since >= r.rule.hold)
        was = r.active[rows]
        up, down = np.flatnonzero(held & ~was), np.flatnonzero(was & ~held)
        r.active[rows] = held
        if values is not None:
            r.value[rows] = values
        if up.size or down.size:
            ids = fields["ids"]
            tested = values if values is not None else np.full(rows.size, np.nan)
            raised = np.minimum(since[up] + r.rule.hold, now)
            r.raised[rows[up]] = raised
            self.log.add(raised, "raised", r.rule, ids[up], tested[up])
            self.log.add(np.where(np.isfinite(times[down]), times[down], now), "cleared", r.rule, ids[down],
                         tested[down])
        return bool(up.size or down.size)

    def _test(self, r: RuleState, fields: Fields, rows: np.ndarray, times: np.ndarray
              ) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(values tested or None, (n,) bool) of one rule; (None, None) when it was disabled now (rule 1)."""
        test = r.rule.test
        if isinstance(test, Condition):
            if test.field not in fields:
                return self._disable(r, f"{fields.table.kind} has no field {test.field!r}")
            values = fields[test.field]
            x = r.rate_of(rows, times, values) if r.rate else values
            return x, _compare(x, test)
        try:
            mask = test(fields)
        except Exception as exc:  # a user's function: any failure disables its rule, the view goes on
            return self._disable(r, f"its function raised {type(exc).__name__}: {exc}")
        mask = np.asarray(mask) if isinstance(mask, (np.ndarray, list)) else mask
        if not isinstance(mask, np.ndarray) or mask.dtype != bool or mask.shape != (fields.n,):
            got = f"{mask.dtype} {mask.shape}" if isinstance(mask, np.ndarray) else type(mask).__name__
            return self._disable(r, f"its function must return a ({fields.n},) bool mask, got {got}")
        return None, mask

    def _disable(self, r: RuleState, reason: str) -> tuple[None, None]:
        r.disabled = reason
        message = f"rule {r.rule.name!r} disabled: {reason}"
        self.errors.append(message)
        log.warning(message)
        return None, None

    # ------------------------------------------------------------ what is active

    def active(self, limit: int | None = None) -> list[Alert]:
        """The active alerts, the most severe first, then the newest, then by rule and id; the first `limit`
        only when given (the panel: no object for each of thousands)."""
        parts = [(i, np.flatnonzero(r.active)) for i, r in enumerate(self.rules)]
        parts = [(i, slots) for i, slots in parts if slots.size]
        if not parts:
            return []
        rule = np.concatenate([np.full(slots.size, i) for i, slots in parts])
        slot = np.concatenate([slots for _, slots in parts])
        since = np.concatenate([self.rules[i].raised[slots] for i, slots in parts])
        level = np.array([SEVERITIES.index(r.rule.severity) for r in self.rules])[rule]
        ids = np.concatenate([self.slots[self.rules[i].rule.kind].ids[slots] for i, slots in parts]).astype(str)
        order = np.lexsort((ids, rule, -since, -level))[:limit]
        out = []
        for k in order.tolist():
            r = self.rules[int(rule[k])]
            out.append(Alert(r.rule.name, r.rule.severity, r.rule.kind, str(ids[k]), float(since[k]),
                             float(r.value[slot[k]])))
        return out

    def counts(self) -> dict[str, int]:
        """Active alerts per severity (every severity listed)."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for r in self.rules:
            counts[r.rule.severity] += int(np.count_nonzero(r.active))
        return counts

    def matches(self, kind: str) -> np.ndarray:
        """(n,) int64 per live row of `kind` as last evaluated: the index into `rules` of the winning active
        rule (the most severe; the first of equals), -1 for none."""
        slots = self.slots.get(kind)
        if slots is None:
            return np.zeros(0, np.int64)
        rows = slots.row_slot
        best = np.full(rows.size, -1, np.int64)
        rank = np.full(rows.size, -1, np.int64)
        for i, r in enumerate(self.rules):
            if r.rule.kind != kind:
                continue
            level = SEVERITIES.index(r.rule.severity)
            take = r.active[rows] & (level > rank)
            best[take], rank[take] = i, level
        return best
