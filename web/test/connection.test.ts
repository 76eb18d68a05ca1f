// The connection's keepalive and liveness (connection.ts rules 2-4) on a fake clock: a test socket records
// what the page sends and lets the test play the server; setTimeout is Vitest's fake timer.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Connection, FROZEN_LIMIT, KEEPALIVE, SocketLike, Status } from "../src/connection";
import { ServerMessage } from "../src/protocol";

class TestSocket implements SocketLike {
  readyState = 1;
  sent: Record<string, unknown>[] = [];
  closed: number | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {}
  send(text: string): void { this.sent.push(JSON.parse(text)); }
  close(code = 1000): void { this.closed = code; this.readyState = 3; }
  serve(m: object): void { this.onmessage?.({ data: JSON.stringify(m) }); }
  types(): string[] { return this.sent.map((m) => m.type as string); }
}

const POSE = { type: "pose" as const, p: [1, 2, 0] as [number, number, number], h: 0, e: [1, 2, 1.65] as [number, number, number], pi: 0, t: 0 };

function welcome(you: number, resumed = false): object {
  return { type: "welcome", v: 1, you, name: "Bo", role: "guest", room: "town", resumed, limits: { presence_timeout: 5 } };
}

function state(chat: { from: number; text: string }[] = [], pins: { from: number; p: number[]; note: string }[] = []): object {
  return { type: "state", participants: [{ id: 1, name: "Bo", role: "guest", muted: false, pose: null, pointer: null }],
    chat: chat.map((c, i) => ({ seq: i + 1, from: c.from, name: "Bo", text: c.text, time: 0 })), follow: null, layers: {},
    feed_time: null, recording: false, pins: pins.map((p, i) => ({ type: "pin", id: i + 1, from: p.from, name: "Bo", p: p.p,
      note: p.note, object: "", time: 0 })) };
}

let now = 0;
let sockets: TestSocket[] = [];
let statuses: Status[] = [];
let received: ServerMessage[] = [];

function connect(): Connection {
  const c = new Connection("ws://server/town", "TOKEN", (m) => received.push(m), (s) => statuses.push(s), () => now,
    (url) => { const s = new TestSocket(url); sockets.push(s); return s; });
  c.start();
  sockets[0].serve(welcome(1));
  sockets[0].serve(state());
  return c;
}

/** `seconds` of fake time in TICK steps, the connection ticked at each (its own timer, not starved). */
function run(c: Connection, seconds: number, alive = true): void {
  for (let t = 0; t < seconds; t += 0.25) {
    now += 0.25;
    if (alive) c.heard(now);
    c.tick(now);
    vi.advanceTimersByTime(250);
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  now = 100;
  sockets = [];
  statuses = [];
  received = [];
});
afterEach(() => vi.useRealTimers());

describe("keepalive (rule 3)", () => {
  it("sends the last pose again every KEEPALIVE s while the page shows signs of life", () => {
    const c = connect();
    c.send(POSE);
    run(c, 10);
    const poses = sockets[0].types().filter((t) => t === "pose").length;
    expect(poses).toBeGreaterThanOrEqual(10 / KEEPALIVE);
    expect(statuses).toEqual(["live"]);
    expect(c.rejoins).toBe(0);
  });

  it("stops once the page was silent for FROZEN_LIMIT s (a frozen page is let go, as any frozen client)", () => {
    const c = connect();
    c.send(POSE);
    run(c, FROZEN_LIMIT + 10, false);
    const after = sockets[0].sent.length;
    now += 0.25;
    c.tick(now);
    expect(sockets[0].sent.length).toBe(after);
  });
});

describe("liveness (rule 4)", () => {
  it("a starved thread finds itself silent past the server's limit, closes the socket and rejoins with its token", () => {
    const c = connect();
    c.send(POSE);
    c.send({ type: "chat", text: "lost in the stall" });
    c.send({ type: "pin", p: [1, 2, 0], note: "kept" });
    now += 7; // nothing ran: no tick, no keepalive (a busy main thread)
    c.tick(now);
    expect(sockets[0].closed).toBe(1000);
    expect(statuses).toEqual(["live", "retrying"]);
    expect(c.rejoins).toBe(1);
    c.send({ type: "chat", text: "typed meanwhile" }); // waits: never into the socket given up
    expect(sockets[0].sent.filter((m) => m.text === "typed meanwhile")).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(sockets).toHaveLength(2);
    expect(sockets[1].url).toBe("ws://server/town?token=TOKEN");
    sockets[1].serve(welcome(1, true));
    sockets[1].serve(state()); // the server never got the chat line nor the pin
    expect(statuses).toEqual(["live", "retrying", "live"]);
    expect(sockets[1].sent.map((m) => [m.type, m.text ?? m.note])).toEqual([["chat", "lost in the stall"], ["pin", "kept"],
      ["chat", "typed meanwhile"]]);
  });

  it("sends nothing again that the room's state after the rejoin already holds", () => {
    const c = connect();
    c.send({ type: "chat", text: "arrived" });
    c.send({ type: "pin", p: [1, 2, 0], note: "arrived too" });
    now += 7;
    c.tick(now);
    vi.advanceTimersByTime(0);
    sockets[1].serve(welcome(1, true));
    sockets[1].serve(state([{ from: 1, text: "arrived" }], [{ from: 1, p: [1, 2, 0], note: "arrived too" }]));
    expect(sockets[1].sent).toEqual([]);
  });

  it("does not rejoin while its own timer keeps the server fed, however long the page is busy", () => {
    const c = connect();
    c.send(POSE);
    run(c, 20, false); // the page silent 20 s (< FROZEN_LIMIT): the keepalive goes on
    expect(sockets).toHaveLength(1);
    expect(c.rejoins).toBe(0);
    expect(statuses).toEqual(["live"]);
  });

  it("the server's close of a socket already given up changes nothing", () => {
    const c = connect();
    now += 7;
    c.tick(now);
    vi.advanceTimersByTime(0);
    sockets[0].onclose?.({ code: 4003, reason: "timeout" });
    expect(statuses).toEqual(["live", "retrying"]);
    expect(sockets).toHaveLength(2);
  });
});
