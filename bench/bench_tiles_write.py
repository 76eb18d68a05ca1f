"""Time `citiverse tile` on a generated city: loading, then writing the 3D Tiles tileset, and peak memory.

    python bench/bench_tiles_write.py FILE [--out DIR] [--max-features N] [--cache] [--profile]

FILE is a CityJSON from bench/make_big_cityjson.py (100k buildings: --count 100000; 1M: --count 1000000).
Loading goes through city/scene.py as `citiverse tile` does (without the cache unless --cache); writing is
viewer/tiles/write_tileset.py. Peak memory is the process's peak resident set (getrusage) after each stage.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from viewer.city.scene import load_scene_models
from viewer.config import SceneConfig
from viewer.tiles.write_tileset import TileOptions, write_tileset


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--out", type=Path, help="tileset folder (default: a temporary one, removed after)")
    parser.add_argument("--max-features", type=int, default=1000)
    parser.add_argument("--cache", action="store_true", help="load through the geometry cache")
    parser.add_argument("--profile", action="store_true", help="profile the writing stage")
    args = parser.parse_args()
    start = time.perf_counter()
    scene = load_scene_models(SceneConfig.for_file(args.file), use_cache=args.cache)
    loaded = time.perf_counter() - start
    load_peak = peak_mb()
    print(f"load: {len(scene.model.objects):,} objects, {scene.model.triangle_count:,} triangles in {loaded:.1f} s, "
          f"peak {load_peak:,.0f} MB", flush=True)
    tmp = None if args.out else Path(tempfile.mkdtemp(prefix="tiles-bench-"))
    out = args.out or tmp / "tiles"  # type: ignore[operator]
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    summary = write_tileset(scene.model, scene.frame, out, TileOptions(max_features=args.max_features))
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    print(f"write: {summary.features:,} features, {summary.tiles:,} tiles, {summary.levels} levels, "
          f"{summary.bytes / 1e6:,.0f} MB in {summary.seconds:.1f} s; whole-city view {summary.root_triangles:,} "
          f"triangles (full detail {summary.leaf_triangles:,}); tileset.json "
          f"{(out / 'tileset.json').stat().st_size / 1e3:,.0f} kB; peak {peak_mb():,.0f} MB "
          f"(+{peak_mb() - load_peak:,.0f} MB over loading)")
    print(f"total: {time.perf_counter() - start:.1f} s")
    if tmp is not None:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
