"""Row checks for batches from outside (a peer, a file): drop the rows that cannot be trusted, fix what can be.

Rules:
1. validate(batch) -> (clean batch, reasons). A row is dropped when its id is not a str, is empty, is longer
   than MAX_ID_LENGTH or contains NUL; when any number in it is infinite; when a vehicle position is not
   finite or lies beyond +-MAX_COORDINATE; when a speed (vehicle speed, road speed, free-flow speed) is
   negative or over MAX_SPEED m/s; when road occupancy is outside 0..1 or flow is negative.
2. NaN in a measure means "unknown" and is kept (z, heading, speed, occupancy, power, ...).
3. Fixed rather than dropped: a vtype that is unknown or not a str becomes "other"; heading is wrapped
   into [0, 360).
4. Duplicate ids within one batch: the last valid row wins (it is the newest in the sender's order).
5. reasons holds one line per cause with its row count ("vehicle: 3 rows dropped: position not finite"),
   never one line per row, so a hostile batch of a million bad rows yields a handful of strings.
6. Vectorised: each rule is one numpy expression over whole columns; ids are checked with C-level map()
   over the list (type, length) and one dict for duplicates. The input batch is never modified.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import compress, repeat
from operator import contains

import numpy as np

from viewer.twin.batch import MAX_ID_LENGTH, VEHICLE_TYPES, Batch, TwinUpdate, batch_columns, rebuild

MAX_SPEED = 150.0  # m/s, 540 km/h: above any road vehicle
MAX_COORDINATE = 1e8  # beyond any projected CRS on Earth (and any lon/lat)
_VEHICLE_TYPES = frozenset(VEHICLE_TYPES)

Rule = tuple[str, np.ndarray]


def validate(batch: Batch, max_id_length: int = MAX_ID_LENGTH) -> tuple[Batch, list[str]]:
    """(clean batch, reasons): rows dropped or fixed by the rules of this module. Returns the input batch
    itself when nothing needed dropping or fixing."""
    n = len(batch.ids)
    if n == 0:
        return batch, []
    ids = batch.ids.tolist()
    reasons: list[str] = []
    rules = _id_rules(ids, max_id_length) + _infinite_rules(batch) + KIND_RULES.get(batch.kind, _point_rules)(batch)
    keep = _apply_rules(rules, n, f"{batch.kind}: {{}} dropped: ", reasons)
    _drop(keep, _duplicates(ids, keep), f"{batch.kind}: {{}} dropped: duplicate id (the last one kept)", reasons)
    if not keep.all():
        batch = rebuild(batch, {name: column[keep] for name, column in batch_columns(batch).items()})
    fixes = KIND_FIXES.get(batch.kind, _no_fixes)(batch, reasons)
    return (replace(batch, **fixes) if fixes else batch), reasons  # type: ignore[arg-type]


def validate_update(update: TwinUpdate, max_id_length: int = MAX_ID_LENGTH) -> tuple[TwinUpdate, list[str]]:
    """validate() applied to every upsert batch, and the id rules to every removal list."""
    reasons: list[str] = []
    upserts = {}
    for kind, batch in update.upserts.items():
        upserts[kind], why = validate(batch, max_id_length)
        reasons.extend(why)
    removals = {}
    for kind, ids in update.removals.items():
        ids = np.asarray(ids, dtype=object)
        keep = _apply_rules(_id_rules(ids.tolist(), max_id_length), len(ids), f"{kind} removals: {{}} dropped: ",
                            reasons)
        removals[kind] = ids if keep.all() else ids[keep]
    return TwinUpdate(update.time, upserts, removals, update.snapshot), reasons


def _apply_rules(rules: list[Rule], n: int, prefix: str, reasons: list[str]) -> np.ndarray:
    """(n,) bool of rows no rule refuses; one reason line per rule that refused rows."""
    keep = np.ones(n, dtype=bool)
    if not any(bad.any() for _, bad in rules):  # the common case
        return keep
    for reason, bad in rules:
        _drop(keep, bad, prefix + reason, reasons)
    return keep


def _drop(keep: np.ndarray, bad: np.ndarray, template: str, reasons: list[str]) -> None:
    """Clear `bad` rows from `keep` (in place); each row is counted under its first reason only."""
    bad = bad & keep
    count = int(np.count_nonzero(bad))
    if count:
        reasons.append(template.format(f"{count} row" + ("s" if count > 1 else "")))
        keep &= ~bad


def _id_rules(ids: list[object], max_id_length: int) -> list[Rule]:
    n = len(ids)
    if set(map(type, ids)) == {str}:
        is_str, strings = np.ones(n, dtype=bool), ids
    else:
        is_str = np.fromiter(map(isinstance, ids, repeat(str)), dtype=bool, count=n)
        strings = list(compress(ids, is_str.tolist()))
    lengths, has_nul = _lengths(strings)  # type: ignore[arg-type]  # all str by construction
    out_lengths = np.zeros(n, dtype=np.int64)
    out_lengths[is_str] = lengths
    out_nul = np.zeros(n, dtype=bool)
    out_nul[is_str] = has_nul
    return [("id is not a string", ~is_str), ("id is empty", is_str & (out_lengths == 0)),
            (f"id longer than {max_id_length} characters", out_lengths > max_id_length),
            ("id contains NUL", out_nul)]


def _lengths(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """((m,) int64 lengths, (m,) bool contains NUL). ASCII ids (the usual case) are measured from the
    positions of the separators in one joined buffer; others one len() call each."""
    joined = "\x00".join(strings)
    if len(strings) > 32 and joined.isascii() and joined.count("\x00") == len(strings) - 1:  # NUL: separators
        separators = np.flatnonzero(np.frombuffer(joined.encode("ascii"), dtype=np.uint8) == 0)
        bounds = np.concatenate(([-1], separators, [len(joined)]))
        return bounds[1:] - bounds[:-1] - 1, np.zeros(len(strings), dtype=bool)
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    return lengths, np.fromiter(map(contains, strings, repeat("\x00")), dtype=bool, count=len(strings))


def _duplicates(ids: list[object], keep: np.ndarray) -> np.ndarray:
    """Rows of `keep` whose id occurs again later among the kept rows (all str by now)."""
    duplicate = np.zeros(len(ids), dtype=bool)
    kept_ids = ids if keep.all() else list(compress(ids, keep.tolist()))
    if len(set(kept_ids)) == len(kept_ids):
        return duplicate
    rows = np.flatnonzero(keep)
    last = dict(zip(kept_ids, rows.tolist(), strict=True))  # the last row of each id wins
    duplicate[rows] = True
    duplicate[np.fromiter(last.values(), dtype=np.int64, count=len(last))] = False
    return duplicate


def _infinite_rules(batch: Batch) -> list[Rule]:
    out = []
    for name, column in batch_columns(batch).items():
        if column.dtype != object:
            out.append((f"{name} is infinite", np.isinf(column)))
    return out


def _outside(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Rows outside [low, high]; NaN (unknown) is not outside."""
    return (values < low) | (values > high)


def _vehicle_rules(batch: Batch) -> list[Rule]:
    x, y = batch.x, batch.y  # type: ignore[union-attr]
    return [("position not finite", ~(np.isfinite(x) & np.isfinite(y))),
            (f"position beyond +-{MAX_COORDINATE:g}", (np.abs(x) > MAX_COORDINATE) | (np.abs(y) > MAX_COORDINATE)),
            (f"speed negative or over {MAX_SPEED:g} m/s", _outside(batch.speed, 0.0, MAX_SPEED))]  # type: ignore[union-attr]


def _road_rules(batch: Batch) -> list[Rule]:
    return [(f"speed negative or over {MAX_SPEED:g} m/s",
             _outside(batch.speed, 0.0, MAX_SPEED) | _outside(batch.free_flow_speed, 0.0, MAX_SPEED)),  # type: ignore[union-attr]
            ("occupancy outside 0..1", _outside(batch.occupancy, 0.0, 1.0)),  # type: ignore[union-attr]
            ("flow negative", batch.flow < 0)]  # type: ignore[union-attr]


def _no_rules(batch: Batch) -> list[Rule]:
    return []


def _point_rules(batch: Batch) -> list[Rule]:
    """Generic kinds (v1.1): a point's or a line's x, y must be finite and within +-MAX_COORDINATE."""
    rules: list[Rule] = []
    columns = batch_columns(batch)
    for sx, sy in (("x", "y"), ("x2", "y2")):
        if sx in columns and sy in columns:
            x, y = columns[sx].astype(np.float64), columns[sy].astype(np.float64)
            rules.append(("position not finite", ~(np.isfinite(x) & np.isfinite(y))))
            rules.append((f"position beyond +-{MAX_COORDINATE:g}",
                          (np.abs(x) > MAX_COORDINATE) | (np.abs(y) > MAX_COORDINATE)))
    return rules


def _vehicle_fixes(batch: Batch, reasons: list[str]) -> dict[str, np.ndarray]:
    """vtype unknown -> "other"; heading wrapped into [0, 360). Only changed columns are returned."""
    fixes: dict[str, np.ndarray] = {}
    vtype = batch.vtype.tolist()  # type: ignore[union-attr]
    known = _known_vtypes(vtype)
    if known is not None:
        fixed = np.asarray(batch.vtype, dtype=object).copy()  # type: ignore[union-attr]
        fixed[~known] = "other"
        fixes["vtype"] = fixed
        reasons.append(f"vehicle: {np.count_nonzero(~known)} unknown vtype(s) read as 'other'")
    heading = batch.heading  # type: ignore[union-attr]
    with np.errstate(invalid="ignore"):
        outside = (heading < 0) | (heading >= 360)
        if outside.any():
            wrapped = np.mod(heading, np.float32(360.0))
            wrapped[wrapped >= 360] = 0  # float32 rounding of tiny negatives lands on 360
            fixes["heading"] = wrapped
    return fixes


def _known_vtypes(vtype: list[object]) -> np.ndarray | None:
    """(n,) bool of rows with a known vehicle type, or None when all are known (the common case)."""
    if set(map(type, vtype)) == {str} and set(vtype) <= _VEHICLE_TYPES:
        return None
    known = np.fromiter(map(isinstance, vtype, repeat(str)), dtype=bool, count=len(vtype))
    strings = list(compress(vtype, known.tolist()))
    known[known] = np.fromiter(map(_VEHICLE_TYPES.__contains__, strings), dtype=bool, count=len(strings))
    return None if known.all() else known


def _no_fixes(batch: Batch, reasons: list[str]) -> dict[str, np.ndarray]:
    return {}


KIND_RULES: dict[str, Callable[[Batch], list[Rule]]] = {
    "vehicle": _vehicle_rules, "road": _road_rules, "building": _no_rules}
KIND_FIXES: dict[str, Callable[[Batch, list[str]], dict[str, np.ndarray]]] = {"vehicle": _vehicle_fixes}
