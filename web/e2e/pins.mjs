// Drives a room page in headless Chromium for tests/test_web_pins_e2e.py: the room's pins both ways.
//   node web/e2e/pins.mjs LINK [--timeout SECONDS]
// One JSON line on stdout per step ({"step": ..., ...}); the Python side (a desktop client, the host) pins
// and unpins between the steps. Steps:
//   "joined"      live, with the pins of the room's first state (the host pinned before the page came)
//   "hovered"     the mouse over the first pin's marker shows its note and author beside it
//   "saw-live"    a second pin the host dropped after the join is on the page, in the panel, not removable
//   "pinned"      Insert at a pixel over the city, a note typed into the prompt, Enter (pick: the local point
//                 and the id of the object there)
//   "mine"        the page's own pin came back from the server, removable (one "remove" button)
//   "unpinned"    Delete with the mouse over the page's own pin sent an unpin; the pin left the page
//   "flew"        a click on the first pin's row flew the camera to look at it
//   "saw-unpin"   the host's unpin of its second pin removed it from the page
// Exits non-zero with {"step": "failed", "reason"} on a timeout.
import { deadlineFromArgs, drive, say } from "./drive.mjs";

const [link] = process.argv.slice(2);
const deadline = deadlineFromArgs(90);

let slowest = 0;
async function until(page, what, predicate) {
  for (;;) {
    const asked = Date.now();
    const snap = await page.evaluate(() => window.citiverse?.snapshot() ?? null);
    const dom = await page.evaluate(() => ({
      tip: document.querySelector(".pin-tip")?.hidden === false ? document.querySelector(".pin-tip").textContent : null,
      rows: [...document.querySelectorAll(".pins .pin-row")].map((r) => ({ id: Number(r.dataset.id),
        text: r.querySelector(".pin-label").textContent, remove: !!r.querySelector("button") })),
      prompt: document.querySelector(".pin-prompt")?.hidden === false,
    }));
    slowest = Math.max(slowest, Date.now() - asked);
    if (snap && predicate(snap, dom)) return { snap, dom };
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (slowest ${slowest} ms): ${JSON.stringify([snap?.status, snap?.reason, snap?.pins, dom])?.slice(0, 900)}`);
    await page.waitForTimeout(50);
  }
}

await drive(async (page) => {
  page.on("websocket", (ws) => {
    const opened = Date.now();
    let last = opened, sent = 0, gap = 0;
    ws.on("framesent", () => { gap = Math.max(gap, Date.now() - last); last = Date.now(); sent++; });
    ws.on("close", () => say({ step: "socket-closed", url: ws.url().replace(/token=[^&]*/, "token=..."), sent, gap, open: Date.now() - opened }));
    ws.on("socketerror", (e) => say({ step: "socket-error", reason: String(e) }));
    setInterval(() => { if (Date.now() - last > 3000) say({ step: "socket-silent", ms: Date.now() - last, sent }); }, 1000).unref();
  });
  await page.goto(link);
  let { snap, dom } = await until(page, "joining with the room's pins", (s) => s.status === "live" && s.me && s.pins.length > 0
    && s.tilesLoaded > 0 && s.pinMarkers === s.pins.length);
  say({ step: "joined", me: snap.me, pins: snap.pins });
  const first = snap.pins[0];

  const at = await page.evaluate((id) => window.citiverse.pinScreen(id), first.id);
  if (!at) throw new Error(`the first pin is not on the screen: ${JSON.stringify(first)}`);
  await page.mouse.move(at[0], at[1] - 4);
  ({ snap, dom } = await until(page, "the note beside the hovered pin", (s, d) => d.tip !== null));
  say({ step: "hovered", tip: dom.tip });
  await page.mouse.move(760, 130); // off the pin: the note goes

  ({ snap, dom } = await until(page, "the host's second pin", (s, d) => s.pins.length === 2 && d.rows.length === 2
    && s.pinMarkers === 2 && d.tip === null));
  say({ step: "saw-live", pins: snap.pins, rows: dom.rows });

  await page.mouse.move(400, 330);
  const pick = await page.evaluate(() => window.citiverse.pickObject(400, 330));
  await page.keyboard.press("Insert");
  await until(page, "the note prompt", (s, d) => d.prompt);
  await page.keyboard.type("from the browser");
  await page.keyboard.press("Enter");
  say({ step: "pinned", pick });

  ({ snap, dom } = await until(page, "my pin back from the server", (s, d) => s.pins.some((p) => p.mine) && d.rows.length === 3
    && !d.prompt));
  say({ step: "mine", pins: snap.pins, rows: dom.rows });

  const mine = snap.pins.find((p) => p.mine);
  const spot = await page.evaluate((id) => window.citiverse.pinScreen(id), mine.id);
  if (!spot) throw new Error("my pin is not on the screen");
  await page.mouse.move(spot[0] + 10, spot[1] - 10);
  await page.keyboard.press("Delete");
  ({ snap, dom } = await until(page, "my pin removed", (s) => !s.pins.some((p) => p.id === mine.id)));
  say({ step: "unpinned", pin: mine.id, pins: snap.pins });

  await page.click(`.pins .pin-row[data-id="${first.id}"] .pin-label`);
  ({ snap } = await until(page, "the flight to the first pin", (s) => Math.hypot(...s.target.map((v, i) => v - first.p[i])) < 0.05
    && Math.hypot(...s.camera.e.map((v, i) => v - first.p[i])) < 120));
  say({ step: "flew", target: snap.target, camera: snap.camera });

  ({ snap, dom } = await until(page, "the host's unpin", (s, d) => s.pins.length === 1 && d.rows.length === 1 && s.pinMarkers === 1));
  say({ step: "saw-unpin", pins: snap.pins, rows: dom.rows });
});
