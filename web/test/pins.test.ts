// Pins in the browser: the codec against the shared vectors (tests/vectors/meeting_pins.json, which
// tests/test_web_pins_vectors.py checks against the Python codec), the room's pins, who may remove one,
// the pin under the mouse, and unknown message types ignored with a warning.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ClientMessage, decodeServer, encodeClient, MessageError, receive, RoomPin } from "../src/protocol";
import { Room } from "../src/room";
import * as THREE from "three";
import { nearestPin, objectOfHit, pinLabel } from "../src/pins";

interface Vector { name: string; text: string; decoded?: unknown; error?: boolean }
const vectors = JSON.parse(readFileSync(new URL("../../tests/vectors/meeting_pins.json", import.meta.url), "utf-8"));

describe("pin messages from the server (shared vectors)", () => {
  for (const v of vectors.server as Vector[]) {
    it(v.error ? `refuses: ${v.name}` : `decodes: ${v.name}`, () => {
      if (v.error) expect(() => decodeServer(v.text)).toThrow(MessageError);
      else expect(decodeServer(v.text)).toStrictEqual(v.decoded);
    });
  }
});

describe("pin messages to the server (shared vectors)", () => {
  for (const v of vectors.client as { name: string; message: ClientMessage }[]) {
    it(`encodes: ${v.name}`, () => expect(JSON.parse(encodeClient(v.message))).toEqual(v.message));
  }
  for (const v of vectors.client_refused as { name: string; message: ClientMessage }[]) {
    it(`refuses to send: ${v.name}`, () => expect(() => encodeClient(v.message)).toThrow(MessageError));
  }
  it("fills a pin's missing note and object with empty text", () => {
    expect(JSON.parse(encodeClient({ type: "pin", p: [1, 2, 3] }))).toEqual({ type: "pin", p: [1, 2, 3], note: "", object: "" });
  });
});

describe("messages the page does not know", () => {
  it("a future type, or a refused message, is ignored with one console warning", () => {
    const warnings: unknown[][] = [];
    const warn = (...args: unknown[]) => warnings.push(args);
    expect(receive(JSON.stringify({ type: "poll", question: "lunch?" }), warn)).toBe(null);
    expect(receive("{not json", warn)).toBe(null);
    expect(warnings.length).toBe(2);
    expect(String(warnings[0][1])).toMatch(/unknown message type "poll"/);
    expect(receive(JSON.stringify({ type: "unpin", pin: 4, from: 1 }), warn)).toEqual({ type: "unpin", pin: 4, from: 1 });
    expect(warnings.length).toBe(2);
  });
});

const pinFrom = (id: number, from: number, name: string, note = ""): RoomPin =>
  ({ type: "pin", id, from, name, p: [id, 0, 0], note, object: "", time: 0 });
const welcome = (you: number, role: "host" | "guest") =>
  decodeServer(JSON.stringify({ type: "welcome", v: 1, you, name: "Bo", role, room: "r", resumed: false }));

describe("the room's pins", () => {
  it("a late joiner's state carries them; pin adds, unpin removes, a state without pins clears them", () => {
    const room = new Room();
    room.apply(welcome(2, "guest"), 0);
    const state = vectors.server.find((v: Vector) => v.name === "state with pins");
    room.apply(decodeServer(state.text), 0);
    expect([...room.pins.keys()]).toEqual([4, 9]);
    expect(room.pins.get(4)!.note).toBe("broken street light");
    room.apply(pinFrom(10, 1, "Ana", "look here"), 1);
    expect(room.newPin?.id).toBe(10);
    room.apply({ type: "unpin", pin: 4, from: 3 }, 2);
    expect([...room.pins.keys()]).toEqual([9, 10]);
    room.apply({ type: "unpin", pin: 10, from: 1 }, 2);
    expect(room.newPin).toBe(null);
    room.apply(decodeServer(JSON.stringify({ type: "state", participants: [] })), 3);
    expect(room.pins.size).toBe(0);
  });

  it("a guest may remove its own pins, also after a rejoin under a new id; a host any", () => {
    const guest = new Room();
    guest.apply(welcome(2, "guest"), 0);
    guest.apply(pinFrom(1, 2, "Bo"), 0);
    expect(guest.newPin).toBe(null); // my own pin is not announced
    guest.apply(welcome(7, "guest"), 1);
    guest.apply(pinFrom(2, 7, "Bo"), 1);
    guest.apply(pinFrom(3, 1, "Ana"), 1);
    expect([1, 2, 3].map((id) => guest.mayRemove(guest.pins.get(id)!))).toEqual([true, true, false]);
    const host = new Room();
    host.apply(welcome(1, "host"), 0);
    expect(host.mayRemove(pinFrom(3, 5, "Cy"))).toBe(true);
  });

  it("the snapshot lists them with who may remove them", () => {
    const room = new Room();
    room.apply(welcome(2, "guest"), 0);
    room.apply(pinFrom(5, 2, "Bo", "mine"), 0);
    expect((room.snapshot(0) as { pins: unknown[] }).pins).toEqual([
      { id: 5, from: 2, name: "Bo", p: [5, 0, 0], note: "mine", object: "", mine: true, removable: true }]);
  });
});

describe("pins on the screen", () => {
  it("the pin under the mouse is the nearest within the radius", () => {
    const points: [number, [number, number]][] = [[1, [100, 100]], [2, [110, 100]], [3, [400, 300]]];
    expect(nearestPin(points, [108, 101], 18)).toBe(2);
    expect(nearestPin(points, [200, 200], 18)).toBe(null);
    expect(nearestPin(points, [390, 300], 18)).toBe(3);
  });
  it("a pin says its note, or that it has none, and its author", () => {
    expect(pinLabel(pinFrom(1, 2, "Bo", "broken light"))).toBe("broken light (Bo)");
    expect(pinLabel(pinFrom(1, 2, "Bo"))).toBe("(no note) (Bo)");
  });
});

describe("the object a pin is dropped on", () => {
  const mesh = (ids: unknown[]) => {
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute("_feature_id_0", new THREE.BufferAttribute(new Float32Array([0, 0, 0, 1, 1, 1]), 1));
    const m = new THREE.Mesh(geometry);
    m.userData.structuralMetadata = { getPropertyTableData: (_t: number, i: number) => ({ id: ids[i] }) };
    return m;
  };
  const hit = (object: THREE.Object3D, a: number) => ({ object, face: { a, b: a + 1, c: a + 2 } }) as unknown as THREE.Intersection;
  it("is the hit triangle's feature id looked up in the tile's id column", () => {
    expect(objectOfHit(hit(mesh(["bldg-7", "road-3"]), 0))).toBe("bldg-7");
    expect(objectOfHit(hit(mesh(["bldg-7", "road-3"]), 3))).toBe("road-3");
  });
  it("is empty without ids, for a missing id, or for an id above 200 characters", () => {
    expect(objectOfHit(hit(new THREE.Mesh(new THREE.BufferGeometry()), 0))).toBe("");
    expect(objectOfHit(hit(mesh([null, null]), 0))).toBe("");
    expect(objectOfHit(hit(mesh(["x".repeat(201), "y"]), 0))).toBe("");
  });
});
