"""MQTT topics -> twin entity fields, sans-I/O: the mapping file, topic patterns, payloads, units and scaling.

A mapping file (TOML), one [[topic]] table per rule (docs/sources.md):

    [broker]                           # optional
    qos = 1                            # 0 or 1 for every subscription (default 1)
    period = 1.0                       # source seconds per step (default 1)

    [[topic]]
    pattern = "city/+/energy/power"    # MQTT wildcards: + one level, # the remaining levels (last only)
    kind = "building"                  # vehicle | road | building
    id = "{1}"                         # {1}, {2}...: the levels matched by the wildcards; {topic}; other text kept
    field = "power"                    # a column of the kind (viewer/twin/batch.py)
    unit = "W"                         # optional: the payload's unit, converted to the column's (kW here)
    scale = 1.0                        # optional: value * scale + offset, before the unit conversion
    offset = 0.0
    json = "value"                     # optional: the payload is JSON, the number is at this dotted path
                                       # (without it: a plain number, or a JSON number, as text)

Rules:
1. The file is checked whole when read: unknown keys, kinds, fields and units, a bad pattern or an id
   template naming a wildcard the pattern has not, a qos other than 0/1 -> LoadError naming the file, the
   rule and the reason. At most MAX_RULES rules.
2. A message is matched against the rules in file order; every matching rule yields one reading
   (kind, id, field, value). A payload that is not a finite number where one is expected, JSON without the
   path, an id that is empty or over MAX_ID_LENGTH: that rule's reading is refused with a reason, never an
   exception. Payloads over MAX_PAYLOAD bytes are refused whole.
3. Units are the feed's own (twin/batch.py rule 2) after conversion: kW, kWh, m/s, vehicles/h, occupancy as
   a fraction, degrees. A field without `unit` is taken as already in the feed's unit.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from viewer.errors import LoadError
from viewer.twin.batch import KINDS, MAX_ID_LENGTH, column_names

MAX_RULES = 10_000
MAX_PAYLOAD = 64 * 1024
MAX_MAPPING_BYTES = 4 * 1024 * 1024

# Column -> unit name -> factor to the feed's unit (rule 3). Columns not listed take no unit.
_POWER = {"W": 1e-3, "kW": 1.0, "MW": 1e3}
_ENERGY = {"Wh": 1e-3, "kWh": 1.0, "MWh": 1e3, "J": 1 / 3.6e6, "kJ": 1 / 3.6e3, "MJ": 1 / 3.6}
_SPEED = {"m/s": 1.0, "km/h": 1 / 3.6, "mph": 0.44704, "kn": 1852 / 3600}
UNITS: dict[str, dict[str, float]] = {
    "power": _POWER, "energy": _ENERGY, "speed": _SPEED, "free_flow_speed": _SPEED,
    "occupancy": {"fraction": 1.0, "%": 0.01}, "flow": {"veh/h": 1.0, "veh/min": 60.0, "veh/s": 3600.0},
    "heading": {"deg": 1.0, "rad": 180 / math.pi}, "z": {"m": 1.0, "cm": 0.01, "ft": 0.3048},
}
_RULE_KEYS = {"pattern", "kind", "id", "field", "unit", "scale", "offset", "json"}
_TEMPLATE = re.compile(r"\{(\d+|topic)\}")


@dataclass(frozen=True)
class Rule:
    """One [[topic]] of the mapping, checked."""

    pattern: str
    kind: str
    id: str
    field: str
    factor: float = 1.0  # unit conversion
    scale: float = 1.0
    offset: float = 0.0
    json: tuple[str, ...] = ()  # dotted path split; () = a plain number

    def match(self, topic: str) -> list[str] | None:
        """The levels matched by the wildcards, in order, or None."""
        return match_topic(self.pattern, topic)


@dataclass(frozen=True)
class Reading:
    kind: str
    id: str
    field: str
    value: float


@dataclass(frozen=True)
class Mapping:
    rules: tuple[Rule, ...]
    qos: int = 1
    period: float = 1.0

    @property
    def kinds(self) -> tuple[str, ...]:
        used = {rule.kind for rule in self.rules}
        return tuple(kind for kind in KINDS if kind in used)

    @property
    def subscriptions(self) -> tuple[str, ...]:
        """The distinct patterns, each subscribed once."""
        return tuple(dict.fromkeys(rule.pattern for rule in self.rules))

    def readings(self, topic: str, payload: bytes) -> tuple[list[Reading], list[str]]:
        """(readings, reasons refused) for one message (rule 2)."""
        if len(payload) > MAX_PAYLOAD:
            return [], [f"{topic}: payload of {len(payload)} bytes (limit {MAX_PAYLOAD})"]
        out, reasons = [], []
        parsed: Any = _UNPARSED
        for rule in self.rules:
            levels = rule.match(topic)
            if levels is None:
                continue
            if rule.json and parsed is _UNPARSED:
                parsed = _json(payload)
            try:
                raw = _at(parsed, rule.json, topic) if rule.json else _plain(payload, topic)
                entity = _entity_id(rule.id, levels, topic)
            except ValueError as exc:
                reasons.append(str(exc))
                continue
            out.append(Reading(rule.kind, entity, rule.field, (raw * rule.scale + rule.offset) * rule.factor))
        return out, reasons


_UNPARSED = object()


def match_topic(pattern: str, topic: str) -> list[str] | None:
    """MQTT matching: the levels that + and # matched (a # gives the rest joined by /), or None."""
    want, have = pattern.split("/"), topic.split("/")
    levels = []
    for i, level in enumerate(want):
        if level == "#":
            if topic.startswith("$") and i == 0:
                return None
            levels.append("/".join(have[i:]))
            return levels
        if i >= len(have):
            return None
        if level == "+":
            if i == 0 and have[0].startswith("$"):
                return None
            levels.append(have[i])
        elif level != have[i]:
            return None
    return levels if len(want) == len(have) else None


def _json(payload: bytes) -> Any:
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError:
        return _UNPARSED


def _at(obj: Any, path: tuple[str, ...], topic: str) -> float:
    if obj is _UNPARSED:
        raise ValueError(f"{topic}: payload is not JSON")
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            raise ValueError(f"{topic}: no {'.'.join(path)!r} in the JSON payload")
        obj = obj[key]
    return _finite(obj, topic)


def _plain(payload: bytes, topic: str) -> float:
    try:
        number = float(payload.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        raise ValueError(f"{topic}: payload {payload[:40]!r} is not a number") from None
    return _finite(number, topic)


def _finite(value: Any, topic: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{topic}: value {str(value)[:40]!r} is not a finite number")
    return float(value)


def _entity_id(template: str, levels: list[str], topic: str) -> str:
    def fill(m: re.Match[str]) -> str:
        return topic if m.group(1) == "topic" else levels[int(m.group(1)) - 1]

    entity = _TEMPLATE.sub(fill, template)
    if not entity or len(entity) > MAX_ID_LENGTH:
        raise ValueError(f"{topic}: entity id {entity[:40]!r} is empty or over {MAX_ID_LENGTH} characters")
    return entity


# ---------------------------------------------------------------------------------------------- the file


def read_mapping(path: Path) -> Mapping:
    """The mapping file checked whole (rule 1)."""
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:
            raise LoadError(path, f"over {MAX_MAPPING_BYTES} bytes: not a mapping")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LoadError(path, f"not valid TOML: {exc}") from None
    return parse_mapping(data, path)


def parse_mapping(data: dict[str, Any], path: Path | str = "<mapping>") -> Mapping:
    unknown = set(data) - {"broker", "topic"}
    if unknown:
        raise LoadError(path, f"unknown table(s) {sorted(unknown)}: expected [broker] and [[topic]]")
    broker = data.get("broker", {})
    if not isinstance(broker, dict) or set(broker) - {"qos", "period"}:
        raise LoadError(path, "[broker] takes qos and period only")
    qos, period = broker.get("qos", 1), broker.get("period", 1.0)
    if qos not in (0, 1) or isinstance(qos, bool):
        raise LoadError(path, f"[broker] qos must be 0 or 1, got {qos!r}")
    if isinstance(period, bool) or not isinstance(period, (int, float)) or not 0.01 <= period <= 3600:
        raise LoadError(path, f"[broker] period must be 0.01..3600 seconds, got {period!r}")
    topics = data.get("topic")
    if not isinstance(topics, list) or not topics:
        raise LoadError(path, "no [[topic]] rules")
    if len(topics) > MAX_RULES:
        raise LoadError(path, f"{len(topics)} rules (limit {MAX_RULES})")
    rules = tuple(_rule(entry, i, path) for i, entry in enumerate(topics, start=1))
    return Mapping(rules, int(qos), float(period))


def _rule(entry: Any, number: int, path: Path | str) -> Rule:
    def bad(reason: str) -> LoadError:
        return LoadError(path, f"[[topic]] #{number}: {reason}")

    if not isinstance(entry, dict):
        raise bad("not a table")
    if set(entry) - _RULE_KEYS:
        raise bad(f"unknown key(s) {sorted(set(entry) - _RULE_KEYS)}")
    for key in ("pattern", "kind", "id", "field"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise bad(f"needs {key} = \"...\"")
    pattern, kind, field = entry["pattern"], entry["kind"], entry["field"]
    wildcards = _check_pattern(pattern, bad)
    if kind not in KINDS:
        raise bad(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if field not in column_names(kind)[1:] or field == "vtype":
        raise bad(f"{kind} has no numeric field {field!r} (fields: {', '.join(column_names(kind)[1:])})")
    for ref in _TEMPLATE.findall(entry["id"]):
        if ref != "topic" and not 1 <= int(ref) <= wildcards:
            raise bad(f"id {entry['id']!r} names wildcard {{{ref}}} but the pattern has {wildcards}")
    factor = 1.0
    if "unit" in entry:
        units = UNITS.get(field, {})
        if entry["unit"] not in units:
            raise bad(f"unit {entry['unit']!r} for {field}: one of {', '.join(units) or 'none (no unit applies)'}")
        factor = units[entry["unit"]]
    numbers = {}
    for key, default in (("scale", 1.0), ("offset", 0.0)):
        value = entry.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise bad(f"{key} must be a finite number")
        numbers[key] = float(value)
    path_text = entry.get("json", "")
    if not isinstance(path_text, str) or (path_text and not all(path_text.split("."))):
        raise bad("json must be a dotted path such as \"value\" or \"data.power\"")
    return Rule(pattern, kind, entry["id"], field, factor, numbers["scale"], numbers["offset"],
                tuple(path_text.split(".")) if path_text else ())


def _check_pattern(pattern: str, bad: Any) -> int:
    """The number of wildcards; LoadError for an invalid MQTT filter."""
    levels = pattern.split("/")
    for i, level in enumerate(levels):
        if level == "#" and i != len(levels) - 1:
            raise bad(f"pattern {pattern!r}: # must be the last level")
        if level not in ("+", "#") and ("+" in level or "#" in level):
            raise bad(f"pattern {pattern!r}: a wildcard must be a whole level")
    if len(pattern) > 1024:
        raise bad("pattern over 1024 characters")
    return sum(level in ("+", "#") for level in levels)
