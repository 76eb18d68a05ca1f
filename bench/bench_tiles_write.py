"""Time `citiverse tile` on a generated city, and its peak memory.

    python bench/bench_tiles_write.py FILE [--out DIR] [--max-features N] [--whole [--cache] | --parse-whole]
                                           [--profile]

FILE is a CityJSON (.city.json) or CityJSONSeq (.city.jsonl) from bench/make_big_cityjson.py (100k buildings:
--count 100000; 1M: --count 1000000; --seq for .city.jsonl). As `citiverse tile` does, the file is read in
chunks and written by viewer/tiles/write_stream.py; --whole loads it whole through city/scene.py first (the
path of formats that are not read in chunks; without the cache unless --cache). A plain CityJSON document is
streamed (city/cityjson_stream.py) unless it is smaller than cityjson.STREAM_FROM_BYTES; --parse-whole parses it
whole and hands out its objects in chunks (the path before streaming, for the crossover). Peak memory is the
process's peak resident set (getrusage): run one conversion per process. The load average (1 min) is printed
before and after, and the CPU time beside the wall time, for figures taken on a shared machine.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from viewer.city import cityjson
from viewer.city.chunks import LocalChunks, chunked_source
from viewer.city.scene import load_scene_models
from viewer.config import SceneConfig
from viewer.tiles.write_tileset import TileOptions, TilesetSummary, write_streamed, write_tileset


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--out", type=Path, help="tileset folder (default: a temporary one, removed after)")
    parser.add_argument("--max-features", type=int, default=1000)
    parser.add_argument("--cache", action="store_true", help="load through the geometry cache")
    parser.add_argument("--profile", action="store_true", help="profile the writing stage")
    parser.add_argument("--whole", action="store_true", help="load the whole model first, then write")
    parser.add_argument("--parse-whole", action="store_true",
                        help="parse a plain CityJSON document whole, then chunk it (no streaming)")
    args = parser.parse_args()
    if args.parse_whole:
        cityjson.STREAM_FROM_BYTES = 1 << 62
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    tmp = None if args.out else Path(tempfile.mkdtemp(prefix="tiles-bench-"))
    out = args.out or tmp / "tiles"  # type: ignore[operator]
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    summary = write(args.file, out, TileOptions(max_features=args.max_features), args.whole, args.cache)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    print(f"write: {summary.features:,} features, {summary.tiles:,} tiles, {summary.levels} levels, "
          f"{summary.bytes / 1e6:,.0f} MB in {summary.seconds:.1f} s; whole-city view {summary.root_triangles:,} "
          f"triangles (full detail {summary.leaf_triangles:,}); tileset.json "
          f"{(out / 'tileset.json').stat().st_size / 1e3:,.0f} kB")
    how = "whole model" if args.whole else "in chunks, document parsed whole" if args.parse_whole else "in chunks"
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"total: {time.perf_counter() - start:.1f} s ({usage.ru_utime + usage.ru_stime:.1f} s of CPU), peak "
          f"{peak_mb():,.0f} MB ({how}); load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    if tmp is not None:
        shutil.rmtree(tmp)
    return 0


def write(file: Path, out: Path, options: TileOptions, whole: bool, cache: bool) -> TilesetSummary:
    config = SceneConfig.for_file(file)
    source = None if whole else chunked_source(config)
    if source is not None:
        chunks = LocalChunks(config, source)
        return write_streamed(chunks, chunks.placed_frame, out, options, progress=print)
    start = time.perf_counter()
    scene = load_scene_models(config, use_cache=cache)
    print(f"load: {len(scene.model.objects):,} objects, {scene.model.triangle_count:,} triangles in "
          f"{time.perf_counter() - start:.1f} s, peak {peak_mb():,.0f} MB", flush=True)
    return write_tileset(scene.model, scene.frame, out, options, progress=print)


if __name__ == "__main__":
    sys.exit(main())
