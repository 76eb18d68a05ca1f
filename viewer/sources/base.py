"""The Source protocol the feed server drives, and small helpers every source shares.

Rules every Source keeps:
1. Deterministic from its inputs (seed, files, the updates it is given): time advances by `period` per step,
   from a start time given to it; the wall clock is never read for data.
2. start() returns a snapshot (snapshot=True) at the start time; step() returns the next update one period later
   in source time (possibly with no rows), or None when the source has ended; close() releases files,
   processes and sockets and may be called more than once.
3. Updates are TwinUpdates of viewer/twin/batch.py, units as fixed there. Deltas carry only entities that
   changed (or were removed). Building `energy` is the kWh consumed in the interval that ends at the
   reading's `timestamp` (per interval, not a cumulative meter reading) for every source here.
4. `crs` names the CRS of vehicle positions ("EPSG:4326" = lon/lat); "" when they are in an engineering frame
   with no CRS (a SUMO net without projection), i.e. the scene's own coordinates.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from viewer.twin.batch import TwinUpdate


@runtime_checkable
class Source(Protocol):
    name: str  # "demo", "sumo-fcd", "sumo-live", "csv", "ngsi"
    crs: str  # CRS of vehicle positions (the hello declares it); "EPSG:4326" = lon/lat
    kinds: tuple[str, ...]  # subset of KINDS it produces
    period: float  # source seconds between steps (0.1 for 10 Hz)

    def start(self) -> TwinUpdate:
        """A snapshot (snapshot=True) at the source's start time."""
        ...

    def step(self) -> TwinUpdate | None:
        """The next update, one period later in source time; None when the source has ended."""
        ...

    def close(self) -> None:
        ...


def changed(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """(n,) bool: where new differs from old, NaN equal to NaN (float columns of equal length)."""
    return ~((old == new) | (np.isnan(old) & np.isnan(new)))


def removed_ids(previous: np.ndarray, current: np.ndarray) -> np.ndarray:
    """(k,) object: ids in `previous` that are not in `current` (both (n,) str/object arrays)."""
    if previous.size == 0:
        return np.zeros(0, dtype=object)
    gone = ~np.isin(previous.astype(str), current.astype(str))
    return previous[gone].astype(object)
