"""The browser client: time from opening a room link to the city drawn, the bundle's size, and frames per
second of the city view, in headless Chromium (software WebGL: SwiftShader) on this machine.

    python bench/bench_web.py [--buildings 3000] [--runs 3]

Tiles a generated city (viewer.city.demo, --buildings) with the project's writer, serves it from a real
meeting server with its web side on loopback, and opens a `meet token --link` link with web/e2e/open.mjs
(npm playwright-core driving /usr/bin/chromium). Each run is a fresh browser context (empty cache). Prints
the figures. Needs chromium, node and `npm ci --prefix web`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from viewer.app.meet_cli import room_link
from viewer.city.demo import demo_scene
from viewer.city.scene import load_scene_models
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_server import ServerThread
from viewer.net.web_assets import BUNDLE_DIR, WebSite, tile_scene

PROJECT = Path(__file__).resolve().parents[1]
SECRET = b"bench-web-secret-0123456789abcdef"


def bundle_size() -> tuple[int, int]:
    """Bytes of the shipped bundle (every file), and of app.js gzipped (what a server with compression sends)."""
    raw = sum(p.stat().st_size for p in BUNDLE_DIR.iterdir())
    return raw, len(gzip.compress((BUNDLE_DIR / "app.js").read_bytes(), 9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    raw, zipped = bundle_size()
    print(f"bundle: {raw / 1e3:.0f} kB ({zipped / 1e3:.0f} kB app.js gzipped)")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        scene = load_scene_models(demo_scene(seed=7, buildings=args.buildings), use_cache=False)
        tiles = Path(tmp) / "tiles"
        tile_scene(scene.model, scene.frame, tiles, "bench city")
        size = sum(p.stat().st_size for p in tiles.rglob("*") if p.is_file())
        print(f"city: {args.buildings:,} buildings tiled in {time.perf_counter() - start:.1f} s, {size / 1e6:.1f} MB")
        with ServerThread(SECRET, port=0, web=WebSite(tiles=tiles)) as server:
            base = f"http://127.0.0.1:{server.server.port}"  # type: ignore[union-attr]
            link = room_link(base, "bench", issue_token(SECRET, "bench", "Viewer", "guest", 3600, time.time()))
            out = subprocess.run(["node", "e2e/open.mjs", link, "--runs", str(args.runs)], cwd=PROJECT / "web",
                                 capture_output=True, text=True, timeout=900, check=True).stdout
    runs = json.loads(out.strip().splitlines()[-1])
    for key, label in (("firstTileMs", "link opened -> first tile drawn (ms)"),
                       ("settledMs", "link opened -> tiles settled (ms)"), ("fps", "frames per second, city view")):
        values = [r[key] for r in runs]
        print(f"{label}: median {statistics.median(values):.0f}, runs {', '.join(f'{v:.0f}' for v in values)}")
    print(f"tiles loaded when settled: {runs[-1]['tiles']}")


if __name__ == "__main__":
    main()
