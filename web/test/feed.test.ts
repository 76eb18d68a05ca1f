// The browser's feed decoder against the shared vectors (tests/vectors/feed_messages.json, built from the
// Python codec and checked by tests/test_web_feed_vectors.py); the twin state, the render clock and the
// vehicles' interpolation against the desktop's rules (viewer/twin/state.py, viewer/layers/clock.py, vehicles.py).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeFeed, FeedError, FeedMessage, DataMessage, KINDS } from "../src/feed/codec";
import { TwinState } from "../src/feed/state";
import { RenderClock } from "../src/feed/clock";
import { sampleVehicles, STRIDE, FADE_SECONDS } from "../src/feed/vehicles";
import { autoRange, niceCeil, PowerScale, roadColour, viridis, hexRgb } from "../src/feed/styles";

interface Vector { name: string; text?: string; binary?: string; decoded?: Record<string, unknown>; error?: boolean }
const vectors = JSON.parse(readFileSync(new URL("../../tests/vectors/feed_messages.json", import.meta.url), "utf-8"));

function data(v: Vector): string | ArrayBuffer {
  if (v.text !== undefined) return v.text;
  const text = atob(v.binary!);
  return Uint8Array.from(text, (c) => c.charCodeAt(0)).buffer;
}

/** The decoded message in the vectors' plain form: columns as lists, NaN as null. */
function plain(m: FeedMessage): Record<string, unknown> {
  if (m.type !== "snapshot" && m.type !== "delta") return { ...m };
  const upserts: Record<string, Record<string, unknown[]>> = {};
  for (const kind of KINDS) {
    const b = m.upserts[kind];
    if (!b) continue;
    const cols: Record<string, unknown[]> = { ids: b.ids };
    for (const [name, col] of Object.entries(b.num)) cols[name] = Array.from(col, (v) => (Number.isFinite(v) ? v : null));
    if (b.vtype) cols.vtype = b.vtype;
    upserts[kind] = cols;
  }
  return { type: m.type, seq: m.seq, time: m.time, upserts, removals: m.removals };
}

function close(a: unknown, b: unknown, path: string): void {
  if (typeof a === "number" && typeof b === "number") {
    expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b)));
  } else if (Array.isArray(b)) {
    expect(Array.isArray(a), path).toBe(true);
    expect((a as unknown[]).length, path).toBe(b.length);
    b.forEach((x, i) => close((a as unknown[])[i], x, `${path}[${i}]`));
  } else if (b && typeof b === "object") {
    expect(Object.keys(a as object).sort(), path).toEqual(Object.keys(b).sort());
    for (const [k, x] of Object.entries(b)) close((a as Record<string, unknown>)[k], x, `${path}.${k}`);
  } else {
    expect(a, path).toEqual(b);
  }
}

describe("feed messages (shared vectors)", () => {
  for (const v of vectors.messages as Vector[]) {
    it(v.error ? `refuses: ${v.name}` : `decodes: ${v.name}`, () => {
      if (v.error) expect(() => decodeFeed(data(v))).toThrow(FeedError);
      else close(plain(decodeFeed(data(v))), v.decoded, v.name);
    });
  }
  it("says why rows were dropped", () => {
    const v = (vectors.messages as Vector[]).find((x) => x.name === "rows that break the row rules")!;
    const m = decodeFeed(data(v)) as DataMessage;
    expect(m.dropped.join("; ")).toContain("position not finite");
    expect(m.dropped.join("; ")).toContain("duplicate id");
  });
  it("refuses a message above the size limit before parsing", () => {
    expect(() => decodeFeed("x".repeat(100), 50)).toThrow(/above/);
  });
});

const identity = (x: number, y: number): [number, number] => [x, y];
function delta(seq: number, time: number, rows: [string, number, number, number][], snapshot = false): DataMessage {
  return { type: snapshot ? "snapshot" : "delta", seq, time, dropped: [], removals: {}, upserts: { vehicle: {
    ids: rows.map((r) => r[0]), vtype: rows.map(() => "car"),
    num: { x: Float64Array.from(rows.map((r) => r[1])), y: Float64Array.from(rows.map((r) => r[2])),
      z: new Float32Array(rows.length).fill(NaN), heading: Float32Array.from(rows.map((r) => r[3])),
      speed: new Float32Array(rows.length).fill(5) } } } };
}

describe("twin state", () => {
  it("keeps the previous sample and ignores older data", () => {
    const s = new TwinState(0);
    s.apply(delta(2, 10, [["a", 0, 0, 0]], true), 0, true, identity);
    s.apply(delta(3, 11, [["a", 10, 0, 90]]), 1, false, identity);
    s.apply(delta(4, 10.5, [["a", 99, 99, 0]]), 1, false, identity);
    const c = s.vehicles.col;
    expect([c.prev_x[0], c.x[0], c.prev_time[0], c.time[0]]).toEqual([0, 10, 10, 11]);
  });
  it("a snapshot removes what it does not list, unless newer; removals by id", () => {
    const s = new TwinState(0);
    s.apply(delta(2, 10, [["a", 0, 0, 0], ["b", 1, 1, 0], ["c", 2, 2, 0]], true), 0, true, identity);
    s.apply(delta(3, 12, [["c", 3, 3, 0]]), 1, false, identity);
    s.apply(delta(4, 11, [["a", 0, 0, 0]], true), 2, false, identity);
    expect([...s.vehicles.ids].sort()).toEqual(["a", "c"]);
    const m = delta(5, 13, []);
    m.removals = { vehicle: ["a"] };
    s.apply(m, 3, false, identity);
    expect(s.vehicles.ids).toEqual(["c"]);
    expect(s.vehicles.index.get("c")).toBe(0);
  });
});

describe("what recolours the city", () => {
  it("vehicle updates leave the readings' version alone; road and building updates bump it", () => {
    const s = new TwinState(0);
    s.apply(delta(2, 10, [["a", 0, 0, 0]], true), 0, true, identity);
    const before = s.readings;
    s.apply(delta(3, 11, [["a", 1, 0, 0]]), 1, false, identity);
    expect(s.readings).toBe(before);
    const m = delta(4, 12, []);
    m.upserts = { building: { ids: ["b1"], num: { power: Float32Array.of(5), energy: Float64Array.of(1), timestamp: Float64Array.of(12) } } };
    s.apply(m, 2, false, identity);
    expect(s.readings).toBe(before + 1);
    expect(s.buildings.get("b1")?.values.power).toBe(5);
  });
});

describe("render clock", () => {
  it("draws one period behind the newest data and never goes backwards", () => {
    const clock = new RenderClock();
    for (let k = 0; k < 10; k++) clock.observe(100 + k * 0.1, 5 + k * 0.1);
    expect(clock.period).toBeCloseTo(0.1, 9);
    expect(clock.now(5.9)).toBeCloseTo(100.8, 6);
    const later = clock.now(5.95);
    expect(later).toBeGreaterThan(100.8);
    clock.observe(100.5, 6.0); // a late, old update: the offset keeps the least-delayed arrival
    expect(clock.now(6.0)).toBeGreaterThanOrEqual(later);
  });
  it("a pinned time is drawn exactly", () => {
    const clock = new RenderClock();
    clock.pin(42);
    expect(clock.now(1)).toBe(42);
  });
});

describe("vehicle interpolation", () => {
  const options = { period: 0.1, newest: 11, extrapolate: 1, fadeAfter: 30, ghost: 1 };
  function table() {
    const s = new TwinState(0);
    s.apply(delta(2, 10.9, [["a", 0, 0, 350], ["b", 5, 5, 0]], true), 0, true, identity);
    s.apply(delta(3, 11, [["a", 10, 0, 10]]), 0, false, identity);
    return s.vehicles;
  }
  it("moves between the samples and turns the short way", () => {
    const out = new Float32Array(2 * STRIDE);
    sampleVehicles(table(), 10.95, 0, options, out);
    expect(out[0]).toBeCloseTo(5, 4);
    expect(((out[3] * 180) / Math.PI + 360) % 360).toBeCloseTo(0, 3);
    expect(out[STRIDE]).toBeCloseTo(5, 5); // b did not move: it holds
  });
  it("a vehicle re-sent after a pause starts one period before its latest sample", () => {
    const s = new TwinState(0);
    s.apply(delta(2, 5, [["a", 0, 0, 90]], true), 0, true, identity);
    s.apply(delta(3, 11, [["a", 10, 0, 90]]), 0, false, identity);
    const out = new Float32Array(STRIDE);
    sampleVehicles(s.vehicles, 10.0, 0, options, out);
    expect(out[0]).toBe(0);
    sampleVehicles(s.vehicles, 10.95, 0, options, out);
    expect(out[0]).toBeCloseTo(5, 4);
  });
  it("extrapolates a late update for at most `extrapolate` s, then holds", () => {
    const out = new Float32Array(2 * STRIDE);
    sampleVehicles(table(), 11.05, 0, options, out);
    expect(out[0]).toBeCloseTo(15, 3);
    sampleVehicles(table(), 20, 0, options, out);
    expect(out[0]).toBeCloseTo(110, 2);
    expect(out[STRIDE]).toBeCloseTo(5, 5);
  });
  it("fades a vehicle not updated for fadeAfter s", () => {
    const out = new Float32Array(2 * STRIDE);
    sampleVehicles(table(), 11, 30 + FADE_SECONDS / 2, options, out);
    expect(out[4]).toBeCloseTo(0.5, 6);
    sampleVehicles(table(), 11, 0, { ...options, ghost: 0.3 }, out);
    expect(out[4]).toBeCloseTo(0.3, 6);
  });
});

describe("styles (viewer/layers/ramps.py, styles.py)", () => {
  it("ranges and ramps as the desktop", () => {
    expect([niceCeil(0.7), niceCeil(3), niceCeil(240), niceCeil(2.5)]).toEqual([1, 5, 250, 2.5]);
    expect(autoRange([0, 10, 20, 30, 100])).toEqual([0, 100]);
    expect(viridis(0)).toEqual(hexRgb("440154"));
    expect(viridis(1)).toEqual(hexRgb("fde725"));
    const scale = new PowerScale();
    expect(scale.adapt([1, 2, 3, 40])).toBe(true);
    expect(scale.adapt([1, 2, 3])).toBe(false);
    expect(scale.colour(NaN)).toEqual([158, 158, 163]);
  });
  it("roads by speed over free-flow speed in four bands", () => {
    expect(roadColour(1, 10)).toEqual(hexRgb("7f0000"));
    expect(roadColour(4, 10)).toEqual(hexRgb("e31a1c"));
    expect(roadColour(6, 10)).toEqual(hexRgb("fd8d3c"));
    expect(roadColour(9, 10)).toEqual(hexRgb("1a9850"));
    expect(roadColour(NaN, 10)).toEqual([158, 158, 163]);
  });
});
