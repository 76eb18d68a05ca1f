/**
 * The meeting's websocket in a dedicated worker (bundled as socket.js): the Connection (connection.ts) runs
 * here, on a thread the page's rendering cannot stall, so its keepalive (connection.ts rule 3) and liveness
 * check (rule 4) keep their timer while a long SwiftShader frame or a tile's parsing holds the main thread.
 * The page posts ToWorker messages (every one is a sign of life) and gets FromWorker ones back, in order.
 */

import { Connection, TICK } from "./connection";
import type { FromWorker, ToWorker } from "./link";

const port = self as unknown as { postMessage(m: FromWorker): void; onmessage: ((e: { data: ToWorker }) => void) | null };
const clock = () => performance.now() / 1000;
let connection: Connection | null = null;

port.onmessage = (event) => {
  const m = event.data;
  if (m.op === "start" && !connection) {
    const c = new Connection(m.url, m.token, (message) => port.postMessage({ op: "message", message }),
      (status, reason) => port.postMessage({ op: "status", status, reason, rejoins: c.rejoins }), clock);
    connection = c;
    c.start();
    setInterval(() => c.tick(clock()), TICK * 1000);
    return;
  }
  if (!connection) return;
  connection.heard(clock());
  if (m.op === "send") connection.send(m.message);
  else if (m.op === "stop") connection.stop();
};
