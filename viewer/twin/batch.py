"""Columnar batches of entity state: the one shape in which twin data moves between sources, protocol and state.

Rules:
1. A batch is columns of equal length n, one row per entity; ids are a (n,) numpy array of str (dtype object
   or unicode). Numbers are float64 (positions, times) or float32 (the rest); NaN means "unknown".
2. Units are fixed here and nowhere else: metres, degrees (heading clockwise from north, 0..360), m/s,
   vehicles per hour, occupancy as a fraction 0..1, power in kW, energy in kWh, times in seconds since the
   Unix epoch (UTC).
3. Positions are x, y in the feed's CRS (lon/lat degrees unless the hello declares another), z metres or NaN.
4. Batches are immutable values. Anything from outside (a peer, a file) is checked by twin/validate.py before
   it reaches the state; sources of our own build batches with make_batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import ClassVar

import numpy as np

KINDS = ("vehicle", "road", "building")
MAX_ID_LENGTH = 128

VEHICLE_TYPES = ("car", "bus", "truck", "bike", "tram", "motorcycle", "pedestrian", "other")


@dataclass(frozen=True)
class VehicleBatch:
    """ids (n,) str; x, y (n,) float64 in the feed CRS; z (n,) float32 or NaN; heading (n,) float32 degrees
    clockwise from north; speed (n,) float32 m/s; vtype (n,) str, one of VEHICLE_TYPES."""

    kind: ClassVar[str] = "vehicle"
    ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    heading: np.ndarray
    speed: np.ndarray
    vtype: np.ndarray


@dataclass(frozen=True)
class RoadBatch:
    """ids (n,) str; speed, free_flow_speed (n,) float32 m/s; occupancy (n,) float32 0..1; flow (n,) float32
    vehicles per hour. NaN where a measure is not known."""

    kind: ClassVar[str] = "road"
    ids: np.ndarray
    speed: np.ndarray
    free_flow_speed: np.ndarray
    occupancy: np.ndarray
    flow: np.ndarray


@dataclass(frozen=True)
class BuildingBatch:
    """ids (n,) str; power (n,) float32 kW; energy (n,) float64 kWh (cumulative meter reading or per-interval,
    as the source says in its hello); timestamp (n,) float64 epoch seconds of the reading."""

    kind: ClassVar[str] = "building"
    ids: np.ndarray
    power: np.ndarray
    energy: np.ndarray
    timestamp: np.ndarray


@dataclass(frozen=True)
class EntityBatch:
    """Rows of a generic kind of protocol v1.1 (twin/kinds.py): ids (n,) str; columns name -> (n,) array in
    the kind's wire order (geometry columns, then fields: float32/float64 with NaN unknown, or object str).
    A column reads as an attribute too (batch.no2), like the fields of the v1 batches."""

    kind: str
    ids: np.ndarray
    columns: dict[str, np.ndarray] = field(default_factory=dict)

    def __getattr__(self, name: str) -> np.ndarray:
        columns = self.__dict__.get("columns")
        if columns is not None and name in columns:
            return columns[name]
        raise AttributeError(name)


Batch = VehicleBatch | RoadBatch | BuildingBatch | EntityBatch
BATCH_TYPES: dict[str, type] = {"vehicle": VehicleBatch, "road": RoadBatch, "building": BuildingBatch}


def batch_columns(batch: Batch) -> dict[str, np.ndarray]:
    """Every column of a batch by name, ids first (v1 batches and EntityBatch alike)."""
    if isinstance(batch, EntityBatch):
        return {"ids": batch.ids, **batch.columns}
    return {name: getattr(batch, name) for name in column_names(batch.kind)}


def rebuild(like: Batch, columns: dict[str, np.ndarray]) -> Batch:
    """A batch of the same kind as `like` from columns (ids first), e.g. rows taken or concatenated."""
    if isinstance(like, EntityBatch):
        rest = {name: values for name, values in columns.items() if name != "ids"}
        return EntityBatch(like.kind, columns["ids"], rest)
    out: Batch = BATCH_TYPES[like.kind](**columns)
    return out


@dataclass
class TwinUpdate:
    """What a source produces each step: upserts per kind, removals per kind, at source time `time`.

    snapshot=True means the update holds the complete state of every kind it lists (entities of those
    kinds not listed are gone).
    """

    time: float
    upserts: dict[str, Batch] = field(default_factory=dict)
    removals: dict[str, np.ndarray] = field(default_factory=dict)
    snapshot: bool = False

    def count(self) -> int:
        return sum(len(b.ids) for b in self.upserts.values()) + sum(len(r) for r in self.removals.values())


def column_names(kind: str) -> list[str]:
    return [f.name for f in fields(BATCH_TYPES[kind])]


def empty_batch(kind: str) -> Batch:
    """A zero-row batch of `kind` with the right dtypes."""
    cls = BATCH_TYPES[kind]
    return cls(**{name: np.zeros(0, _dtype(kind, name)) for name in column_names(kind)})


def _dtype(kind: str, name: str) -> type:
    if name in ("ids", "vtype"):
        return object
    if name in ("x", "y", "energy", "timestamp"):
        return np.float64
    return np.float32


def make_batch(kind: str, **columns: object) -> Batch:
    """Build a batch from lists or arrays, coercing each column to its dtype; missing float columns are NaN."""
    names = column_names(kind)
    unknown = set(columns) - set(names)
    if unknown:
        raise ValueError(f"{kind} batch has no column(s) {sorted(unknown)}")
    ids = np.asarray(columns.get("ids", []), dtype=object).reshape(-1)
    n = ids.shape[0]
    out: dict[str, np.ndarray] = {"ids": ids}
    for name in names[1:]:
        dtype = _dtype(kind, name)
        if name in columns:
            out[name] = np.asarray(columns[name], dtype=dtype).reshape(-1)
        elif dtype is object:
            out[name] = np.full(n, "other", dtype=object)
        else:
            out[name] = np.full(n, np.nan, dtype=dtype)
        if out[name].shape[0] != n:
            raise ValueError(f"{kind} column {name!r} has {out[name].shape[0]} rows, ids have {n}")
    return BATCH_TYPES[kind](**out)
