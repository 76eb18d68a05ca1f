/**
 * The websocket to the meeting server: the token as `?token=` (browsers cannot set an Authorization header
 * on a websocket), server messages decoded and handed on, reconnection with a short backoff (0.2 s doubling
 * to 2 s, as the desktop client). A removal, or a replacement by the same token elsewhere, ends it for good.
 * What the participant does while the socket is down (chat, pointing, host actions) is kept, at most
 * MAX_PENDING messages, and sent once the server welcomes the page back; poses are not kept (the next one
 * replaces them). A chat line is kept until the server echoes it back: one sent into a socket the server
 * was already closing (a page stalled past the server's 5-s silence rule) is sent again after the rejoin,
 * unless the room's history shows it arrived. So no chat line typed during a reconnect is lost.
 */

import { ClientMessage, encodeClient, receive, ServerMessage } from "./protocol";

const FINAL_CLOSE_CODES = new Set([4001, 4002]); // removed, replaced (viewer/meeting/session.py)
export const MAX_PENDING = 32;

export type Status = "connecting" | "live" | "retrying" | "ended";

export class Connection {
  status: Status = "connecting";
  reason = "";
  private ws: WebSocket | null = null;
  private backoff = 0.2;
  private stopped = false;
  private pending: ClientMessage[] = [];
  private unconfirmed: string[] = []; // chat texts sent and not yet echoed
  private me: number | null = null;
  private rejoined = false;

  constructor(readonly url: string, readonly token: string, readonly onMessage: (m: ServerMessage) => void,
              readonly onStatus: (s: Status, reason: string) => void) {}

  start(): void {
    if (this.stopped) return;
    const ws = new WebSocket(`${this.url}?token=${encodeURIComponent(this.token)}`);
    this.ws = ws;
    ws.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      const message = receive(event.data);
      if (!message) return; // refused or of an unknown type: warned, ignored (protocol.ts rule 5)
      if (message.type === "welcome") {
        this.backoff = 0.2;
        this.rejoined = this.me !== null;
        this.me = message.you;
        this.set("live", "");
      }
      this.confirm(message);
      this.onMessage(message);
      if (message.type === "state") this.flush();
    };
    ws.onclose = (event) => {
      this.ws = null;
      if (FINAL_CLOSE_CODES.has(event.code)) {
        this.stopped = true;
        this.set("ended", event.reason || "removed from the room");
        return;
      }
      if (this.stopped) return;
      this.set("retrying", event.reason || "connection lost (or the link's token was refused)");
      setTimeout(() => this.start(), this.backoff * 1000);
      this.backoff = Math.min(2, this.backoff * 2);
    };
  }

  send(m: ClientMessage): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN && this.status === "live") {
      this.ws.send(encodeClient(m));
      if (m.type === "chat") {
        this.unconfirmed.push(JSON.parse(encodeClient(m)).text as string);
        if (this.unconfirmed.length > MAX_PENDING) this.unconfirmed.shift();
      }
    } else if (m.type !== "pose" && !this.stopped) {
      this.pending.push(m);
      if (this.pending.length > MAX_PENDING) this.pending.shift();
    }
  }

  /** Chat lines the server echoed (or, after a rejoin, holds in its history) are confirmed. */
  private confirm(m: ServerMessage): void {
    const mine = m.type === "chat" ? (m.from === this.me ? [m.text] : [])
      : m.type === "state" ? m.chat.filter((c) => c.from === this.me).map((c) => c.text) : [];
    for (const text of mine) {
      const at = this.unconfirmed.indexOf(text);
      if (at >= 0) this.unconfirmed.splice(at, 1);
    }
  }

  /** After the room's state: what waited for the socket, then (after a rejoin) unconfirmed chat again. */
  private flush(): void {
    const resend = this.rejoined ? this.unconfirmed.map((text): ClientMessage => ({ type: "chat", text })) : [];
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
