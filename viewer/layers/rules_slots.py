"""Per-slot state of the rules engine (layers/rules.py): entities by id in stable slots, and each rule's
arrays over those slots (since, active, raised, value, the rate ring).

Rules this module keeps:
1. Slots (layers/rules.py rule 4): the id -> slot map is redone only when a table's `layout` changes; slots
   of ids that left are freed (and reused), their ids reported once in `left`.
2. Every per-slot array is slot-major ((capacity,) or (capacity, RING)), so gathering the live rows' slots
   reads contiguous memory; arrays grow with the slots, never shrink.
3. The rate ring (layers/rules.py rule 3): RING samples (time, value) per slot, written round-robin, at
   least window / (RING - 1) seconds apart, only when a row's time moved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from viewer.rules_config import Condition

if TYPE_CHECKING:
    from viewer.layers.rules import Rule

RING = 16  # rate samples kept per entity and rule


class Slots:
    """Stable slots of one kind's ids (rule 4): row_slot (n,) int64 for the table's live rows."""

    def __init__(self) -> None:
        self.of: dict[str, int] = {}
        self.ids = np.full(64, None, dtype=object)
        self.used = np.zeros(64, bool)
        self.free: list[int] = []
        self.top = 0
        self.row_slot = np.zeros(0, np.int64)
        self.left = np.zeros(0, dtype=object)
        self._layout: tuple[int, int] | None = None

    @property
    def capacity(self) -> int:
        return int(self.used.size)

    def sync(self, table: Any) -> np.ndarray:
        """Map the table's rows to slots; returns the slots of ids that left since the last sync (their ids
        in `left`)."""
        key = (id(table), table.layout)
        if key == self._layout:
            return np.zeros(0, np.int64)
        self._layout = key
        ids = table.live_ids().tolist()
        slots = np.fromiter(map(self.of.get, ids, [-1] * len(ids)), np.int64, count=len(ids))
        new = np.flatnonzero(slots < 0)
        if new.size:
            slots[new] = self._allocate([ids[k] for k in new.tolist()])
        present = np.zeros(self.capacity, bool)
        present[slots] = True
        gone = np.flatnonzero(self.used & ~present)
        self.left = self.ids[gone].copy()
        for key_id in self.left.tolist():
            del self.of[key_id]
        self.ids[gone] = None
        self.free.extend(gone.tolist())
        self.used = present
        self.row_slot = slots
        return gone

    def _allocate(self, ids: list[str]) -> np.ndarray:
        reuse = [self.free.pop() for _ in range(min(len(self.free), len(ids)))]
        fresh = list(range(self.top, self.top + len(ids) - len(reuse)))
        self.top += len(fresh)
        slots = np.array(reuse + fresh, np.int64)
        if self.top > self.capacity:
            grow = max(self.top, 2 * self.capacity) - self.capacity
            self.ids = np.concatenate([self.ids, np.full(grow, None, dtype=object)])
            self.used = np.concatenate([self.used, np.zeros(grow, bool)])
        self.ids[slots] = ids
        self.of.update(zip(ids, slots.tolist(), strict=True))
        return slots


class RuleState:
    """Per-slot state of one rule: since, active, raised (rule 2) and the rate ring (rule 3)."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.rate = isinstance(rule.test, Condition) and rule.test.rate
        self.disabled: str | None = None
        self.resize(64)

    def resize(self, capacity: int) -> None:
        """Grow every per-slot array to `capacity` slots (slot-major: a gather of slots is contiguous rows)."""

        def grown(name: str, fill: Any, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
            old = getattr(self, name, None)
            out = np.full(shape, fill, dtype)
            if old is not None:
                out[:old.shape[0]] = old
            return out

        self.since = grown("since", np.nan, (capacity,), np.float64)
        self.raised = grown("raised", np.nan, (capacity,), np.float64)
        self.value = grown("value", np.nan, (capacity,), np.float64)
        self.active = grown("active", False, (capacity,), bool)
        if self.rate:
            self.ring_t = grown("ring_t", np.nan, (capacity, RING), np.float64)
            self.ring_v = grown("ring_v", np.nan, (capacity, RING), np.float64)
            self.count = grown("count", 0, (capacity,), np.int64)

    def clear(self, slots: np.ndarray | slice) -> None:
        self.since[slots] = np.nan
        self.raised[slots] = np.nan
        self.value[slots] = np.nan
        self.active[slots] = False
        if self.rate:
            self.ring_t[slots] = np.nan
            self.ring_v[slots] = np.nan
            self.count[slots] = 0

    def rate_of(self, slots: np.ndarray, times: np.ndarray, values: np.ndarray) -> np.ndarray:
        """(n,) rate per second of `values` at row `times` over the rule's window; records the readings."""
        window = self.rule.window
        ring_t = self.ring_t[slots]  # (n, RING)
        rows = np.arange(slots.size)
        count = self.count[slots]
        with np.errstate(invalid="ignore"):
            older = np.where(ring_t >= (times - window)[:, None], ring_t, np.inf)
            pick = np.argmin(older, axis=1)
            t_ref = older[rows, pick]
            span = times - t_ref
            ok = np.isfinite(span) & (span > 0)
            v_ref = self.ring_v[slots, pick]
            rate = np.divide(values - v_ref, span, out=np.full(slots.size, np.nan), where=ok)
            newest = ring_t[rows, (count - 1) % RING]
            due = ~(times < newest + window / (RING - 1)) & np.isfinite(times)
            due &= (count == 0) | (times > newest)
        take = slots[due]
        at = count[due] % RING
        self.ring_t[take, at] = times[due]
        self.ring_v[take, at] = values[due]
        self.count[take] += 1
        return rate
