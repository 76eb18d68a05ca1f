"""Replay of meter CSVs (one timestamp column, one column per meter, regular intervals) onto buildings.

Rules this module keeps:
1. The CSV is read and checked whole when the source is made (within limits.max_file_bytes): a header with a
   timestamp column ("datetime", "timestamp" or "time", else the first column) and unique meter names; every
   row as many fields as the header; timestamps "YYYY-MM-DD HH:MM[:SS]" (naive = UTC + utc_offset hours,
   or with an offset) strictly increasing at one fixed interval; values numbers, an empty cell (or "nan") is
   missing (NaN). Anything else is a LoadError naming the file and the line.
2. Units: each value is the energy of its interval in `unit` (kWh by default; "Wh" and "MWh" are converted),
   as in the Cambridge Estates files (kWh per hour). power kW = energy kWh / interval hours.
3. Meters map to buildings by a mapping (a dict, a CSV file with columns meter,building, or a TOML file with
   a [meters] table or top-level meter = "building" pairs). Several meters on one building add up; meters
   without a mapping are ignored with one warning listing them (also kept in `unmapped`).
4. Clock: period = `step` source seconds (3600: one row per step). Each step advances the clock by `step` from
   the first row's time (or `start`); an update carries, for every mapped building, the reading of the row
   whose interval contains the clock: power, energy (kWh of that interval) and timestamp = the row's time.
   A building is sent when its reading changes (a new row); within a row nothing is re-sent. The source ends
   after the last row's interval. A `start` outside the readings (MeterTable.span) is refused: it would
   show nothing, or run through years of empty steps before the first row.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import tomllib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city.limits import check_count, check_file
from viewer.config import Limits
from viewer.errors import LoadError, UsageError
from viewer.twin.batch import TwinUpdate, make_batch

log = logging.getLogger(__name__)
UNITS = {"Wh": 1e-3, "kWh": 1.0, "MWh": 1e3}
_TIME_COLUMNS = ("datetime", "timestamp", "time", "date")
_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def natural_key(text: str) -> tuple[Any, ...]:
    """Sort key that orders "b2" before "b10"."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def largest_buildings_mapping(meters: Iterable[str], building_ids: Iterable[str], sizes: Iterable[float]
                              ) -> dict[str, str]:
    """A deterministic meter -> building mapping for anonymised meters: meters in natural order (b0, b1, b2,
    ..., b10) to buildings from the largest `sizes` down (ties by id); extra meters stay unmapped."""
    ids, size = np.asarray(list(building_ids), dtype=object), np.asarray(list(sizes), dtype=np.float64)
    order = np.lexsort((ids.astype(str), -np.nan_to_num(size, nan=-np.inf)))
    return dict(zip(sorted(meters, key=natural_key), ids[order].tolist(), strict=False))


def model_largest_buildings_mapping(meters: Iterable[str], objects: Any) -> tuple[dict[str, str], list[str]]:
    """largest_buildings_mapping onto a model's Building objects by footprint area (an ObjectTable with
    `types`, `ids` and `footprint_area`), and those buildings' ids (to check readings against)."""
    rows = [k for k, t in enumerate(objects.types) if t == "Building"]
    ids = [str(objects.ids[k]) for k in rows]
    if objects.footprint_area is None:
        raise UsageError("the model's object table has no footprint areas")
    return largest_buildings_mapping(meters, ids, objects.footprint_area[rows]), ids


def read_mapping(path: Path, limits: Limits | None = None) -> dict[str, str]:
    """meter -> building id from a CSV (columns meter,building) or a TOML file (rule 3)."""
    check_file(path, limits or Limits())
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError(path, f"cannot read: {exc}") from None
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise LoadError(path, f"not valid TOML: {exc}") from None
        table = data.get("meters", data)
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise LoadError(path, 'expected meter = "building id" pairs (in a [meters] table or at the top)')
        return dict(table)
    rows = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(rows, [])]
    if "meter" not in header or "building" not in header:
        raise LoadError(path, "a mapping CSV needs a header with the columns meter and building")
    m, b = header.index("meter"), header.index("building")
    out: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        if len(row) != len(header) or not row[m].strip() or not row[b].strip():
            raise LoadError(path, f"line {line}: expected {len(header)} fields with a meter and a building")
        out[row[m].strip()] = row[b].strip()
    return out


class MeterTable:
    """A parsed meter CSV: meters (m,) str; times (r,) float64 epoch seconds of each row's start;
    interval float seconds; kwh (r, m) float64 energy per interval (NaN = missing)."""

    def __init__(self, path: Path, unit: str = "kWh", utc_offset: float = 0.0, limits: Limits | None = None):
        self.path = Path(path)
        limits = limits or Limits()
        check_file(self.path, limits)
        if unit not in UNITS:
            raise LoadError(self.path, f"unknown energy unit {unit!r} (known: {', '.join(UNITS)})")
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise LoadError(self.path, f"cannot read: {exc}") from None
        rows = csv.reader(io.StringIO(text, newline=""))
        header = next(rows, None)
        if not header or len(header) < 2:
            raise LoadError(self.path, "line 1: expected a header with a time column and meter columns")
        names = [h.strip() for h in header]
        tcol = next((k for k, h in enumerate(names) if h.lower() in _TIME_COLUMNS), 0)
        self.meters = [h for k, h in enumerate(names) if k != tcol]
        if len(set(self.meters)) != len(self.meters) or "" in self.meters:
            raise LoadError(self.path, "line 1: meter names must be unique and not empty")
        check_count(self.path, "meter columns", len(self.meters), limits.max_objects)
        self.tz = timezone(timedelta(hours=utc_offset))
        stamps: list[float] = []
        values: list[list[str]] = []
        for line, row in enumerate(rows, start=2):
            if not row:
                continue
            if len(row) != len(names):
                raise LoadError(self.path, f"line {line}: {len(row)} fields, the header has {len(names)}")
            stamps.append(self._time(row[tcol], line))
            values.append(row[:tcol] + row[tcol + 1:])
        self.times = np.array(stamps, dtype=np.float64)
        self.kwh = self._numbers(values) * UNITS[unit]
        self.interval = self._interval()

    def _time(self, text: str, line: int) -> float:
        try:
            stamp = datetime.fromisoformat(text.strip())
        except ValueError:
            raise LoadError(self.path, f"line {line}: timestamp {text[:40]!r} is not 'YYYY-MM-DD HH:MM:SS'") from None
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=self.tz)
        return stamp.timestamp()

    def _numbers(self, values: list[list[str]]) -> np.ndarray:
        """(r, m) float64 of the value cells; "" and "nan" are NaN; anything else not a finite number: error."""
        if not values:
            raise LoadError(self.path, "no data rows")
        cells = np.array(values, dtype=str)
        cells[np.char.str_len(cells) == 0] = "nan"
        try:
            out = cells.astype(np.float64)
        except ValueError:  # the slow path, to name the first bad cell
            for r, c in np.ndindex(*cells.shape):
                cell = str(cells[r, c])
                if not _NUMBER.fullmatch(cell) and cell.strip().lower() != "nan":
                    raise LoadError(self.path, f"line {r + 2}: meter {self.meters[c]!r}: {cell[:40]!r} "
                                               "is not a number") from None
            raise LoadError(self.path, "a value is not a number") from None
        if np.isinf(out).any():
            r, c = np.argwhere(np.isinf(out))[0]
            raise LoadError(self.path, f"line {r + 2}: meter {self.meters[c]!r}: value out of range")
        return out

    @property
    def span(self) -> tuple[float, float]:
        """(first row's start, last row's end) in epoch seconds: the times the readings cover."""
        return float(self.times[0]), float(self.times[-1]) + self.interval

    def covers(self, t: float) -> bool:
        first, end = self.span
        return first <= t < end

    def span_text(self) -> str:
        first, end = (datetime.fromtimestamp(v, UTC).strftime("%Y-%m-%d %H:%M:%S") for v in self.span)
        return f"{self.path} has readings from {first} to {end} UTC"

    def _interval(self) -> float:
        if self.times.size < 2:
            return 3600.0
        steps = np.diff(self.times)
        bad = np.flatnonzero(steps != steps[0])
        if steps[0] <= 0 or bad.size:
            line = 3 + int(bad[0]) if bad.size else 3
            raise LoadError(self.path, f"line {line}: timestamps must increase by one fixed interval "
                                       f"({steps[0]:g} s after the first row)")
        return float(steps[0])


class EnergyCsvSource:
    """Replay of a MeterTable onto buildings (rules above)."""

    name = "csv"
    crs = "EPSG:4326"  # no positions: buildings only
    kinds: tuple[str, ...] = ("building",)

    def __init__(self, csv_path: Path | MeterTable, mapping: dict[str, str] | Path, step: float = 3600.0,
                 start: float | None = None, unit: str = "kWh", utc_offset: float = 0.0,
                 building_ids: Iterable[str] | None = None, limits: Limits | None = None) -> None:
        """csv_path: the CSV (or a MeterTable already read); unit and utc_offset apply when reading it."""
        self.table = csv_path if isinstance(csv_path, MeterTable) else \
            MeterTable(Path(csv_path), unit, utc_offset, limits)
        if not step > 0:
            raise ValueError(f"step must be a positive number of source seconds, got {step}")
        self.period = float(step)
        table = mapping if isinstance(mapping, dict) else read_mapping(Path(mapping), limits)
        if building_ids is not None:
            known = set(building_ids)
            unknown = sorted({b for b in table.values() if b not in known})
            if unknown:
                log.warning("%s: mapping names %d building(s) not in the scene, ignored: %s", self.table.path,
                            len(unknown), ", ".join(unknown[:20]))
            table = {m: b for m, b in table.items() if b in known}
        self.unmapped = sorted((m for m in self.table.meters if m not in table), key=natural_key)
        if self.unmapped:
            log.warning("%s: %d meter(s) without a building, ignored: %s", self.table.path, len(self.unmapped),
                        ", ".join(self.unmapped))
        columns = [k for k, m in enumerate(self.table.meters) if m in table]
        self.building_ids = np.array(sorted({table[self.table.meters[k]] for k in columns}), dtype=object)
        index = {b: i for i, b in enumerate(self.building_ids.tolist())}
        self.columns = np.array(columns, dtype=np.int64)
        self.column_building = np.array([index[table[self.table.meters[k]]] for k in columns], dtype=np.int64)
        self.clock = float(self.table.times[0] if start is None else start)
        if not self.table.covers(self.clock):
            raise UsageError(f"start {self.clock:.0f} is outside the readings: {self.table.span_text()}")
        self._row = -1

    def reading(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """(b,) float64 energy kWh of each mapped building in CSV row `row` and (b,) float64 power kW."""
        values = self.table.kwh[row, self.columns]
        energy = np.bincount(self.column_building, weights=values, minlength=self.building_ids.size)
        return energy, energy / (self.table.interval / 3600.0)

    def _update(self, snapshot: bool) -> TwinUpdate:
        t = self.table
        row = int(np.searchsorted(t.times, self.clock, side="right")) - 1
        update = TwinUpdate(time=self.clock, snapshot=snapshot)
        if snapshot or row != self._row:
            if 0 <= row < t.times.size:
                energy, power = self.reading(row)
                update.upserts["building"] = make_batch("building", ids=self.building_ids, power=power,
                                                        energy=energy,
                                                        timestamp=np.full(self.building_ids.size, t.times[row]))
            elif snapshot:
                update.upserts["building"] = make_batch("building")
        self._row = row
        return update

    # ------------------------------------------------------------ the Source protocol

    def start(self) -> TwinUpdate:
        return self._update(snapshot=True)

    def step(self) -> TwinUpdate | None:
        self.clock += self.period
        if self.clock >= self.table.times[-1] + self.table.interval:
            return None
        return self._update(snapshot=False)

    def close(self) -> None:
        pass
