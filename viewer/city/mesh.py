"""Mesh loaders (glTF/GLB, OBJ, PLY) -> SourceModel.

Rules this module keeps:
1. Every scene-graph instance (a node carrying a mesh) becomes one object, all its primitives together. Its id
   is the glTF node's own name when the file gives one, else the mesh's name (mesh_gltf.py rule 4); an OBJ's
   objects are its "o"/"g" names (mesh_obj.py rule 4); a PLY's one object is named after the file.
   type = options.object_type or "Object"; attributes = {"mesh": mesh or object name}.
2. Transforms are applied with one product per mesh over all its instances (instances never loop in Python
   per vertex); loading time grows linearly with the file and with what instancing expands to.
3. Up axis: options.up_axis, default "y" for glTF (the spec is Y-up, turned to Z-up by (x, y, z) -> (x, -z, y))
   and "z" for OBJ/PLY (real exports such as cjio's OBJ are Z-up). options.offset is added afterwards.
4. Triangles are unwelded: each owns its three vertices, so per-vertex object and kind are exact.
5. Mesh formats carry no semantics, so the surface kind is a guess from the face normal after rule 3:
   n_z > 0.7 -> ROOF, n_z < -0.7 -> GROUND, else WALL (degenerate triangles count as WALL). A flat terrain
   therefore shows as ROOF; use CityJSON when true semantics matter.
6. Hostile input: the file size is checked before reading; the glTF JSON (with instancing expanded), a PLY
   header and an OBJ's line counts are checked against the limits before anything is decoded; every
   reference outside the model's folder is refused (in the JSON and again in the resolver trimesh reads
   through); a file that is not what its extension says, a trimesh failure, NaN/inf or absurd coordinates
   all become a LoadError naming the file. Only LoadError leaves this module. Images are never decoded while
   loading (city/appearance.py rule 2): glTF materials are read by mesh_gltf.py (rule 3), an OBJ's material
   libraries (Kd, map_Kd) inside the model's folder by mesh_obj.py; PLY texture files are never read. A
   material library or image outside the folder is refused as missing (a warning), not the whole model.
7. CRS: None unless options.crs (mesh formats declare none).

glTF geometry is decoded by trimesh (mesh_gltf.py plans what it sees), PLY by trimesh, OBJ by mesh_obj.py.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np

from viewer.city import mesh_gltf, mesh_obj
from viewer.city.appearance import ImageRef, Material
from viewer.city.limits import check_count, check_file, resolve_inside
from viewer.city.model import SourceModel, SourceModelBuilder, SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import LoadError

log = logging.getLogger(__name__)
_FORMATS = {".gltf": "gltf", ".glb": "gltf", ".obj": "obj", ".ply": "ply"}
_MAX_COORD = 1e12  # metres; anything larger is not a city and would overflow float64 products
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ROOF_NZ = 0.7
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")  # control bytes no text format contains
_PLY_SIZES = {"char": 1, "int8": 1, "uchar": 1, "uint8": 1, "short": 2, "int16": 2, "ushort": 2, "uint16": 2,
              "int": 4, "int32": 4, "uint": 4, "uint32": 4, "float": 4, "float32": 4, "double": 8, "float64": 8}


class _Meshes:
    """What a format yields before the common finish: unwelded corners in file axes and their objects.

    ids, mesh_names : per object; positions : (3 t, 3) float64; vertex_object : (3 t,) int32.
    """

    def __init__(self, ids: list[str], mesh_names: list[str], positions: np.ndarray,
                 vertex_object: np.ndarray, meta: dict[str, Any]) -> None:
        self.ids, self.mesh_names, self.meta = ids, mesh_names, meta
        self.positions, self.vertex_object = positions, vertex_object
        # Appearances (city/appearance.py), when the file has any: per corner material and uv.
        self.materials: list[Material] = []
        self.vertex_material: np.ndarray | None = None
        self.vertex_uv: np.ndarray | None = None


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
    if fmt == "gltf":
        meshes = _load_gltf(path, data, limits)
    elif fmt == "obj":
        meshes = _load_obj(path, data, limits)
    else:
        meshes = _load_ply(path, data, limits)
    up = options.up_axis or ("y" if fmt == "gltf" else "z")
    return _to_model(path, fmt, meshes, up, options, limits)


def _load_gltf(path: Path, data: bytes, limits: Limits) -> _Meshes:
    """Instances of every mesh, transformed: one (k, c, 3) product per mesh used by k nodes."""
    plan = mesh_gltf.prepare(path, data, limits, lambda uri: reference_target(path, path.parent, uri))
    resolver = _FolderResolver(path.parent, path, limits)
    scene = _parse(path, plan.data, plan.file_type, resolver, {"merge_primitives": False})
    corners = [_mesh_corners(path, [scene.geometry.get(k) for k in keys]) for keys in plan.primitives]
    looks = [_mesh_appearance(scene, keys, plan) for keys in plan.primitives] if plan.materials else []
    ids: list[str] = []
    names: list[str] = []
    parts: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    mats: list[np.ndarray] = []
    uvs: list[np.ndarray] = []
    by_mesh: dict[int, list[int]] = {}
    for instance in plan.instances:
        if corners[instance.mesh].shape[0]:
            by_mesh.setdefault(instance.mesh, []).append(len(ids))
            ids.append(instance.object_id)
            names.append(plan.mesh_keys[instance.mesh])
    matrices = np.stack([i.matrix for i in plan.instances if corners[i.mesh].shape[0]] or [np.eye(4)])
    _check_values(path, "node transform", matrices)
    for mesh, objects in by_mesh.items():
        m = matrices[objects]
        with np.errstate(all="ignore"):  # overflow to inf is refused by _check_values in _to_model
            moved = np.einsum("kij,cj->kci", m[:, :3, :3], corners[mesh]) + m[:, None, :3, 3]
        parts.append(moved.reshape(-1, 3))
        owners.append(np.repeat(np.asarray(objects, np.int32), corners[mesh].shape[0]))
        if looks:
            mats.append(np.tile(looks[mesh][0], len(objects)))
            uvs.append(np.tile(looks[mesh][1], (len(objects), 1)))
    positions = np.concatenate(parts) if parts else np.zeros((0, 3))
    vertex_object = np.concatenate(owners) if owners else np.zeros(0, np.int32)
    meshes = _Meshes(ids, names, positions, vertex_object, {"geometries": len(plan.mesh_keys)})
    if mats:
        meshes.materials = plan.materials
        meshes.vertex_material = np.concatenate(mats).astype(np.int16)
        meshes.vertex_uv = np.concatenate(uvs).astype(np.float32)
    return meshes


def _mesh_appearance(scene: Any, keys: list[str], plan: mesh_gltf.GltfPlan) -> tuple[np.ndarray, np.ndarray]:
    """Per unwelded corner of one mesh, in _mesh_corners' order: material (3 t,) int16 (-1: none) and uv
    (3 t, 2) float32 (NaN: none)."""
    mats, uvs = [], []
    for key in keys:
        geometry = scene.geometry.get(key)
        if not len(getattr(geometry, "faces", ())):
            continue
        faces = np.asarray(geometry.faces, dtype=np.int64).reshape(-1)
        uv = getattr(getattr(geometry, "visual", None), "uv", None)
        uv = np.asarray(uv, np.float64) if uv is not None else None
        if uv is not None and uv.ndim == 2 and uv.shape[0] == len(geometry.vertices) and uv.shape[1] >= 2:
            uvs.append(uv[faces, :2].astype(np.float32))
        else:
            uvs.append(np.full((faces.shape[0], 2), np.nan, np.float32))
        mats.append(np.full(faces.shape[0], plan.primitive_material.get(key, -1), np.int16))
    if not mats:
        return np.zeros(0, np.int16), np.zeros((0, 2), np.float32)
    return np.concatenate(mats), np.concatenate(uvs)


def _mesh_corners(path: Path, geometries: list[Any]) -> np.ndarray:
    """Unwelded corners (3 t, 3) float64 of the triangle primitives of one mesh (others are skipped)."""
    parts = []
    for geometry in geometries:
        if not len(getattr(geometry, "faces", ())):
            continue  # a skipped primitive, points or lines
        vertices = np.asarray(geometry.vertices, dtype=np.float64)
        faces = np.asarray(geometry.faces, dtype=np.int64)
        if vertices.ndim != 2 or vertices.shape[1] != 3:
            raise LoadError(path, f"vertices must have 3 coordinates, got shape {vertices.shape}")
        if faces.ndim != 2 or faces.shape[1] != 3 or faces.min() < 0 or faces.max() >= vertices.shape[0]:
            raise LoadError(path, "faces refer to vertices that do not exist")
        _check_values(path, "coordinates", vertices)
        parts.append(vertices[faces.reshape(-1)])
    return np.concatenate(parts) if parts else np.zeros((0, 3))


def _load_obj(path: Path, data: bytes, limits: Limits) -> _Meshes:
    text = _check_obj_text(path, data, limits)
    obj = mesh_obj.parse(path, text)
    _check_values(path, "coordinates", obj.vertices)
    positions = obj.vertices[obj.corners.reshape(-1)]
    vertex_object = np.repeat(obj.triangle_object.astype(np.int32), 3)
    meshes = _Meshes(obj.names, obj.names, positions, vertex_object, {"geometries": len(obj.names)})
    if obj.materials:
        meshes.materials = _obj_materials(path, obj, limits)
        meshes.vertex_material = np.repeat(obj.triangle_material, 3).astype(np.int16)
        corner_uv = obj.corner_uv.reshape(-1)
        uv = np.full((corner_uv.shape[0], 2), np.nan, np.float32)
        has = corner_uv >= 0
        uv[has] = obj.uv[corner_uv[has]]
        meshes.vertex_uv = uv
    return meshes


def _obj_materials(path: Path, obj: mesh_obj.ObjMesh, limits: Limits) -> list[Material]:
    """The Materials of an OBJ's "usemtl" names from its material libraries (inside the model's folder; a
    library or image that is missing or outside is logged once and its materials keep the style colour)."""
    library: dict[str, tuple[Any, str | None]] = {}
    for name in obj.libraries:
        try:
            target = reference_target(path, path.parent, name)
            check_file(target, limits)
            library |= mesh_obj.parse_mtl(target.read_bytes().decode("utf-8", "replace"))
        except (LoadError, OSError) as exc:
            reason = exc.reason if isinstance(exc, LoadError) else (exc.strerror or str(exc))
            log.warning("%s: material library %s not read: %s", path, name, reason)
    materials = []
    for name in obj.materials:
        diffuse, image = library.get(name, (None, None))
        materials.append(Material(name, diffuse, image_ref(path, image) if image else None))
    return materials


def image_ref(model: Path, reference: str) -> ImageRef:
    """An ImageRef for an image file a model references: refused (not followed) when outside its folder."""
    try:
        return ImageRef(reference, path=str(reference_target(model, model.parent, reference)))
    except LoadError as exc:
        return ImageRef(reference, refused=exc.reason)


def _load_ply(path: Path, data: bytes, limits: Limits) -> _Meshes:
    declared = _check_ply_header(path, data, limits)
    scene = _parse(path, data, "ply", _FolderResolver(path.parent, path, limits), {"skip_materials": True})
    _check_ply_vertices(path, scene, declared)
    corners = _mesh_corners(path, list(scene.geometry.values()))
    ids = [path.name] if corners.shape[0] else []
    return _Meshes(ids, ids, corners, np.zeros(corners.shape[0], np.int32), {"geometries": len(scene.geometry)})


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


def _parse(path: Path, data: bytes, file_type: str, resolver: _FolderResolver, kwargs: dict[str, Any]) -> Any:
    """trimesh's scene of `data`; any trimesh failure becomes a LoadError naming the file."""
    # trimesh is imported here: it is heavy and only mesh sources need it.
    import trimesh

    try:
        with np.errstate(all="ignore"):  # non-finite values are refused explicitly afterwards
            # _FolderResolver is duck-typed: subclassing trimesh's Resolver would import trimesh on import.
            scene = trimesh.load_scene(io.BytesIO(data), file_type=file_type,
                                       resolver=resolver,  # type: ignore[arg-type]
                                       process=False, **kwargs)
    except LoadError:
        raise
    except Exception as exc:  # trimesh raises anything from ValueError to IndexError on bad bytes
        reason = str(exc).strip() or type(exc).__name__
        raise LoadError(path, f"cannot parse as {file_type.upper()}: {reason[:300]}") from None
    if resolver.refused:
        raise resolver.refused[0]
    return scene


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _BINARY_BYTES.search(data) is None


def _check_obj_text(path: Path, data: bytes, limits: Limits) -> str:
    """An OBJ must be text; its 'v' and 'f' lines (lower bounds of vertices and triangles) within the limits."""
    if _BINARY_BYTES.search(data):
        raise LoadError(path, "binary data, not an OBJ text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # old exporters write object names in Latin-1
    lines = "\n" + text
    check_count(path, "vertex count", lines.count("\nv "), limits.max_vertices)
    check_count(path, "triangle count", lines.count("\nf "), limits.max_triangles)
    return text


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




def _check_values(path: Path, what: str, values: np.ndarray) -> None:
    if not np.isfinite(values).all():
        raise LoadError(path, f"{what} contain NaN or infinite values")
    if values.size and np.abs(values).max() > _MAX_COORD:
        raise LoadError(path, f"{what} exceed {_MAX_COORD:g} in magnitude")


def _face_kinds(positions: np.ndarray) -> np.ndarray:
    """Guess per-vertex SurfaceKind from each triangle's normal: (v,) uint8 for positions (v, 3), v = 3 t."""
    tri = positions.reshape(-1, 3, 3)
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    length = np.linalg.norm(normal, axis=1)
    nz = np.divide(normal[:, 2], length, out=np.zeros_like(length), where=length > 0)
    kind = np.where(nz > _ROOF_NZ, SurfaceKind.ROOF,
                    np.where(nz < -_ROOF_NZ, SurfaceKind.GROUND, SurfaceKind.WALL)).astype(np.uint8)
    return np.repeat(kind, 3)


def _to_model(path: Path, fmt: str, meshes: _Meshes, up: str, options: SourceConfig,
              limits: Limits) -> SourceModel:
    if not meshes.ids:
        raise LoadError(path, "contains no triangle meshes (empty, or only points or lines)")
    check_count(path, "object count", len(meshes.ids), limits.max_objects)
    check_count(path, "triangle count", meshes.positions.shape[0] // 3, limits.max_triangles)
    check_count(path, "vertex count", meshes.positions.shape[0], limits.max_vertices)
    positions = meshes.positions
    _check_values(path, "coordinates", positions)
    if up == "y":
        positions = np.stack([positions[:, 0], -positions[:, 2], positions[:, 1]], axis=1)
    kinds = _face_kinds(positions)
    positions = positions + np.asarray(options.offset, dtype=np.float64)

    builder = SourceModelBuilder(str(path), limits)
    object_type = options.object_type or "Object"
    for object_id, mesh_name in zip(meshes.ids, meshes.mesh_names, strict=True):
        builder.add_object(object_id, object_type, {"mesh": mesh_name})
    triangles = np.arange(positions.shape[0], dtype=np.int64).reshape(-1, 3)
    if meshes.materials:
        builder.set_materials(meshes.materials)
    builder.add_surfaces(positions, triangles, meshes.vertex_object, kinds, meshes.vertex_material,
                         meshes.vertex_uv)
    crs = None
    if options.crs:
        from viewer.geo.frame import normalize_crs

        crs = normalize_crs(options.crs)
    return builder.build(fmt, crs, {**meshes.meta, "up_axis": up})
