// The browser's codec against the shared vectors (tests/vectors/meeting_messages.json), which
// tests/test_web_vectors.py checks against the Python codec; and the room view, interpolation and commands.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeServer, encodeClient, MessageError, ClientMessage } from "../src/protocol";
import { parseInput, CommandError } from "../src/commands";
import { Room, PoseTrack } from "../src/room";
import { applyMap } from "../src/frame";

interface Vector { name: string; text: string; decoded?: unknown; error?: boolean }
const vectors = JSON.parse(readFileSync(new URL("../../tests/vectors/meeting_messages.json", import.meta.url), "utf-8"));

describe("server messages (shared vectors)", () => {
  for (const v of vectors.server as Vector[]) {
    it(v.error ? `refuses: ${v.name}` : `decodes: ${v.name}`, () => {
      if (v.error) expect(() => decodeServer(v.text)).toThrow(MessageError);
      else expect(decodeServer(v.text)).toEqual(v.decoded);
    });
  }
});

describe("client messages (shared vectors)", () => {
  for (const v of vectors.client as { name: string; message: ClientMessage }[]) {
    it(`encodes: ${v.name}`, () => {
      expect(JSON.parse(encodeClient(v.message))).toEqual(v.message);
    });
  }
  it("refuses to send a non-finite pose", () => {
    expect(() => encodeClient({ type: "pose", p: [NaN, 0, 0], h: 0, e: [0, 0, 0], pi: 0, t: 0 })).toThrow(MessageError);
  });
});

const pose = (x: number, h = 0) => ({ p: [x, 0, 0] as [number, number, number], h, e: [x, 0, 1.65] as [number, number, number], pi: 0, t: 0 });
const welcome = decodeServer(JSON.stringify({ type: "welcome", v: 1, you: 2, name: "Bo", role: "host", room: "r", resumed: false }));

describe("room", () => {
  it("a state replaces everything but keeps the pose tracks of those still present", () => {
    const room = new Room();
    room.apply(welcome, 0);
    room.apply(decodeServer(JSON.stringify({ type: "state", participants: [{ id: 1, name: "Ana", role: "host" }, { id: 2, name: "Bo", role: "host" }] })), 0);
    room.apply({ type: "presence", from: 1, ...pose(5) }, 1);
    room.apply({ type: "chat", seq: 1, from: 1, name: "Ana", text: "hi", time: 0 }, 1);
    room.apply({ type: "chat", seq: 1, from: 1, name: "Ana", text: "hi", time: 0 }, 1);
    expect(room.chat.length).toBe(1);
    expect([...room.members.keys()]).toEqual([1]);
    room.apply(decodeServer(JSON.stringify({ type: "state", participants: [{ id: 1, name: "Ana", role: "host" }], follow: 1 })), 2);
    expect(room.members.get(1)!.track.latest!.p[0]).toBe(5);
    expect(room.chat.length).toBe(0);
    expect(room.follow).toBe(1);
    room.apply({ type: "left", id: 1, reason: "bye" }, 3);
    expect(room.follow).toBe(null);
    room.apply({ type: "presence", from: 9, ...pose(1) }, 3);
    expect(room.members.size).toBe(0);
  });

  it("poses are interpolated, headings the short way, long jumps snap", () => {
    const track = new PoseTrack();
    track.add(0, pose(0, 170));
    track.add(1, pose(10, -170));
    const mid = track.sample(0.5)!;
    expect(mid.p[0]).toBeCloseTo(5);
    expect(Math.abs(mid.h)).toBeCloseTo(180);
    track.add(2, pose(500));
    expect(track.sample(1.5)!.p[0]).toBe(10);
    expect(track.sample(9)!.p[0]).toBe(500);
  });
});

describe("commands", () => {
  const room = new Room();
  room.apply(welcome, 0);
  room.apply(decodeServer(JSON.stringify({ type: "state", participants: [{ id: 3, name: "Cy", role: "guest" }] })), 0);
  it("chat, // escapes, host commands by name or #id", () => {
    expect(parseInput("hello", room)).toEqual({ type: "chat", text: "hello" });
    expect(parseInput("//follow", room)).toEqual({ type: "chat", text: "/follow" });
    expect(parseInput("/follow", room)).toEqual({ type: "follow", on: true });
    expect(parseInput("/mute Cy", room)).toEqual({ type: "mute", target: 3, muted: true });
    expect(parseInput("/remove #3", room)).toEqual({ type: "remove", target: 3 });
    expect(parseInput("/layer traffic off", room)).toEqual({ type: "layer", name: "traffic", visible: false });
    expect(parseInput("/time live", room)).toEqual({ type: "feed_time", time: null });
    expect(parseInput("/time 1767225600", room)).toEqual({ type: "feed_time", time: 1767225600 });
    expect(parseInput("   ", room)).toBe(null);
  });
  it("bad commands say why", () => {
    expect(() => parseInput("/mute Nobody", room)).toThrow(CommandError);
    expect(() => parseInput("/time soon", room)).toThrow(/not a time/);
    expect(() => parseInput("/dance", room)).toThrow(/unknown command/);
  });
});

describe("frame maps", () => {
  it("evaluate the quadratic terms in the Python order", () => {
    const coeffs = Array.from({ length: 10 }, () => [0, 0, 0]);
    coeffs[0] = [1, 2, 3];
    coeffs[1] = [10, 0, 0];
    coeffs[7] = [0, 5, 0];
    const map = { centre: [100, 200, 0], half: [10, 10, 1], coeffs, residual: 0 };
    expect(applyMap(map, [110, 210, 0])).toEqual([11, 7, 3]);
    expect(applyMap(undefined, [1, 2, 3])).toEqual([1, 2, 3]);
  });
});
