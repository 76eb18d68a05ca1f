// Opens a room link in headless Chromium and measures, for bench/bench_web.py:
//   node web/e2e/open.mjs LINK [--runs N]
// per run: ms from opening the link to the first tile drawn, ms until the tile count settles (no new tile
// for 1 s), and frames per second over 5 s after that. One JSON line on stdout.
import { chromium } from "playwright-core";

const link = process.argv[2];
const runsAt = process.argv.indexOf("--runs");
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--use-angle=swiftshader", "--enable-unsafe-swiftshader"];
const snap = (page) => page.evaluate(() => window.citiverse?.snapshot() ?? null);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: flags });
const results = [];
try {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const opened = Date.now();
    await page.goto(link);
    let s = null;
    while (!(s && s.tilesLoaded > 0 && s.frames > 1)) {
      if (Date.now() - opened > 120000) throw new Error("no tile drawn in 120 s");
      await page.waitForTimeout(20);
      s = await snap(page);
    }
    const firstTile = Date.now() - opened;
    let count = s.tilesLoaded, since = Date.now();
    while (Date.now() - since < 1000 && Date.now() - opened < 120000) {
      await page.waitForTimeout(50);
      s = await snap(page);
      if (s.tilesLoaded !== count) { count = s.tilesLoaded; since = Date.now(); }
    }
    const settled = since - opened;
    const f0 = s.frames, t0 = Date.now();
    await page.waitForTimeout(5000);
    const fps = ((await snap(page)).frames - f0) / ((Date.now() - t0) / 1000);
    results.push({ firstTileMs: firstTile, settledMs: settled, tiles: count, fps });
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results) + "\n");
