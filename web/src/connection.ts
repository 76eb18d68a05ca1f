/**
 * The websocket to the meeting server: the token as `?token=` (browsers cannot set an Authorization header
 * on a websocket), server messages decoded and handed on, reconnection with a short backoff (0.2 s doubling
 * to 2 s, as the desktop client). A removal, or a replacement by the same token elsewhere, ends it for good.
 */

import { ClientMessage, decodeServer, encodeClient, MessageError, ServerMessage } from "./protocol";

const FINAL_CLOSE_CODES = new Set([4001, 4002]); // removed, replaced (viewer/meeting/session.py)

export type Status = "connecting" | "live" | "retrying" | "ended";

export class Connection {
  status: Status = "connecting";
  reason = "";
  private ws: WebSocket | null = null;
  private backoff = 0.2;
  private stopped = false;

  constructor(readonly url: string, readonly token: string, readonly onMessage: (m: ServerMessage) => void,
              readonly onStatus: (s: Status, reason: string) => void) {}

  start(): void {
    if (this.stopped) return;
    const ws = new WebSocket(`${this.url}?token=${encodeURIComponent(this.token)}`);
    this.ws = ws;
    ws.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      let message: ServerMessage;
      try {
        message = decodeServer(event.data);
      } catch (err) {
        if (err instanceof MessageError) {
          console.warn("meeting: a server message was refused:", err.message);
          return;
        }
        throw err;
      }
      if (message.type === "welcome") {
        this.backoff = 0.2;
        this.set("live", "");
      }
      this.onMessage(message);
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
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeClient(m));
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
