"""A cache of loaded geometry, so a second load of the same file skips parsing and triangulation.

Key: the file's content (BLAKE2b), the loader's code (its module source and the shared geometry modules, so
any change to a loader invalidates its entries), the source options and the package version.
Value: one .npz of the SourceModel's arrays plus its object table, written to a temporary name and renamed,
so a killed process never leaves a half-written entry. A corrupt or unreadable entry is ignored and rebuilt.
Location: $CITIVERSE_CACHE, else $XDG_CACHE_HOME/citiverse, else ~/.cache/citiverse.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import numpy as np

from viewer import __version__
from viewer.city.loaders import LOADERS
from viewer.city.model import ObjectTable, SourceModel
from viewer.config import SourceConfig

log = logging.getLogger(__name__)
_SHARED_MODULES = ("viewer.city.model", "viewer.city.triangulate", "viewer.city.limits", "viewer.city.extrude")


def cache_dir() -> Path:
    if os.environ.get("CITIVERSE_CACHE"):
        return Path(os.environ["CITIVERSE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "citiverse"


@lru_cache(maxsize=32)
def _code_digest(fmt: str) -> str:
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    for module in (LOADERS[fmt][0], *_SHARED_MODULES):
        spec = importlib.util.find_spec(module)
        if spec and spec.origin and os.path.exists(spec.origin):
            h.update(Path(spec.origin).read_bytes())
    return h.hexdigest()


def _file_digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=20)
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def cache_key(path: Path, fmt: str, options: SourceConfig) -> str:
    opts = {k: v for k, v in dataclasses.asdict(options).items() if k != "path"}
    h = hashlib.blake2b(digest_size=20)
    h.update(_file_digest(path).encode())
    h.update(_code_digest(fmt).encode())
    h.update(json.dumps(opts, sort_keys=True, default=str).encode())
    return h.hexdigest()


def load_cached(key: str, path: Path) -> SourceModel | None:
    """The cached model for `key`, or None when absent or unreadable (then it is rebuilt)."""
    entry = cache_dir() / f"{key}.npz"
    if not entry.is_file():
        return None
    try:
        with np.load(entry, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        # The object table (ids, types, free-form attributes) is a pickle in the same folder we wrote it to.
        with (cache_dir() / f"{key}.objects").open("rb") as fh:
            head = pickle.load(fh)
    except Exception as exc:  # any damage means "not cached"; the source is parsed again
        log.warning("ignoring unreadable cache entry %s: %s", entry, exc)
        return None
    objects = ObjectTable(head["ids"], head["types"], arrays["parents"], head["attributes"])
    return SourceModel(format=head["format"], path=str(path), crs=head["crs"], positions=arrays["positions"],
                       triangles=arrays["triangles"], vertex_object=arrays["vertex_object"],
                       vertex_kind=arrays["vertex_kind"], objects=objects, meta=head["meta"])


def store(key: str, model: SourceModel) -> None:
    """Write an entry atomically; failure to cache is logged, never fatal."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        head = {"ids": model.objects.ids, "types": model.objects.types, "attributes": model.objects.attributes,
                "format": model.format, "crs": model.crs, "meta": model.meta}
        _atomic_write(folder / f"{key}.objects", lambda fh: pickle.dump(head, fh, protocol=5))
        _atomic_write(folder / f"{key}.npz", lambda fh: np.savez(
            fh, positions=model.positions, triangles=model.triangles, vertex_object=model.vertex_object,
            vertex_kind=model.vertex_kind, parents=model.objects.parents))
    except OSError as exc:
        log.warning("could not write the geometry cache in %s: %s", folder, exc)


def _atomic_write(target: Path, write: Callable[[BinaryIO], object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
