/**
 * The twin feed protocol, version 1 (docs/feed-protocol.md), decoded in the browser: JSON text (objects or
 * columns) and the binary frame (CVTF), then the rows checked as viewer/twin/validate.py checks them.
 * Python is the reference (viewer/twin/codec.py, bodies.py, binary.py, validate.py); tests/vectors/
 * feed_messages.json holds messages and their decoded form that both sides' tests read.
 *
 * Rules:
 * 1. decodeFeed(data) returns a checked message or throws FeedError naming the reason. Structure errors
 *    (a wrong type, a column of the wrong length, an unknown kind, a bad binary header or length) drop the
 *    whole message; row errors drop only the row (rule 3). Nothing is allocated before the size is checked.
 * 2. Columns are typed arrays: x, y, energy, timestamp Float64Array; the rest Float32Array (as the Python
 *    batch); NaN is "unknown"; ids and vtypes are string arrays.
 * 3. Rows (validate.py): dropped when the id is not a string, empty, over 128 characters or holds NUL; any
 *    number is infinite; a vehicle position is not finite or beyond 1e8; a speed is negative or over 150 m/s;
 *    occupancy is outside 0..1; flow is negative. Duplicate ids: the last valid row wins. Unknown vtypes
 *    read as "other"; headings are wrapped into [0, 360).
 */

export const FEED_VERSION = 1;
export const KINDS = ["vehicle", "road", "building"] as const;
export type Kind = (typeof KINDS)[number];
export const VEHICLE_TYPES = ["car", "bus", "truck", "bike", "tram", "motorcycle", "pedestrian", "other"];
export const ENCODINGS = ["binary", "columns", "objects"];
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
export const MAX_ROWS = 1_000_000;
export const MAX_ID_LENGTH = 128;
export const MAX_SPEED = 150;
export const MAX_COORDINATE = 1e8;
const MAX_SEQ = 2n ** 63n - 1n;
const MAX_NAME = 256;

/** Column name -> element size in the binary frame (8 float64, 4 float32, 1 vtype code), in wire order. */
export const LAYOUT: Record<Kind, [string, number][]> = {
  vehicle: [["x", 8], ["y", 8], ["z", 4], ["heading", 4], ["speed", 4], ["vtype", 1]],
  road: [["speed", 4], ["free_flow_speed", 4], ["occupancy", 4], ["flow", 4]],
  building: [["power", 4], ["energy", 8], ["timestamp", 8]],
};

export interface Batch {
  ids: string[];
  num: Record<string, Float64Array | Float32Array>;
  vtype?: string[];
}

export interface Hello {
  type: "hello"; v: number; seq: number; time: number; crs: string; kinds: string[]; encodings: string[];
  encoding: string; server: string; heartbeat: number;
}
export interface DataMessage {
  type: "snapshot" | "delta"; seq: number; time: number;
  upserts: Partial<Record<Kind, Batch>>; removals: Partial<Record<Kind, string[]>>;
  dropped: string[];
}
export interface Heartbeat { type: "heartbeat"; seq: number; time: number }
export type FeedMessage = Hello | DataMessage | Heartbeat;

export class FeedError extends Error {}

function fail(what: string): never {
  throw new FeedError(what);
}

type Obj = Record<string, unknown>;

function asObj(v: unknown, what: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(`${what} must be an object`);
  return v as Obj;
}

function field(o: Obj, key: string, what: string): unknown {
  if (!(key in o)) fail(`${what} has no '${key}'`);
  return o[key];
}

function asSeq(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) fail(`${what} must be an integer 0..2**63-1`);
  return v;
}

function asTime(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(`${what} must be a finite number`);
  return v;
}

function asStr(v: unknown, what: string, max = MAX_NAME): string {
  if (typeof v !== "string") fail(`${what} must be a string`);
  if (v.length > max) fail(`${what} is longer than ${max} characters`);
  return v;
}

function asStrList(v: unknown, what: string): string[] {
  if (!Array.isArray(v)) fail(`${what} must be a list`);
  if (v.length > 32) fail(`${what} has more than 32 items`);
  return v.map((x) => asStr(x, `${what} item`));
}

function columnList(v: unknown, what: string, n: number): unknown[] {
  if (!Array.isArray(v)) fail(`${what} must be a list`);
  if (v.length !== n) fail(`${what} has ${v.length} values for ${n} ids`);
  return v;
}

function isWide(kind: Kind, name: string): boolean {
  return LAYOUT[kind].some(([n, size]) => n === name && size === 8);
}

function numberColumn(values: unknown, what: string, n: number, wide: boolean): Float64Array | Float32Array {
  const out = wide ? new Float64Array(n) : new Float32Array(n);
  if (values === null || values === undefined) return out.fill(NaN);
  const items = columnList(values, what, n);
  for (let i = 0; i < n; i++) {
    const x = items[i];
    if (x === null) out[i] = NaN;
    else if (typeof x === "number") out[i] = x;
    else fail(`${what} must hold numbers or null`);
  }
  return out;
}

function checkKind(kind: string, what: string): Kind {
  if (!(KINDS as readonly string[]).includes(kind)) fail(`${what} has unknown kind '${kind.slice(0, 64)}'`);
  return kind as Kind;
}

function fromColumns(kind: Kind, columns: Obj, what: string): Batch {
  const ids = columnList(field(columns, "ids", what), `${what}.ids`, (columns.ids as unknown[] | null)?.length ?? 0);
  const n = ids.length;
  const batch: Batch = { ids: ids as string[], num: {} };
  for (const [name] of LAYOUT[kind]) {
    if (name === "vtype") {
      batch.vtype = columns.vtype === null || columns.vtype === undefined ? new Array(n).fill("other")
        : (columnList(columns.vtype, `${what}.vtype`, n) as string[]);
    } else {
      batch.num[name] = numberColumn(columns[name], `${what}.${name}`, n, isWide(kind, name));
    }
  }
  return batch;
}

function fromObjects(kind: Kind, rows: unknown[], what: string): Batch {
  const n = rows.length;
  for (const r of rows) if (typeof r !== "object" || r === null || Array.isArray(r)) fail(`${what}: every entity must be an object`);
  const objs = rows as Obj[];
  const batch: Batch = { ids: objs.map((r) => r.id) as string[], num: {} };
  for (const [name] of LAYOUT[kind]) {
    const values = objs.map((r) => (r[name] === undefined ? null : r[name]));
    if (name === "vtype") batch.vtype = values as string[];
    else batch.num[name] = numberColumn(values, `${what}[].${name}`, n, isWide(kind, name));
  }
  return batch;
}

function readUpserts(value: unknown, what: string): Partial<Record<Kind, Batch>> {
  const out: Partial<Record<Kind, Batch>> = {};
  let total = 0;
  for (const [key, body] of Object.entries(asObj(value, what))) {
    const kind = checkKind(key, what);
    if (Array.isArray(body)) {
      total += body.length;
      if (total > MAX_ROWS) fail(`more than ${MAX_ROWS} rows in one message`);
      out[kind] = fromObjects(kind, body, `${what}.${kind}`);
    } else if (typeof body === "object" && body !== null) {
      const columns = asObj(field(body as Obj, "columns", `${what}.${kind}`), `${what}.${kind}.columns`);
      if (!Array.isArray(columns.ids)) fail(`${what}.${kind}.columns.ids must be a list`);
      total += columns.ids.length;
      if (total > MAX_ROWS) fail(`more than ${MAX_ROWS} rows in one message`);
      out[kind] = fromColumns(kind, columns, `${what}.${kind}.columns`);
    } else {
      fail(`${what}.${kind} must be a list of objects or {"columns": ...}`);
    }
  }
  return out;
}

function readRemovals(value: unknown): Partial<Record<Kind, string[]>> {
  const out: Partial<Record<Kind, string[]>> = {};
  for (const [key, ids] of Object.entries(asObj(value, "removals"))) {
    const kind = checkKind(key, "removals");
    if (!Array.isArray(ids)) fail(`removals.${kind} must be a list`);
    out[kind] = ids as string[];
  }
  return out;
}

function readJson(o: Obj): FeedMessage {
  const type = o.type;
  if (type === "hello") {
    if (o.v !== FEED_VERSION) fail(`the feed speaks protocol version ${String(o.v).slice(0, 16)}; this page reads ${FEED_VERSION}`);
    const heartbeat = asTime(o.heartbeat ?? 0, "hello.heartbeat");
    if (heartbeat < 0) fail("hello.heartbeat is negative");
    const encoding = asStr(field(o, "encoding", "hello"), "hello.encoding");
    if (!ENCODINGS.includes(encoding)) fail(`hello.encoding '${encoding.slice(0, 64)}' is not one of ${ENCODINGS.join(", ")}`);
    const kinds = asStrList(field(o, "kinds", "hello"), "hello.kinds");
    kinds.forEach((k) => checkKind(k, "hello.kinds"));
    return { type: "hello", v: FEED_VERSION, seq: asSeq(field(o, "seq", "hello"), "hello.seq"),
      time: asTime(field(o, "time", "hello"), "hello.time"), crs: asStr(field(o, "crs", "hello"), "hello.crs"), kinds,
      encodings: asStrList(o.encodings ?? [], "hello.encodings"), encoding, server: asStr(o.server ?? "", "hello.server"),
      heartbeat };
  }
  if (type === "heartbeat") {
    return { type, seq: asSeq(field(o, "seq", type), `${type}.seq`), time: asTime(field(o, "time", type), `${type}.time`) };
  }
  if (type === "snapshot" || type === "delta") {
    const seq = asSeq(field(o, "seq", type), `${type}.seq`);
    const time = asTime(field(o, "time", type), `${type}.time`);
    const upserts = readUpserts(o.upserts ?? {}, "upserts");
    const removals = readRemovals(o.removals ?? {});
    if (type === "snapshot" && Object.keys(removals).length) fail("a snapshot has no removals");
    return validateMessage({ type, seq, time, upserts, removals, dropped: [] });
  }
  fail(`unknown message type '${String(type).slice(0, 64)}'`);
}

/** Deepest nesting of [ and { outside strings (as codec.json_depth), so a deep document is refused unparsed. */
export function jsonDepth(text: string): number {
  let depth = 0, deepest = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) deepest = Math.max(deepest, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

// ------------------------------------------------------------------------------------------ binary frame

const HEADER = 56;
const pad = (n: number) => (8 - (n % 8)) % 8;

function readBinary(buf: ArrayBuffer): DataMessage {
  if (buf.byteLength < HEADER) fail(`binary frame truncated: ${buf.byteLength} bytes, the header alone is ${HEADER}`);
  const view = new DataView(buf);
  const version = view.getUint8(4), code = view.getUint8(5), listed = view.getUint16(6, true);
  if (version !== 1) fail(`binary frame version ${version} is not supported (this reader knows 1)`);
  if (code !== 1 && code !== 2) fail(`binary frame has unknown message type ${code}`);
  if (listed >= 8 || view.getUint32(52, true) !== 0) fail("binary frame has reserved bits set");
  const seq = view.getBigUint64(8, true);
  if (seq > MAX_SEQ) fail(`seq ${seq} is outside 0..2**63-1`);
  const time = view.getFloat64(16, true);
  if (!Number.isFinite(time)) fail("time is not finite");
  const up = [0, 1, 2].map((k) => view.getUint32(24 + 4 * k, true));
  const rm = [0, 1, 2].map((k) => view.getUint32(36 + 4 * k, true));
  const total = [...up, ...rm].reduce((a, b) => a + b, 0);
  if (total > MAX_ROWS) fail(`more than ${MAX_ROWS} rows in one message`);
  const snapshot = code === 1;
  if (snapshot && rm.some((n) => n)) fail("a snapshot has no removals");
  up.forEach((n, k) => { if (n && !(listed & (1 << k))) fail(`binary frame counts ${n} ${KINDS[k]} rows for a kind it does not list`); });
  const stringsLen = view.getUint32(48, true);
  let expected = HEADER + stringsLen + pad(stringsLen);
  KINDS.forEach((kind, k) => { for (const [, size] of LAYOUT[kind]) expected += up[k] * size + pad(up[k] * size); });
  if (expected !== buf.byteLength) fail(`binary frame is ${buf.byteLength} bytes, its header declares ${expected}`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(buf, HEADER, stringsLen));
  } catch {
    fail("binary string table is not UTF-8");
  }
  const ids = total ? text.split("\0") : text ? null : [];
  if (!ids || ids.length !== total) fail(`binary string table holds ${ids?.length ?? 0} ids, the header declares ${total}`);
  let offset = HEADER + stringsLen + pad(stringsLen);
  let start = 0;
  const upserts: Partial<Record<Kind, Batch>> = {};
  KINDS.forEach((kind, k) => {
    const n = up[k];
    if (listed & (1 << k)) {
      const batch: Batch = { ids: ids.slice(start, start + n), num: {} };
      for (const [name, size] of LAYOUT[kind]) {
        // slice(): a copy, aligned, so typed arrays never alias the socket's buffer
        const bytes = buf.slice(offset, offset + n * size);
        if (name === "vtype") batch.vtype = Array.from(new Uint8Array(bytes), (c) => VEHICLE_TYPES[c] ?? "other");
        else batch.num[name] = size === 8 ? new Float64Array(bytes) : new Float32Array(bytes);
        offset += n * size + pad(n * size);
      }
      upserts[kind] = batch;
    }
    start += n;
  });
  const removals: Partial<Record<Kind, string[]>> = {};
  KINDS.forEach((kind, k) => {
    if (rm[k]) removals[kind] = ids.slice(start, start + rm[k]);
    start += rm[k];
  });
  return validateMessage({ type: snapshot ? "snapshot" : "delta", seq: Number(seq), time, upserts, removals, dropped: [] });
}

/** One feed message from a websocket message's data (rule 1): text, or an ArrayBuffer (CVTF or JSON bytes). */
export function decodeFeed(data: string | ArrayBuffer, maxBytes = MAX_MESSAGE_BYTES): FeedMessage {
  let text: string;
  if (typeof data === "string") {
    if (data.length > maxBytes) fail(`message of ${data.length} characters is above ${maxBytes} bytes`);
    text = data;
  } else {
    if (data.byteLength > maxBytes) fail(`message of ${data.byteLength} bytes is above ${maxBytes}`);
    const head = new Uint8Array(data, 0, Math.min(4, data.byteLength));
    if (String.fromCharCode(...head) === "CVTF") return readBinary(data);
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(data);
    } catch {
      fail("message is not valid UTF-8");
    }
  }
  if (jsonDepth(text) > 8) fail("JSON nested deeper than 8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    fail(`malformed JSON: ${(err as Error).message}`);
  }
  return readJson(asObj(value, "a message"));
}

// ------------------------------------------------------------------------------------- rows (rule 3)

function badId(id: unknown): string | null {
  if (typeof id !== "string") return "id not a string";
  if (!id.length) return "empty id";
  if ([...id].length > MAX_ID_LENGTH) return `id longer than ${MAX_ID_LENGTH} characters`;
  if (id.includes("\0")) return "id contains NUL";
  return null;
}

function badRow(kind: Kind, b: Batch, i: number): string | null {
  const idProblem = badId(b.ids[i]);
  if (idProblem) return idProblem;
  for (const col of Object.values(b.num)) if (col[i] === Infinity || col[i] === -Infinity) return "a value is infinite";
  const outside = (v: number, lo: number, hi: number) => v < lo || v > hi; // NaN is not outside
  if (kind === "vehicle") {
    const x = b.num.x[i], y = b.num.y[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) return "position not finite";
    if (Math.abs(x) > MAX_COORDINATE || Math.abs(y) > MAX_COORDINATE) return "position beyond +-1e8";
    if (outside(b.num.speed[i], 0, MAX_SPEED)) return "speed negative or over 150 m/s";
  } else if (kind === "road") {
    if (outside(b.num.speed[i], 0, MAX_SPEED) || outside(b.num.free_flow_speed[i], 0, MAX_SPEED)) return "speed negative or over 150 m/s";
    if (outside(b.num.occupancy[i], 0, 1)) return "occupancy outside 0..1";
    if (b.num.flow[i] < 0) return "flow negative";
  }
  return null;
}

function take(b: Batch, keep: number[]): Batch {
  const out: Batch = { ids: keep.map((i) => b.ids[i]), num: {} };
  for (const [name, col] of Object.entries(b.num)) {
    const c = new (col.constructor as Float64ArrayConstructor | Float32ArrayConstructor)(keep.length);
    keep.forEach((i, j) => { c[j] = col[i]; });
    out.num[name] = c;
  }
  if (b.vtype) out.vtype = keep.map((i) => b.vtype![i]);
  return out;
}

/** The rows of a batch that can be trusted (rule 3), with one reason line per cause. */
export function validateBatch(kind: Kind, b: Batch, dropped: string[]): Batch {
  const reasons = new Map<string, number>();
  const valid: number[] = [];
  for (let i = 0; i < b.ids.length; i++) {
    const why = badRow(kind, b, i);
    if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
    else valid.push(i);
  }
  const last = new Map<string, number>();
  for (const i of valid) last.set(b.ids[i], i);
  const keep = valid.filter((i) => last.get(b.ids[i]) === i);
  if (keep.length < valid.length) reasons.set("duplicate id (the last one kept)", valid.length - keep.length);
  for (const [why, n] of reasons) dropped.push(`${kind}: ${n} rows dropped: ${why}`);
  const out = keep.length === b.ids.length ? b : take(b, keep);
  if (kind === "vehicle") {
    out.vtype = out.vtype!.map((t) => (typeof t === "string" && VEHICLE_TYPES.includes(t) ? t : "other"));
    const h = out.num.heading;
    for (let i = 0; i < h.length; i++) {
      if (h[i] < 0 || h[i] >= 360) {
        h[i] = ((h[i] % 360) + 360) % 360;
        if (h[i] >= 360) h[i] = 0;
      }
    }
  }
  return out;
}

function validateMessage(m: DataMessage): DataMessage {
  for (const kind of KINDS) {
    const b = m.upserts[kind];
    if (b) m.upserts[kind] = validateBatch(kind, b, m.dropped);
    const r = m.removals[kind];
    if (r) m.removals[kind] = r.filter((id) => badId(id) === null);
  }
  return m;
}

/** The client's hello: every kind, binary first (the cheapest to decode), then columns. */
export function subscribeText(lastSeq: number | null): string {
  return JSON.stringify({ type: "subscribe", v: FEED_VERSION, kinds: [], encodings: ["binary", "columns"], last_seq: lastSeq });
}

export function resyncText(lastSeq: number | null): string {
  return JSON.stringify({ type: "resync", last_seq: lastSeq });
}
