/**
 * The meeting protocol, version 1 (docs/meetings.md), sans-I/O: text in, checked messages out; client
 * messages out as text. The Python codec (viewer/meeting/codec.py) is the reference; tests/vectors/ holds
 * messages and their decoded form that both sides' tests read.
 *
 * Rules:
 * 1. A server message decodes to its canonical wire form (optional fields filled with their defaults), or
 *    a MessageError naming the field. Unknown types, non-finite numbers, coordinates beyond 1e6 m and
 *    unknown fields of presence messages are refused, as the Python codec refuses them.
 * 2. Client messages carry no identity ("from", "id", "room", "role"): the server stamps it.
 * 3. Positions are local metres of the scene (x east, y north, z up); headings are degrees, 0 looks north,
 *    positive turns left; pitch positive looks up.
 * 4. Pins (docs/meetings.md, "Pins"): a pin's note and object are "" for none, else cleaned text of at most
 *    MAX_PIN_NOTE / MAX_OBJECT_ID characters. A state carries `pins` only when the room has some (as the
 *    Python writer), so its canonical form has no `pins` key for a room without pins.
 * 5. A message of a type this client does not know (a newer server's) is a MessageError like any refused
 *    message; `receive` turns every refusal into a console warning and null, so nothing breaks the page.
 */

export const PROTOCOL_VERSION = 1;
export const MAX_COORD = 1e6;
export const MAX_TIME = 1e10;
export const MAX_NAME_CHARS = 40;
export const MAX_CHAT_CHARS = 500;
export const MAX_PIN_NOTE = 200;
export const MAX_OBJECT_ID = 200;
export const ROLES = ["host", "guest"] as const;
export const NOTICE_CODES = ["invalid", "oversize", "throttled", "forbidden", "muted", "target", "removed",
  "replaced", "timeout", "record"];
const ROOM_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const LAYER_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_ID = 2 ** 53;

export type Vec3 = [number, number, number];

export interface Pose { p: Vec3; h: number; e: Vec3; pi: number; t: number }
export interface Ray { origin: Vec3; target: Vec3 }
export interface Participant {
  id: number; name: string; role: string; muted: boolean; pose: Pose | null; pointer: Ray | null;
}
export interface ChatLine { type: "chat"; seq: number; from: number; name: string; text: string; time: number }
export interface Welcome {
  type: "welcome"; v: number; you: number; name: string; role: string; room: string; resumed: boolean;
  limits: Record<string, number>;
}
/** A lasting pin as the room holds it: `from` and `name` are its author's, `time` the server's clock. */
export interface RoomPin {
  type: "pin"; id: number; from: number; name: string; p: Vec3; note: string; object: string; time: number;
}
export interface RoomState {
  type: "state"; participants: Participant[]; chat: ChatLine[]; follow: number | null;
  layers: Record<string, boolean>; feed_time: number | null; recording: boolean; pins?: RoomPin[];
}
export type ServerMessage =
  | Welcome | RoomState | ChatLine
  | { type: "joined"; participant: Participant; resumed: boolean }
  | { type: "left"; id: number; reason: string }
  | ({ type: "presence"; from: number } & Pose)
  | { type: "pointer"; from: number; origin: Vec3 | null; target: Vec3 | null }
  | { type: "follow"; host: number | null }
  | { type: "layer"; from: number; name: string; visible: boolean }
  | { type: "feed_time"; from: number; time: number | null }
  | { type: "muted"; from: number; target: number; muted: boolean }
  | { type: "record"; from: number; on: boolean }
  | RoomPin
  | { type: "unpin"; pin: number; from: number }
  | { type: "notice"; code: string; reason: string };

export type ClientMessage =
  | ({ type: "pose" } & Pose)
  | { type: "pointer"; target: Vec3 | null; origin?: Vec3 }
  | { type: "chat"; text: string }
  | { type: "follow"; on: boolean }
  | { type: "layer"; name: string; visible: boolean }
  | { type: "feed_time"; time: number | null }
  | { type: "mute"; target: number; muted: boolean }
  | { type: "remove"; target: number }
  | { type: "record"; on: boolean }
  | { type: "pin"; p: Vec3; note?: string; object?: string }
  | { type: "unpin"; pin: number };

export class MessageError extends Error {}

type Obj = Record<string, unknown>;

function fail(what: string): never {
  throw new MessageError(what);
}

function asObj(v: unknown, what: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(`${what} must be an object`);
  return v as Obj;
}

function field(o: Obj, key: string, what: string): unknown {
  if (!(key in o)) fail(`${what} has no "${key}"`);
  return o[key];
}

function onlyKeys(o: Obj, allowed: string[], what: string): void {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length) fail(`${what}: unknown field(s) ${extra.sort().join(", ")}`);
}

export function asNumber(v: unknown, what: string, lo = -Infinity, hi = Infinity): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(`${what} must be a finite number`);
  if (v < lo || v > hi) fail(`${what} must be within ${lo}..${hi}`);
  return v;
}

function asId(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_ID) fail(`${what} must be a participant id`);
  return v;
}

function asOptionalId(v: unknown, what: string): number | null {
  return v === null || v === undefined ? null : asId(v, what);
}

function asBool(v: unknown, what: string): boolean {
  if (typeof v !== "boolean") fail(`${what} must be true or false`);
  return v;
}

function asPoint(v: unknown, what: string): Vec3 {
  if (!Array.isArray(v) || v.length !== 3) fail(`${what} must be [x, y, z]`);
  return v.map((x, i) => asNumber(x, `${what}[${i}]`, -MAX_COORD, MAX_COORD)) as Vec3;
}

function asOptionalPoint(v: unknown, what: string): Vec3 | null {
  return v === null || v === undefined ? null : asPoint(v, what);
}

/** Text for other people's screens, as fields.py clean_text: at most `max` characters before cleaning
 * (Python counts code points), control characters as spaces, format, surrogate, private-use and unassigned
 * characters dropped, runs of white space as one space, trimmed, not empty. */
export function cleanText(v: unknown, what: string, max: number): string {
  if (typeof v !== "string") fail(`${what} must be a string`);
  if ([...v].length > max) fail(`${what} is above ${max} characters`);
  const shown = v.replace(/\p{Cc}/gu, " ").replace(/[\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu, "")
    .replace(/\s+/gu, " ").trim();
  if (!shown) fail(`${what} is empty`);
  return shown;
}

// the characters Python's str.strip() removes (fields.py decides "blank" with it)
const PY_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/u;

/** A pin's note or object (rule 4): "" for a blank one, else cleaned text (codec.py _optional_text). */
export function optionalText(v: unknown, what: string, max: number): string {
  if (typeof v !== "string") fail(`${what} must be a string`);
  if ([...v].length > max) fail(`${what} is above ${max} characters`);
  return PY_SPACE.test(v) ? "" : cleanText(v, what, max);
}

function asRole(v: unknown, what: string): string {
  if (!ROLES.includes(v as (typeof ROLES)[number])) fail(`${what} must be one of ${ROLES.join(", ")}`);
  return v as string;
}

/** Degrees into [-180, 180), as Python's (a + 180) % 360 - 180 (a floored modulo). */
export function wrapHeading(h: number): number {
  const a = h + 180;
  return a - 360 * Math.floor(a / 360) - 180;
}

export function readPose(o: Obj, what: string): Pose {
  const p = asPoint(field(o, "p", what), `${what}.p`);
  const e = asOptionalPoint(o.e, `${what}.e`) ?? [p[0], p[1], p[2] + 1.65];
  return {
    p, h: wrapHeading(asNumber(field(o, "h", what), `${what}.h`, -1e6, 1e6)), e,
    pi: asNumber(o.pi ?? 0, `${what}.pi`, -90, 90), t: asNumber(o.t ?? 0, `${what}.t`, -MAX_TIME, MAX_TIME),
  };
}

const POSE_KEYS = ["p", "h", "e", "pi", "t"];

function readParticipant(v: unknown, what: string): Participant {
  const o = asObj(v, what);
  onlyKeys(o, ["id", "name", "role", "muted", "pose", "pointer"], what);
  let pose: Pose | null = null;
  if (o.pose !== null && o.pose !== undefined) {
    const po = asObj(o.pose, `${what}.pose`);
    onlyKeys(po, POSE_KEYS, `${what}.pose`);
    pose = readPose(po, `${what}.pose`);
  }
  let pointer: Ray | null = null;
  if (o.pointer !== null && o.pointer !== undefined) {
    const r = asObj(o.pointer, `${what}.pointer`);
    onlyKeys(r, ["origin", "target"], `${what}.pointer`);
    pointer = { origin: asPoint(field(r, "origin", what), `${what}.pointer.origin`),
      target: asPoint(field(r, "target", what), `${what}.pointer.target`) };
  }
  return { id: asId(field(o, "id", what), `${what}.id`), name: cleanText(field(o, "name", what), `${what}.name`,
    MAX_NAME_CHARS), role: asRole(field(o, "role", what), `${what}.role`),
  muted: asBool(o.muted ?? false, `${what}.muted`), pose, pointer };
}

function readChat(v: unknown): ChatLine {
  const o = asObj(v, "chat");
  return { type: "chat", seq: asId(field(o, "seq", "chat"), "chat.seq"), from: asId(field(o, "from", "chat"), "chat.from"),
    name: cleanText(field(o, "name", "chat"), "chat.name", MAX_NAME_CHARS),
    text: cleanText(field(o, "text", "chat"), "chat.text", MAX_CHAT_CHARS),
    time: asNumber(field(o, "time", "chat"), "chat.time", -MAX_TIME, MAX_TIME) };
}

function asLayer(v: unknown, what: string): string {
  if (typeof v !== "string" || !LAYER_RE.test(v)) fail(`${what} must be a layer name`);
  return v;
}

function optionalTime(v: unknown, what: string): number | null {
  return v === null || v === undefined ? null : asNumber(v, what, -MAX_TIME, MAX_TIME);
}

function readPin(v: unknown): RoomPin {
  const o = asObj(v, "pin");
  onlyKeys(o, ["type", "id", "from", "name", "p", "note", "object", "time"], "pin");
  return { type: "pin", id: asId(field(o, "id", "pin"), "pin.id"), from: asId(field(o, "from", "pin"), "pin.from"),
    name: cleanText(field(o, "name", "pin"), "pin.name", MAX_NAME_CHARS), p: asPoint(field(o, "p", "pin"), "pin.p"),
    note: optionalText(o.note ?? "", "pin.note", MAX_PIN_NOTE), object: optionalText(o.object ?? "", "pin.object", MAX_OBJECT_ID),
    time: asNumber(field(o, "time", "pin"), "pin.time", -MAX_TIME, MAX_TIME) };
}

type Reader = (o: Obj) => ServerMessage;

const READERS: Record<string, Reader> = {
  welcome: (o) => {
    const v = field(o, "v", "welcome");
    if (v !== PROTOCOL_VERSION) fail(`the server speaks protocol version ${String(v).slice(0, 16)}; this client speaks ${PROTOCOL_VERSION}`);
    const limits: Record<string, number> = {};
    for (const [k, x] of Object.entries(asObj(o.limits ?? {}, "welcome.limits"))) limits[k] = asNumber(x, `welcome.limits.${k}`);
    const room = field(o, "room", "welcome");
    if (typeof room !== "string" || !ROOM_RE.test(room)) fail("welcome.room must be a room name");
    return { type: "welcome", v: PROTOCOL_VERSION, you: asId(field(o, "you", "welcome"), "welcome.you"),
      name: cleanText(field(o, "name", "welcome"), "welcome.name", MAX_NAME_CHARS),
      role: asRole(field(o, "role", "welcome"), "welcome.role"), room,
      resumed: asBool(field(o, "resumed", "welcome"), "welcome.resumed"), limits };
  },
  state: (o) => {
    const people = field(o, "participants", "state");
    if (!Array.isArray(people)) fail("state.participants must be a list");
    const chat = o.chat ?? [];
    if (!Array.isArray(chat)) fail("state.chat must be a list");
    const layers: Record<string, boolean> = {};
    for (const [k, x] of Object.entries(asObj(o.layers ?? {}, "state.layers"))) layers[asLayer(k, "state.layers key")] = asBool(x, `state.layers.${k}`);
    const pins = o.pins ?? [];
    if (!Array.isArray(pins)) fail("state.pins must be a list");
    const state: RoomState = { type: "state", participants: people.map((p) => readParticipant(p, "state.participants[]")),
      chat: chat.map(readChat), follow: asOptionalId(o.follow, "state.follow"), layers,
      feed_time: optionalTime(o.feed_time, "state.feed_time"), recording: asBool(o.recording ?? false, "state.recording") };
    if (pins.length) state.pins = pins.map(readPin);
    return state;
  },
  joined: (o) => ({ type: "joined", participant: readParticipant(field(o, "participant", "joined"), "joined.participant"),
    resumed: asBool(o.resumed ?? false, "joined.resumed") }),
  left: (o) => ({ type: "left", id: asId(field(o, "id", "left"), "left.id"), reason: cleanText(o.reason ?? "left", "left.reason", 200) }),
  presence: (o) => {
    onlyKeys(o, ["type", "from", ...POSE_KEYS], "presence");
    return { type: "presence", from: asId(field(o, "from", "presence"), "presence.from"), ...readPose(o, "presence") };
  },
  pointer: (o) => {
    const from = asId(field(o, "from", "pointer"), "pointer.from");
    const target = asOptionalPoint(o.target, "pointer.target");
    const origin = asOptionalPoint(o.origin, "pointer.origin");
    return target === null || origin === null ? { type: "pointer", from, origin: null, target: null }
      : { type: "pointer", from, origin, target };
  },
  chat: (o) => readChat(o),
  follow: (o) => ({ type: "follow", host: asOptionalId(field(o, "host", "follow"), "follow.host") }),
  layer: (o) => ({ type: "layer", from: asId(field(o, "from", "layer"), "layer.from"), name: asLayer(field(o, "name", "layer"), "layer.name"),
    visible: asBool(field(o, "visible", "layer"), "layer.visible") }),
  feed_time: (o) => ({ type: "feed_time", from: asId(field(o, "from", "feed_time"), "feed_time.from"),
    time: optionalTime(field(o, "time", "feed_time"), "feed_time.time") }),
  muted: (o) => ({ type: "muted", from: asId(field(o, "from", "muted"), "muted.from"), target: asId(field(o, "target", "muted"), "muted.target"),
    muted: asBool(field(o, "muted", "muted"), "muted.muted") }),
  record: (o) => ({ type: "record", from: asId(field(o, "from", "record"), "record.from"), on: asBool(field(o, "on", "record"), "record.on") }),
  pin: (o) => readPin(o),
  unpin: (o) => ({ type: "unpin", pin: asId(field(o, "pin", "unpin"), "unpin.pin"), from: asId(field(o, "from", "unpin"), "unpin.from") }),
  notice: (o) => {
    const code = field(o, "code", "notice");
    if (typeof code !== "string" || !NOTICE_CODES.includes(code)) fail(`unknown notice code ${String(code).slice(0, 32)}`);
    return { type: "notice", code, reason: cleanText(field(o, "reason", "notice"), "notice.reason", 200) };
  },
};

/** A server message from already parsed JSON (rule 1). */
export function readServer(value: unknown): ServerMessage {
  const o = asObj(value, "a message");
  const reader = typeof o.type === "string" && Object.hasOwn(READERS, o.type) ? READERS[o.type] : undefined;
  if (!reader) fail(`unknown message type ${JSON.stringify(String(o.type).slice(0, 64))}`);
  return reader(o);
}

/** A server message from the text of one websocket message (rule 1). */
export function decodeServer(text: string, maxChars = 1 << 20): ServerMessage {
  if (text.length > maxChars) fail(`message of ${text.length} characters is above ${maxChars}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    fail(`malformed JSON: ${(err as Error).message}`);
  }
  return readServer(value);
}

/** A server message from a websocket text, or null with a console warning when it is refused (rule 5):
 * a malformed message or one of a type this client does not know (a newer server's) never breaks the page. */
export function receive(text: string, warn: (...args: unknown[]) => void = console.warn): ServerMessage | null {
  try {
    return decodeServer(text);
  } catch (err) {
    if (!(err instanceof MessageError)) throw err;
    warn("meeting: a server message was ignored:", err.message);
    return null;
  }
}

/** The text of a client message (rule 2); numbers are checked so the server never has to refuse them. */
export function encodeClient(m: ClientMessage): string {
  if (m.type === "pose") {
    for (const v of [...m.p, ...m.e]) asNumber(v, "pose coordinate", -MAX_COORD, MAX_COORD);
    return JSON.stringify({ type: "pose", p: m.p, h: asNumber(m.h, "pose.h"), e: m.e,
      pi: asNumber(m.pi, "pose.pi", -90, 90), t: asNumber(m.t, "pose.t") });
  }
  if (m.type === "chat") return JSON.stringify({ type: "chat", text: cleanText(m.text, "chat", MAX_CHAT_CHARS) });
  if (m.type === "pin") {
    return JSON.stringify({ type: "pin", p: asPoint(m.p, "pin.p"), note: optionalText(m.note ?? "", "pin.note", MAX_PIN_NOTE),
      object: optionalText(m.object ?? "", "pin.object", MAX_OBJECT_ID) });
  }
  if (m.type === "unpin") return JSON.stringify({ type: "unpin", pin: asId(m.pin, "unpin.pin") });
  return JSON.stringify(m);
}
