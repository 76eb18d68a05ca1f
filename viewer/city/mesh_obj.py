"""Wavefront OBJ -> triangles per object, in one pass over the lines (trimesh is not used for OBJ).

Rules this module keeps:
1. Time is linear in the file: one pass over the lines, then whole-array numpy work. (trimesh's OBJ reader
   clears a mask over every vertex of the file for each object: 300k objects took 51 s.)
2. Read: "v" (the first three coordinates), "vt" (u and v), "f" (the vertex and texture index of each
   corner, 1-based or negative = relative to those read so far; normal indices are ignored), "o", "g",
   "usemtl" (the material of the faces that follow) and "mtllib" (names of material libraries, read by
   parse_mtl when the caller has checked where they are). Every other statement (vn, s, l, p ...) is skipped.
6. MTL (parse_mtl): "newmtl", "Kd" (diffuse RGB) and "map_Kd" (the image, its last word; options before it
   are skipped); every other statement is skipped.
3. A polygon of k corners is fanned into k - 2 triangles from its first corner.
4. Objects: faces are grouped by the ("o" name, "g" name) in force when they are read; an object is named
   "<o>_<g>" when both are set, else by whichever is set, else after the file; names are made unique with
   "_1", "_2" ... Objects are in order of their first face.
5. Malformed statements (a vertex with fewer than three numbers, a face index that is not an integer or does
   not exist, a face of fewer than three corners) are LoadErrors naming the file and the line. A texture
   index that does not exist leaves its face untextured.
7. Side files: the "mtllib" names of a file are found without parsing it (LibraryScanner, fed the chunks the
   cache hashes), so the cache key covers the material libraries a load reads (city/cache.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from viewer.errors import LoadError


class ObjMesh:
    """Triangles of an OBJ. names : object names; vertices : (v, 3) float64;
    corners : (t, 3) int64 into vertices; triangle_object : (t,) int64 index into names.
    uv : (u, 2) float64 "vt" values; corner_uv : (t, 3) int64 into uv, -1 for none;
    materials : "usemtl" names in order of first use; triangle_material : (t,) int64 into them, -1 for none;
    libraries : "mtllib" names as written."""

    def __init__(self, names: list[str], vertices: np.ndarray, corners: np.ndarray,
                 triangle_object: np.ndarray) -> None:
        self.names, self.vertices, self.corners, self.triangle_object = names, vertices, corners, triangle_object
        self.uv = np.zeros((0, 2), np.float64)
        self.corner_uv = np.full(corners.shape, -1, np.int64)
        self.materials: list[str] = []
        self.triangle_material = np.full(corners.shape[0], -1, np.int64)
        self.libraries: list[str] = []


def parse(path: Path, text: str) -> ObjMesh:
    """Parse OBJ text (rules above)."""
    coordinates: list[str] = []
    texcoords: list[str] = []
    fans: list[int] = []  # corner indices, 0-based, of every polygon back to back
    fan_uvs: list[int] = []  # their texture indices, -1 for none
    fan_sizes: list[int] = []
    fan_object: list[int] = []
    fan_material: list[int] = []
    materials: dict[str, int] = {}
    libraries: list[str] = []
    material = -1
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
            _add_face_uvs(words, len(texcoords) // 2, fan_uvs)
            fan_sizes.append(len(words) - 1)
            fan_object.append(current)
            fan_material.append(material)
        elif head == "vt":
            texcoords.extend((words[1:3] + ["0", "0"])[:2])
        elif head == "usemtl":
            used = line.strip()[6:].strip()
            material = materials.setdefault(used, len(materials)) if used else -1
        elif head == "mtllib":
            libraries.extend(words[1:])
        elif head in ("o", "g"):
            name = line.strip()[1:].strip() or None
            key = (name, key[1]) if head == "o" else (key[0], name)
            current = objects.get(key, -1)
    try:
        vertices = np.array(coordinates, dtype=np.float64).reshape(-1, 3)
    except ValueError:
        raise LoadError(path, "a vertex coordinate is not a number") from None
    sizes = np.array(fan_sizes, np.int64)
    corners, triangle_object = _fan_triangles(np.array(fans, np.int64), sizes, np.array(fan_object, np.int64))
    mesh = ObjMesh(_names(path, list(objects)), vertices, corners, triangle_object)
    if materials or texcoords:
        try:
            mesh.uv = np.array(texcoords, dtype=np.float64).reshape(-1, 2)
        except ValueError:
            raise LoadError(path, "a texture coordinate is not a number") from None
        mesh.corner_uv, mesh.triangle_material = _fan_triangles(np.array(fan_uvs, np.int64), sizes,
                                                                np.array(fan_material, np.int64))
        mesh.materials, mesh.libraries = list(materials), libraries
    return mesh


def _add_face_uvs(words: list[str], uv_count: int, fan_uvs: list[int]) -> None:
    """Append the 0-based texture index of each corner of one "f" statement (-1: none or not existing)."""
    for word in words[1:]:
        parts = word.split("/")
        index = -1
        if len(parts) > 1 and parts[1]:
            try:
                index = int(parts[1])
            except ValueError:
                index = 0
            index = index - 1 if index > 0 else uv_count + index
        fan_uvs.append(index if 0 <= index < uv_count else -1)


_MTLLIB = re.compile(rb"^[ \t]*mtllib[ \t]+([^\r\n]*)", re.M)


class LibraryScanner:
    """The "mtllib" names of an OBJ fed in chunks (rule 7): lines are scanned whole, a chunk's last partial
    line waits for the next chunk."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._tail = b""

    def __call__(self, chunk: bytes) -> None:
        data = self._tail + chunk
        cut = data.rfind(b"\n") + 1
        self._scan(data[:cut])
        self._tail = data[cut:]

    def finish(self) -> list[str]:
        self._scan(self._tail)
        self._tail = b""
        return self.names

    def _scan(self, data: bytes) -> None:
        if b"mtllib" in data:
            for match in _MTLLIB.findall(data):
                self.names.extend(match.decode("utf-8", "replace").split())


def parse_mtl(text: str) -> dict[str, tuple[tuple[float, float, float] | None, str | None]]:
    """Material name -> (Kd diffuse colour or None, map_Kd image name or None), rule 6."""
    found: dict[str, tuple[tuple[float, float, float] | None, str | None]] = {}
    name: str | None = None
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] == "newmtl":
            name = line.strip()[6:].strip()
            found[name] = (None, None)
        elif name is not None and words[0] == "Kd" and len(words) >= 4:
            try:
                rgb = tuple(min(max(float(w), 0.0), 1.0) for w in words[1:4])
            except ValueError:
                continue
            found[name] = (rgb, found[name][1])  # type: ignore[assignment]
        elif name is not None and words[0] == "map_Kd" and len(words) >= 2:
            found[name] = (found[name][0], words[-1])
    return found


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
