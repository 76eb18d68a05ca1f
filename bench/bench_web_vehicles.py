"""The browser client with live layers: frames per second with 2,000 live vehicles (and the city's roads and
buildings coloured from the same feed) in headless Chromium (software WebGL: SwiftShader) on this machine.

    python bench/bench_web_vehicles.py [--vehicles 2000] [--buildings 3000] [--runs 3] [--seconds 10]

Tiles a generated city (viewer.city.demo) with the project's writer, runs the demo source on it (vehicles at
10 Hz on its streets, roads every second, buildings every 5 s) in a real feed server on loopback (binary
frames), serves the tiles and the feed's URL from a real meeting server with its web side, and opens a
`meet token --link` link with web/e2e/fps.mjs (npm playwright-core driving /usr/bin/chromium, 1280x720, the
page's start view of the whole city). Each run is a fresh browser context. Prints frames per second per run,
their range, and the load average before and after (the machine is shared). Needs chromium, node and
`npm ci --prefix web`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from viewer.app.meet_cli import room_link
from viewer.city.demo import demo_scene
from viewer.city.scene import load_scene_models
from viewer.meeting.tokens import issue_token
from viewer.net.feed_server import ServerOptions
from viewer.net.meeting_server import ServerThread
from viewer.net.server_thread import ServerThread as FeedThread
from viewer.net.web_assets import FeedLink, WebSite, tile_scene
from viewer.sources.demo import DemoSource

PROJECT = Path(__file__).resolve().parents[1]
SECRET = b"bench-web-secret-0123456789abcdef"


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vehicles", type=int, default=2000)
    parser.add_argument("--buildings", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scene = load_scene_models(demo_scene(seed=7, buildings=args.buildings), use_cache=False)
        tiles = Path(tmp) / "tiles"
        tile_scene(scene.model, scene.frame, tiles, "bench city")
        source = DemoSource.from_scene(scene, seed=1, vehicles=args.vehicles, start_time=time.time())
        print(f"city: {args.buildings:,} buildings; feed: {args.vehicles:,} vehicles at 10 Hz (demo source)")
        with FeedThread(source, ServerOptions(port=0)).start() as feed, \
                ServerThread(SECRET, port=0, web=WebSite(tiles=tiles, feed=FeedLink((feed.url,), None, bool))) as server:
            base = f"http://127.0.0.1:{server.server.port}"  # type: ignore[union-attr]
            link = room_link(base, "bench", issue_token(SECRET, "bench", "Viewer", "guest", 3600, time.time()))
            before = load()
            out = subprocess.run(["node", "e2e/fps.mjs", link, str(args.vehicles), "--runs", str(args.runs),
                                  "--seconds", str(args.seconds)], cwd=PROJECT / "web", capture_output=True,
                                 text=True, timeout=1800, check=True).stdout
            after = load()
    runs = json.loads(out.strip().splitlines()[-1])
    for k, r in enumerate(runs, 1):
        print(f"run {k}: {r['fps']:.1f} frames/s, {r['drawn']:,} of {r['vehicles']:,} vehicles drawn, "
              f"{r['coloured']:,} features coloured, {r['messages']} feed messages in {r['seconds']:.0f} s; main thread "
              f"{r['cost']['draw']:.1f} ms a frame, live layers {r['cost']['live']:.1f} ms")
    fps = [r["fps"] for r in runs]
    print(f"frames per second with {args.vehicles:,} live vehicles, 1280x720, SwiftShader: "
          f"{min(fps):.1f}-{max(fps):.1f} (load average before {before}, after {after})")


if __name__ == "__main__":
    main()
