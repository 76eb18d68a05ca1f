"""Write a CityModel, whole or as a stream of chunks (write_stream.py), as a 3D Tiles 1.1 tileset: tileset.json
and one GLB per tile.

Rules:
1. Nothing half-written is ever in place: tiles go to OUT.tmp-PID beside OUT, which is renamed onto OUT only
   when complete; on any error (or Ctrl-C) the temporary folder is removed, and one left by a killed run
   (its PID no longer running) is removed by the next run. An existing OUT is replaced only when it is a
   tileset (it has a tileset.json); any other existing OUT is refused.
2. An explicit tree, not implicit tiling: the tree adapts to where buildings are (write_hlod.py rule 2), and
   every tile and content gets its own tight box, which implicit tiling cannot carry without per-tile
   metadata (its volumes are fixed subdivisions of the root's). The explicit tree stays small: one tile per
   max_features buildings, about 200 bytes each (1M buildings at 1000 a tile: about 0.3 MB of JSON).
3. Bounding volumes are axis-aligned boxes in the ENU frame of the root transform (write_place.py), z up. A
   tile's box holds its content and all its children's boxes; a content's box is its own, tight.
4. Properties: each feature's id, type and parent id, and its attributes whose values are numbers or strings
   (booleans as strings), at most write_stream.MAX_ATTRIBUTES of them (the most common), names made glTF identifiers.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viewer import __version__
from viewer.city.model import CityModel
from viewer.errors import ConfigError
from viewer.geo.frame import LocalFrame
from viewer.tiles.write_hlod import Features, Node
from viewer.tiles.write_place import Placement
from viewer.tiles.write_stream import Chunk, depth, write_chunks

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TileOptions:
    """max_features: most features a tile holds; min_size: metres below which a tile is not split further."""

    max_features: int = 1000
    min_size: float = 25.0


@dataclass
class TilesetSummary:
    out: Path
    features: int
    tiles: int
    levels: int
    leaf_triangles: int
    root_triangles: int
    bytes: int
    seconds: float


def _quiet(_: str) -> None:
    pass


def write_tileset(model: CityModel, frame: LocalFrame, out: Path, options: TileOptions = TileOptions(),
                  progress: Progress = _quiet) -> TilesetSummary:
    """Write `model` (placed by `frame`) as a tileset folder `out` (rule 1): one chunk of write_stream.py."""
    return write_streamed([(model, 1.0)], lambda: frame, out, options, progress)


def write_streamed(chunks: Iterable[Chunk], frame: Callable[[], LocalFrame], out: Path,
                   options: TileOptions = TileOptions(), progress: Progress = _quiet) -> TilesetSummary:
    """Write localised chunks (write_stream.py) as a tileset folder `out` (rule 1). `frame` gives the chunks'
    frame, asked after the first chunk is read (a streamed input's frame comes from its first chunk)."""
    start = time.perf_counter()
    out = Path(out)
    check_out(out)
    tmp = out.parent / f"{out.name}.tmp-{os.getpid()}"
    try:
        _remove_stale(out)
        (tmp / "tiles").mkdir(parents=True)
        root, features, written, _ = write_chunks(chunks, frame, out, tmp, options, progress)
        document = _tileset_json(root, written, features, Placement(frame()))
        (tmp / "tileset.json").write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
        _swap_into_place(tmp, out)
    except OSError as exc:
        raise ConfigError(f"--out {out}", "", f"cannot write the tileset: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    nodes = root.walk()
    summary = TilesetSummary(out=out, features=len(features), tiles=len(nodes), levels=depth(root),
                             leaf_triangles=sum(written[n.name][2] for n in nodes if n.is_leaf),
                             root_triangles=written[root.name][2], bytes=size,
                             seconds=time.perf_counter() - start)
    progress(f"wrote {out}: {summary.tiles:,} tiles, {size / 1e6:.1f} MB in {summary.seconds:.2f} s")
    return summary


def check_out(out: Path) -> None:
    """Refuse an --out that is a file or a folder of other things (rule 1), before anything is loaded."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}", "", "exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "tileset.json").is_file():
        raise ConfigError(f"--out {out}", "", "is a folder with other things in it (not a tileset): "
                                              "name a new or empty folder")


def _remove_stale(out: Path) -> None:
    """Remove OUT.tmp-PID and OUT.old-PID folders of runs that were killed (their PID runs no more)."""
    for leftover in out.parent.glob(f"{glob.escape(out.name)}.*-*"):
        stage, _, pid = leftover.name[len(out.name) + 1:].partition("-")
        if stage in ("tmp", "old") and pid.isdigit() and leftover.is_dir() and not _running(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process (or an absurd number): leave its folder alone
    return True


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Rename the finished folder onto `out`; an old tileset there is moved aside first, then removed."""
    old = out.parent / f"{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _tileset_json(root: Node, written: dict[str, tuple[np.ndarray, np.ndarray, int]], features: Features, placement: Placement) -> dict[str, object]:
    boxes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for node in reversed(root.walk()):  # children first: a tile's box holds its children's
        lo, hi, _ = written[node.name]
        for child in node.children:
            lo, hi = np.minimum(lo, boxes[child.name][0]), np.maximum(hi, boxes[child.name][1])
        boxes[node.name] = (lo, hi)

    def tile(node: Node) -> dict[str, object]:
        lo, hi, _ = written[node.name]
        entry: dict[str, object] = {
            "boundingVolume": {"box": _box(*boxes[node.name])},
            "geometricError": round(node.error, 3),
            "refine": "REPLACE",
            "content": {"uri": f"tiles/{node.name}.glb", "boundingVolume": {"box": _box(lo, hi)}},
        }
        if node.children:
            entry["children"] = [tile(c) for c in node.children]
        return entry

    root_tile = tile(root)
    transform = placement.root_transform()
    if transform is not None:
        root_tile = {"transform": transform, **root_tile}
    worst = float(features.size.max(initial=0.0))
    return {"asset": {"version": "1.1", "generator": f"citiverse {__version__}"},
            "geometricError": round(max(worst, root.error), 3), "root": root_tile}


def _box(lo: np.ndarray, hi: np.ndarray) -> list[float]:
    """A 3D Tiles box: centre and three half-axes; a flat extent gets 1 cm so the box has a volume."""
    centre, half = (lo + hi) / 2.0, np.maximum((hi - lo) / 2.0, 0.01)
    values = [*centre, half[0], 0.0, 0.0, 0.0, half[1], 0.0, 0.0, 0.0, half[2]]
    return [round(float(v), 4) for v in values]
