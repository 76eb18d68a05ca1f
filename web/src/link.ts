/**
 * The page's end of the meeting connection: the Connection (connection.ts) in a worker (socket_worker.ts,
 * served as /static/socket.js) so that the page's keepalives do not wait for its rendering; where a worker
 * cannot start, the Connection runs on the page's own thread (the liveness rule still makes it rejoin
 * after a stall, connection.ts rule 4). Either way the page sees the same `Link`: the status mirrored, server
 * messages in order, `send`, and `alive()` from the page's own timer (connection.ts rule 3).
 */

import { Connection, Status, TICK } from "./connection";
import type { ClientMessage, ServerMessage } from "./protocol";

export type ToWorker = { op: "start"; url: string; token: string } | { op: "send"; message: ClientMessage }
  | { op: "alive" } | { op: "stop" };
export type FromWorker = { op: "message"; message: ServerMessage }
  | { op: "status"; status: Status; reason: string; rejoins: number };

export interface Link {
  readonly status: Status;
  readonly reason: string;
  readonly rejoins: number;
  /** Where the connection runs: "worker", or "page" when no worker could start. */
  readonly thread: "worker" | "page";
  start(): void;
  send(m: ClientMessage): void;
  alive(): void;
  stop(): void;
}

class WorkerLink implements Link {
  status: Status = "connecting";
  reason = "";
  rejoins = 0;
  readonly thread = "worker";

  constructor(private worker: Worker, readonly url: string, readonly token: string,
              onMessage: (m: ServerMessage) => void, onStatus: (s: Status, reason: string) => void) {
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const m = event.data;
      if (m.op === "message") return onMessage(m.message);
      this.status = m.status;
      this.reason = m.reason;
      this.rejoins = m.rejoins;
      onStatus(m.status, m.reason);
    };
    worker.onerror = (event) => { // the worker's script failed (not served, or refused): said, not hidden
      this.status = "ended";
      this.reason = `the connection's worker failed: ${event.message || "socket.js did not load"}`;
      onStatus(this.status, this.reason);
    };
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  start(): void { this.post({ op: "start", url: this.url, token: this.token }); }
  send(message: ClientMessage): void { this.post({ op: "send", message }); }
  alive(): void { this.post({ op: "alive" }); }
  stop(): void { this.post({ op: "stop" }); }
}

class PageLink implements Link {
  readonly thread = "page";
  private connection: Connection;

  constructor(url: string, token: string, onMessage: (m: ServerMessage) => void, onStatus: (s: Status, reason: string) => void) {
    const clock = () => performance.now() / 1000;
    this.connection = new Connection(url, token, onMessage, onStatus, clock);
    setInterval(() => this.connection.tick(clock()), TICK * 1000);
  }

  get status(): Status { return this.connection.status; }
  get reason(): string { return this.connection.reason; }
  get rejoins(): number { return this.connection.rejoins; }
  start(): void { this.connection.start(); }
  send(m: ClientMessage): void {
    this.alive();
    this.connection.send(m);
  }
  alive(): void { this.connection.heard(performance.now() / 1000); }
  stop(): void { this.connection.stop(); }
}

/** The meeting link at `url` with `token`: in a worker of `script` (a module URL) when one starts. */
export function openLink(url: string, token: string, script: URL, onMessage: (m: ServerMessage) => void,
                         onStatus: (s: Status, reason: string) => void): Link {
  try {
    return new WorkerLink(new Worker(script, { type: "module" }), url, token, onMessage, onStatus);
  } catch (err) {
    console.warn(`meeting: no worker (${String(err)}): the connection runs on the page's thread`);
    return new PageLink(url, token, onMessage, onStatus);
  }
}
