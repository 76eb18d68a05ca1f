/**
 * A room as this browser sees it, built only from what the server sent (viewer/meeting/view.py's rules),
 * and the others' motion interpolated behind the data (viewer/meeting/interp.py's rules).
 *
 * Rules:
 * 1. `apply(message, now)` is the only way in. A `state` replaces everything (members, chat, follow,
 *    layers, feed time, recording) but keeps the pose tracks of members still present.
 * 2. Messages about participants the view does not know are ignored; the next state heals the view. My own
 *    presence is never a member.
 * 3. Chat lines are kept once, in sequence order, at most CHAT_KEEP.
 * 4. Pins: a state replaces the room's pins (none when it carries no `pins`); a `pin` adds or replaces one by
 *    id, an `unpin` removes it. The page may remove a pin it authored under any of its ids in this tab (the
 *    server knows the author by token, so a rejoin under a new id keeps its pins), or any pin as a host.
 * 5. Poses are stamped with their local arrival time and drawn DELAY s behind now, interpolated; a jump
 *    beyond SNAP_DISTANCE m snaps; headings turn the short way round. Pure: `now` is an argument.
 */

import { ChatLine, Participant, Pose, Ray, RoomPin, ServerMessage, Welcome, wrapHeading } from "./protocol";

export const DELAY = 0.1;
export const SNAP_DISTANCE = 50;
export const CHAT_KEEP = 200;
const TRACK_SIZE = 16;

export class PoseTrack {
  samples: [number, Pose][] = [];

  add(arrival: number, pose: Pose): void {
    const last = this.samples[this.samples.length - 1];
    if (last && arrival < last[0]) return;
    this.samples.push([arrival, pose]);
    if (this.samples.length > TRACK_SIZE) this.samples.shift();
  }

  get latest(): Pose | null {
    return this.samples.length ? this.samples[this.samples.length - 1][1] : null;
  }

  /** The pose at time `t` (already DELAY behind now), or null before any sample. */
  sample(t: number): Pose | null {
    const s = this.samples;
    if (!s.length) return null;
    if (t >= s[s.length - 1][0]) return s[s.length - 1][1];
    if (t <= s[0][0]) return s[0][1];
    for (let i = 0; i + 1 < s.length; i++) {
      const [t0, a] = s[i];
      const [t1, b] = s[i + 1];
      if (t0 <= t && t <= t1) {
        if (distance(a.p, b.p) > SNAP_DISTANCE) return t >= t1 ? b : a;
        return lerpPose(a, b, t1 <= t0 ? 0 : (t - t0) / (t1 - t0));
      }
    }
    return s[s.length - 1][1];
  }
}

function distance(a: number[], b: number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

function lerp3(a: number[], b: number[], f: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export function lerpPose(a: Pose, b: Pose, f: number): Pose {
  return { p: lerp3(a.p, b.p, f), h: wrapHeading(a.h + wrapHeading(b.h - a.h) * f), e: lerp3(a.e, b.e, f),
    pi: a.pi + (b.pi - a.pi) * f, t: a.t + (b.t - a.t) * f };
}

export interface Member { info: Participant; track: PoseTrack; pointer: Ray | null }

export class Room {
  me: Welcome | null = null;
  members = new Map<number, Member>();
  chat: ChatLine[] = [];
  follow: number | null = null;
  layers: Record<string, boolean> = {};
  feedTime: number | null = null;
  recording = false;
  mutedMe = false;
  notices: { code: string; reason: string }[] = [];
  pins = new Map<number, RoomPin>();
  /** The last pin someone else dropped while I was here (for the announcement under the chat). */
  newPin: RoomPin | null = null;
  private myIds = new Set<number>();

  apply(m: ServerMessage, now: number): void {
    switch (m.type) {
      case "welcome":
        this.me = m;
        this.myIds.add(m.you);
        return;
      case "state": {
        const keep = this.members;
        this.members = new Map();
        for (const p of m.participants) {
          if (p.id === this.me?.you) {
            this.mutedMe = p.muted;
            continue;
          }
          const member: Member = { info: p, track: keep.get(p.id)?.track ?? new PoseTrack(), pointer: p.pointer };
          if (p.pose) member.track.add(now, p.pose);
          this.members.set(p.id, member);
        }
        this.chat = [];
        for (const line of m.chat) this.addChat(line);
        this.follow = m.follow;
        this.layers = { ...m.layers };
        this.feedTime = m.feed_time;
        this.recording = m.recording;
        this.pins = new Map((m.pins ?? []).map((pin) => [pin.id, pin]));
        if (this.newPin && !this.pins.has(this.newPin.id)) this.newPin = null;
        return;
      }
      case "pin":
        this.pins.set(m.id, m);
        if (!this.myIds.has(m.from)) this.newPin = m;
        return;
      case "unpin":
        this.pins.delete(m.pin);
        if (this.newPin?.id === m.pin) this.newPin = null;
        return;
      case "joined":
        if (m.participant.id === this.me?.you) return;
        this.members.set(m.participant.id, { info: m.participant, track: new PoseTrack(), pointer: m.participant.pointer });
        if (m.participant.pose) this.members.get(m.participant.id)!.track.add(now, m.participant.pose);
        return;
      case "left":
        this.members.delete(m.id);
        if (this.follow === m.id) this.follow = null;
        return;
      case "presence": {
        const { type: _t, from, ...pose } = m;
        this.members.get(from)?.track.add(now, pose);
        return;
      }
      case "pointer": {
        const member = this.members.get(m.from);
        if (member) member.pointer = m.origin && m.target ? { origin: m.origin, target: m.target } : null;
        return;
      }
      case "chat":
        this.addChat(m);
        return;
      case "follow":
        this.follow = m.host;
        return;
      case "layer":
        this.layers[m.name] = m.visible;
        return;
      case "feed_time":
        this.feedTime = m.time;
        return;
      case "muted": {
        if (m.target === this.me?.you) this.mutedMe = m.muted;
        const member = this.members.get(m.target);
        if (member) member.info = { ...member.info, muted: m.muted };
        return;
      }
      case "record":
        this.recording = m.on;
        return;
      case "notice":
        this.notices.push({ code: m.code, reason: m.reason });
        if (this.notices.length > 20) this.notices.shift();
        return;
    }
  }

  private addChat(line: ChatLine): void {
    const last = this.chat[this.chat.length - 1];
    if (last && line.seq <= last.seq) return;
    this.chat.push(line);
    if (this.chat.length > CHAT_KEEP) this.chat.shift();
  }

  /** Ids of the members a typed NAME or #ID names (view.py find). */
  find(text: string): number[] {
    if (text.startsWith("#")) {
      const id = Number(text.slice(1));
      return this.members.has(id) || this.me?.you === id ? [id] : [];
    }
    const wanted = text.toLowerCase();
    const ids = [...this.members.values()].filter((m) => m.info.name.toLowerCase() === wanted).map((m) => m.info.id);
    if (this.me && this.me.name.toLowerCase() === wanted) ids.push(this.me.you);
    return ids;
  }

  get isHost(): boolean {
    return this.me?.role === "host";
  }

  /** Whether the server would let me remove `pin` (rule 4). */
  mayRemove(pin: RoomPin): boolean {
    return this.isHost || this.myIds.has(pin.from);
  }

  /** A plain summary for the page's test hook and the participant list. */
  snapshot(now: number): object {
    return {
      me: this.me ? { id: this.me.you, name: this.me.name, role: this.me.role, room: this.me.room } : null,
      participants: [...this.members.values()].map((m) => ({ id: m.info.id, name: m.info.name, role: m.info.role,
        muted: m.info.muted, pose: m.track.sample(now - DELAY), pointer: m.pointer })),
      chat: this.chat.map((c) => ({ seq: c.seq, from: c.from, name: c.name, text: c.text })),
      follow: this.follow, layers: this.layers, feedTime: this.feedTime, recording: this.recording,
      mutedMe: this.mutedMe, notices: this.notices,
      pins: [...this.pins.values()].map((pin) => ({ id: pin.id, from: pin.from, name: pin.name, p: pin.p, note: pin.note,
        object: pin.object, mine: this.myIds.has(pin.from), removable: this.mayRemove(pin) })),
    };
  }
}
