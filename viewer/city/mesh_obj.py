"""Wavefront OBJ -> triangles per object, in one pass over the lines (trimesh is not used for OBJ).

Rules this module keeps:
1. Time is linear in the file: one pass over the lines, then whole-array numpy work. (trimesh's OBJ reader
   clears a mask over every vertex of the file for each object: 300k objects took 51 s.)
2. Only geometry is read: "v" (the first three coordinates), "f" (the vertex index of each corner, 1-based or
   negative = relative to the vertices read so far; texture and normal indices are ignored), "o" and "g".
   Every other statement (vt, vn, usemtl, mtllib, s, l, p ...) is skipped: material libraries are never read.
3. A polygon of k corners is fanned into k - 2 triangles from its first corner.
4. Objects: faces are grouped by the ("o" name, "g" name) in force when they are read; an object is named
   "<o>_<g>" when both are set, else by whichever is set, else after the file; names are made unique with
   "_1", "_2" ... Objects are in order of their first face.
5. Malformed statements (a vertex with fewer than three numbers, a face index that is not an integer or does
   not exist, a face of fewer than three corners) are LoadErrors naming the file and the line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from viewer.errors import LoadError


class ObjMesh:
    """Triangles of an OBJ. names : object names; vertices : (v, 3) float64;
    corners : (t, 3) int64 into vertices; triangle_object : (t,) int64 index into names."""

    def __init__(self, names: list[str], vertices: np.ndarray, corners: np.ndarray,
                 triangle_object: np.ndarray) -> None:
        self.names, self.vertices, self.corners, self.triangle_object = names, vertices, corners, triangle_object


def parse(path: Path, text: str) -> ObjMesh:
    """Parse OBJ text (rules above)."""
    coordinates: list[str] = []
    fans: list[int] = []  # corner indices, 0-based, of every polygon back to back
    fan_sizes: list[int] = []
    fan_object: list[int] = []
    objects: dict[tuple[str | None, str | None], int] = {}
    key: tuple[str | None, str | None] = (None, None)
    current = -1  # object index of `key`, created at its first face
    for number, line in enumerate(text.replace("\\\n", "").splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        head = words[0]
        if head == "v":
            if len(words) < 4:
                raise LoadError(path, f"line {number}: a vertex needs three coordinates")
            coordinates.extend(words[1:4])
        elif head == "f":
            if current < 0:
                current = objects.setdefault(key, len(objects))
            _add_face(path, number, words, len(coordinates) // 3, fans)
            fan_sizes.append(len(words) - 1)
            fan_object.append(current)
        elif head in ("o", "g"):
            name = line.strip()[1:].strip() or None
            key = (name, key[1]) if head == "o" else (key[0], name)
            current = objects.get(key, -1)
    try:
        vertices = np.array(coordinates, dtype=np.float64).reshape(-1, 3)
    except ValueError:
        raise LoadError(path, "a vertex coordinate is not a number") from None
    corners, triangle_object = _fan_triangles(np.array(fans, np.int64), np.array(fan_sizes, np.int64),
                                              np.array(fan_object, np.int64))
    return ObjMesh(_names(path, list(objects)), vertices, corners, triangle_object)


def _add_face(path: Path, number: int, words: list[str], vertex_count: int, fans: list[int]) -> None:
    """Append the 0-based vertex index of each corner of one "f" statement."""
    if len(words) < 4:
        raise LoadError(path, f"line {number}: a face needs at least three corners")
    for word in words[1:]:
        try:
            index = int(word.split("/", 1)[0])
        except ValueError:
            raise LoadError(path, f"line {number}: face corner {word[:40]!r} is not a vertex index") from None
        index = index - 1 if index > 0 else vertex_count + index
        if not 0 <= index < vertex_count:
            raise LoadError(path, f"line {number}: face refers to vertex {word[:40]!r}, which does not exist")
        fans.append(index)


def _fan_triangles(fans: np.ndarray, sizes: np.ndarray, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Polygons (corners back to back, `sizes` each) fanned from their first corner: ((t, 3), (t,) owner)."""
    triangles = sizes - 2
    total = int(triangles.sum())
    starts = np.zeros(sizes.shape[0], np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    polygon = np.repeat(np.arange(sizes.shape[0]), triangles)
    first_tri = np.zeros(sizes.shape[0], np.int64)
    np.cumsum(triangles[:-1], out=first_tri[1:])
    k = np.arange(total) - first_tri[polygon] + 1  # 1 .. size - 2 within each polygon
    base = starts[polygon]
    corners = np.stack([fans[base], fans[base + k], fans[base + k + 1]], axis=1) if total else np.zeros(
        (0, 3), np.int64)
    return corners, owner[polygon]


def _names(path: Path, keys: list[tuple[str | None, str | None]]) -> list[str]:
    used: set[str] = set()
    names = []
    for obj, group in keys:
        base = "_".join(p for p in (obj, group) if p) or path.name
        name, n = base, 0
        while name in used:
            n += 1
            name = f"{base}_{n}"
        used.add(name)
        names.append(name)
    return names
