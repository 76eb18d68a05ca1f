"""JSON bodies of snapshot and delta messages, in the two JSON encodings of a batch.

    objects:  "upserts": {"vehicle": [{"id": "v1", "x": 4.47, "y": 51.92, "z": null, ...}, ...]}
    columns:  "upserts": {"vehicle": {"columns": {"ids": ["v1", ...], "x": [4.47, ...], "z": null, ...}}}
    both:     "removals": {"vehicle": ["v7", ...]}

Rules:
1. Column and key names are the batch field names of viewer/twin/batch.py, except that one entity's id is
   "id" in the objects encoding (and the column "ids" in the columnar one).
2. NaN ("unknown") is JSON null (so is +-inf, which validate.py would drop anyway); a column that is
   entirely unknown may be written as null (columns) or left out (both encodings). Unknown column names and entity keys are ignored (forward compatibility);
   an unknown kind is an error.
3. float32 columns are written with the fewest decimal digits that read back to the same float32 (orjson
   does it for arrays, short_float32 for per-entity values), so the text is short (faster to parse) and
   every encoding round-trips exactly at the batch's dtypes.
4. Decoding never trusts a count: every list is measured against FeedLimits.max_rows before conversion.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from viewer.twin.batch import BATCH_TYPES, Batch, EntityBatch, TwinUpdate, column_names, empty_batch
from viewer.twin.errors import MessageError, MessageTooLarge
from viewer.twin.fields import float_column, object_column
from viewer.twin.kinds import FIELD_TYPES, MAX_FIELDS, TYPE_NAMES
from viewer.wire import as_dict, as_list, field, json_type

# Column dtypes per kind, taken from the batch definitions so there is one source of truth.
COLUMN_DTYPES: dict[str, dict[str, Any]] = {
    kind: {name: getattr(empty_batch(kind), name).dtype.type for name in column_names(kind)}
    for kind in BATCH_TYPES
}
COLUMNS: dict[str, tuple[str, ...]] = {kind: tuple(dtypes) for kind, dtypes in COLUMN_DTYPES.items()}


def _key(name: str) -> str:
    return "id" if name == "ids" else name


def short_float32(values: np.ndarray) -> np.ndarray:
    """(n,) float32 -> (n,) float64 holding, per element, the shortest decimal (6-9 significant digits) that
    converts back to the same float32; elements where rounding is not exact keep their float64 value."""
    v = values.astype(np.float64)
    out = v.copy()
    with np.errstate(all="ignore"):
        magnitude = np.floor(np.log10(np.abs(v)))
        pending = np.isfinite(magnitude)
        for digits in (6, 7, 8, 9):
            if not pending.any():
                break
            exponent = digits - 1 - magnitude
            scale = 10.0 ** np.abs(exponent)
            # Dividing an exact integer by an exact power of ten is correctly rounded: repr() is short.
            rounded = np.where(exponent >= 0, np.round(v * scale) / scale, np.round(v / scale) * scale)
            ok = pending & (rounded.astype(np.float32) == values)
            out[ok] = rounded[ok]
            pending &= ~ok
    return out


def column_values(column: np.ndarray) -> np.ndarray | list[Any] | None:
    """A column for orjson (OPT_SERIALIZE_NUMPY): a contiguous float array (orjson writes NaN and inf as null
    and float32 in its shortest form), a list for strings, or None when no value is known."""
    if column.dtype == object:
        return column.tolist()
    if not np.isfinite(column).any():
        return None if len(column) else []
    return np.ascontiguousarray(column)


def row_values(column: np.ndarray) -> list[Any]:
    """A column as a list of Python values for per-entity objects (float32 in its shortest decimals)."""
    if column.dtype == object:
        return column.tolist()
    return (short_float32(column) if column.dtype == np.float32 else column).tolist()


def encode_upserts(upserts: dict[str, Batch], encoding: str) -> dict[str, Any]:
    """{kind: body} in the "objects" or "columns" encoding."""
    if encoding == "columns":
        return {kind: {"columns": _columns(batch)} for kind, batch in upserts.items()}
    if encoding == "objects":
        return {kind: _objects(batch) for kind, batch in upserts.items()}
    raise ValueError(f"unknown JSON encoding {encoding!r}")


def encode_removals(removals: dict[str, np.ndarray]) -> dict[str, list[Any]]:
    return {kind: np.asarray(ids, dtype=object).tolist() for kind, ids in removals.items()}


def _columns(batch: Batch) -> dict[str, Any]:
    return {name: column_values(getattr(batch, name)) for name in COLUMNS[batch.kind]}


def _objects(batch: Batch) -> list[dict[str, Any]]:
    names = COLUMNS[batch.kind]
    keys = [_key(name) for name in names]
    columns = [row_values(getattr(batch, name)) for name in names]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


def decode_upserts(value: Any, max_rows: int) -> dict[str, Batch]:
    """{kind: batch} from the JSON "upserts" object; rows are not validated here (validate.py does)."""
    upserts = as_dict(value, "upserts")
    bodies: dict[str, tuple[str, Any]] = {}
    total = 0
    for kind, body in upserts.items():
        _check_kind(kind, "upserts")
        what = f"upserts.{kind}"
        if isinstance(body, list):
            bodies[kind] = ("objects", body)
            total += len(body)
        elif isinstance(body, dict):
            columns = as_dict(field(body, "columns", what), f"{what}.columns")
            ids = as_list(field(columns, "ids", f"{what}.columns"), f"{what}.columns.ids", max_rows)
            bodies[kind] = ("columns", columns)
            total += len(ids)
        else:
            raise MessageError(f"{what} must be a list of objects or {{'columns': ...}}, got {json_type(body)}")
        if total > max_rows:
            raise MessageTooLarge("rows in one message", total, max_rows)
    return {kind: (_from_objects if form == "objects" else _from_columns)(kind, body, f"upserts.{kind}")
            for kind, (form, body) in bodies.items()}


def decode_removals(value: Any, max_rows: int) -> dict[str, np.ndarray]:
    """{kind: (n,) object array of ids} from the JSON "removals" object."""
    removals = as_dict(value, "removals")
    out: dict[str, np.ndarray] = {}
    total = 0
    for kind, ids in removals.items():
        _check_kind(kind, "removals")
        if not isinstance(ids, list):
            raise MessageError(f"removals.{kind} must be a list, got {json_type(ids)}")
        total += len(ids)
        if total > max_rows:
            raise MessageTooLarge("rows in one message", total, max_rows)
        out[kind] = object_column(ids, f"removals.{kind}", len(ids))
    return out


def _check_kind(kind: str, what: str) -> None:
    if kind not in BATCH_TYPES:
        raise MessageError(f"{what} has unknown kind {kind[:64]!r}")


def _from_columns(kind: str, columns: dict[str, Any], what: str) -> Batch:
    ids = columns["ids"]
    n = len(ids)
    out: dict[str, np.ndarray] = {}
    for name, dtype in COLUMN_DTYPES[kind].items():
        values = columns.get(name)
        if dtype is np.object_:
            out[name] = (np.full(n, "other", dtype=object) if values is None
                         else object_column(values, f"{what}.columns.{name}", n))
        else:
            out[name] = float_column(values, f"{what}.columns.{name}", n, dtype)
    return BATCH_TYPES[kind](**out)


def _from_objects(kind: str, entities: list[Any], what: str) -> Batch:
    n = len(entities)
    if not set(map(type, entities)) <= {dict}:
        raise MessageError(f"{what}: every entity must be an object")
    out: dict[str, np.ndarray] = {}
    for name, dtype in COLUMN_DTYPES[kind].items():
        key = _key(name)
        values = [entity.get(key) for entity in entities]
        if dtype is np.object_:
            out[name] = object_column(values, f"{what}[].{key}", n)
        else:
            out[name] = float_column(values, f"{what}[].{key}", n, dtype)
    return BATCH_TYPES[kind](**out)


def decode_update(obj: dict[str, Any], time: float, snapshot: bool, max_rows: int) -> TwinUpdate:
    """The TwinUpdate of a parsed snapshot or delta (a snapshot has no removals)."""
    upserts = decode_upserts(obj.get("upserts", {}), max_rows)
    removals = decode_removals(obj.get("removals", {}), max_rows)
    if snapshot and removals:
        raise MessageError("a snapshot has no removals")
    rows = sum(len(b.ids) for b in upserts.values()) + sum(len(r) for r in removals.values())
    if rows > max_rows:
        raise MessageTooLarge("rows in one message", rows, max_rows)
    return TwinUpdate(time=time, upserts=upserts, removals=removals, snapshot=snapshot)


# ---------------------------------------------------------------- generic kinds (protocol v1.1, codec.py rule 5)


def encode_entities(batches: list[EntityBatch]) -> dict[str, Any]:
    """{"kind": {"types": {column: type}, "columns": {"ids": [...], column: [...]}}} of generic batches."""
    out: dict[str, Any] = {}
    for batch in batches:
        types = {name: TYPE_NAMES[np.dtype(column.dtype)] for name, column in batch.columns.items()}
        columns = {"ids": column_values(batch.ids), **{name: column_values(column)
                                                        for name, column in batch.columns.items()}}
        out[batch.kind] = {"types": types, "columns": columns}
    return out


def decode_entities(obj: dict[str, Any], update: TwinUpdate, max_rows: int) -> None:
    """Add the generic kinds' rows and removals of a parsed message to `update` (rows not validated here)."""
    from viewer.twin.kinds import _NAME  # the kind-name pattern (twin/kinds.py rule 1)

    total = update.count()
    entities = as_dict(obj.get("entities", {}), "entities")
    if len(entities) > 32:
        raise MessageError(f"entities lists {len(entities)} kinds, more than 32")
    for kind, body in entities.items():
        what = f"entities.{kind[:64]}"
        if not _NAME.fullmatch(kind) or kind in BATCH_TYPES:
            raise MessageError(f"{what}: not a generic kind name")
        body = as_dict(body, what)
        types = as_dict(field(body, "types", what), f"{what}.types")
        columns = as_dict(field(body, "columns", what), f"{what}.columns")
        ids = as_list(field(columns, "ids", f"{what}.columns"), f"{what}.columns.ids", max_rows)
        total += len(ids)
        if total > max_rows:
            raise MessageTooLarge("rows in one message", total, max_rows)
        if len(types) > MAX_FIELDS + 6 or set(columns) - {"ids"} != set(types):
            raise MessageError(f"{what}: types and columns must name the same columns (at most {MAX_FIELDS + 6})")
        out: dict[str, np.ndarray] = {}
        for name, kind_name in types.items():
            dtype = FIELD_TYPES.get(kind_name) if isinstance(kind_name, str) else None
            if dtype is None or not _NAME.fullmatch(name) and name not in ("x", "y", "z", "x2", "y2", "z2"):
                raise MessageError(f"{what}.types.{name[:64]}: not a column name with a type of "
                                   f"{', '.join(FIELD_TYPES)}")
            values, at = columns[name], f"{what}.columns.{name}"
            out[name] = object_column(values, at, len(ids)) if dtype is np.object_ else \
                float_column(values, at, len(ids), dtype)
        update.upserts[kind] = EntityBatch(kind, object_column(ids, f"{what}.columns.ids", len(ids)), out)
    removals = as_dict(obj.get("entity_removals", {}), "entity_removals")
    for kind, ids in removals.items():
        if not _NAME.fullmatch(kind) or kind in BATCH_TYPES:
            raise MessageError(f"entity_removals.{kind[:64]}: not a generic kind name")
        if update.snapshot:
            raise MessageError("a snapshot has no removals")
        gone = as_list(ids, f"entity_removals.{kind}", max_rows)
        total += len(gone)
        if total > max_rows:
            raise MessageTooLarge("rows in one message", total, max_rows)
        update.removals[kind] = object_column(gone, f"entity_removals.{kind}", len(gone))
