"""Time the CityJSON loader alone (parse + build of the SourceModel) and its peak memory.

    python bench/bench_cityjson_load.py FILE [FILE ...] [--repeat N] [--lod LOD] [--crs CRS] [--profile]

The first load of each file runs in a fresh process state (nothing of ours allocated yet), which is what a
user waits for: fresh memory costs page faults, so later loads in the same process are faster; the best of
--repeat loads is shown too. "json" is the bare read + parse (parse_json_text: orjson) with the collector
off, the floor for any pure-Python loader. Peak memory is the process's peak resident set (getrusage, includes
~60 MB of interpreter and numpy) after the first load. Make a big test file with bench/make_big_cityjson.py.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import resource
import sys
import time
from pathlib import Path

from viewer.city.cityjson import load
from viewer.city.limits import parse_json_text
from viewer.city.model import SourceModel
from viewer.config import Limits, SourceConfig


def parse_only(path: Path) -> float:
    """Seconds to read and json-parse the file with the collector off (the floor for any loader)."""
    gc.disable()
    try:
        start = time.perf_counter()
        parse_json_text(path, path.read_bytes())
        return time.perf_counter() - start
    finally:
        gc.enable()


def timed_load(path: Path, options: SourceConfig) -> tuple[float, float, SourceModel]:
    """(wall seconds, CPU seconds, model) of one load."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    model = load(path, options, Limits())
    return time.perf_counter() - wall, time.process_time() - cpu, model


def bench(path: Path, options: SourceConfig, repeat: int, profile: bool) -> None:
    first, first_cpu, model = timed_load(path, options)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best = min([first] + [timed_load(path, options)[0] for _ in range(repeat - 1)])
    parse = parse_only(path) if not path.name.endswith(".jsonl") else float("nan")
    if profile:
        cProfile.runctx("load(path, options, Limits())", globals(), {"path": path, "options": options},
                        "/tmp/cityjson.prof")
        pstats.Stats("/tmp/cityjson.prof").sort_stats("cumulative").print_stats(25)
    print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB, {len(model.objects):,} objects, "
          f"{model.vertex_count:,} vertices, {model.triangle_count:,} triangles")
    print(f"  first load {first:.2f} s (CPU {first_cpu:.2f} s), best of {repeat} {best:.2f} s, "
          f"json alone {parse:.2f} s | peak RSS {peak_mb:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lod", default="highest")
    parser.add_argument("--crs", default=None)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one load")
    args = parser.parse_args(argv)
    for path in args.files:
        bench(path, SourceConfig(path=path, lod=args.lod, crs=args.crs), max(1, args.repeat), args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
