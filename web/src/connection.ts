/**
 * The websocket to the meeting server: the token as `?token=` (browsers cannot set an Authorization header
 * on a websocket), server messages decoded and handed on, reconnection with a short backoff (0.2 s doubling
 * to 2 s, as the desktop client). A removal, or a replacement by the same token elsewhere, ends it for good.
 *
 * Rules:
 * 1. Pending: what the participant does while the socket is down (chat, pointing, pins, host actions) is
 *    kept, at most MAX_PENDING messages, and sent once the server welcomes the page back; poses are not kept
 *    (the next one replaces them).
 * 2. Unconfirmed: a chat line or a pin is kept until the server echoes it back. One sent into a socket the
 *    server was already closing is sent again after the rejoin, unless the room's state shows it arrived.
 * 3. Keepalive: the server drops a participant silent for `presence_timeout` s (its welcome's limits, 5 s).
 *    `tick(now)` (a timer of this connection's own thread: socket_worker.ts runs it off the page's main
 *    thread, which long SwiftShader frames can stall) sends the last pose again after KEEPALIVE s of
 *    nothing sent, as long as the page was heard (`heard(now)`) within FROZEN_LIMIT s: a page frozen for
 *    longer is let go by the server, as any frozen client.
 * 4. Liveness: once nothing was sent for more than the server's limit minus MARGIN s (this thread itself
 *    starved), the server has dropped the page or is about to, whether or not its close frame arrived:
 *    the socket is closed and the page rejoins at once with its token (so with its id, resumed), and
 *    nothing is sent into the old socket meanwhile (it waits, rule 1).
 * Time is an argument (`now`, seconds) or the `clock` given; the socket comes from `open` (tests).
 */

import { ClientMessage, encodeClient, receive, ServerMessage } from "./protocol";

const FINAL_CLOSE_CODES = new Set([4001, 4002]); // removed, replaced (viewer/meeting/session.py)
export const MAX_PENDING = 32;
export const KEEPALIVE = 1.0; // s between poses when nothing moves (viewer/meeting/protocol.py)
export const FROZEN_LIMIT = 30; // s without a sign of the page before keepalives stop (rule 3)
export const MARGIN = 0.5; // s before the server's silence limit at which the page rejoins (rule 4)
export const TICK = 0.25; // s between tick() calls of the owner's timer

export type Status = "connecting" | "live" | "retrying" | "ended";

/** What Connection needs of a WebSocket (the browser's, or a test's). */
export interface SocketLike {
  readyState: number;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;
type Unconfirmed = { type: "chat"; text: string } | { type: "pin"; key: string; message: ClientMessage };

function pinKey(p: number[], note: string): string {
  return JSON.stringify([p.map((v) => v.toFixed(3)), note]);
}

export class Connection {
  status: Status = "connecting";
  reason = "";
  /** How many times the page rejoined because it found itself silent past the server's limit (rule 4). */
  rejoins = 0;
  private ws: SocketLike | null = null;
  private backoff = 0.2;
  private stopped = false;
  private pending: ClientMessage[] = [];
  private unconfirmed: Unconfirmed[] = [];
  private me: number | null = null;
  private rejoined = false;
  private lastSent = 0;
  private lastHeard: number;
  private lastPose: ClientMessage | null = null;
  private silenceLimit = 5;

  constructor(readonly url: string, readonly token: string, readonly onMessage: (m: ServerMessage) => void,
              readonly onStatus: (s: Status, reason: string) => void,
              readonly clock: () => number = () => performance.now() / 1000,
              readonly open: (url: string) => SocketLike = (url) => new WebSocket(url) as unknown as SocketLike) {
    this.lastHeard = clock();
  }

  start(): void {
    if (this.stopped) return;
    const ws = this.open(`${this.url}?token=${encodeURIComponent(this.token)}`);
    this.ws = ws;
    ws.onmessage = (event) => {
      if (this.ws !== ws || typeof event.data !== "string") return;
      const message = receive(event.data);
      if (!message) return; // refused or of an unknown type: warned, ignored (protocol.ts rule 5)
      if (message.type === "welcome") {
        this.backoff = 0.2;
        this.rejoined = this.me !== null;
        this.me = message.you;
        this.silenceLimit = message.limits.presence_timeout ?? this.silenceLimit;
        this.lastSent = this.clock(); // the join itself: the server counts from it
        this.set("live", "");
      }
      this.confirm(message);
      this.onMessage(message);
      if (message.type === "state") this.flush();
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return; // a socket this page already gave up (rule 4)
      this.ws = null;
      if (FINAL_CLOSE_CODES.has(event.code)) {
        this.stopped = true;
        this.set("ended", event.reason || "removed from the room");
        return;
      }
      this.retry(event.reason || "connection lost (or the link's token was refused)", this.backoff);
      this.backoff = Math.min(2, this.backoff * 2);
    };
  }

  private retry(reason: string, delay: number): void {
    if (this.stopped) return;
    this.set("retrying", reason);
    setTimeout(() => this.start(), delay * 1000);
  }

  /** The page showed a sign of life (rule 3). */
  heard(now: number): void {
    this.lastHeard = now;
  }

  /** Rules 3 and 4, every TICK s from a timer of this connection's thread. */
  tick(now: number): void {
    if (!this.ws || this.status !== "live") return;
    if (this.droppedBy(now)) return;
    if (now - this.lastSent >= KEEPALIVE && this.lastPose && now - this.lastHeard < FROZEN_LIMIT) this.send(this.lastPose);
  }

  /** Rule 4: silent past the server's limit, the socket is given up and the page rejoins; true if so. */
  private droppedBy(now: number): boolean {
    if (!this.ws || this.status !== "live" || now - this.lastSent <= this.silenceLimit - MARGIN) return false;
    const ws = this.ws;
    this.ws = null;
    ws.close(1000, "silent past the server's limit: rejoining");
    this.rejoins++;
    this.retry(`nothing sent for ${(now - this.lastSent).toFixed(1)} s: rejoining`, 0);
    return true;
  }

  send(m: ClientMessage): void {
    const now = this.clock();
    if (m.type === "pose") this.lastPose = m;
    this.droppedBy(now);
    if (this.ws && this.ws.readyState === OPEN && this.status === "live") {
      this.ws.send(encodeClient(m));
      this.lastSent = now;
      if (m.type === "chat") this.unconfirmed.push({ type: "chat", text: JSON.parse(encodeClient(m)).text as string });
      if (m.type === "pin") this.unconfirmed.push({ type: "pin", key: pinKey(m.p, m.note ?? ""), message: m });
      if (this.unconfirmed.length > MAX_PENDING) this.unconfirmed.shift();
    } else if (m.type !== "pose" && !this.stopped) {
      this.pending.push(m);
      if (this.pending.length > MAX_PENDING) this.pending.shift();
    }
  }

  /** Chat lines and pins the server echoed (or, after a rejoin, holds in its state) are confirmed (rule 2). */
  private confirm(m: ServerMessage): void {
    const chats = m.type === "chat" ? (m.from === this.me ? [m.text] : [])
      : m.type === "state" ? m.chat.filter((c) => c.from === this.me).map((c) => c.text) : [];
    const pins = m.type === "pin" ? (m.from === this.me ? [m] : []) : m.type === "state" ? (m.pins ?? []) : [];
    const keys = pins.map((pin) => pinKey(pin.p, pin.note));
    for (const text of chats) this.drop((u) => u.type === "chat" && u.text === text);
    for (const key of keys) this.drop((u) => u.type === "pin" && u.key === key);
  }

  private drop(match: (u: Unconfirmed) => boolean): void {
    const at = this.unconfirmed.findIndex(match);
    if (at >= 0) this.unconfirmed.splice(at, 1);
  }

  /** After the room's state: (after a rejoin) what was unconfirmed again, then what waited for the socket. */
  private flush(): void {
    const resend = this.rejoined ? this.unconfirmed.map((u): ClientMessage => (u.type === "chat" ? { type: "chat", text: u.text } : u.message)) : [];
    this.unconfirmed = [];
    this.rejoined = false;
    const pending = this.pending;
    this.pending = [];
    for (const m of [...resend, ...pending]) this.send(m);
  }

  stop(): void {
    this.stopped = true;
    this.ws?.close(1000, "bye");
  }

  private set(status: Status, reason: string): void {
    this.status = status;
    this.reason = reason;
    this.onStatus(status, reason);
  }
}
