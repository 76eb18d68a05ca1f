// Drives a room page in headless Chromium for tests/test_web_look_e2e.py: a scene's own layer styles and camera
// bookmarks in the page.
//   node web/e2e/look.mjs LINK [--timeout SECONDS]
// One JSON line on stdout per step ({"step": ..., ...}):
//   "live"    the feed is live with buildings and roads: the legends' titles, and 40 readings of each layer
//             with the colour the page gives them ({id, values, rgb})
//   "flew"    a click on the "tower" row of the Views panel flew the camera there (its eye and target, local)
// Exits non-zero with {"step": "failed", "reason"} on a timeout.
import { deadlineFromArgs, drive, say, untilSnapshot } from "./drive.mjs";

const [link] = process.argv.slice(2);
const deadline = deadlineFromArgs(90);
const until = (page, what, predicate) => untilSnapshot(page, deadline, what, predicate,
  (snap) => JSON.stringify(snap?.feed ?? snap?.status)?.slice(0, 600));

await drive(async (page) => {
  await page.goto(link);
  let snap = await until(page, "the live layers", (s) => s.status === "live" && s.feed?.status === "live"
    && s.feed.buildings > 0 && s.feed.roads > 0 && s.feed.legends.length >= 3);
  const samples = await page.evaluate(() => ({ buildings: window.citiverse.coloured("buildings", 40),
    roads: window.citiverse.coloured("roads", 40) }));
  say({ step: "live", legends: snap.feed.legends, bookmarks: await page.evaluate(() => window.citiverse.bookmarks()), ...samples });
  await page.click('.views .view-row[data-name="tower"]');
  snap = await until(page, "the flight to the tower bookmark", (s) => Math.hypot(s.camera.e[0] - 10, s.camera.e[1] + 20, s.camera.e[2] - 45) < 0.05
    && Math.hypot(...s.target.map((v, i) => v - [0, 0, 5][i])) < 0.05);
  say({ step: "flew", camera: snap.camera, target: snap.target });
});
