"""Mesh loaders (glTF/GLB, OBJ, PLY) through trimesh -> SourceModel.

Rules this module keeps:
1. Every scene-graph instance (a node carrying a geometry) becomes one object. Its id is the glTF node's own
   name when the file gives one, else the geometry's name as trimesh keys it (the glTF mesh name; the OBJ
   "o" or "g" name, "object_group" when both split a file; the PLY file name), kept exactly; a second instance
   of an already used id takes its scene-graph node name. type = options.object_type or "Object";
   attributes = {"mesh": geometry name}.
2. Scene-graph transforms are applied per instance with one matrix product over all its vertices.
3. Up axis: options.up_axis, default "y" for glTF (the spec is Y-up, turned to Z-up by (x, y, z) -> (x, -z, y))
   and "z" for OBJ/PLY (real exports such as cjio's OBJ are Z-up). options.offset is added afterwards.
4. Triangles are unwelded: each owns its three vertices, so per-vertex object and kind are exact.
5. Mesh formats carry no semantics, so the surface kind is a guess from the face normal after rule 3:
   n_z > 0.7 -> ROOF, n_z < -0.7 -> GROUND, else WALL (degenerate triangles count as WALL). A flat terrain
   therefore shows as ROOF; use CityJSON when true semantics matter.
6. Hostile input: the file size is checked before reading; the glTF JSON (and a PLY header, the line counts of
   an OBJ) are checked against the limits before trimesh allocates; every reference outside the model's
   folder is refused (in the JSON and again in the resolver trimesh reads through); a file that is not what its
   extension says, a trimesh failure, NaN/inf or absurd coordinates all become a LoadError naming the file.
   glTF materials and images are dropped before parsing: the viewer does not draw them, and not decoding
   them saves time and keeps image decoders away from untrusted bytes. OBJ material libraries and PLY
   texture files are never read, for the same reasons.
7. CRS: None unless options.crs (mesh formats declare none).
"""

from __future__ import annotations

import io
import json
import re
import struct
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np

from viewer.city.limits import check_count, check_file, parse_json_text, resolve_inside
from viewer.city.model import SourceModel, SourceModelBuilder, SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import LoadError

_FORMATS = {".gltf": "gltf", ".glb": "gltf", ".obj": "obj", ".ply": "ply"}
_GLB_MAGIC = b"glTF"
_CHUNK_JSON = 0x4E4F534A
_MAX_COORD = 1e12  # metres; anything larger is not a city and would overflow float64 products
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ROOF_NZ = 0.7
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")  # control bytes no text format contains
_PLY_SIZES = {"char": 1, "int8": 1, "uchar": 1, "uint8": 1, "short": 2, "int16": 2, "ushort": 2, "uint16": 2,
              "int": 4, "int32": 4, "uint": 4, "uint32": 4, "float": 4, "float32": 4, "double": 8, "float64": 8}


def load(path: Path, options: SourceConfig, limits: Limits) -> SourceModel:
    """Load a glTF/GLB, OBJ or PLY file as one object per scene-graph instance (see module rules)."""
    path = Path(path)
    fmt = options.format or _FORMATS.get(path.suffix.lower())
    if fmt not in ("gltf", "obj", "ply"):
        raise LoadError(path, f"not a mesh file (expected .gltf, .glb, .obj or .ply, got {path.suffix!r})")
    check_file(path, limits)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None
    resolver = _FolderResolver(path.parent, path, limits)
    explicit_names: set[str] = set()
    declared_vertices = 0
    if fmt == "gltf":
        data, file_type, explicit_names = _prepare_gltf(path, data, limits)
        kwargs: dict[str, Any] = {"merge_primitives": True}
    elif fmt == "obj":
        data = _check_obj_text(path, data, limits)
        file_type, kwargs = "obj", {"skip_materials": True, "split_objects": True, "split_groups": True,
                                     "group_material": False}
    else:
        declared_vertices = _check_ply_header(path, data, limits)
        file_type, kwargs = "ply", {"skip_materials": True}
    scene, raw = _parse(path, data, file_type, resolver, kwargs)
    if fmt == "ply":
        _check_ply_vertices(path, scene, declared_vertices)
    instances = _instances(scene, raw, explicit_names, path.name if fmt == "ply" else None)
    up = options.up_axis or ("y" if fmt == "gltf" else "z")
    return _scene_to_model(path, fmt, scene, instances, up, options, limits)


class _FolderResolver:
    """What trimesh reads referenced files through: only regular files inside the model's folder.

    A refusal is raised and also remembered, because trimesh swallows errors while loading optional assets
    (textures, material libraries); load() re-raises a remembered refusal after parsing.
    """

    def __init__(self, folder: Path, model: Path, limits: Limits) -> None:
        self.folder, self.model, self.limits = folder, model, limits
        self.file_name = model.name  # trimesh names a geometry without its own name after this
        self.refused: list[LoadError] = []

    def get(self, name: str) -> bytes:
        try:
            target = reference_target(self.model, self.folder, str(name))
            check_file(target, self.limits)
            return target.read_bytes()
        except OSError as exc:
            raise LoadError(self.model, f"cannot read referenced {name!r}: {exc.strerror or exc}") from None
        except LoadError as exc:
            self.refused.append(exc)
            raise

    def __getitem__(self, name: str) -> bytes:
        return self.get(name)

    def __contains__(self, name: str) -> bool:
        return False  # never list the folder: trimesh only needs names the file gave it

    def keys(self) -> list[str]:
        return []

    def write(self, name: str, data: bytes) -> None:
        raise LoadError(self.model, f"refused to write {name!r} while loading")

    def namespaced(self, namespace: str) -> _FolderResolver:
        return self  # every name is resolved against the model's own folder


def reference_target(model: Path, folder: Path, reference: str) -> Path:
    """The file a model references, or a LoadError for URLs and anything outside `folder`.

    Both the reference as written and its percent-decoded form (glTF URIs are RFC 3986) must stay inside.
    """
    if _URL_SCHEME.match(reference):
        raise LoadError(model, f"reference {reference!r} is a URL or drive path; only files inside the "
                               "model's folder are read")
    decoded = unquote(reference)
    for spelling in (reference, decoded):
        resolve_inside(folder, spelling.replace("\\", "/"), model)
    return resolve_inside(folder, decoded.replace("\\", "/"), model)


def _parse(path: Path, data: bytes, file_type: str, resolver: _FolderResolver,
           kwargs: dict[str, Any]) -> tuple[Any, list[tuple[str, str, np.ndarray]]]:
    """trimesh's scene and its (node, geometry key, 4x4 world transform) per mesh instance.

    Transforms are composed here, inside the guard, because trimesh computes them lazily; numpy warnings are
    silenced because non-finite results are refused explicitly afterwards.
    """
    # trimesh is imported here: it is heavy and only mesh sources need it.
    import trimesh

    try:
        with np.errstate(all="ignore"):
            # _FolderResolver is duck-typed: subclassing trimesh's Resolver would import trimesh on import.
            scene = trimesh.load_scene(io.BytesIO(data), file_type=file_type,
                                       resolver=resolver,  # type: ignore[arg-type]
                                       process=False, **kwargs)
            raw = []
            for node in scene.graph.nodes_geometry:
                matrix, geom_name = scene.graph[node]
                raw.append((str(node), str(geom_name), np.asarray(matrix, dtype=np.float64).reshape(4, 4)))
    except LoadError:
        raise
    except Exception as exc:  # trimesh raises anything from ValueError to IndexError on bad bytes
        reason = str(exc).strip() or type(exc).__name__
        raise LoadError(path, f"cannot parse as {file_type.upper()}: {reason[:300]}") from None
    if resolver.refused:
        raise resolver.refused[0]
    return scene, raw


def _prepare_gltf(path: Path, data: bytes, limits: Limits) -> tuple[bytes, str, set[str]]:
    """Check the glTF JSON (references, declared counts, node tree), drop materials and images.

    Returns (bytes for trimesh, "glb" or "gltf", names the file gives to nodes that carry a mesh).
    """
    binary = data[:4] == _GLB_MAGIC
    if path.suffix.lower() == ".glb" and not binary:
        raise LoadError(path, "not a binary glTF (GLB): the file does not start with 'glTF'")
    if binary:
        gltf, rest = _split_glb(path, data)
    else:
        gltf, rest = parse_json_text(path, data), b""
    if not isinstance(gltf, dict):
        raise LoadError(path, "glTF JSON must be an object")
    for key in ("buffers", "images"):
        for item in _list(path, gltf, key):
            uri = item.get("uri")
            if uri is not None and not isinstance(uri, str):
                raise LoadError(path, f"malformed glTF: {key}[].uri must be a string")
            if uri is not None and not uri.startswith("data:"):
                reference_target(path, path.parent, uri)
    _check_declared_counts(path, gltf, limits)
    nodes = _list(path, gltf, "nodes")
    _check_node_tree(path, nodes)
    explicit = {n["name"] for n in nodes if isinstance(n.get("name"), str) and "mesh" in n}
    for key in ("materials", "textures", "images", "samplers"):
        gltf.pop(key, None)
    for mesh in _list(path, gltf, "meshes"):
        for prim in mesh.get("primitives", []):  # a list of dicts: _check_declared_counts made sure
            prim.pop("material", None)
    if not binary:
        return json.dumps(gltf).encode(), "gltf", explicit
    return _join_glb(gltf, rest), "glb", explicit


def _split_glb(path: Path, data: bytes) -> tuple[Any, bytes]:
    """GLB container -> (parsed JSON chunk, the bytes of every following chunk)."""
    if len(data) < 20:
        raise LoadError(path, f"truncated GLB ({len(data)} bytes)")
    version, length, json_len, json_type = struct.unpack_from("<IIII", data, 4)
    if version != 2:
        raise LoadError(path, f"GLB version {version} is not supported (only 2)")
    if length != len(data):
        raise LoadError(path, f"GLB header says {length:,} bytes but the file has {len(data):,} (truncated?)")
    if json_type != _CHUNK_JSON or 20 + json_len > len(data):
        raise LoadError(path, "GLB first chunk is not a complete JSON chunk")
    return parse_json_text(path, data[20:20 + json_len]), data[20 + json_len:]


def _join_glb(gltf: dict[str, Any], rest: bytes) -> bytes:
    text = json.dumps(gltf, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 4)  # chunks are 4-byte aligned, JSON padded with spaces
    header = struct.pack("<4sIIII", _GLB_MAGIC, 2, 20 + len(text) + len(rest), len(text), _CHUNK_JSON)
    return header + text + rest


def _list(path: Path, gltf: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = gltf.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise LoadError(path, f"malformed glTF: {key!r} must be a list of objects")
    return items


def _accessor_count(path: Path, accessors: list[dict[str, Any]], index: Any) -> int:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(accessors):
        raise LoadError(path, f"malformed glTF: accessor {index!r} does not exist")
    count = accessors[index].get("count")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise LoadError(path, f"malformed glTF: accessor {index} has no valid count")
    return count


def _check_declared_counts(path: Path, gltf: dict[str, Any], limits: Limits) -> None:
    """Vertices and triangles the meshes declare (before instancing) against the limits."""
    accessors = _list(path, gltf, "accessors")
    vertices = triangles = 0
    for mesh in _list(path, gltf, "meshes"):
        prims = mesh.get("primitives", [])
        if not isinstance(prims, list) or not all(isinstance(p, dict) for p in prims):
            raise LoadError(path, "malformed glTF: mesh primitives must be a list of objects")
        for prim in prims:
            attributes = prim.get("attributes", {})
            if not isinstance(attributes, dict) or "POSITION" not in attributes:
                continue  # trimesh skips primitives without positions
            count = _accessor_count(path, accessors, attributes["POSITION"])
            vertices += count
            indices = prim.get("indices")
            triangles += (count if indices is None else _accessor_count(path, accessors, indices)) // 3
    check_count(path, "vertex count", vertices, limits.max_vertices)
    check_count(path, "triangle count", triangles, limits.max_triangles)


def _check_node_tree(path: Path, nodes: list[dict[str, Any]]) -> None:
    """glTF nodes form a forest: children exist, each node has at most one parent, and there is no cycle."""
    parent = np.full(len(nodes), -1, dtype=np.int64)
    for i, node in enumerate(nodes):
        children = node.get("children", [])
        if not isinstance(children, list):
            raise LoadError(path, f"malformed glTF: nodes[{i}].children must be a list")
        for child in children:
            if isinstance(child, bool) or not isinstance(child, int) or not 0 <= child < len(nodes):
                raise LoadError(path, f"malformed glTF: nodes[{i}] has a child {child!r} that does not exist")
            if parent[child] >= 0 or child == i:
                raise LoadError(path, f"malformed glTF: node {child} has more than one parent")
            parent[child] = i
    # With at most one parent each, every node is reachable from a root unless it sits on a cycle.
    reached, frontier = 0, list(np.flatnonzero(parent < 0))
    children_of = [node.get("children", []) for node in nodes]
    while frontier:
        reached += len(frontier)
        frontier = [c for n in frontier for c in children_of[n]]
    if reached != len(nodes):
        raise LoadError(path, "malformed glTF: the node hierarchy contains a cycle")


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _BINARY_BYTES.search(data) is None


def _check_obj_text(path: Path, data: bytes, limits: Limits) -> bytes:
    """An OBJ must be text; its 'v' and 'f' lines (lower bounds of vertices and triangles) within the limits.

    Returns the text as UTF-8 bytes for trimesh (which cannot guess other encodings here).
    """
    if _BINARY_BYTES.search(data):
        raise LoadError(path, "binary data, not an OBJ text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # old exporters write object names in Latin-1
    lines = "\n" + text
    check_count(path, "vertex count", lines.count("\nv "), limits.max_vertices)
    check_count(path, "triangle count", lines.count("\nf "), limits.max_triangles)
    return text.encode("utf-8")


def _check_ply_header(path: Path, data: bytes, limits: Limits) -> int:
    """Check a PLY header against the limits and against the bytes that follow it (a lying count fails here).

    Returns the declared vertex count, compared with what trimesh read afterwards.
    """
    end = data.find(b"end_header", 0, 1 << 16)
    if not data.startswith(b"ply") or end < 0:
        raise LoadError(path, "not a PLY file (no 'ply' ... 'end_header' header)")
    try:
        lines = [line.split() for line in data[:end].decode("ascii").splitlines()]
    except UnicodeDecodeError:
        raise LoadError(path, "PLY header is not ASCII text") from None
    fmt = None
    elements: list[tuple[str, int, list[int]]] = []  # name, count, property sizes
    for words in lines:
        if words[:1] == ["format"] and len(words) == 3:
            fmt = words[1]
        elif words[:1] == ["element"]:
            if len(words) != 3 or not words[2].isdigit():
                raise LoadError(path, f"malformed PLY header line {' '.join(words)!r}")
            elements.append((words[1], int(words[2]), []))
        elif words[:1] == ["property"]:
            is_list = len(words) == 5 and words[1] == "list"
            type_name = words[2] if is_list else words[1] if len(words) == 3 else ""
            if not elements or type_name not in _PLY_SIZES:
                raise LoadError(path, f"malformed PLY header line {' '.join(words)!r}")
            elements[-1][2].append(_PLY_SIZES[type_name])
    if fmt not in ("ascii", "binary_little_endian", "binary_big_endian"):
        raise LoadError(path, f"PLY format {fmt!r} is not ascii or binary")
    counts = {name: count for name, count, _ in elements}
    check_count(path, "vertex count", counts.get("vertex", 0), limits.max_vertices)
    check_count(path, "triangle count", counts.get("face", 0), limits.max_triangles)
    newline = data.find(b"\n", end)
    body = len(data) - newline - 1 if newline >= 0 else 0
    # Smallest possible row: "0 " per value in ASCII; the scalars (or list counts) in binary.
    needed = sum(count * (2 * len(sizes) if fmt == "ascii" else sum(sizes)) for _, count, sizes in elements)
    if needed > body:
        raise LoadError(path, f"PLY header declares elements needing at least {needed:,} bytes, "
                              f"but only {body:,} follow")
    if fmt == "ascii" and not _is_text(data[newline + 1:]):
        raise LoadError(path, "ASCII PLY contains bytes that are not text")
    return counts.get("vertex", 0)


def _check_ply_vertices(path: Path, scene: Any, declared: int) -> None:
    loaded = sum(int(g.vertices.shape[0]) for g in scene.geometry.values() if hasattr(g, "vertices"))
    if loaded != declared:
        raise LoadError(path, f"PLY header declares {declared:,} vertices but the file holds {loaded:,}")


def _instances(scene: Any, raw: list[tuple[str, str, np.ndarray]], explicit: set[str],
               single_name: str | None) -> list[tuple[str, str, np.ndarray]]:
    """(object id, geometry key, 4x4 transform) per instance of a triangle mesh, in geometry file order.

    single_name names the object of a format whose one geometry has no name of its own (PLY: the file name).
    """
    order = {name: i for i, name in enumerate(scene.geometry)}
    found = sorted((order[g], node, g, matrix) for node, g, matrix in raw
                   if len(getattr(scene.geometry.get(g), "faces", ())))
    ids: set[str] = set()
    result: list[tuple[str, str, np.ndarray]] = []
    for _, node, geom_name, matrix in found:
        object_id = node if node in explicit else single_name or geom_name
        if object_id in ids:
            object_id = node if node not in ids else f"{node}#{len(result)}"
        ids.add(object_id)
        result.append((object_id, geom_name, matrix))
    return result


def _instance_positions(path: Path, geometry: Any, matrix: np.ndarray) -> np.ndarray:
    """Unwelded, transformed corners of one instance: (3 * faces, 3) float64."""
    vertices = np.asarray(geometry.vertices, dtype=np.float64)
    faces = np.asarray(geometry.faces, dtype=np.int64)
    if vertices.ndim != 2 or vertices.shape[1] != 3:
        raise LoadError(path, f"vertices must have 3 coordinates, got shape {vertices.shape}")
    for what, values in (("coordinates", vertices), ("node transform", matrix)):
        if not np.isfinite(values).all():
            raise LoadError(path, f"{what} contain NaN or infinite values")
        if values.size and np.abs(values).max() > _MAX_COORD:
            raise LoadError(path, f"{what} exceed {_MAX_COORD:g} in magnitude")
    if faces.ndim != 2 or faces.shape[1] != 3 or faces.min() < 0 or faces.max() >= vertices.shape[0]:
        raise LoadError(path, "faces refer to vertices that do not exist")
    corners = vertices[faces.reshape(-1)]
    return corners @ matrix[:3, :3].T + matrix[:3, 3]


def _face_kinds(positions: np.ndarray) -> np.ndarray:
    """Guess per-vertex SurfaceKind from each triangle's normal: (v,) uint8 for positions (v, 3), v = 3 t."""
    tri = positions.reshape(-1, 3, 3)
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    length = np.linalg.norm(normal, axis=1)
    nz = np.divide(normal[:, 2], length, out=np.zeros_like(length), where=length > 0)
    kind = np.where(nz > _ROOF_NZ, SurfaceKind.ROOF,
                    np.where(nz < -_ROOF_NZ, SurfaceKind.GROUND, SurfaceKind.WALL)).astype(np.uint8)
    return np.repeat(kind, 3)


def _scene_to_model(path: Path, fmt: str, scene: Any, instances: list[tuple[str, str, np.ndarray]],
                    up: str, options: SourceConfig, limits: Limits) -> SourceModel:
    if not instances:
        raise LoadError(path, "contains no triangle meshes (empty, or only points or lines)")
    check_count(path, "object count", len(instances), limits.max_objects)
    corner_counts = [3 * len(scene.geometry[g].faces) for _, g, _ in instances]
    check_count(path, "triangle count", sum(corner_counts) // 3, limits.max_triangles)
    check_count(path, "vertex count", sum(corner_counts), limits.max_vertices)
    positions = np.concatenate([_instance_positions(path, scene.geometry[g], m) for _, g, m in instances])
    if up == "y":
        positions = np.stack([positions[:, 0], -positions[:, 2], positions[:, 1]], axis=1)
    kinds = _face_kinds(positions)
    positions = positions + np.asarray(options.offset, dtype=np.float64)

    builder = SourceModelBuilder(str(path), limits)
    object_type = options.object_type or "Object"
    for object_id, geom_name, _ in instances:
        builder.add_object(object_id, object_type, {"mesh": object_id if fmt == "ply" else geom_name})
    vertex_object = np.repeat(np.arange(len(instances), dtype=np.int32), corner_counts)
    triangles = np.arange(positions.shape[0], dtype=np.int64).reshape(-1, 3)
    builder.add_surfaces(positions, triangles, vertex_object, kinds)
    crs = None
    if options.crs:
        from viewer.geo.frame import normalize_crs

        crs = normalize_crs(options.crs)
    return builder.build(fmt, crs, {"geometries": len(scene.geometry), "up_axis": up})
