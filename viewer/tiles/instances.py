"""i3dm instance transforms: (n, 4, 4) matrices from positions, orientations and scales of the feature table.

Orientation: NORMAL_UP and NORMAL_RIGHT (float or oct-encoded _OCT32P) give the instance's y and x axes (z is
right x up); without them EAST_NORTH_UP orients instances to the local east-north-up frame (ECEF tilesets),
else no rotation. SCALE and SCALE_NON_UNIFORM multiply. RTC_CENTER is added to positions.
"""

from __future__ import annotations

import numpy as np

from viewer.errors import LoadError
from viewer.tiles.tables import FeatureTable


def instance_matrices(where: str, table: FeatureTable, count: int, ecef: bool,
                      rtc: np.ndarray | None) -> np.ndarray:
    positions = _positions(where, table, count)
    if rtc is not None:
        positions = positions + rtc
    rotation = _rotations(where, table, count, positions, ecef)
    scale = np.ones((count, 3))
    uniform = table.array("SCALE", count, 1, "FLOAT")
    if uniform is not None:
        scale *= uniform.astype(np.float64)
    non_uniform = table.array("SCALE_NON_UNIFORM", count, 3, "FLOAT")
    if non_uniform is not None:
        scale *= non_uniform.astype(np.float64)
    matrices = np.zeros((count, 4, 4))
    matrices[:, :3, :3] = rotation * scale[:, None, :]
    matrices[:, :3, 3] = positions
    matrices[:, 3, 3] = 1.0
    return matrices


def _positions(where: str, table: FeatureTable, count: int) -> np.ndarray:
    plain = table.array("POSITION", count, 3, "FLOAT")
    if plain is not None:
        return plain.astype(np.float64)
    quantized = table.array("POSITION_QUANTIZED", count, 3, "UNSIGNED_SHORT")
    offset, scale = table.vector("QUANTIZED_VOLUME_OFFSET", 3), table.vector("QUANTIZED_VOLUME_SCALE", 3)
    if quantized is None or offset is None or scale is None:
        raise LoadError(where, "i3dm has neither POSITION nor POSITION_QUANTIZED with its volume offset and scale")
    return offset + quantized.astype(np.float64) * (scale / 65535.0)


def oct_decode(encoded: np.ndarray) -> np.ndarray:
    """(n, 2) uint16 oct-encoded unit vectors (range 0..65535) -> (n, 3) float64 unit vectors."""
    xy = encoded.astype(np.float64) / 65535.0 * 2.0 - 1.0
    x, y = xy[:, 0], xy[:, 1]
    z = 1.0 - np.abs(x) - np.abs(y)
    fold = z < 0
    fx = np.where(fold, (1.0 - np.abs(y)) * np.where(x >= 0, 1.0, -1.0), x)
    fy = np.where(fold, (1.0 - np.abs(x)) * np.where(y >= 0, 1.0, -1.0), y)
    vectors = np.stack([fx, fy, z], axis=1)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _rotations(where: str, table: FeatureTable, count: int, positions: np.ndarray, ecef: bool) -> np.ndarray:
    up = table.array("NORMAL_UP", count, 3, "FLOAT")
    right = table.array("NORMAL_RIGHT", count, 3, "FLOAT")
    if up is None:
        oct_up = table.array("NORMAL_UP_OCT32P", count, 2, "UNSIGNED_SHORT")
        oct_right = table.array("NORMAL_RIGHT_OCT32P", count, 2, "UNSIGNED_SHORT")
        if oct_up is not None and oct_right is not None:
            up, right = oct_decode(oct_up), oct_decode(oct_right)
    if up is not None and right is not None:
        up, right = up.astype(np.float64), right.astype(np.float64)
        return np.stack([right, up, np.cross(right, up)], axis=2)
    if table.json.get("EAST_NORTH_UP") is True and ecef:
        return _east_north_up(positions)
    return np.broadcast_to(np.eye(3), (count, 3, 3)).copy()


def _east_north_up(positions: np.ndarray) -> np.ndarray:
    """(n, 3, 3): columns east, north, up of the WGS84 ellipsoid at each ECEF position."""
    x, y, z = positions[:, 0], positions[:, 1], positions[:, 2]
    up = np.stack([x, y, z / (1.0 - 6.69437999014e-3)], axis=1)
    up /= np.linalg.norm(up, axis=1, keepdims=True)
    east = np.stack([-y, x, np.zeros_like(x)], axis=1)
    east /= np.maximum(np.linalg.norm(east, axis=1, keepdims=True), 1e-12)
    north = np.cross(up, east)
    return np.stack([east, north, up], axis=2)
