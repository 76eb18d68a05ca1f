"""What the picking panel says about a picked building, road, vehicle or other object: pure formatting.

Rules this module keeps:
1. A pick names a scene object index (buildings, roads, anything drawn from the model) or a vehicle table row;
   the panel shows the *entity*: a BuildingPart picked shows its Building (entities.py rule 1).
2. Lines are plain text: id and type first, then the latest values with units, then how old the data is
   (feed time of the reading against the render time, and wall seconds since it arrived), then up to
   MAX_ATTRIBUTES of the object's attributes (values cut to MAX_VALUE characters; nested ones summarised).
3. A building's chart is its ReadingHistory series (power, kW); other entities have none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from viewer.city.model import ObjectTable
from viewer.layers.entities import EntityLayer, ReadingHistory

MAX_ATTRIBUTES = 8
MAX_VALUE = 40


@dataclass(frozen=True)
class PickInfo:
    """kind "building" | "road" | "vehicle" | "object"; chart (times (k,), values (k,)) or None."""

    kind: str
    id: str
    type: str
    lines: tuple[str, ...]
    chart: tuple[np.ndarray, np.ndarray] | None = None
    chart_units: str = ""


def age_text(seconds: float) -> str:
    """A duration for people: "0.4 s", "12 s", "4 min", "3 h", "2 d"; "?" when unknown."""
    if not math.isfinite(seconds):
        return "?"
    s = max(seconds, 0.0)
    if s < 10:
        return f"{s:.1f} s"
    for size, unit in ((86400.0, "d"), (3600.0, "h"), (60.0, "min")):
        if s >= size:
            return f"{s / size:.0f} {unit}"
    return f"{s:.0f} s"


def utc_text(epoch: float) -> str:
    if not math.isfinite(epoch) or not -1e11 < epoch < 1e11:
        return "?"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _number(value: float, unit: str, digits: int = 3) -> str:
    return "no data" if not math.isfinite(value) else f"{value:.{digits}g} {unit}".rstrip()


def attribute_lines(attributes: dict[str, Any]) -> list[str]:
    """Up to MAX_ATTRIBUTES "key: value" lines (rule 2)."""
    out = []
    for key, value in list(attributes.items())[:MAX_ATTRIBUTES]:
        text = f"{{{len(value)} entries}}" if isinstance(value, dict) else \
            f"[{len(value)} items]" if isinstance(value, list) else str(value)
        out.append(f"{str(key)[:24]}: {text[:MAX_VALUE]}")
    return out


def _row_of(table: Any, entity_id: str) -> int:
    return -1 if table is None else table.index.get(entity_id, -1)


def describe_object(objects: ObjectTable, index: int, layers: dict[str, EntityLayer], state: Any,
                    feed_now: float, wall_now: float, history: ReadingHistory | None = None) -> PickInfo:
    """The panel for scene object `index` (rules 1-3). layers: "building" / "road" EntityLayers;
    state: the TwinState (or None)."""
    for kind, layer in layers.items():
        member = np.searchsorted(layer.members, index)
        if member < layer.members.size and layer.members[member] == index:
            rank = int(layer.objects.member_root[member])
            root = int(layer.objects.roots[rank])
            table = state[kind] if state is not None and kind in state.tables else None
            lines = _values(kind, layer, table, rank, feed_now, wall_now)
            lines += attribute_lines(objects.attributes[root] or {})
            chart = history.series(rank) if history is not None and kind == "building" else None
            return PickInfo(kind, objects.ids[root], objects.types[root], tuple(lines), chart, "kW")
    attrs = attribute_lines(objects.attributes[index] or {})
    return PickInfo("object", objects.ids[index], objects.types[index], tuple(attrs))


def _values(kind: str, layer: EntityLayer, table: Any, rank: int, feed_now: float, wall_now: float) -> list[str]:
    """Latest values of one entity with units, and their age; ["no data"] when the feed has none."""
    row = _row_of(table, str(layer.objects.ids[rank]))
    if row < 0:
        return ["no data from the feed"]
    c = {name: float(table.column(name)[row]) for name in table.columns if name not in ("vtype",)}
    if kind == "building":
        lines = [f"power: {_number(c['power'], 'kW')}", f"energy: {_number(c['energy'], 'kWh')} in the interval"]
        area = layer.floor_area[rank] if layer.floor_area is not None else math.nan
        if math.isfinite(area) and math.isfinite(c["power"]):
            lines.append(f"intensity: {_number(c['power'] * 1000.0 / area, 'W/m2')} ({area:.0f} m2 floor)")
        stamp = c["timestamp"] if math.isfinite(c["timestamp"]) else c["time"]
        lines.append(f"reading: {utc_text(stamp)}, {age_text(feed_now - stamp)} old")
    else:
        ratio = c["speed"] / c["free_flow_speed"] if c["free_flow_speed"] > 0 else math.nan
        lines = [f"speed: {_number(c['speed'] * 3.6, 'km/h')} (free flow {_number(c['free_flow_speed'] * 3.6, 'km/h')})",
                 f"speed / free flow: {_number(ratio * 100.0, '%')}",
                 f"occupancy: {_number(c['occupancy'] * 100.0, '%')}, flow: {_number(c['flow'], 'veh/h')}",
                 f"data: {age_text(feed_now - c['time'])} old"]
    lines.append(f"received {age_text(wall_now - c['seen'])} ago")
    return lines


def describe_vehicle(table: Any, row: int, feed_now: float, wall_now: float) -> PickInfo:
    """The panel for vehicle table row `row`: type, speed, heading, position, data age."""
    c = table.column
    speed, heading = float(c("speed")[row]), float(c("heading")[row])
    lines = (f"speed: {_number(speed * 3.6, 'km/h')}",
             f"heading: {_number(heading, 'deg', 3)}",
             f"position: {float(c('x')[row]):.1f}, {float(c('y')[row]):.1f}, {float(c('z')[row]):.1f} m (local)",
             f"data: {age_text(feed_now - float(c('time')[row]))} old",
             f"received {age_text(wall_now - float(c('seen')[row]))} ago")
    return PickInfo("vehicle", str(table.live_ids()[row]), str(c("vtype")[row]), lines)
