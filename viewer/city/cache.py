"""A cache of loaded geometry, so a second load of the same file (or scene) skips parsing and triangulation.

Two kinds of entry, both keyed by content and code:
- a source entry (`{key}.source`): one SourceModel, float64 in its file's CRS. Key (`cache_key`): the file's
  content (BLAKE2b), the content of the side files its loader reads into the model (`side_files`: an OBJ's
  material libraries, a glTF's external buffers; "absent" for one that is missing), the code of every module under viewer/city and viewer/geo and the versions of the
  libraries loaders use (so any change to a loader or a helper it reaches invalidates its entries), the
  format, the source options and the package version. Images are not side files: a model only references
  them, and every render reads them again (city/appearance.py rule 2), so a changed image shows without a
  new key; a change of its size changes the atlas layout, which render/ caches by.
- a scene entry (`{key}.scene`): the localised CityModel of a whole scene and its LocalFrame, so a cached
  scene needs no localisation either. Key (`scene_key`): the source keys, the scene's CRS, origin and limits,
  the terrain options and DEM, and the same code digest (with PROJ's version).
render/ keeps its own entries (built Panda3D geometry) in the same folder with `modules_digest` and `write_atomic`.

Rules this module keeps:
1. An entry is written to a temporary name and renamed, so a killed process never leaves a half-written one.
   A missing, truncated or otherwise unreadable entry is "not cached" (a warning is logged): the model is
   loaded again and the entry rewritten. Failing to write is logged, never fatal.
2. Entry layout (`write_entry` / `read_entry`): MAGIC, the header length (8 bytes, little-endian), a pickled
   header (array names, dtypes, shapes, offsets, and free-form values such as the object table), then each
   array's raw bytes at a 64-byte aligned offset. Arrays are read straight into fresh numpy arrays: no zip,
   no checksum pass, no copy. The cache folder is the user's own, like any pickle-based cache.
3. The folder is kept under `max_cache_bytes()`: after each write the least recently used entries (by
   modification time; a hit touches its entry) are removed, and temporary files a killed process left.
4. Entries are written by one background thread (`write_entry(..., background=True)`, what the store
   functions do), so the first frame does not wait for 100-300 MB of writes. The arrays handed over must not
   be modified afterwards (loaders and renderers hand over finished arrays). Every read in this process
   first waits for pending writes (`flush`), so it sees them; the interpreter waits for them at exit.
Location: $CITIVERSE_CACHE, else $XDG_CACHE_HOME/citiverse, else ~/.cache/citiverse.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import io
import json
import logging
import os
import pickle
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import numpy as np

from viewer import __version__
from viewer.city.model import CityModel, ObjectTable, SourceModel
from viewer.config import SceneConfig, SourceConfig

log = logging.getLogger(__name__)
# Every module of these packages is part of every key: a loader reaches helpers through other helpers
# (osm -> roofs -> extrude), and a list of "shared" modules kept by hand went stale with each new one.
_CODE_PACKAGES = ("viewer.city", "viewer.geo")
# Libraries whose version changes what a loader or the placing produces.
_LIBRARIES = ("trimesh", "osmium", "lxml", "mapbox-earcut", "numpy", "scipy", "tifffile", "pyproj")
MAGIC = b"CITIVERSE-CACHE\x02"
ALIGN = 64
DEFAULT_MAX_MB = 4096
STALE_TMP_SECONDS = 3600  # a temporary file this old belongs to a killed process
_writer: ThreadPoolExecutor | None = None  # rule 4
_pending: list[Future[None]] = []
_MODEL_ARRAYS = ("positions", "triangles", "vertex_object", "vertex_kind")
_CITY_ARRAYS = ("vertices", "triangles", "vertex_object", "vertex_kind")
_COLUMNS = ("parents", "height", "footprint_area", "bbox_min", "bbox_max")
_APPEARANCE_ARRAYS = ("vertex_material", "vertex_uv")  # optional: written only for models that have them


def cache_dir() -> Path:
    if os.environ.get("CITIVERSE_CACHE"):
        return Path(os.environ["CITIVERSE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "citiverse"


def max_cache_bytes() -> int:
    """$CITIVERSE_CACHE_MAX_MB megabytes (default DEFAULT_MAX_MB)."""
    try:
        return int(float(os.environ.get("CITIVERSE_CACHE_MAX_MB", DEFAULT_MAX_MB)) * 1e6)
    except ValueError:
        return int(DEFAULT_MAX_MB * 1e6)


@lru_cache(maxsize=32)
def modules_digest(modules: tuple[str, ...], extra: str = "") -> str:
    """Digest of the package version, the source of `modules` and `extra` (e.g. library versions)."""
    h = hashlib.blake2b(f"{__version__}\n{extra}".encode(), digest_size=16)
    for module in modules:
        spec = importlib.util.find_spec(module)
        if spec and spec.origin and os.path.exists(spec.origin):
            h.update(Path(spec.origin).read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of the package version, the source of every module of _CODE_PACKAGES and the versions of
    _LIBRARIES: any change to the code that loads or places a model makes every entry stale."""
    from importlib import metadata

    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    h = hashlib.blake2b(f"{__version__}\n{versions}".encode(), digest_size=16)
    for package in _CODE_PACKAGES:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for source in sorted(Path(folder).glob("*.py")):
                h.update(source.name.encode())
                h.update(source.read_bytes())
    return h.hexdigest()


def _file_digest(path: Path, on_chunk: Callable[[bytes], None] | None = None) -> str:
    h = hashlib.blake2b(digest_size=20)
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            h.update(chunk)
            if on_chunk is not None:
                on_chunk(chunk)
    return h.hexdigest()


_GLTF_URI = re.compile(rb'"uri"\s*:\s*"(?!data:)([^"]*)"')
MAX_GLTF_SCAN = 256 << 20  # a .gltf larger than this is not scanned for external buffers (its own key only)


def side_files(path: Path, fmt: str, obj_libraries: list[str] | None = None) -> list[Path]:
    """The files besides `path` whose content a load of it puts into the model, found without loading it:
    an OBJ's "mtllib" libraries (names from mesh_obj.LibraryScanner) and a glTF's non-data uris (buffers,
    and images, which cost a digest each). References outside the model's folder are left out (loaders
    refuse them)."""
    from viewer.city.mesh import reference_target
    from viewer.errors import LoadError

    if fmt == "obj":
        names = list(obj_libraries or [])
    elif fmt == "gltf":
        names = [m.decode("utf-8", "replace") for m in _GLTF_URI.findall(_gltf_json(path))]
    else:
        return []
    found: list[Path] = []
    for name in dict.fromkeys(names):
        try:
            found.append(reference_target(path, path.parent, name))
        except LoadError:
            continue
    return found


def _gltf_json(path: Path) -> bytes:
    """The JSON of a .gltf, or of a .glb's first chunk (b"" when unreadable or too large to scan)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(20)
            if head[:4] == b"glTF" and len(head) == 20:
                size = int.from_bytes(head[12:16], "little")
                return fh.read(min(size, MAX_GLTF_SCAN))
            if path.stat().st_size > MAX_GLTF_SCAN:
                return b""
            return head + fh.read()
    except OSError:
        return b""


def _side_digest(files: list[Path]) -> str:
    """Digest of the side files' names and contents ("absent" for a missing one)."""
    h = hashlib.blake2b(digest_size=20)
    for file in files:
        h.update(str(file).encode())
        h.update(_file_digest(file).encode() if file.is_file() else b"absent")
    return h.hexdigest()


def cache_key(path: Path, fmt: str, options: SourceConfig) -> str:
    """Key of a source entry: file content, its side files' content, loader code, options (all but the path)
    and package version."""
    opts = {k: v for k, v in dataclasses.asdict(options).items() if k != "path"}
    h = hashlib.blake2b(digest_size=20)
    scanner = None
    if fmt == "obj":
        from viewer.city.mesh_obj import LibraryScanner

        scanner = LibraryScanner()
    h.update(_file_digest(path, scanner).encode())
    h.update(_side_digest(side_files(path, fmt, scanner.finish() if scanner else None)).encode())
    h.update(code_digest().encode())
    h.update(fmt.encode())
    h.update(json.dumps(opts, sort_keys=True, default=str).encode())
    return h.hexdigest()


def scene_key(source_keys: Iterable[str], config: SceneConfig) -> str:
    """Key of a scene entry: its sources' keys in order, its frame settings and limits, localisation code."""
    import pyproj  # only for PROJ's version: transformations may change with it

    h = hashlib.blake2b(digest_size=20)
    h.update(f"{code_digest()} PROJ {pyproj.proj_version_str}".encode())
    h.update(json.dumps([list(source_keys), config.crs, config.origin, config.origin_lonlat,
                         dataclasses.asdict(config.limits)], default=str).encode())
    terrain = config.terrain  # its options, and the DEM's content (a changed DEM re-seats the scene)
    dem = _file_digest(terrain.file) if terrain.file is not None and terrain.file.is_file() else None
    h.update(json.dumps([dataclasses.asdict(terrain), dem], default=str).encode())
    return h.hexdigest()


def load_cached(key: str, path: Path) -> SourceModel | None:
    """The cached source model for `key`, or None when absent or unreadable (then it is rebuilt)."""
    entry = read_entry(cache_dir() / f"{key}.source")
    if entry is None:
        return None
    arrays, head = entry
    objects = ObjectTable(head["ids"], head["types"], arrays["parents"], head["attributes"])
    return SourceModel(format=head["format"], path=str(path), crs=head["crs"], objects=objects,
                       meta=head["meta"], appearance=head.get("appearance"),
                       **{name: arrays[name] for name in _MODEL_ARRAYS},
                       **{name: arrays.get(name) for name in _APPEARANCE_ARRAYS})  # type: ignore[arg-type]


def store(key: str, model: SourceModel) -> None:
    """Write a source entry in the background (rules 1 and 4)."""
    head = {"ids": model.objects.ids, "types": model.objects.types, "attributes": model.objects.attributes,
            "format": model.format, "crs": model.crs, "meta": model.meta, "appearance": model.appearance}
    arrays = {name: getattr(model, name) for name in _MODEL_ARRAYS} | {"parents": model.objects.parents}
    arrays |= _appearance_arrays(model)
    write_entry(cache_dir() / f"{key}.source", arrays, head, background=True)


def load_scene(key: str) -> tuple[CityModel, Any] | None:
    """The cached (CityModel, LocalFrame) of a scene, or None; the model's content_key is `key`."""
    entry = read_entry(cache_dir() / f"{key}.scene")
    if entry is None:
        return None
    arrays, head = entry
    objects = ObjectTable(head["ids"], head["types"], attributes=head["attributes"],
                          **{name: arrays[name] for name in _COLUMNS})
    model = CityModel(objects=objects, sources=head["sources"], content_key=key, terrain=head.get("terrain"),
                      appearance=head.get("appearance"), **{name: arrays[name] for name in _CITY_ARRAYS},
                      **{name: arrays.get(name) for name in _APPEARANCE_ARRAYS})  # type: ignore[arg-type]
    return model, head["frame"]


def store_scene(key: str, model: CityModel, frame: Any) -> None:
    """Write a scene entry in the background: the model's arrays and object table, and the frame (a small
    picklable object)."""
    objects = model.objects
    head = {"ids": objects.ids, "types": objects.types, "attributes": objects.attributes,
            "sources": model.sources, "frame": frame, "terrain": model.terrain, "appearance": model.appearance}
    arrays = {name: getattr(model, name) for name in _CITY_ARRAYS}
    arrays |= {name: getattr(objects, name) for name in _COLUMNS}
    arrays |= _appearance_arrays(model)
    write_entry(cache_dir() / f"{key}.scene", arrays, head, background=True)


def _appearance_arrays(model: SourceModel | CityModel) -> dict[str, np.ndarray]:
    """The optional appearance arrays of a model (none for a model without appearance: entries written
    before they existed read the same way)."""
    return {name: array for name in _APPEARANCE_ARRAYS if (array := getattr(model, name)) is not None}


def write_entry(target: Path, arrays: dict[str, np.ndarray], head: dict[str, Any],
                background: bool = False) -> None:
    """Write arrays and a picklable header in the layout of rule 2, now or in the background (rule 4); any
    failure is logged (rule 1)."""
    if background:
        global _writer
        if _writer is None:
            _writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citiverse-cache",
                                         initializer=_lower_priority)
        _pending.append(_writer.submit(_write_now, target, arrays, head))
    else:
        _write_now(target, arrays, head)


def _write_now(target: Path, arrays: dict[str, np.ndarray], head: dict[str, Any]) -> None:
    try:
        arrays = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
        table, offset = [], 0
        for name, a in arrays.items():
            table.append((name, a.dtype.str, a.shape, offset))
            offset += -(-a.nbytes // ALIGN) * ALIGN
        header = pickle.dumps({"arrays": table, "head": head}, protocol=5)
        start = -(-(len(MAGIC) + 8 + len(header)) // ALIGN) * ALIGN

        def write(fh: IO[bytes]) -> None:
            fh.write(MAGIC + len(header).to_bytes(8, "little") + header)
            for (_, _, _, at), a in zip(table, arrays.values(), strict=True):
                fh.seek(start + at)
                fh.write(a.data.cast("B") if a.nbytes else b"")
            fh.truncate(start + offset)

        write_atomic(target, write)
        prune(keep=target)
    except Exception as exc:  # disk full, read-only folder, unpicklable or too deeply nested attributes
        log.warning("could not write the cache entry %s: %s", target, exc)


def _lower_priority() -> None:
    """The writer thread runs at the lowest CPU priority: it should use what the first frame leaves."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)  # a Linux thread id works here
    except (AttributeError, OSError):  # not on this platform
        pass


def flush() -> None:
    """Wait until every entry handed to the background writer is written (or its failure logged)."""
    while _pending:
        _pending.pop(0).result()


def read_entry(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
    """(arrays, header values) of an entry, or None when absent or damaged (rule 1)."""
    flush()
    if not path.is_file():
        return None
    try:
        with open_entry(path) as entry:
            arrays = {name: entry.read(name) for name in entry.names}
            head = entry.head
    except Exception as exc:  # any damage means "not cached"; the source is loaded again
        log.warning("ignoring unreadable cache entry %s: %s", path, exc)
        return None
    return arrays, head


@contextmanager
def open_entry(path: Path) -> Iterator[EntryReader]:
    """An entry open for reading; raises (OSError, ValueError, pickle errors...) when absent or damaged.
    A successful read marks the entry recently used (rule 3)."""
    flush()
    with path.open("rb") as fh:
        yield EntryReader(fh)
    os.utime(path)


class EntryReader:
    """An open entry (layout of rule 2): `head` holds the header values; arrays are read by name."""

    def __init__(self, fh: io.BufferedReader) -> None:
        lead = fh.read(len(MAGIC) + 8)
        if lead[:len(MAGIC)] != MAGIC:
            raise ValueError("not a cache entry of this version")
        size = int.from_bytes(lead[len(MAGIC):], "little")
        header = pickle.loads(fh.read(size))
        self.fh, self.head = fh, header["head"]
        self.start = -(-(len(MAGIC) + 8 + size) // ALIGN) * ALIGN
        self.table = {name: (np.dtype(dtype), tuple(shape), at) for name, dtype, shape, at in header["arrays"]}
        self.names = list(self.table)

    def read(self, name: str) -> np.ndarray:
        dtype, shape, _ = self.table[name]
        array = np.zeros(shape, dtype)
        if array.nbytes:  # a memoryview of an empty array cannot be cast
            self.read_into(name, array.data.cast("B"))
        return array

    def read_into(self, name: str, buffer: memoryview) -> None:
        """Fill `buffer` (exactly the array's size in bytes) with the array's raw bytes."""
        dtype, shape, at = self.table[name]
        nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        if buffer.nbytes != nbytes:
            raise ValueError(f"array {name!r} has {nbytes} bytes, the buffer {buffer.nbytes}")
        self.fh.seek(self.start + at)
        if nbytes and self.fh.readinto(buffer) != nbytes:
            raise ValueError(f"truncated at array {name!r}")


def write_atomic(target: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Call write(file) on a temporary file in target's folder, then rename it to target (rule 1)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prune(keep: Path | None = None, limit: int | None = None) -> None:
    """Remove least recently used entries until the folder (keep's, else cache_dir()) holds at most `limit`
    bytes (default max_cache_bytes()), and temporary files older than STALE_TMP_SECONDS (rule 3)."""
    limit = max_cache_bytes() if limit is None else limit
    try:
        found = [(e.stat().st_mtime, e.stat().st_size, Path(e.path))
                 for e in os.scandir(keep.parent if keep else cache_dir()) if e.is_file()]
    except OSError:
        return
    stale = time.time() - STALE_TMP_SECONDS
    for mtime, _, path in found:
        if path.name.startswith(".tmp-") and mtime < stale:
            path.unlink(missing_ok=True)
    entries = [item for item in found if not item[2].name.startswith(".tmp-")]
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        if path != keep:
            path.unlink(missing_ok=True)
            total -= size
