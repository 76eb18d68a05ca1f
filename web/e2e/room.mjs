// Drives a room page in headless Chromium for tests/test_web_e2e.py and bench/bench_web.py:
//   node web/e2e/room.mjs LINK SCREENSHOT.png [--timeout SECONDS]
// One JSON line on stdout per step ({"step": ..., ...}); the Python side runs a desktop client in the same
// room and answers each step. Steps: "joined" (the page is live), "saw-desktop" (the Python participant and
// its chat are on the page), "chatted" (typed a line into the chat box), "pointed" (P over the view),
// "drawn" (tiles loaded, screenshot written, ms from opening the link), "followed" (the camera is at the
// host's eye). Exits non-zero with {"step": "failed", "reason"} on a timeout.
import { chromium } from "playwright-core";

const [link, shot] = process.argv.slice(2);
const timeoutIndex = process.argv.indexOf("--timeout");
const deadline = Date.now() + 1000 * (timeoutIndex > 0 ? Number(process.argv[timeoutIndex + 1]) : 90);
const say = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--use-angle=swiftshader", "--enable-unsafe-swiftshader"];

async function until(page, what, predicate) {
  for (;;) {
    const snap = await page.evaluate(() => window.citiverse?.snapshot() ?? null);
    if (snap && predicate(snap)) return snap;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(snap)?.slice(0, 800)}`);
    await page.waitForTimeout(50);
  }
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_FLAGS });
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  page.on("pageerror", (e) => say({ step: "page-error", reason: e.message }));
  const opened = Date.now();
  await page.goto(link);
  let snap = await until(page, "joining", (s) => s.status === "live" && s.me);
  say({ step: "joined", me: snap.me, address: page.url() });
  snap = await until(page, "the desktop participant and its chat", (s) => s.participants.some((p) => p.pose)
    && s.chat.some((c) => c.from !== s.me.id));
  say({ step: "saw-desktop", participants: snap.participants, chat: snap.chat });
  await page.click("canvas");
  await page.keyboard.press("Enter");
  await page.keyboard.type("hello from the browser");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Escape");
  say({ step: "chatted" });
  await page.mouse.move(400, 330);
  await page.keyboard.press("p");
  say({ step: "pointed", pick: await page.evaluate(() => window.citiverse.pick(400, 330)) });
  snap = await until(page, "the city drawn", (s) => s.tilesLoaded > 0 && s.frames > 3);
  const drawnMs = Date.now() - opened;
  await page.waitForTimeout(300);
  await page.screenshot({ path: shot });
  say({ step: "drawn", ms: drawnMs, tilesLoaded: snap.tilesLoaded });
  snap = await until(page, "following the host", (s) => s.following !== null && s.follow === s.following
    && s.participants.some((p) => p.id === s.following && p.pose
      && Math.hypot(...p.pose.e.map((v, i) => v - s.camera.e[i])) < 0.05));
  say({ step: "followed", camera: snap.camera, following: snap.following, participants: snap.participants });
} catch (err) {
  say({ step: "failed", reason: String(err?.message ?? err) });
  process.exitCode = 1;
} finally {
  await browser.close();
}
