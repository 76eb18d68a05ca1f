"""Generic entity kinds of protocol v1.1: a kind described in the hello (fields, units, geometry).

    {"name": "air_quality", "geometry": "point", "title": "Air quality",
     "fields": [{"name": "no2", "unit": "ug/m3", "type": "f32"}, {"name": "station", "type": "str"}]}

Rules:
1. A kind name is 1..64 of [a-z0-9_], starting with a letter, and is none of the v1 kinds (batch.KINDS).
2. Geometry gives the columns every row carries before its fields (GEOMETRY_COLUMNS): "point" x, y (float64
   in the feed's CRS, like vehicles) and z (float32, NaN = on the ground); "line" a segment x, y, z to x2, y2,
   z2; "object" none: the id is bound to the scene object with that id (like buildings and roads).
3. Field types: "f32", "f64" (numbers, NaN = unknown) and "str". A field may not reuse a geometry column
   name or "ids", "time", "seen"; at most MAX_FIELDS fields, names like kind names.
4. Reading a description from a peer raises MessageError with the dotted path of what is wrong; nothing
   here trusts its input, and nothing allocates by a count the peer gave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from viewer.twin.batch import KINDS
from viewer.twin.errors import MessageError

GEOMETRIES = ("point", "line", "object")
GEOMETRY_COLUMNS: dict[str, tuple[tuple[str, type], ...]] = {
    "point": (("x", np.float64), ("y", np.float64), ("z", np.float32)),
    "line": (("x", np.float64), ("y", np.float64), ("z", np.float32),
             ("x2", np.float64), ("y2", np.float64), ("z2", np.float32)),
    "object": (),
}
FIELD_TYPES: dict[str, type] = {"f32": np.float32, "f64": np.float64, "str": np.object_}
TYPE_NAMES = {np.dtype(t): name for name, t in FIELD_TYPES.items()}
RESERVED = frozenset({"ids", "id", "time", "seen", "x", "y", "z", "x2", "y2", "z2"})
MAX_FIELDS = 32
MAX_KINDS = 32
MAX_TEXT = 256
_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind: name, unit (free text, e.g. "ug/m3", "dB(A)", "degC"), type (FIELD_TYPES)."""

    name: str
    unit: str = ""
    type: str = "f32"
    description: str = ""


@dataclass(frozen=True)
class EntityKind:
    """A generic kind (rules above)."""

    name: str
    geometry: str = "point"
    fields: tuple[FieldSpec, ...] = ()
    title: str = ""

    def __post_init__(self) -> None:
        check_kind(self)

    def dtypes(self) -> dict[str, type]:
        """Every column after ids, in wire order: the geometry's, then the fields'."""
        out: dict[str, type] = dict(GEOMETRY_COLUMNS[self.geometry])
        out.update({f.name: FIELD_TYPES[f.type] for f in self.fields})
        return out

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "geometry": self.geometry, "title": self.title,
                "fields": [{"name": f.name, "unit": f.unit, "type": f.type, "description": f.description}
                           for f in self.fields]}


def check_kind(kind: EntityKind, where: str = "entity kind") -> None:
    """Rules 1-3 for a kind built in code or read from a peer; MessageError naming what is wrong."""
    if not _NAME.fullmatch(kind.name) or kind.name in KINDS:
        raise MessageError(f"{where} name {kind.name[:64]!r} must be [a-z][a-z0-9_]* (at most 64) and not one "
                           f"of {', '.join(KINDS)}")
    if kind.geometry not in GEOMETRIES:
        raise MessageError(f"{where} {kind.name}: geometry {kind.geometry[:64]!r} is not one of "
                           f"{', '.join(GEOMETRIES)}")
    if len(kind.fields) > MAX_FIELDS:
        raise MessageError(f"{where} {kind.name}: {len(kind.fields)} fields, more than {MAX_FIELDS}")
    seen: set[str] = set()
    for f in kind.fields:
        if not _NAME.fullmatch(f.name) or f.name in RESERVED or f.name in seen:
            raise MessageError(f"{where} {kind.name}: field name {f.name[:64]!r} is not a new [a-z][a-z0-9_]* "
                               f"name (reserved: {', '.join(sorted(RESERVED))})")
        if f.type not in FIELD_TYPES:
            raise MessageError(f"{where} {kind.name}.{f.name}: type {f.type[:64]!r} is not one of "
                               f"{', '.join(FIELD_TYPES)}")
        seen.add(f.name)


def _text(obj: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = obj.get(key, default)
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise MessageError(f"{where}.{key} must be a string of at most {MAX_TEXT} characters")
    return value


def read_kinds(value: Any, where: str = "hello.entity_kinds") -> tuple[EntityKind, ...]:
    """The kinds of a v1.1 hello (rule 4): a list of at most MAX_KINDS descriptions, names unique."""
    if not isinstance(value, list) or len(value) > MAX_KINDS:
        raise MessageError(f"{where} must be a list of at most {MAX_KINDS} kind descriptions")
    kinds: list[EntityKind] = []
    for i, item in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(item, dict):
            raise MessageError(f"{at} must be an object")
        raw_fields = item.get("fields", [])
        if not isinstance(raw_fields, list) or len(raw_fields) > MAX_FIELDS:
            raise MessageError(f"{at}.fields must be a list of at most {MAX_FIELDS} fields")
        fields = []
        for j, f in enumerate(raw_fields):
            if not isinstance(f, dict):
                raise MessageError(f"{at}.fields[{j}] must be an object")
            fields.append(FieldSpec(_text(f, "name", f"{at}.fields[{j}]"), _text(f, "unit", f"{at}.fields[{j}]", ""),
                                    _text(f, "type", f"{at}.fields[{j}]", "f32"),
                                    _text(f, "description", f"{at}.fields[{j}]", "")))
        kind = EntityKind.__new__(EntityKind)
        object.__setattr__(kind, "name", _text(item, "name", at))
        object.__setattr__(kind, "geometry", _text(item, "geometry", at, "point"))
        object.__setattr__(kind, "fields", tuple(fields))
        object.__setattr__(kind, "title", _text(item, "title", at, ""))
        check_kind(kind, at)
        if any(k.name == kind.name for k in kinds):
            raise MessageError(f"{at}: kind {kind.name!r} is described twice")
        kinds.append(kind)
    return tuple(kinds)
