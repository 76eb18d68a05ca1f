// Drives a room page in headless Chromium for tests/test_web_stall_e2e.py: the page's main thread stalled
// past the server's 5-s silence rule (a busy loop in page.evaluate, as a long SwiftShader frame would).
//   node web/e2e/stall.mjs LINK [--stall SECONDS] [--timeout SECONDS]
// One JSON line on stdout per step ({"step": ..., ...}):
//   "joined"    live, with my id
//   "said"      my chat line and my pin came back from the server
//   "stalled"   the main thread was busy for --stall seconds (the status the page showed right after)
//   "back"      live again with the same id, my chat line and my pin still there, 2 s later still live
//               (statuses seen meanwhile, how many times the page rejoined)
// Exits non-zero with {"step": "failed", "reason"} on a timeout.
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS } from "./flags.mjs";

const [link] = process.argv.slice(2);
const option = (name, value) => (process.argv.indexOf(name) > 0 ? Number(process.argv[process.argv.indexOf(name) + 1]) : value);
const deadline = Date.now() + 1000 * option("--timeout", 90);
const stall = option("--stall", 8);
const say = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

const statuses = [];
async function until(page, what, predicate) {
  for (;;) {
    const snap = await page.evaluate(() => window.citiverse?.snapshot() ?? null);
    if (snap && statuses[statuses.length - 1] !== snap.status) statuses.push(snap.status);
    if (snap && predicate(snap)) return snap;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify([statuses, snap?.status, snap?.reason, snap?.me])}`);
    await page.waitForTimeout(50);
  }
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_FLAGS });
try {
  const page = await browser.newPage({ viewport: { width: 640, height: 480 } });
  page.on("pageerror", (e) => say({ step: "page-error", reason: e.message }));
  page.on("websocket", (ws) => ws.on("close", () => say({ step: "socket-closed" })));
  await page.goto(link);
  let snap = await until(page, "joining", (s) => s.status === "live" && s.me);
  const me = snap.me.id;
  say({ step: "joined", me: snap.me, thread: snap.thread });
  await page.evaluate(() => { window.citiverse.say("before the stall"); window.citiverse.pin(1, 2, 0, "kept"); });
  snap = await until(page, "my chat line and pin back", (s) => s.chat.some((c) => c.text === "before the stall")
    && s.pins.some((p) => p.mine));
  say({ step: "said", chat: snap.chat, pins: snap.pins });
  const status = await page.evaluate((seconds) => {
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) { /* the main thread is stalled: no timer, no socket event runs */ }
    return window.citiverse.snapshot().status;
  }, stall);
  say({ step: "stalled", status });
  statuses.length = 0;
  snap = await until(page, "live again with my id, chat and pin", (s) => s.status === "live" && s.me?.id === me
    && s.chat.some((c) => c.text === "before the stall") && s.pins.some((p) => p.mine && p.note === "kept"));
  await page.waitForTimeout(2000); // the server's silence rule has had its chance (its tick is 0.25 s)
  snap = await until(page, "still live", (s) => s.status === "live");
  say({ step: "back", me: snap.me, statuses, chat: snap.chat, pins: snap.pins, reason: snap.reason, rejoins: snap.rejoins });
} catch (err) {
  say({ step: "failed", reason: String(err?.message ?? err) });
  process.exitCode = 1;
} finally {
  await browser.close();
}
