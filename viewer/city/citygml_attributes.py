"""A CityGML city object's attributes, from its direct child elements, as the dict the picking panel shows.

Rules this module keeps:
1. Only direct children of the object element are read, never nested features or geometry.
2. Simple properties (text, no child elements) keep their local name: gml:name -> "name", bldg:function ->
   "function", ... A property given twice becomes a list. measuredHeight is a float, storey counts and years
   are ints when they parse (else kept as text).
3. Generic attributes (2.0 gen:stringAttribute name="k"><gen:value>; 3.0 core:genericAttribute >
   gen:StringAttribute > gen:name, gen:value) keep their name and type (int, double/measure -> float, else
   text); attribute sets become nested dicts. 3.0 con:height > con:Height > con:value -> "measuredHeight".
4. Addresses (xAL 2 or 3, any depth) become one "address" string: the texts of their leaves joined by ", ".
5. Colour: the object's own X3DMaterial (in its app:appearance) whose targets are most numerous, as
   "colour": "#rrggbb". citygml.py turns it into the object's material (city/appearance.py) for the polygons
   no per-polygon appearance reaches (citygml_appearance.py rule 5).
6. Strings are cut to MAX_TEXT characters: attributes are for reading, not for carrying payloads.
"""

from __future__ import annotations

import sys
from typing import Any

from viewer.city.citygml_names import GML_NAMESPACES, XLINK_HREF

MAX_TEXT = 1000
_INTS = frozenset({"storeysAboveGround", "storeysBelowGround", "yearOfConstruction", "yearOfDemolition"})
_GENERIC_TYPES = {"int": int, "double": float, "measure": float}


def _split(tag: Any) -> tuple[str, str]:
    if type(tag) is not str:
        return "", ""
    ns, _, local = tag[1:].partition("}")
    return ns, local


def _text(elem: Any) -> str:
    return (elem.text or "").strip()[:MAX_TEXT]


def _add(out: dict[str, Any], key: str, value: Any) -> None:
    key = sys.intern(key)  # one string per attribute name, not one per object (258k objects: -60 MB)
    if key not in out:
        out[key] = value
    elif isinstance(out[key], list):
        out[key].append(value)
    else:
        out[key] = [out[key], value]


def _number(kind: type, text: str) -> Any:
    try:
        value = kind(text)
    except ValueError:
        return text
    return value if value == value and abs(value) != float("inf") else text


def object_attributes(elem: Any) -> dict[str, Any]:
    """The attributes of one city object element under the rules of the module docstring."""
    out: dict[str, Any] = {}
    for child in elem:
        if len(child):
            ns, local = _split(child.tag)
            if local:
                _complex(out, ns, local, child)
            continue
        tag = child.tag
        if type(tag) is not str:
            continue
        local = tag.rpartition("}")[2]
        text = _text(child)
        if not text:
            continue
        if local == "measuredHeight":
            _add(out, local, _number(float, text))
        elif local in _INTS:
            _add(out, local, _number(int, text))
        else:
            _add(out, local, text)
    return out


def _complex(out: dict[str, Any], ns: str, local: str, child: Any) -> None:
    if local == "address":
        text = address_text(child)
        if text:
            _add(out, "address", text)
    elif local == "genericAttribute" or (("/generics/" in ns) and local.endswith(("Attribute", "AttributeSet"))):
        generic_attribute(out, child)
    elif local == "height" and "/construction/" in ns:
        value = next((_text(e) for e in child.iter() if _split(e.tag)[1] == "value"), "")
        if value:
            _add(out, "measuredHeight", _number(float, value))
    elif local == "appearance":
        colour = material_colour(child)
        if colour:
            out["colour"] = colour


def generic_attribute(out: dict[str, Any], elem: Any) -> None:
    """One generic attribute (2.0 or 3.0 encoding, or 3.0's core:genericAttribute wrapper) into `out`."""
    _, local = _split(elem.tag)
    if local == "genericAttribute":  # 3.0 wrapper
        for inner in elem:
            if _split(inner.tag)[1]:
                generic_attribute(out, inner)
        return
    name = elem.get("name")
    value_elem = None
    members = []
    for part in elem:
        part_local = _split(part.tag)[1]
        if part_local == "name" and name is None:
            name = _text(part)
        elif part_local == "value":
            value_elem = part
        elif part_local:
            members.append(part)
    if not name:
        return
    if local.lower().startswith("genericattributeset"):
        nested: dict[str, Any] = {}
        for member in members:
            generic_attribute(nested, member)
        _add(out, name, nested)
        return
    if value_elem is None:
        return
    kind = _GENERIC_TYPES.get(local[0].lower() + local[1:].replace("Attribute", ""))
    text = _text(value_elem)
    _add(out, name, _number(kind, text) if kind is not None else text)


def address_text(elem: Any) -> str:
    """The texts of an address's leaf elements, in document order, joined by ", " (positions skipped)."""
    parts = []
    for node in elem.iter():
        ns, local = _split(node.tag)
        if not local or len(node) or ns in GML_NAMESPACES:
            continue
        text = _text(node)
        if text:
            parts.append(text)
    return ", ".join(parts)[:MAX_TEXT]


def material_colour(appearance: Any) -> str | None:
    """"#rrggbb" of the X3DMaterial under `appearance` with the most targets, or None."""
    best, best_count = None, -1
    for node in appearance.iter():
        if _split(node.tag)[1] != "X3DMaterial":
            continue
        diffuse, targets = None, 0
        for part in node:
            part_local = _split(part.tag)[1]
            if part_local == "diffuseColor":
                diffuse = _rgb(_text(part))
            elif part_local == "target" and (_text(part) or part.get(XLINK_HREF)):
                targets += 1
        if diffuse is not None and targets > best_count:
            best, best_count = diffuse, targets
    return best


def _rgb(text: str) -> str | None:
    try:
        values = [float(v) for v in text.split()]
    except ValueError:
        return None
    if len(values) != 3 or not all(v == v for v in values):
        return None
    return "#" + "".join(f"{round(min(max(v, 0.0), 1.0) * 255):02x}" for v in values)
