// What the headless page drivers (look.mjs, live.mjs, pins.mjs) share:
// - the deadline of all their waits comes from `--timeout SECONDS` on their command line;
// - they report one JSON line on stdout per step ({"step": ..., ...});
// - `drive` launches Chromium with the flags of docs/web.md, opens one page that reports its script errors
//   as "page-error" steps, and runs the driver's steps; any error becomes {"step": "failed", "reason"} and a
//   non-zero exit, and the browser is closed either way (a leaked Chromium would outlive the test).
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS } from "./flags.mjs";

/** Write one step's JSON line to stdout. */
export const say = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

/** The deadline (ms since the epoch) from `--timeout SECONDS`, else defaultSeconds from now. */
export function deadlineFromArgs(defaultSeconds) {
  const at = process.argv.indexOf("--timeout");
  return Date.now() + 1000 * (at > 0 ? Number(process.argv[at + 1]) : defaultSeconds);
}

/**
 * Poll the page's window.citiverse.snapshot() every 100 ms until predicate(snapshot) holds and return that
 * snapshot; past the deadline throw, naming what was awaited and describe(last snapshot).
 */
export async function untilSnapshot(page, deadline, what, predicate, describe = (snap) => JSON.stringify(snap)) {
  for (;;) {
    const snap = await page.evaluate(() => window.citiverse?.snapshot() ?? null);
    if (snap && predicate(snap)) return snap;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${describe(snap)}`);
    await page.waitForTimeout(100);
  }
}

/** Run steps(page) on an 800 x 600 page of a headless Chromium (see the rules at the top). */
export async function drive(steps) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    page.on("pageerror", (e) => say({ step: "page-error", reason: e.message }));
    await steps(page);
  } catch (err) {
    say({ step: "failed", reason: String(err?.message ?? err) });
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
