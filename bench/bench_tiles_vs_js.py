"""Time until the view is complete: CitiVerse's streaming against 3DTilesRendererJS (three.js) in headless
Chromium, on the same tileset, camera, viewport and screen-space error. A benchmark, not a test.

    python bench/bench_tiles_vs_js.py TILESET_DIR [--size 1280x720] [--sse 16] [--node DIR] [--chromium PATH]

Needs npm's `three`, `3d-tiles-renderer` and `playwright-core` under --node (default ~/.cache/citiverse-node:
`npm install three 3d-tiles-renderer playwright-core` there) and Debian's chromium. One loopback HTTP server
(127.0.0.1) serves the tileset (/tiles/), bench/js/tiles_view.html and node_modules to the page.

For each view (the tileset's overview bookmark and a street-level view at the city's centre, as
bench/bench_tiles.py uses):
- ours: with the engine and its offscreen buffer made, open tileset.json, build a stage, settle every tile
  the frame needs (the offline path: loaded, decoded in the worker processes, built) and draw one frame
  (read back); the tiles read from disk; the first view also pays for starting the worker processes;
- theirs: a fresh page; from `new TilesRenderer` until no tile is queued, downloading or parsing, the load
  progress is 1 after a final traversal, and one frame is drawn and finished (gl.finish); tiles over HTTP
  from the loopback server (Chromium has no file reader for them), drawn by SwiftShader (no GPU here, as
  llvmpipe for us).
Cameras are given to the page in the tileset's coordinates (ECEF): our local frame's eye, target and up
through LocalFrame.local_to_ecef. Prints both times and the ratio (theirs / ours: above 1, we are ahead).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import numpy as np

HERE = Path(__file__).parent
DEFAULT_NODE = Path.home() / ".cache" / "citiverse-node"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """/tiles/ -> the tileset folder, /node_modules/ -> the node folder's, anything else -> bench/js."""

    def __init__(self, *args, roots: dict[str, Path], **kwargs) -> None:
        self.roots = roots
        super().__init__(*args, directory=str(HERE / "js"), **kwargs)

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        for prefix, root in self.roots.items():
            if clean.startswith(prefix):
                return str(root / clean[len(prefix):])
        return super().translate_path(path)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # every page load is cold
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


def serve(tiles: Path, node: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    roots = {"/tiles/": tiles, "/node_modules/": node / "node_modules"}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, roots=roots))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


RUNNER = """
import { chromium } from %(playwright)s;
const browser = await chromium.launch({ executablePath: %(chromium)s, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--use-angle=swiftshader",
         "--enable-unsafe-swiftshader", "--disable-renderer-backgrounding", "--disable-background-timer-throttling"] });
const out = [];
for (const url of %(urls)s) {
  const page = await browser.newPage({ viewport: { width: %(w)d, height: %(h)d } });
  await page.goto(url);
  await page.waitForFunction(() => window.result !== null && window.result !== undefined, null, { timeout: 600000 });
  out.push(await page.evaluate(() => window.result));
  await page.close();
}
await browser.close();
console.log(JSON.stringify(out));
"""


def run_js(urls: list[str], node: Path, chromium: str, size: tuple[int, int]) -> list[dict]:
    playwright = node / "node_modules" / "playwright-core" / "index.mjs"
    script = RUNNER % {"playwright": json.dumps(str(playwright)), "chromium": json.dumps(chromium),
                       "urls": json.dumps(urls), "w": size[0], "h": size[1]}
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True,
                          timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"the page runner failed: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def views(scene, lo: np.ndarray, hi: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
    """(eye, target, fov) in local metres: the overview bookmark and bench_tiles.py's street view."""
    bookmark = scene.config.cameras["overview"]
    centre = (lo + hi) / 2
    eye = np.array([centre[0], centre[1], lo[2] + 1.7])
    return {"overview": (np.array(bookmark.position, float), np.array(bookmark.look_at, float), float(bookmark.fov)),
            "street": (eye, eye + [100.0, 60.0, 0.0], 60.0)}


def ours(folder: Path, name: str, size: tuple[int, int], sse: float) -> float:
    """Seconds from opening tileset.json to a complete frame of view `name` drawn (rule in the docstring)."""
    import dataclasses

    from viewer.app.base import offscreen_base, supports_shaders
    from viewer.app.headless import OffscreenView
    from viewer.app.tiles_scene import attach_tiles, load_scene, remove_tiles, settle_tiles
    from viewer.config import SceneConfig
    from viewer.render.stage import background_rgba, build_stage

    sys.path.insert(0, str(HERE))
    from bench_tiles import place

    base = offscreen_base()  # the engine and its buffer first, as the page has its WebGL context before timing
    config = SceneConfig.for_file(folder / "tileset.json")
    config = dataclasses.replace(config, tiles=dataclasses.replace(config.tiles, sse=sse))
    view = OffscreenView(base, size, background_rgba(config.style), multisamples=0)
    start = time.perf_counter()
    scene = load_scene(config, use_cache=False)
    stage = build_stage(base.render, scene.model, scene.config.style, shaders=supports_shaders(base))
    tiles = attach_tiles(stage, scene, supports_shaders(base))
    try:
        lo, hi = stage.bmin.astype(np.float64), stage.bmax.astype(np.float64)
        eye, target, fov = views(scene, lo, hi)[name]
        place(view, eye, target, fov, lo, hi)
        settle_tiles(tiles, view.camera, view.lens, base.render, view.size, 600)
        view.capture()
        return time.perf_counter() - start
    finally:
        view.close()
        remove_tiles(tiles)
        stage.remove()


def page_urls(folder: Path, root: str, size: tuple[int, int], sse: float) -> dict[str, str]:
    from viewer.app.tiles_scene import load_scene
    from viewer.config import SceneConfig

    scene = load_scene(SceneConfig.for_file(folder / "tileset.json"), use_cache=False)
    lo, hi = (np.asarray(b, np.float64) for b in scene.tilesets[0].local_bounds())
    frame = scene.frame
    out = {}
    for name, (eye, target, fov) in views(scene, lo, hi).items():
        ecef = frame.local_to_ecef(np.array([eye, target, eye + [0.0, 0.0, 1.0]], np.float64))
        up = ecef[2] - ecef[0]
        query = {"eye": ",".join(f"{v:.4f}" for v in ecef[0]), "target": ",".join(f"{v:.4f}" for v in ecef[1]),
                 "up": ",".join(f"{v:.6f}" for v in up / np.linalg.norm(up)), "fov": f"{fov:g}", "sse": f"{sse:g}",
                 "w": size[0], "h": size[1]}
        out[name] = f"{root}/tiles_view.html?{urlencode(query)}"
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tileset", type=Path, help="folder holding tileset.json (ECEF, as `citiverse tile` writes)")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--sse", type=float, default=16.0)
    parser.add_argument("--node", type=Path, default=DEFAULT_NODE)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    for need in ("three", "3d-tiles-renderer", "playwright-core"):
        if not (args.node / "node_modules" / need).is_dir():
            parser.error(f"{args.node}/node_modules/{need} is missing: npm install three 3d-tiles-renderer "
                         f"playwright-core there")
    httpd, root = serve(args.tileset, args.node)
    try:
        urls = page_urls(args.tileset, root, size, args.sse)
        theirs = dict(zip(urls, run_js(list(urls.values()), args.node, args.chromium, size), strict=True))
    finally:
        httpd.shutdown()
    for name in urls:
        mine = ours(args.tileset, name, size, args.sse)
        them = theirs[name]
        if "error" in them:
            print(f"{name}: ours {mine:.2f} s; 3DTilesRendererJS: {them['error']}")
            continue
        print(f"{name}: ours {mine:.2f} s, 3DTilesRendererJS {them['seconds']:.2f} s "
              f"({them['visible']} tiles visible, {them['frames']} frames), ratio {them['seconds'] / mine:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
