"""Per-feature attributes: 1.0 feature and batch tables (b3dm, i3dm, pnts) and 1.1 EXT_structural_metadata
property tables (glTF), each turned into one dict of plain Python values per feature.

Rules this module keeps:
1. Binary references (byteOffset + componentType [+ type]) are bounds-checked against the binary body before
   any view is made; a property whose value count is not the feature count is refused by name.
2. Property tables read what EXT_structural_metadata defines for tables: SCALAR/VECn/MATn numbers (with
   normalized, offset and scale), STRING, BOOLEAN and ENUM, single values and fixed or variable arrays.
   Numbers stay numbers; vectors and arrays become lists.
3. The 3DTILES_batch_table_hierarchy extension is not read (its properties are left out, not misread).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from viewer.city.limits import check_count, parse_json_text
from viewer.errors import LoadError
from viewer.tiles import fields

COMPONENT_TYPES = {"BYTE": np.int8, "UNSIGNED_BYTE": np.uint8, "SHORT": np.int16, "UNSIGNED_SHORT": np.uint16,
                   "INT": np.int32, "UNSIGNED_INT": np.uint32, "FLOAT": np.float32, "DOUBLE": np.float64,
                   # EXT_structural_metadata spellings
                   "INT8": np.int8, "UINT8": np.uint8, "INT16": np.int16, "UINT16": np.uint16, "INT32": np.int32,
                   "UINT32": np.uint32, "INT64": np.int64, "UINT64": np.uint64, "FLOAT32": np.float32,
                   "FLOAT64": np.float64}
TYPE_SIZES = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}


def table_json(where: str, data: bytes, what: str) -> dict[str, Any]:
    """A feature or batch table's JSON header (empty when absent; trailing space padding allowed)."""
    if not data.strip(b" \x00"):
        return {}
    return fields.obj(where, parse_json_text(where, data.rstrip(b"\x00")), what)


def binary_array(where: str, ref: dict[str, Any], binary: bytes, count: int, components: int,
                 default_type: str | None, what: str) -> np.ndarray:
    """(count, components) array a binary reference points at, bounds-checked (rule 1)."""
    type_name = ref.get("componentType", default_type)
    dtype = COMPONENT_TYPES.get(type_name) if isinstance(type_name, str) else None
    if dtype is None:
        raise LoadError(where, f"{what}: unknown componentType {type_name!r}")
    offset = fields.integer(where, ref.get("byteOffset", 0), f"{what}.byteOffset")
    item = np.dtype(dtype).itemsize
    end = offset + count * components * item
    if end > len(binary):
        raise LoadError(where, f"{what} needs bytes {offset:,}-{end:,} but the binary body has {len(binary):,}")
    if offset % item:
        raise LoadError(where, f"{what}.byteOffset {offset} is not aligned to its {item}-byte components")
    return np.frombuffer(binary, dtype, count * components, offset).reshape(count, components)


class FeatureTable:
    """A 1.0 feature table: global values and per-feature arrays (JSON arrays or binary references)."""

    def __init__(self, where: str, json_bytes: bytes, binary: bytes) -> None:
        self.where, self.binary = where, binary
        self.json = table_json(where, json_bytes, "feature table")

    def number(self, name: str, default: int | None = None) -> int | None:
        value = self.json.get(name, default)
        if isinstance(value, dict):  # a global may also sit in the binary body
            value = int(binary_array(self.where, value, self.binary, 1, 1, "UNSIGNED_INT", name)[0, 0])
        return None if value is None else fields.integer(self.where, value, name)

    def vector(self, name: str, size: int) -> np.ndarray | None:
        """A global of `size` numbers (RTC_CENTER, QUANTIZED_VOLUME_OFFSET ...), or None."""
        value = self.json.get(name)
        if value is None:
            return None
        if isinstance(value, dict):
            return binary_array(self.where, value, self.binary, 1, size, "FLOAT", name)[0].astype(np.float64)
        return fields.numbers(self.where, value, name, size)

    def array(self, name: str, count: int, components: int, default_type: str) -> np.ndarray | None:
        """A per-feature property as (count, components), or None when absent."""
        value = self.json.get(name)
        if value is None:
            return None
        if isinstance(value, dict):
            return binary_array(self.where, value, self.binary, count, components, default_type, name)
        flat = fields.items(self.where, value, name)
        if len(flat) != count * components:
            raise LoadError(self.where, f"{name} has {len(flat):,} numbers, {count * components:,} expected")
        return fields.numbers(self.where, flat, name, len(flat)).reshape(count, components)


def batch_attributes(where: str, json_bytes: bytes, binary: bytes, count: int) -> list[dict[str, Any]]:
    """A batch table -> one dict per feature (rule 1; rule 3 for the hierarchy extension)."""
    table = table_json(where, json_bytes, "batch table")
    rows: list[dict[str, Any]] = [{} for _ in range(count)]
    for name, value in table.items():
        if name in ("extensions", "extras"):
            continue
        if isinstance(value, dict):
            size = TYPE_SIZES.get(value.get("type", "SCALAR"))
            if size is None:
                raise LoadError(where, f"batch table {name}: unknown type {value.get('type')!r}")
            column = binary_array(where, value, binary, count, size, None, f"batch table {name}")
            values: list[Any] = column[:, 0].tolist() if size == 1 else column.tolist()
        else:
            values = fields.items(where, value, f"batch table {name}")
            if len(values) != count:
                raise LoadError(where, f"batch table {name} has {len(values):,} values for {count:,} features")
        for row, item in zip(rows, values, strict=True):
            row[name] = item
    return rows


def property_table(where: str, document: dict[str, Any], schema: dict[str, Any], index: int, view: Any,
                   max_rows: int) -> tuple[str, list[dict[str, Any]]]:
    """EXT_structural_metadata propertyTables[index] -> (class name, one dict per row). view(i) -> bytes of
    glTF bufferView i (rule 2)."""
    extension = fields.obj(where, document.get("extensions", {}).get("EXT_structural_metadata"),
                           "EXT_structural_metadata")
    tables = fields.items(where, extension.get("propertyTables", []), "propertyTables")
    if not 0 <= index < len(tables):
        raise LoadError(where, f"property table {index} does not exist")
    table = fields.obj(where, tables[index], f"propertyTables[{index}]")
    class_name = fields.string(where, table.get("class"), f"propertyTables[{index}].class")
    classes = fields.obj(where, schema.get("classes", {}), "schema.classes")
    definition = fields.obj(where, classes.get(class_name), f"schema class {class_name!r}")
    count = fields.integer(where, table.get("count"), f"propertyTables[{index}].count")
    check_count(where, "property table rows", count, max_rows)
    rows: list[dict[str, Any]] = [{} for _ in range(count)]
    class_properties = fields.obj(where, definition.get("properties", {}), f"class {class_name} properties")
    for name, item in fields.obj(where, table.get("properties", {}), "property table properties").items():
        spec = fields.obj(where, class_properties.get(name), f"class {class_name} property {name!r}")
        column = _column(where, name, spec, fields.obj(where, item, f"property {name}"), count, view, schema)
        for row, value in zip(rows, column, strict=True):
            row[name] = value
    return class_name, rows


def _column(where: str, name: str, spec: dict[str, Any], item: dict[str, Any], count: int, view: Any,
            schema: dict[str, Any]) -> list[Any]:
    kind = spec.get("type")
    values = view(item.get("values"))
    what = f"property {name}"
    if spec.get("array"):
        lengths = _array_lengths(where, spec, item, count, view, what)
    else:
        lengths = None
    if kind == "STRING":
        total = int(lengths.sum()) if lengths is not None else count
        offsets = _offsets(where, view(item.get("stringOffsets")), item.get("stringOffsetType", "UINT32"),
                           total + 1, len(values), what)
        strings = [bytes(values[offsets[i]:offsets[i + 1]]).decode("utf-8", "replace") for i in range(total)]
        return _split(strings, lengths)
    if kind == "BOOLEAN":
        total = int(lengths.sum()) if lengths is not None else count
        if len(values) * 8 < total:
            raise LoadError(where, f"{what}: {len(values) * 8} bits for {total} booleans")
        bits = np.unpackbits(np.frombuffer(values, np.uint8), bitorder="little")[:total].astype(bool).tolist()
        return _split(bits, lengths)
    if kind == "ENUM":
        enum = fields.obj(where, schema.get("enums", {}).get(spec.get("enumType")), f"{what} enumType")
        names = {v.get("value"): v.get("name") for v in enum.get("values", []) if isinstance(v, dict)}
        numbers = _numbers(where, values, enum.get("valueType", "UINT16"), 1, lengths, count, what)
        return [[names.get(v) for v in n] if isinstance(n, list) else names.get(n) for n in numbers]
    size = TYPE_SIZES.get(kind)  # type: ignore[arg-type]
    if size is None:
        raise LoadError(where, f"{what}: type {kind!r} is not read")
    numbers = _numbers(where, values, spec.get("componentType"), size, lengths, count, what,
                       spec.get("normalized", False), item.get("offset", spec.get("offset")),
                       item.get("scale", spec.get("scale")))
    return numbers


def _array_lengths(where: str, spec: dict[str, Any], item: dict[str, Any], count: int, view: Any,
                   what: str) -> np.ndarray:
    if "count" in spec:
        return np.full(count, fields.integer(where, spec["count"], f"{what} count"), np.int64)
    offsets = _offsets(where, view(item.get("arrayOffsets")), item.get("arrayOffsetType", "UINT32"), count + 1,
                       None, what)
    lengths = np.diff(offsets)
    if (lengths < 0).any():
        raise LoadError(where, f"{what}: arrayOffsets go backwards")
    if spec.get("type") not in ("STRING", "BOOLEAN"):  # byte offsets -> element counts
        component = COMPONENT_TYPES.get(str(spec.get("componentType")), np.uint8)
        lengths = lengths // np.dtype(component).itemsize // TYPE_SIZES.get(str(spec.get("type")), 1)
    return lengths


def _offsets(where: str, data: bytes, type_name: Any, count: int, limit: int | None, what: str) -> np.ndarray:
    dtype = COMPONENT_TYPES.get(type_name) if isinstance(type_name, str) else None
    if dtype is None or np.dtype(dtype).kind != "u":
        raise LoadError(where, f"{what}: offset type {type_name!r} is not an unsigned integer type")
    if len(data) < count * np.dtype(dtype).itemsize:
        raise LoadError(where, f"{what}: {count:,} offsets do not fit in their bufferView")
    offsets = np.frombuffer(data, dtype, count).astype(np.int64)
    if (np.diff(offsets) < 0).any() or (limit is not None and offsets[-1] > limit):
        raise LoadError(where, f"{what}: offsets go backwards or past the end of the values")
    return offsets


def _numbers(where: str, data: bytes, type_name: Any, size: int, lengths: np.ndarray | None, count: int,
             what: str, normalized: bool = False, offset: Any = None, scale: Any = None) -> list[Any]:
    dtype = COMPONENT_TYPES.get(type_name) if isinstance(type_name, str) else None
    if dtype is None:
        raise LoadError(where, f"{what}: unknown componentType {type_name!r}")
    total = int(lengths.sum()) if lengths is not None else count
    if len(data) < total * size * np.dtype(dtype).itemsize:
        raise LoadError(where, f"{what}: {total * size:,} values do not fit in their bufferView")
    array = np.frombuffer(data, dtype, total * size).reshape(total, size)
    if normalized or offset is not None or scale is not None:
        values = array.astype(np.float64)
        if normalized and array.dtype.kind in "iu":
            values = np.maximum(values / float(np.iinfo(array.dtype).max), -1.0)
        values = values * (np.asarray(scale, np.float64) if scale is not None else 1.0) \
            + (np.asarray(offset, np.float64) if offset is not None else 0.0)
    else:
        values = array
    items: list[Any] = values[:, 0].tolist() if size == 1 else values.tolist()
    return _split(items, lengths)


def _split(items: list[Any], lengths: np.ndarray | None) -> list[Any]:
    if lengths is None:
        return items
    ends = np.cumsum(lengths)
    return [items[int(e - n):int(e)] for e, n in zip(ends, lengths, strict=True)]
