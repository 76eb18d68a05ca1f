"""glTF/GLB before trimesh: checks, the scene graph walked here, and a flat file of primitives for trimesh.

Rules this module keeps:
1. trimesh decodes geometry only: it gets a copy of the file whose meshes are the original primitives, one mesh
   each, named "p<j>", with no nodes or scenes. The scene graph is walked here, once, iteratively: each node's
   world matrix is its parent's times its own, so a chain of n nodes costs n matrix products (trimesh's
   graph recomputes every path from the root: minutes for a 130 KB chain).
2. What instancing expands to (triangles of every node's mesh, vertices once unwelded) is counted against the
   limits before anything is decoded.
3. A mesh's primitives become one object per node that uses it, whatever their number or materials
   (exporters write one primitive per material). Cameras, skins and animations are dropped. Materials are
   read here (baseColorFactor and the baseColorTexture's image, as city/appearance.py Materials: a uri inside
   the folder, a data: uri, or a bufferView's bytes), never decoded while loading; trimesh only sees one
   plain material so that it decodes TEXCOORD_0 (as uv with v flipped up, the OpenGL convention).
4. Object ids (as mesh.py rule 1): the node's own name when it has one, else the mesh key (the glTF mesh name,
   "GLTF" when unnamed, made unique with "_1", "_2" ...); a repeated id takes the node key (its name or
   index, made unique the same way), then "<node key>#<n>".
5. Every reference (buffer or image uri) must stay inside the model's folder (mesh.reference_target).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city.appearance import ImageRef, Material
from viewer.city.limits import check_count, parse_json_text
from viewer.config import Limits
from viewer.errors import LoadError

GLB_MAGIC = b"glTF"
_CHUNK_JSON = 0x4E4F534A
_DROPPED = ("materials", "textures", "images", "samplers", "cameras", "skins", "animations", "nodes",
            "scenes", "scene")
_TRS_SIZES = {"translation": 3, "rotation": 4, "scale": 3}


@dataclass
class GltfInstance:
    """One node carrying a mesh: object id, mesh index, world matrix (4, 4) float64 in glTF axes."""

    object_id: str
    mesh: int
    matrix: np.ndarray


@dataclass
class GltfPlan:
    """What mesh.py needs: the flat file for trimesh and how its geometries ("p<j>") form instances.

    primitives[m] : geometry keys of mesh m; mesh_keys[m] : its name (the objects' "mesh" attribute).
    materials : the file's materials; primitive_material["p<j>"] : index into them, -1 for none.
    """

    data: bytes
    file_type: str
    primitives: list[list[str]]
    mesh_keys: list[str]
    instances: list[GltfInstance]
    materials: list[Material] = field(default_factory=list)
    primitive_material: dict[str, int] = field(default_factory=dict)


def prepare(path: Path, data: bytes, limits: Limits, check_reference: Any) -> GltfPlan:
    """Check a glTF/GLB (references, declared and instanced counts, node forest) and plan its loading.

    check_reference(uri) raises a LoadError for a uri outside the model's folder.
    """
    binary = data[:4] == GLB_MAGIC
    if path.suffix.lower() == ".glb" and not binary:
        raise LoadError(path, "not a binary glTF (GLB): the file does not start with 'glTF'")
    gltf, rest = _split_glb(path, data) if binary else (parse_json_text(path, data), b"")
    if not isinstance(gltf, dict):
        raise LoadError(path, "glTF JSON must be an object")
    for key in ("buffers", "images"):
        for item in _list(path, gltf, key):
            uri = item.get("uri")
            if uri is not None and not isinstance(uri, str):
                raise LoadError(path, f"malformed glTF: {key}[].uri must be a string")
            if uri is not None and not uri.startswith("data:"):
                check_reference(uri)
    meshes = _list(path, gltf, "meshes")
    triangles_per_mesh = _declared_triangles(path, gltf, meshes, limits)
    instances = _instances(path, gltf, meshes)
    check_count(path, "object count (mesh instances)", len(instances), limits.max_objects)
    expanded = sum(triangles_per_mesh[i.mesh] for i in instances)
    check_count(path, "triangle count (with instancing)", expanded, limits.max_triangles)
    check_count(path, "vertex count (with instancing, unwelded)", 3 * expanded, limits.max_vertices)
    materials = gltf_materials(path, gltf, rest, check_reference)
    flat, primitives, primitive_material = _flatten(meshes, len(materials))
    for key in _DROPPED:
        gltf.pop(key, None)
    gltf["meshes"] = flat
    if primitive_material:
        gltf["materials"] = [{"name": "uv"}]  # rule 3: trimesh decodes TEXCOORD_0 only for a material
    data = _join_glb(gltf, rest) if binary else json.dumps(gltf).encode()
    return GltfPlan(data, "glb" if binary else "gltf", primitives, _mesh_keys(meshes), instances,
                    materials, primitive_material)


def gltf_materials(path: Path, gltf: dict[str, Any], rest: bytes, check_reference: Any) -> list[Material]:
    """The file's materials (rule 3): baseColorFactor as tint and diffuse colour, the base colour image."""
    materials = []
    textures, images = gltf.get("textures"), gltf.get("images")
    for i, raw in enumerate(_list(path, gltf, "materials")):
        pbr = raw.get("pbrMetallicRoughness")
        pbr = pbr if isinstance(pbr, dict) else {}
        factor = pbr.get("baseColorFactor")
        rgb = None
        if isinstance(factor, list) and len(factor) == 4 and all(type(v) in (int, float) for v in factor):
            rgb = tuple(min(max(float(v), 0.0), 1.0) for v in factor[:3])
        image = None
        info = pbr.get("baseColorTexture")
        if isinstance(info, dict):
            image = _texture_image(path, info.get("index"), textures, images, gltf, rest, check_reference)
        label = raw.get("name")
        materials.append(Material(label if isinstance(label, str) else f"material {i}", rgb,  # type: ignore[arg-type]
                                  image, rgb or (1.0, 1.0, 1.0)))  # type: ignore[arg-type]
    return materials


def _texture_image(path: Path, index: Any, textures: Any, images: Any, gltf: dict[str, Any], rest: bytes,
                   check_reference: Any) -> ImageRef | None:
    """The ImageRef of texture `index` (None when the file's references do not lead to an image)."""
    try:
        source = textures[index]["source"]
        image = images[source]
    except (TypeError, KeyError, IndexError):
        return None
    if not isinstance(image, dict) or type(index) is not int or type(source) is not int:
        return None
    uri = image.get("uri")
    if isinstance(uri, str):
        if uri.startswith("data:"):
            return ImageRef(f"images[{source}] (data uri)", data=_data_uri(uri))
        return ImageRef(uri, path=str(check_reference(uri)))
    view = image.get("bufferView")
    data = _buffer_view(path, gltf, rest, view, check_reference)
    if data is None:
        return ImageRef(f"images[{source}]", refused="its bufferView cannot be read")
    name = image.get("name")
    return ImageRef(name if isinstance(name, str) else f"images[{source}]", data=data)


def _data_uri(uri: str) -> bytes:
    import base64
    import binascii

    head, _, body = uri.partition(",")
    try:
        return base64.b64decode(body) if head.endswith(";base64") else body.encode()
    except (binascii.Error, ValueError):
        return b""


def _buffer_view(path: Path, gltf: dict[str, Any], rest: bytes, view: Any, check_reference: Any) -> bytes | None:
    """The bytes of bufferView `view`: in the GLB's binary chunk, a data: uri or a file in the folder."""
    try:
        bv = gltf["bufferViews"][view]
        buffer = gltf["buffers"][bv.get("buffer", 0)]
        start, length = int(bv.get("byteOffset", 0)), int(bv["byteLength"])
    except (TypeError, KeyError, IndexError, ValueError, AttributeError):
        return None
    if type(view) is not int or start < 0 or length < 0:
        return None
    uri = buffer.get("uri") if isinstance(buffer, dict) else None
    if isinstance(uri, str):
        if uri.startswith("data:"):
            data = _data_uri(uri)
        else:
            try:
                data = Path(check_reference(uri)).read_bytes()
            except OSError:
                return None
    else:
        if len(rest) < 8:
            return None
        chunk_len = struct.unpack_from("<I", rest, 0)[0]
        data = rest[8:8 + chunk_len]
    return data[start:start + length] if start + length <= len(data) else None


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
    header = struct.pack("<4sIIII", GLB_MAGIC, 2, 20 + len(text) + len(rest), len(text), _CHUNK_JSON)
    return header + text + rest


def _list(path: Path, gltf: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = gltf.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise LoadError(path, f"malformed glTF: {key!r} must be a list of objects")
    return items


def _index(path: Path, value: Any, size: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < size:
        raise LoadError(path, f"malformed glTF: {what} {value!r} does not exist")
    return value


def _accessor_count(path: Path, accessors: list[dict[str, Any]], index: Any) -> int:
    index = _index(path, index, len(accessors), "accessor")
    count = accessors[index].get("count")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise LoadError(path, f"malformed glTF: accessor {index} has no valid count")
    return count


def _declared_triangles(path: Path, gltf: dict[str, Any], meshes: list[dict[str, Any]],
                        limits: Limits) -> list[int]:
    """Triangles of each mesh (an upper bound); vertices and triangles of all meshes, once, within limits."""
    accessors = _list(path, gltf, "accessors")
    vertices = 0
    per_mesh: list[int] = []
    for mesh in meshes:
        prims = mesh.get("primitives", [])
        if not isinstance(prims, list) or not all(isinstance(p, dict) for p in prims):
            raise LoadError(path, "malformed glTF: mesh primitives must be a list of objects")
        triangles = 0
        for prim in prims:
            attributes = prim.get("attributes", {})
            if not isinstance(attributes, dict) or "POSITION" not in attributes:
                continue  # trimesh skips primitives without positions
            count = _accessor_count(path, accessors, attributes["POSITION"])
            vertices += count
            indices = prim.get("indices")
            triangles += (count if indices is None else _accessor_count(path, accessors, indices)) // 3
        per_mesh.append(triangles)
    check_count(path, "vertex count", vertices, limits.max_vertices)
    check_count(path, "triangle count", sum(per_mesh), limits.max_triangles)
    return per_mesh


def _children(path: Path, nodes: list[dict[str, Any]]) -> tuple[list[list[int]], np.ndarray]:
    """Children of each node and each node's parent (-1: none); a node with two parents is refused."""
    parent = np.full(len(nodes), -1, dtype=np.int64)
    children: list[list[int]] = []
    for i, node in enumerate(nodes):
        kids = node.get("children", [])
        if not isinstance(kids, list):
            raise LoadError(path, f"malformed glTF: nodes[{i}].children must be a list")
        for child in kids:
            _index(path, child, len(nodes), f"nodes[{i}] child")
            if parent[child] >= 0 or child == i:
                raise LoadError(path, f"malformed glTF: node {child} has more than one parent")
            parent[child] = i
        children.append(kids)
    return children, parent


def _roots(path: Path, gltf: dict[str, Any], nodes: list[dict[str, Any]], parent: np.ndarray) -> list[int]:
    """Root nodes of the default scene (every parentless node when the file has no scenes), each once."""
    scenes = _list(path, gltf, "scenes")
    if not scenes:
        return [int(i) for i in np.flatnonzero(parent < 0)]
    chosen = _index(path, gltf.get("scene", 0), len(scenes), "scene")
    roots = scenes[chosen].get("nodes", [])
    if not isinstance(roots, list):
        raise LoadError(path, f"malformed glTF: scenes[{chosen}].nodes must be a list")
    return list(dict.fromkeys(_index(path, r, len(nodes), "scene node") for r in roots))


def _instances(path: Path, gltf: dict[str, Any], meshes: list[dict[str, Any]]) -> list[GltfInstance]:
    """Every node of the default scene that carries a mesh, with its world matrix, in walk order.

    Iterative and linear: each node's world matrix is computed once from its parent's.
    """
    nodes = _list(path, gltf, "nodes")
    children, parent = _children(path, nodes)
    roots = _roots(path, gltf, nodes, parent)
    # With at most one parent each, a node unreachable from the parentless ones sits on a cycle.
    reached, frontier = 0, [int(i) for i in np.flatnonzero(parent < 0)]
    while frontier:
        reached += len(frontier)
        frontier = [c for n in frontier for c in children[n]]
    if reached != len(nodes):
        raise LoadError(path, "malformed glTF: the node hierarchy contains a cycle")
    node_keys = _unique([str(n["name"]) if isinstance(n.get("name"), str) else str(i)
                         for i, n in enumerate(nodes)])
    mesh_keys = _mesh_keys(meshes)
    found: list[tuple[int, int, np.ndarray]] = []  # node, mesh, world matrix
    stack = [(r, np.eye(4)) for r in reversed(roots)]
    while stack:
        index, parent_matrix = stack.pop()
        node = nodes[index]
        world = parent_matrix @ _local_matrix(path, index, node)
        if "mesh" in node:
            found.append((index, _index(path, node["mesh"], len(meshes), f"nodes[{index}] mesh"), world))
        stack.extend((c, world) for c in reversed(children[index]))
    found.sort(key=lambda item: item[1])  # geometry file order, walk order within a mesh (stable sort)
    ids: set[str] = set()
    result: list[GltfInstance] = []
    for index, mesh, world in found:
        name = nodes[index].get("name")
        object_id = name if isinstance(name, str) else mesh_keys[mesh]
        if object_id in ids:
            object_id = node_keys[index] if node_keys[index] not in ids else f"{node_keys[index]}#{len(result)}"
        ids.add(object_id)
        result.append(GltfInstance(object_id, mesh, world))
    return result


def _numbers(path: Path, index: int, node: dict[str, Any], key: str, size: int) -> np.ndarray:
    values = node[key]
    if (not isinstance(values, list) or len(values) != size
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)):
        raise LoadError(path, f"malformed glTF: nodes[{index}].{key} must be {size} numbers")
    return np.array(values, dtype=np.float64)


def _local_matrix(path: Path, index: int, node: dict[str, Any]) -> np.ndarray:
    """A node's own transform (4, 4): its column-major "matrix", else translation * rotation * scale."""
    if "matrix" in node:
        return _numbers(path, index, node, "matrix", 16).reshape(4, 4).T
    matrix = np.eye(4)
    trs = {key: _numbers(path, index, node, key, size) for key, size in _TRS_SIZES.items() if key in node}
    if "translation" in trs:
        matrix[:3, 3] = trs["translation"]
    if "rotation" in trs:
        matrix[:3, :3] = _quaternion_matrix(trs["rotation"])
    if "scale" in trs:
        matrix[:3, :3] = matrix[:3, :3] * trs["scale"]
    return matrix


def _quaternion_matrix(xyzw: np.ndarray) -> np.ndarray:
    """Rotation (3, 3) of a glTF quaternion (x, y, z, w), normalised; identity for a zero quaternion."""
    with np.errstate(all="ignore"):  # non-finite input stays non-finite; positions are checked later
        norm = float(np.sqrt(np.sum(xyzw * xyzw)))
        if norm == 0.0:
            return np.eye(3)
        x, y, z, w = xyzw / norm
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                     [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                     [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])


def _unique(names: list[str]) -> list[str]:
    """Names made unique in order: a repeat gets "_1", "_2" ... (the first free one)."""
    used: set[str] = set()
    result = []
    for name in names:
        candidate, n = name, 0
        while candidate in used:
            n += 1
            candidate = f"{name}_{n}"
        used.add(candidate)
        result.append(candidate)
    return result


def _mesh_keys(meshes: list[dict[str, Any]]) -> list[str]:
    names = [m.get("name") for m in meshes]
    return _unique([n if isinstance(n, str) and n else "GLTF" for n in names])


def _flatten(meshes: list[dict[str, Any]], material_count: int
             ) -> tuple[list[dict[str, Any]], list[list[str]], dict[str, int]]:
    """One mesh "p<j>" per primitive, the keys of each original mesh's primitives, and the material of
    each primitive that has one (its own "material" is replaced by trimesh's one plain material, rule 3)."""
    flat: list[dict[str, Any]] = []
    primitives: list[list[str]] = []
    primitive_material: dict[str, int] = {}
    for mesh in meshes:
        keys = []
        for prim in mesh.get("primitives", []):
            material = prim.get("material")
            prim = {k: v for k, v in prim.items() if k not in ("material", "targets")}
            keys.append(f"p{len(flat)}")
            if type(material) is int and 0 <= material < material_count:
                primitive_material[keys[-1]] = material
                prim["material"] = 0
            flat.append({"name": keys[-1], "primitives": [prim]})
        primitives.append(keys)
    return flat, primitives, primitive_material
