"""Write a tileset from a model read in chunks, in memory bounded by the chunk, not the city.

Rules:
1. Three passes, one read of the input: (1) each chunk (a localised CityModel of some thousands of objects) is
   measured (write_hlod.measure_features) and spilled whole to a file of its own in the temporary folder;
   only per-feature columns stay in memory (boxes, sizes, errors, triangle counts: about 90 bytes a feature)
   with the counts of attribute keys. (2) The tree is built from those columns alone (write_hlod.build_tree).
   (3) Each chunk file is read back once and every feature's triangles and properties are appended to the
   spill file of each tile that draws it in full (its leaf; an ancestor when its own geometry is no bigger
   than a box); features drawn as boxes send only their properties. (4) Each tile's spill is read, turned
   into one GLB and removed. Memory: the columns plus one chunk or one tile.
   Reading the input twice (boxes first, geometry second) would halve the disk used, but parsing and
   triangulating are most of the cost (1M buildings: about 60 of 80 s), so the input is read once.
2. Spills are pickles (protocol 5: numpy arrays as raw bytes) appended one record at a time; they live in
   the tileset's temporary folder (write_tileset.py rule 1), so an interrupted run leaves none behind.
3. Feature g (0, 1, ...) is the g-th feature met in chunk order; its property row in a tile follows the order
   of g among the tile's full features, then among its boxed ones (write_mesh.py rule 2).
"""

from __future__ import annotations

import pickle
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from viewer import __version__
from viewer.city.model import CityModel
from viewer.errors import ConfigError
from viewer.geo.frame import LocalFrame
from viewer.tiles.write_glb import PropertyColumn, encode_glb
from viewer.tiles.write_hlod import Features, Node, build_tree, measure_features
from viewer.tiles.write_mesh import box_mesh, merge, ranges, spilled_mesh
from viewer.tiles.write_place import Placement, column_bounds

Progress = Callable[[str], None]
Chunk = tuple[CityModel, float]  # a localised chunk, and the fraction of the input read once it was read
Record = tuple[str, str, str | None, dict[str, Any]]  # a feature's id, type, parent id and attributes


def _quiet(_: str) -> None:
    pass


class Ticker:
    """Progress lines of one stage, at most one a second (and the last)."""

    def __init__(self, progress: Progress, stage: str) -> None:
        self.progress, self.stage = progress, stage
        self.start = self.last = time.perf_counter()
        self.finished = False  # the 100% line is printed once

    def tick(self, text: str, fraction: float, force: bool = False) -> None:
        now = time.perf_counter()
        if (force and not self.finished) or now - self.last >= 1.0:
            self.last, self.finished = now, fraction >= 1.0
            bar = "#" * int(20 * min(max(fraction, 0.0), 1.0))
            self.progress(f"{self.stage} [{bar:<20}] {100 * fraction:3.0f}% {text} "
                          f"({now - self.start:.1f} s)")


@dataclass
class _Columns:
    """Per-feature columns gathered over the chunks (rule 1), lists of per-chunk arrays until joined."""

    lo: list[np.ndarray] = field(default_factory=list)
    hi: list[np.ndarray] = field(default_factory=list)
    size: list[np.ndarray] = field(default_factory=list)
    box_error: list[np.ndarray] = field(default_factory=list)
    tri_count: list[np.ndarray] = field(default_factory=list)
    first: list[int] = field(default_factory=lambda: [0])  # feature index where each chunk starts
    seen: dict[str, list[int]] = field(default_factory=dict)  # attribute key -> [count, non-numeric count]

    def add(self, f: Features) -> None:
        self.lo.append(f.lo)
        self.hi.append(f.hi)
        self.size.append(f.size)
        self.box_error.append(f.box_error)
        self.tri_count.append(f.tri_count)
        self.first.append(self.first[-1] + len(f))

    def features(self) -> Features:
        n = self.first[-1]

        def join(parts: list[np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
            return np.concatenate(parts) if parts else np.zeros(shape)

        return Features(objects=np.arange(n), lo=join(self.lo, (0, 3)), hi=join(self.hi, (0, 3)),
                        size=join(self.size, (0,)), box_error=join(self.box_error, (0,)),
                        tri_start=np.zeros(n, np.int64), tri_count=join(self.tri_count, (0,)).astype(np.int64),
                        tri_order=np.zeros(0, np.int64))


def write_chunks(chunks: Iterable[Chunk], frame: Callable[[], LocalFrame], out: Path, tmp: Path,
                 options: Any, progress: Progress = _quiet) -> tuple[Node, Features, dict[str, Any], list[str]]:
    """Passes 1-4 of rule 1 into `tmp` (the temporary tileset folder, already made). `frame` gives the frame of
    the chunks, asked once the first chunk is read. Returns the tree, the features, what each tile holds
    (name -> (content lo, content hi, triangles)) and the property column plan's source keys."""
    spill = tmp / "spill"
    spill.mkdir()
    columns = _read_chunks(chunks, spill, progress)
    features = columns.features()
    if len(features) == 0:
        raise ConfigError(f"--out {out}", "", "the model has no triangles to tile")
    root = build_tree(features, options.max_features, options.min_size)
    nodes = root.walk()
    progress(f"tiling {len(features):,} features into {len(nodes):,} tiles, {depth(root)} levels "
             f"(at most {options.max_features:,} features a tile)")
    _route(nodes, columns.first, spill, progress)
    plan = column_plan(columns.seen)
    written = _write_tiles(nodes, features, Placement(frame()), plan, spill, tmp / "tiles", progress)
    shutil.rmtree(spill, ignore_errors=True)
    return root, features, written, plan


def depth(root: Node) -> int:
    return max(len(n.name) for n in root.walk())


# ---------------------------------------------------------------- pass 1: measure and spill each chunk


def _read_chunks(chunks: Iterable[Chunk], spill: Path, progress: Progress) -> _Columns:
    columns = _Columns()
    ticker = Ticker(progress, "read ")
    objects = triangles = 0
    fraction = 0.0
    for number, (model, fraction) in enumerate(chunks):
        f = measure_features(model)
        columns.add(f)
        records = _records(model, f.objects)
        _count_keys(columns.seen, records)
        _dump(spill / f"chunk-{number}", {
            "vertices": model.vertices, "triangles": model.triangles, "vertex_object": model.vertex_object,
            "vertex_kind": model.vertex_kind, "objects": f.objects, "tri_start": f.tri_start,
            "tri_count": f.tri_count, "tri_order": f.tri_order, "records": records})
        objects += len(model.objects)
        triangles += model.triangle_count
        ticker.tick(f"{objects:,} objects, {triangles:,} triangles", fraction)
    ticker.tick(f"{objects:,} objects, {triangles:,} triangles", max(fraction, 1.0), force=True)
    return columns


def _records(model: CityModel, objects: np.ndarray) -> list[Record]:
    """Id, type, parent id and attributes of the chunk's objects `objects` (the features, in order)."""
    table = model.objects
    parents = table.parents
    out: list[Record] = []
    for i in objects.tolist():
        p = int(parents[i])
        out.append((table.ids[i], table.types[i], table.ids[p] if p >= 0 else None, table.attributes[i]))
    return out


def _count_keys(seen: dict[str, list[int]], records: list[Record]) -> None:
    for _, _, _, attributes in records:
        for key, value in attributes.items():
            if isinstance(value, (str, bool, int, float)):
                entry = seen.setdefault(key, [0, 0])
                entry[0] += 1
                entry[1] += isinstance(value, (str, bool))


def _dump(path: Path, value: object, append: bool = False) -> None:
    with path.open("ab" if append else "wb") as fh:
        pickle.dump(value, fh, protocol=5)


def _load_all(path: Path) -> list[Any]:
    out = []
    with path.open("rb") as fh:
        while True:
            try:
                out.append(pickle.load(fh))
            except EOFError:
                return out


# ---------------------------------------------------------------- pass 3: route features to tiles


def _route(nodes: list[Node], first: list[int], spill: Path, progress: Progress) -> None:
    """Append each feature's triangles (drawn in full) or only its properties (drawn as a box) to its tiles."""
    feature = np.concatenate([n.kept for n in nodes])
    tile = np.repeat(np.arange(len(nodes)), [n.kept.size for n in nodes])
    full = np.concatenate([~n.boxed for n in nodes])
    order = np.argsort(feature, kind="stable")
    feature, tile, full = feature[order], tile[order], full[order]
    bounds = np.searchsorted(feature, np.asarray(first))
    ticker = Ticker(progress, "route")
    chunk_count = len(first) - 1
    for c in range(chunk_count):
        a, b = int(bounds[c]), int(bounds[c + 1])
        path = spill / f"chunk-{c}"
        chunk = _load_all(path)[0]
        path.unlink()
        _route_chunk(chunk, feature[a:b] - first[c], tile[a:b], full[a:b], first[c], nodes, spill)
        ticker.tick(f"chunk {c + 1:,}/{chunk_count:,}", (c + 1) / chunk_count, force=c + 1 == chunk_count)


def _route_chunk(chunk: dict[str, Any], local: np.ndarray, tile: np.ndarray, full: np.ndarray, base: int,
                 nodes: list[Node], spill: Path) -> None:
    by_tile = np.argsort(tile, kind="stable")
    local, tile, full = local[by_tile], tile[by_tile], full[by_tile]
    cuts = np.flatnonzero(np.diff(tile)) + 1
    feature_of_object = np.full(chunk["vertex_object"].max(initial=-1) + 1, -1, np.int64)
    feature_of_object[chunk["objects"]] = base + np.arange(chunk["objects"].size)
    records = chunk["records"]
    for part in np.split(np.arange(local.size), cuts):
        if part.size == 0:
            continue
        ids, drawn = local[part], full[part]
        whole = ids[drawn]
        piece: dict[str, Any] = {"features": base + ids, "full": drawn, "records": [records[i] for i in ids.tolist()]}
        if whole.size:
            tri_ids = chunk["tri_order"][ranges(chunk["tri_start"][whole], chunk["tri_count"][whole])]
            used, triangles = np.unique(chunk["triangles"][tri_ids], return_inverse=True)
            piece.update(vertices=chunk["vertices"][used], kinds=chunk["vertex_kind"][used],
                         vertex_feature=feature_of_object[chunk["vertex_object"][used]],
                         triangles=triangles.reshape(-1, 3).astype(np.uint32))
        _dump(spill / f"tile-{nodes[int(tile[part[0]])].name}", piece, append=True)


# ---------------------------------------------------------------- pass 4: one GLB per tile


Written = dict[str, tuple[np.ndarray, np.ndarray, int]]  # tile name -> (content lo, content hi, triangles)


def _write_tiles(nodes: list[Node], features: Features, placement: Placement, plan: list[str], spill: Path,
                 tiles: Path, progress: Progress) -> Written:
    written: Written = {}
    ticker = Ticker(progress, "tiles")
    generator = f"citiverse {__version__}"
    for count, node in enumerate(nodes, 1):
        path = spill / f"tile-{node.name}"
        pieces = _load_all(path)
        path.unlink()
        mesh, table = _tile(pieces, features, placement, plan)
        (tiles / f"{node.name}.glb").write_bytes(encode_glb(mesh, table, generator))
        written[node.name] = (*column_bounds(mesh.positions), int(mesh.triangles.shape[0]))
        ticker.tick(f"{count:,}/{len(nodes):,} tiles", count / len(nodes), force=count == len(nodes))
    return written


def _tile(pieces: list[dict[str, Any]], features: Features, placement: Placement,
          plan: list[str]) -> tuple[Any, list[PropertyColumn]]:
    full_ids = np.concatenate([p["features"][p["full"]] for p in pieces])
    box_ids = np.concatenate([p["features"][~p["full"]] for p in pieces])
    records = [r for p in pieces for r, f in zip(p["records"], p["full"].tolist(), strict=True) if f]
    records += [r for p in pieces for r, f in zip(p["records"], p["full"].tolist(), strict=True) if not f]
    parts = []
    if full_ids.size:
        drawn = [p for p in pieces if "vertices" in p]
        parts.append(spilled_mesh([p["vertices"] for p in drawn], [p["kinds"] for p in drawn],
                                  [p["vertex_feature"] for p in drawn], [p["triangles"] for p in drawn],
                                  full_ids, placement))
    if box_ids.size:
        parts.append(box_mesh(features, box_ids, placement))
    return merge(parts), property_columns(records, plan)


# ---------------------------------------------------------------- properties (write_tileset.py rule 4)

MAX_ATTRIBUTES = 64
RESERVED = ("id", "type", "parent")


def column_plan(seen: dict[str, list[int]]) -> list[str]:
    """The attribute keys of the property table, "name:KIND" each (kinds decided over all features, so every
    tile agrees): the MAX_ATTRIBUTES most common, sorted."""
    common = sorted(seen, key=lambda k: (-seen[k][0], k))[:MAX_ATTRIBUTES]
    return [f"{'STRING' if seen[key][1] else 'FLOAT64'}:{key}" for key in sorted(common)]


def property_columns(records: list[Record], plan: list[str]) -> list[PropertyColumn]:
    out = [PropertyColumn("id", "STRING", "id", [r[0] for r in records]),
           PropertyColumn("type", "STRING", "type", [r[1] for r in records]),
           PropertyColumn("parent", "STRING", "parent", [r[2] for r in records])]
    taken = set(RESERVED)
    for entry in plan:
        kind, _, key = entry.partition(":")
        name = identifier(key, taken)
        taken.add(name)
        values = [r[3].get(key) for r in records]
        if kind == "STRING":
            values = [_text(v) for v in values]
        else:
            values = [v if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in values]
        out.append(PropertyColumn(name, kind, key, values))
    return out


def identifier(key: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", key)
    if not base or base[0].isdigit():
        base = "_" + base
    name, n = base, 1
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def _text(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else None if not isinstance(value, (int, float)) else repr(value)

