"""pnts (3D Tiles 1.0 point clouds) -> PointCloud: positions in the tileset's coordinates, colours, batches.

Rules: POINTS_LENGTH is checked against limits.max_vertices before anything is allocated; positions are
POSITION (float32) or POSITION_QUANTIZED (uint16, with QUANTIZED_VOLUME_OFFSET and _SCALE); colours RGBA, RGB,
RGB565 or CONSTANT_RGBA become (n, 4) uint8; RTC_CENTER and the tile transform are applied. A batch table is
turned into attributes only when points are batched (BATCH_ID): a per-point table of a million points would be
a million dicts. Draco-compressed points (3DTILES_draco_point_compression) are refused by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from viewer.city.limits import check_count
from viewer.config import Limits
from viewer.errors import LoadError
from viewer.tiles import tables
from viewer.tiles.formats import Parts


@dataclass
class PointCloud:
    """positions : (n, 3) float64 tileset coordinates; colors : (n, 4) uint8 or None; batch_ids : (n,) int64
    or None; attributes : one dict per batch (empty when points are not batched)."""

    positions: np.ndarray
    colors: np.ndarray | None
    batch_ids: np.ndarray | None
    attributes: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.positions.shape[0])


def decode_pnts(where: str, parts: Parts, transform: np.ndarray, limits: Limits) -> PointCloud:
    table = tables.FeatureTable(where, parts.feature_json, parts.feature_binary)
    if "3DTILES_draco_point_compression" in table.json.get("extensions", {}):
        raise LoadError(where, "pnts with 3DTILES_draco_point_compression are not read")
    count = table.number("POINTS_LENGTH")
    if count is None:
        raise LoadError(where, "pnts feature table has no POINTS_LENGTH")
    check_count(where, "POINTS_LENGTH", count, limits.max_vertices)
    positions = _positions(where, table, count)
    rtc = table.vector("RTC_CENTER", 3)
    if rtc is not None:
        positions += rtc
    positions = positions @ transform[:3, :3].T + transform[:3, 3]
    batch_ids = table.array("BATCH_ID", count, 1, "UNSIGNED_SHORT")
    attributes: list[dict[str, Any]] = []
    ids = None
    if batch_ids is not None:
        ids = batch_ids.ravel().astype(np.int64)
        batch_length = table.number("BATCH_LENGTH")
        if batch_length is None:
            raise LoadError(where, "pnts has BATCH_ID but no BATCH_LENGTH")
        check_count(where, "BATCH_LENGTH", batch_length, limits.max_objects)
        if count and ids.max() >= batch_length:
            raise LoadError(where, f"a BATCH_ID is {int(ids.max())}, beyond BATCH_LENGTH {batch_length}")
        attributes = tables.batch_attributes(where, parts.batch_json, parts.batch_binary, batch_length)
    return PointCloud(positions, _colors(where, table, count), ids, attributes)


def _positions(where: str, table: tables.FeatureTable, count: int) -> np.ndarray:
    plain = table.array("POSITION", count, 3, "FLOAT")
    if plain is not None:
        return plain.astype(np.float64)
    quantized = table.array("POSITION_QUANTIZED", count, 3, "UNSIGNED_SHORT")
    offset, scale = table.vector("QUANTIZED_VOLUME_OFFSET", 3), table.vector("QUANTIZED_VOLUME_SCALE", 3)
    if quantized is None or offset is None or scale is None:
        raise LoadError(where, "pnts has neither POSITION nor POSITION_QUANTIZED with its volume offset and scale")
    return offset + quantized.astype(np.float64) * (scale / 65535.0)


def _colors(where: str, table: tables.FeatureTable, count: int) -> np.ndarray | None:
    rgba = table.array("RGBA", count, 4, "UNSIGNED_BYTE")
    if rgba is not None:
        return rgba.astype(np.uint8)
    rgb = table.array("RGB", count, 3, "UNSIGNED_BYTE")
    if rgb is not None:
        return np.column_stack([rgb.astype(np.uint8), np.full(count, 255, np.uint8)])
    packed = table.array("RGB565", count, 1, "UNSIGNED_SHORT")
    if packed is not None:
        v = packed.ravel().astype(np.uint32)
        channels = [((v >> 11) & 31) * 255 // 31, ((v >> 5) & 63) * 255 // 63, (v & 31) * 255 // 31]
        return np.column_stack([*(c.astype(np.uint8) for c in channels), np.full(count, 255, np.uint8)])
    constant = table.vector("CONSTANT_RGBA", 4)
    if constant is not None:
        return np.tile(np.clip(constant, 0, 255).astype(np.uint8), (count, 1))
    return None
