// Walk and fly (web/src/nav.ts) against the desktop's figures (docs/navigation.md), on a made-up world: flat
// ground at 0 with one 10 m block; and the feed position maps of web/src/feed/client.ts.
import { describe, expect, it } from "vitest";
import { FLY, Navigator, V3, WALK, World } from "../src/nav";
import { mapper } from "../src/feed/client";

/** Ground at z 0; a block 10 m high over x in [20, 30] (any y). */
const world: World = {
  ground: 0,
  floorBelow: (x, _y, z) => (x >= 20 && x <= 30 && z >= 10 ? 10 : 0),
  blocked: (a: V3, b: V3) => a[2] < 10 && ((a[0] < 20 && b[0] >= 20) || (a[0] > 30 && b[0] <= 30)),
};
const still = { forward: 0, right: 0, up: 0, run: false, jump: false };

function run(nav: Navigator, input: typeof still, seconds: number): void {
  for (let t = 0; t < seconds; t += 1 / 60) nav.step(input, 1 / 60);
}

describe("walk", () => {
  it("falls onto the floor under gravity and stands with its eyes 1.65 m up", () => {
    const nav = new Navigator(world);
    nav.enter("walk", [0, 0, 20], 0, 0);
    run(nav, still, 0.5);
    expect(nav.eye[2]).toBeGreaterThan(WALK.eye); // still falling after 0.5 s (g t^2 / 2 = 1.2 m)
    run(nav, still, 3);
    expect(nav.eye[2]).toBeCloseTo(WALK.eye, 6);
  });
  it("walks north at 2 m/s, runs at 6 m/s, and a wall stops it", () => {
    const nav = new Navigator(world);
    nav.enter("walk", [0, 0, WALK.eye], 0, 0);
    run(nav, { ...still, forward: 1 }, 1);
    expect(nav.eye[1]).toBeCloseTo(2, 1);
    nav.enter("walk", [0, 0, WALK.eye], 90, 0); // yaw 90: facing west (counter-clockwise from north)
    run(nav, { ...still, forward: 1, run: true }, 1);
    expect(nav.eye[0]).toBeCloseTo(-6, 1);
    nav.enter("walk", [15, 0, WALK.eye], 270, 0); // facing east, toward the block at x 20
    run(nav, { ...still, forward: 1 }, 5);
    expect(nav.eye[0]).toBeLessThan(20 - WALK.radius + 0.05);
    nav.collision = false;
    run(nav, { ...still, forward: 1 }, 3);
    expect(nav.eye[0]).toBeGreaterThan(20);
  });
  it("jumps and lands", () => {
    const nav = new Navigator(world);
    nav.enter("walk", [0, 0, WALK.eye], 0, 0);
    nav.step({ ...still, jump: true }, 1 / 60);
    run(nav, still, 0.2);
    expect(nav.eye[2]).toBeGreaterThan(WALK.eye + 0.3);
    run(nav, still, 2);
    expect(nav.eye[2]).toBeCloseTo(WALK.eye, 6);
  });
});

describe("fly", () => {
  it("speed grows with height: 10 m/s near the ground, 0.8 m/s per metre higher up, 4x running", () => {
    const nav = new Navigator(world);
    nav.enter("fly", [0, 0, 5], 0, 0);
    expect(nav.flySpeed(false)).toBe(FLY.minSpeed);
    nav.enter("fly", [0, 0, 100], 0, 0);
    expect(nav.flySpeed(false)).toBeCloseTo(80, 6);
    expect(nav.flySpeed(true)).toBeCloseTo(320, 6);
    nav.wheel(1);
    expect(nav.flySpeed(false)).toBeCloseTo(100, 6);
  });
  it("never goes under the ground, even with collision off", () => {
    const nav = new Navigator(world);
    nav.collision = false;
    nav.enter("fly", [0, 0, 3], 0, -60);
    run(nav, { ...still, forward: 1, up: -1 }, 2);
    expect(nav.eye[2]).toBeGreaterThanOrEqual(FLY.radius);
  });
  it("looks within +-89 degrees of pitch", () => {
    const nav = new Navigator(world);
    nav.enter("fly", [0, 0, 30], 0, 0);
    nav.look(400, 200);
    expect(nav.pitch).toBe(89);
    expect(nav.yaw).toBeCloseTo(40, 9);
  });
});

describe("feed position maps (/frame/CRS.json)", () => {
  it("an offset subtracts the origin", () => {
    expect(mapper({ crs: "EPSG:28992", kind: "offset", origin: [92540, 437500, 0] })(92550, 437490)).toEqual([10, -10]);
  });
  it("a quadratic evaluates terms [1, u, v, uu, uv, vv] of the normalised position", () => {
    const coef = [[1, 2], [10, 0], [0, 10], [1, 0], [0, 1], [0, 0]];
    const f = mapper({ crs: "EPSG:4326", kind: "quadratic", centre: [4, 52], span: [0.5, 0.25], coef });
    const [x, y] = f(4.5, 52.25); // u = 1, v = 1
    expect([x, y]).toEqual([1 + 10 + 1, 2 + 10 + 1]);
  });
});
