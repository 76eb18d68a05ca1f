"""A scene's [[rules]] tables -> RuleConfig values, validated on load (docs/rules.md).

    [[rules]]
    name = "Overload"                    # unique in the scene, 1..60 characters
    kind = "building"                    # vehicle, road or building
    when = "power > 400"                 # FIELD OP NUMBER, FIELD between A and B, rate(FIELD) OP NUMBER
    for = 30                             # optional: seconds of feed time the condition must hold
    window = 60                          # rate(...) only: seconds the rate of change is taken over
    severity = "critical"                # info, warning (default) or critical
    colour = "#ff0000"                   # optional: paint the matching objects; default: the severity's
    badge = "!"                          # optional: 1..4 characters drawn above them

Rules this module keeps:
1. Pure and at the bottom of the layering (beside config.py, which calls parse_rules): it imports only
   viewer.errors, so the field names a rule may test are listed here (RULE_FIELDS), in the base units of
   viewer/twin/batch.py; tests/test_rules_config.py checks them against the twin's columns.
2. A mistake is one ConfigError naming the scene file, the rule (`rules[2] "Overload"`) and the reason; an
   unknown kind, field, operator, severity or key is a mistake, never ignored.
3. Conditions are parsed once here (parse_condition), the same grammar for scene files and the Python API.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.errors import ConfigError

# Numeric fields a rule may test per kind (base units); "age" is every kind's seconds since its last data.
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "vehicle": ("speed", "heading", "age"),
    "road": ("speed", "free_flow_speed", "relative_speed", "occupancy", "flow", "age"),
    "building": ("power", "energy", "age"),
}
SEVERITIES = ("info", "warning", "critical")  # in rising order: the higher wins an object two rules match
SEVERITY_COLOURS = {"info": (0.20, 0.60, 0.86), "warning": (0.96, 0.62, 0.07), "critical": (0.91, 0.07, 0.18)}
OPERATORS = (">=", "<=", "==", ">", "<", "between")
MAX_RULES = 64
MAX_NAME = 60
MAX_BADGE = 4
MAX_SECONDS = 7 * 86400.0
DEFAULT_WINDOW = 60.0
_KEYS = {"name", "kind", "when", "for", "window", "severity", "colour", "badge"}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_CONDITION = re.compile(rf"^\s*(?:rate\(\s*(?P<rate>\w+)\s*\)|(?P<field>\w+))\s*"
                        rf"(?:(?P<op>>=|<=|==|>|<)\s*(?P<value>{_NUMBER})"
                        rf"|between\s+(?P<low>{_NUMBER})\s+and\s+(?P<high>{_NUMBER}))\s*$")


@dataclass(frozen=True)
class Condition:
    """`field op value`, or `field between value and high` (inclusive); rate: the test is on the field's
    rate of change per second instead of its value."""

    field: str
    op: str
    value: float
    high: float = math.nan
    rate: bool = False

    def text(self) -> str:
        name = f"rate({self.field})" if self.rate else self.field
        if self.op == "between":
            return f"{name} between {self.value:g} and {self.high:g}"
        return f"{name} {self.op} {self.value:g}"


@dataclass(frozen=True)
class RuleConfig:
    """One [[rules]] table (module docstring). hold: the `for` seconds; window: the rate's seconds."""

    name: str
    kind: str
    condition: Condition
    hold: float = 0.0
    window: float = DEFAULT_WINDOW
    severity: str = "warning"
    colour: tuple[float, float, float] | None = None
    badge: str | None = None


def parse_condition(text: str, kind: str) -> Condition:
    """A Condition from `when` text for entities of `kind`; ValueError with the reason when it is wrong."""
    if kind not in RULE_FIELDS:
        raise ValueError(f"unknown kind {kind!r} (known: {', '.join(RULE_FIELDS)})")
    match = _CONDITION.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{text!r} is not FIELD OP NUMBER, FIELD between A and B or rate(FIELD) OP NUMBER "
                         f"(OP one of > < >= <= ==)")
    field = match["rate"] or match["field"]
    if field not in RULE_FIELDS[kind]:
        raise ValueError(f"unknown field {field!r} of {kind} (known: {', '.join(RULE_FIELDS[kind])})")
    if match["op"] is not None:
        value = float(match["value"])
        if not math.isfinite(value):
            raise ValueError(f"{match['value']!r} is not a finite number")
        return Condition(field, match["op"], value, rate=match["rate"] is not None)
    low, high = float(match["low"]), float(match["high"])
    if not (math.isfinite(low) and math.isfinite(high) and low <= high):
        raise ValueError(f"between {match['low']} and {match['high']}: the first must be the lower, both finite")
    return Condition(field, "between", low, high, rate=match["rate"] is not None)


def parse_colour(value: Any) -> tuple[float, float, float]:
    """"#rrggbb" or [r, g, b] in 0..1; ValueError otherwise."""
    if isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return (int(value[1:3], 16) / 255.0, int(value[3:5], 16) / 255.0, int(value[5:7], 16) / 255.0)
    if (isinstance(value, (list, tuple)) and len(value) == 3
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in value)):
        return (float(value[0]), float(value[1]), float(value[2]))
    raise ValueError('must be a colour "#rrggbb" or [r, g, b] in 0..1')


def check_common(name: Any, severity: Any, badge: Any, hold: Any) -> None:
    """The checks the scene file and the API share; ValueError naming the key and the reason."""
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise ValueError(f"name: must be a string of 1..{MAX_NAME} characters")
    if severity not in SEVERITIES:
        raise ValueError(f"severity: unknown severity {severity!r} (known: {', '.join(SEVERITIES)})")
    if badge is not None and (not isinstance(badge, str) or not 1 <= len(badge.strip()) <= MAX_BADGE):
        raise ValueError(f"badge: must be 1..{MAX_BADGE} characters")
    _seconds("for", hold, allow_zero=True)


def _seconds(key: str, value: Any, allow_zero: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{key}: must be a number of seconds")
    if value < 0 or (value == 0 and not allow_zero) or value > MAX_SECONDS:
        low = "0" if allow_zero else "above 0"
        raise ValueError(f"{key}: must be {low} and at most {MAX_SECONDS:.0f} seconds (7 days)")
    return float(value)


def _rule(table: Any) -> RuleConfig:
    """One table -> RuleConfig; ValueError "key: reason" (the caller adds the file and the rule)."""
    if not isinstance(table, dict):
        raise ValueError(f"must be a table, got {type(table).__name__}")
    extra = sorted(set(table) - _KEYS)
    if extra:
        raise ValueError(f"{extra[0]}: unknown key (allowed: {', '.join(sorted(_KEYS))})")
    for key in ("name", "kind", "when"):
        if key not in table:
            raise ValueError(f"{key}: is required")
    kind = table["kind"]
    if kind not in RULE_FIELDS:
        raise ValueError(f"kind: unknown kind {kind!r} (known: {', '.join(RULE_FIELDS)})")
    try:
        condition = parse_condition(table["when"], kind)
    except ValueError as exc:
        raise ValueError(f"when: {exc}") from None
    severity, badge, hold = table.get("severity", "warning"), table.get("badge"), table.get("for", 0.0)
    check_common(table["name"], severity, badge, hold)
    if "window" in table and not condition.rate:
        raise ValueError("window: applies only to a rate(FIELD) condition")
    window = _seconds("window", table.get("window", DEFAULT_WINDOW), allow_zero=False)
    colour = None
    if "colour" in table:
        try:
            colour = parse_colour(table["colour"])
        except ValueError as exc:
            raise ValueError(f"colour: {exc}") from None
    return RuleConfig(table["name"].strip(), kind, condition, float(hold), window, severity, colour,
                      badge.strip() if isinstance(badge, str) else None)


def parse_rules(file: Path | str, raw: Any) -> tuple[RuleConfig, ...]:
    """The scene's [[rules]] (raw: the TOML value, [] when absent); ConfigError naming the file, the rule and
    the reason (rule 2)."""
    if not isinstance(raw, list) or len(raw) > MAX_RULES:
        raise ConfigError(file, "rules", f"must be at most {MAX_RULES} [[rules]] tables")
    rules: list[RuleConfig] = []
    for i, table in enumerate(raw):
        name = table.get("name") if isinstance(table, dict) else None
        label = f"rules[{i}]" + (f" {name!r}" if isinstance(name, str) else "")
        try:
            rule = _rule(table)
        except ValueError as exc:
            key, _, reason = str(exc).partition(": ")
            if not reason:
                raise ConfigError(file, label, key) from None
            raise ConfigError(file, f"{label}.{key}", reason) from None
        if any(r.name == rule.name for r in rules):
            raise ConfigError(file, f"{label}.name", f"another rule is already called {rule.name!r}")
        rules.append(rule)
    return tuple(rules)
