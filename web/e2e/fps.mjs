// Frames per second of a room page with live vehicles, for bench/bench_web_vehicles.py:
//   node web/e2e/fps.mjs LINK VEHICLES [--runs N] [--seconds S]
// Per run (a fresh browser context): wait until the feed is live with VEHICLES vehicles drawn, then count the
// page's frames over S seconds in its start view (the whole city). One JSON line on stdout: the runs.
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS } from "./flags.mjs";

const [link, vehiclesText] = process.argv.slice(2);
const vehicles = Number(vehiclesText);
const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const runs = option("--runs", 3), seconds = option("--seconds", 10);
const snap = (page) => page.evaluate(() => window.citiverse?.snapshot() ?? null);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_FLAGS });
const results = [];
try {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(link);
    const deadline = Date.now() + 180_000;
    let s;
    for (;;) {
      s = await snap(page);
      if (s?.feed?.status === "live" && s.feed.vehicles >= vehicles && s.feed.drawn >= vehicles * 0.9 && s.tilesLoaded > 0) break;
      if (Date.now() > deadline) throw new Error(`the feed never went live: ${JSON.stringify(s?.feed)}`);
      await page.waitForTimeout(200);
    }
    await page.waitForTimeout(2000); // tiles and the first recolouring settle
    const a = await snap(page);
    const t0 = Date.now();
    await page.waitForTimeout(seconds * 1000);
    const b = await snap(page);
    const ms = Date.now() - t0;
    results.push({ fps: ((b.frames - a.frames) * 1000) / ms, vehicles: b.feed.vehicles, drawn: b.feed.drawn,
      coloured: b.feed.coloured, messages: b.feed.messages - a.feed.messages, seconds: ms / 1000, cost: b.cost });
    await context.close();
  }
  process.stdout.write(JSON.stringify(results) + "\n");
} finally {
  await browser.close();
}
