"""Load to first frame, cold and cached, with peak memory: Den Haag and a generated 100k-building city.

    python bench/bench_load.py [--count 100000] [--skip-big] [--big FILE]

Each case runs in a fresh process (so "cold" includes no warm caches of ours) with its own empty or
primed geometry cache; the figure is the time from starting to load to the first rendered frame (the PNG
written), and the peak resident memory of that process. Cache entries are written in the background while
the frame is drawn; "cache written" is when the last one was done (the process waits for it at exit).
Prints one line per case. --big benchmarks an existing file instead of generating the 100k city.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared" / "data"

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from viewer.app.headless import render_scene_png
from viewer.city import cache
from viewer.city.scene import load_scene_models
from viewer.city.tuning import set_huge_page_advice
from viewer.config import SceneConfig
set_huge_page_advice(False)  # as the citiverse command does
path, out, use_cache = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
start = time.perf_counter()
scene = load_scene_models(SceneConfig.for_file(path), use_cache=use_cache)
loaded = time.perf_counter()
render_scene_png(scene, out, size=(1280, 720))
done = time.perf_counter()
cache.flush()
written = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load_s": loaded - start, "first_frame_s": done - start, "peak_mb": peak,
                  "written_s": written - start,
                  "triangles": scene.model.triangle_count, "objects": len(scene.model.objects)}))
"""


def run_case(path: Path, cache_dir: str, use_cache: bool) -> dict:
    env = {"CITIVERSE_CACHE": cache_dir, "PATH": "/usr/bin:/bin"}
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", CHILD, str(path), f"{tmp}/frame.png", "1" if use_cache else "0"],
                             capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_file(label: str, path: Path) -> None:
    with tempfile.TemporaryDirectory() as cache_dir:
        cold = run_case(path, cache_dir, use_cache=True)     # empty cache: parse + write the cache
        cached = run_case(path, cache_dir, use_cache=True)   # primed cache
    for name, r in (("cold", cold), ("cached", cached)):
        print(f"{label:<28} {name:<7} load {r['load_s']:6.2f} s   first frame {r['first_frame_s']:6.2f} s   "
              f"cache written {r['written_s']:6.2f} s   peak {r['peak_mb']:7.0f} MB   "
              f"{r['objects']:,} objects, {r['triangles']:,} triangles", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="buildings in the generated city")
    parser.add_argument("--skip-big", action="store_true", help="only Den Haag")
    parser.add_argument("--big", type=Path, help="an existing generated city to use instead of making one")
    args = parser.parse_args()
    denhaag = SHARED / "cityjson_denhaag" / "DenHaag_01.city.json"
    if denhaag.is_file():
        bench_file("Den Haag (2,498 objects)", denhaag)
    else:
        print(f"skipping Den Haag: {denhaag} not found")
    if args.skip_big:
        return
    if args.big:
        print(f"{args.big}: {args.big.stat().st_size / 1e6:.0f} MB CityJSON")
        bench_file("generated city LoD1", args.big)
        return
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.city.json"
        subprocess.run([sys.executable, str(PROJECT / "bench" / "make_big_cityjson.py"), str(big),
                        "--count", str(args.count)], check=True, stdout=subprocess.DEVNULL)
        print(f"generated {big.stat().st_size / 1e6:.0f} MB CityJSON with {args.count:,} buildings")
        bench_file(f"generated {args.count:,} LoD1", big)


if __name__ == "__main__":
    main()
