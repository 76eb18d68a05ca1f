// Drives a room page with live layers in headless Chromium for tests/test_web_live_e2e.py:
//   node web/e2e/live.mjs LINK OUT_DIR EYE_X,EYE_Y,EYE_Z TARGET_X,TARGET_Y,TARGET_Z [--timeout SECONDS]
// One JSON line on stdout per step. "live": the feed is live, vehicles drawn and tiles coloured; the camera
// is put at EYE looking at TARGET (local metres) and OUT_DIR/all.png shot. Then it waits for the host to turn
// off the shared layer `vehicles` ("no-vehicles", OUT_DIR/no-vehicles.png), then also `roads` and
// `buildings` ("no-layers", OUT_DIR/no-layers.png). Then G lands the walker where the view's centre meets the
// city ("landed": the picked point and the camera), W walks ("walked") and U flies ("flew").
// Exits non-zero with {"step": "failed", "reason"}.
import { deadlineFromArgs, drive, say, untilSnapshot } from "./drive.mjs";

const [link, out, eyeText, targetText] = process.argv.slice(2);
const deadline = deadlineFromArgs(120);
process.stdout.on("error", () => process.exit(1)); // the reader went away
const eye = eyeText.split(",").map(Number), target = targetText.split(",").map(Number);
const until = (page, what, predicate) => untilSnapshot(page, deadline, what, predicate,
  (snap) => JSON.stringify(snap)?.slice(0, 1200));

await drive(async (page) => {
  await page.goto(link);
  await until(page, "joining", (s) => s.status === "live" && s.me);
  await page.evaluate(([e, t]) => window.citiverse.look(e, t), [eye, target]);
  let snap = await until(page, "the live layers", (s) => s.feed?.status === "live" && s.feed.drawn > 0
    && s.feed.coloured > 0 && s.tilesLoaded > 0 && s.feed.legends.length >= 3);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${out}/all.png` });
  snap = await page.evaluate(() => window.citiverse.snapshot());
  say({ step: "live", feed: snap.feed, camera: snap.camera });
  snap = await until(page, "the host's layers: vehicles off", (s) => s.layers.vehicles === false && s.feed.drawn === 0);
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}/no-vehicles.png` });
  say({ step: "no-vehicles", feed: snap.feed });
  snap = await until(page, "the host's layers: all off", (s) => s.layers.buildings === false && s.layers.roads === false);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${out}/no-layers.png` });
  snap = await page.evaluate(() => window.citiverse.snapshot());
  say({ step: "no-layers", feed: snap.feed });
  const rect = await page.evaluate(() => { const r = document.querySelector("canvas").getBoundingClientRect(); return [r.width, r.height]; });
  const pick = await page.evaluate(([w, h]) => window.citiverse.pick(w / 2, h / 2), rect);
  await page.keyboard.press("g");
  snap = await until(page, "walk mode", (s) => s.mode === "walk");
  await page.waitForTimeout(300);
  snap = await page.evaluate(() => window.citiverse.snapshot());
  say({ step: "landed", pick, camera: snap.camera, mode: snap.mode });
  await page.keyboard.down("w");
  await page.waitForTimeout(1500);
  await page.keyboard.up("w");
  await page.waitForTimeout(300);
  const walked = await page.evaluate(() => window.citiverse.snapshot());
  say({ step: "walked", camera: walked.camera });
  await page.keyboard.press("u");
  await until(page, "fly mode", (s) => s.mode === "fly");
  await page.keyboard.down("e");
  await page.waitForTimeout(1000);
  await page.keyboard.up("e");
  const flew = await page.evaluate(() => window.citiverse.snapshot());
  say({ step: "flew", camera: flew.camera, mode: flew.mode });
});
