/**
 * The page's twin feed connection (docs/feed-protocol.md, the client state machine of
 * viewer/twin/protocol.py in small): subscribe on open, hello starts a stream, a snapshot makes it live,
 * deltas apply in sequence, a gap asks for a resync, silence past STALE_AFTER makes it stale.
 *
 * Rules:
 * 1. The token goes as `?token=` (browsers cannot set a websocket's Authorization header; the feed server
 *    reads either, net/auth.py rule 1). Several URLs are tried in turn, as the desktop's failover.
 * 2. Positions are mapped to local metres by the server's map for the hello's CRS (/frame/CRS.json,
 *    net/web_assets.py rule 7). Until it arrives, data is not applied; then a resync fetches a snapshot.
 * 3. Sequence: seq = last + 1 applies; a seq already seen is a duplicate (ignored); any other is a gap:
 *    not applied, resync sent, nothing applied until a snapshot. An unanswered resync is re-sent after
 *    RESEND_AFTER s. A refused message is dropped with its reason (a gap at the next one heals it).
 * 4. The render clock observes each applied update; a new stream resets it (its clock is not comparable).
 */

import { RenderClock } from "./clock";
import { DataMessage, decodeFeed, FeedError, resyncText, subscribeText } from "./codec";
import { TwinState } from "./state";

export const STALE_AFTER = 3;
export const RESEND_AFTER = 5;

export type FeedStatus = "off" | "connecting" | "syncing" | "live" | "stale" | "failed";
export type ToLocal = (x: number, y: number) => [number, number];
export interface FrameMap { crs: string; kind: "offset" | "quadratic"; origin?: number[]; centre?: number[];
  span?: number[]; coef?: number[][]; origin_z?: number }

/** The local x, y of a feed position by a server map (layers/position.py's to_local). */
export function mapper(map: FrameMap): ToLocal {
  if (map.kind === "offset") {
    const [ox, oy] = map.origin ?? [0, 0];
    return (x, y) => [x - ox, y - oy];
  }
  const [cx, cy] = map.centre!, [sx, sy] = map.span!, c = map.coef!;
  return (x, y) => {
    const u = (x - cx) / sx, v = (y - cy) / sy;
    const t = [1, u, v, u * u, u * v, v * v];
    let lx = 0, ly = 0;
    for (let i = 0; i < 6; i++) {
      lx += t[i] * c[i][0];
      ly += t[i] * c[i][1];
    }
    return [lx, ly];
  };
}

export class FeedClient {
  status: FeedStatus = "off";
  reason = "";
  crs = "";
  state: TwinState;
  clock = new RenderClock();
  dropped: string[] = [];
  messages = 0;
  private ws: WebSocket | null = null;
  private urlIndex = 0;
  private backoff = 0.2;
  private lastSeq: number | null = null;
  private toLocal: ToLocal | null = null;
  private resetNext = true;
  private resyncSent = -Infinity;
  private heard = 0;

  constructor(readonly urls: string[], readonly token: string | null, groundZ: number,
              readonly wall: () => number, readonly fetchMap: (crs: string) => Promise<FrameMap>) {
    this.state = new TwinState(groundZ);
  }

  start(): void {
    if (!this.urls.length) return;
    this.status = "connecting";
    const base = this.urls[this.urlIndex % this.urls.length];
    const url = this.token ? `${base}${base.includes("?") ? "&" : "?"}token=${encodeURIComponent(this.token)}` : base;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch (err) {
      this.fail(`cannot open ${base}: ${(err as Error).message}`);
      return;
    }
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      this.backoff = 0.2;
      ws.send(subscribeText(this.lastSeq));
    };
    ws.onmessage = (event) => this.receive(event.data as string | ArrayBuffer);
    ws.onclose = (event) => {
      this.ws = null;
      if (this.status === "failed") return;
      this.status = "connecting";
      this.reason = event.reason || `connection to ${base} lost`;
      this.urlIndex++;
      setTimeout(() => this.start(), this.backoff * 1000);
      this.backoff = Math.min(2, this.backoff * 2);
    };
  }

  /** Staleness and re-sent resyncs (rule 3); called every frame. */
  tick(): void {
    const now = this.wall();
    if (this.status === "live" && now - this.heard > STALE_AFTER) this.status = "stale";
    if (this.status === "syncing" && this.toLocal && now - this.resyncSent > RESEND_AFTER) this.resync();
  }

  receive(data: string | ArrayBuffer): void {
    let m;
    try {
      m = decodeFeed(data);
    } catch (err) {
      if (!(err instanceof FeedError)) throw err;
      this.note(`a feed message was refused: ${err.message}`);
      return;
    }
    this.messages++;
    this.heard = this.wall();
    if (m.type === "hello") {
      this.lastSeq = m.seq;
      this.status = "syncing";
      this.resetNext = true;
      this.clock.reset();
      if (m.crs !== this.crs || !this.toLocal) this.loadMap(m.crs);
      return;
    }
    if (this.lastSeq === null) return;
    if (m.type === "snapshot" && this.status === "syncing") {
      this.lastSeq = m.seq;
      this.apply(m);
      return;
    }
    if (m.seq <= this.lastSeq && m.seq > this.lastSeq - 64) return; // a duplicate
    if (m.seq !== this.lastSeq + 1 || this.status === "syncing") {
      if (this.status !== "syncing") this.resync();
      return;
    }
    this.lastSeq = m.seq;
    if (m.type === "heartbeat") {
      if (this.status === "stale") this.status = "live";
      return;
    }
    this.apply(m);
  }

  private apply(m: DataMessage): void {
    if (!this.toLocal) {
      this.status = "syncing"; // rule 2: a snapshot follows the map
      return;
    }
    const wall = this.wall();
    this.state.apply(m, wall, this.resetNext, this.toLocal);
    this.resetNext = false;
    this.status = "live";
    this.clock.observe(m.time, wall, !!m.upserts.vehicle);
    for (const why of m.dropped) this.note(why);
  }

  private resync(): void {
    this.status = "syncing";
    this.resyncSent = this.wall();
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(resyncText(this.lastSeq));
  }

  private loadMap(crs: string): void {
    this.crs = crs;
    this.toLocal = null;
    this.fetchMap(crs).then((map) => {
      if (this.crs !== crs) return;
      this.toLocal = mapper(map);
      this.resync();
    }).catch((err: Error) => this.fail(`the feed's positions (${crs}) cannot be placed in this scene: ${err.message}`));
  }

  private note(why: string): void {
    this.dropped.push(why);
    if (this.dropped.length > 20) this.dropped.shift();
    console.warn("feed:", why);
  }

  private fail(reason: string): void {
    this.status = "failed";
    this.reason = reason;
    this.ws?.close(1000, "bye");
  }
}
