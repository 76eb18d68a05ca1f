/**
 * Walk and fly in the page with the desktop's keys and figures (docs/navigation.md, viewer/nav/kinematics.py),
 * as far as a browser allows. Pure: the world is asked through `World`, time comes in as dt.
 *
 * Rules:
 * 1. Modes: orbit (OrbitControls, the page's start), walk (G), fly (U), Tab cycles. G and U from orbit land
 *    where the view's centre meets the city or ground (walk: on it; fly: 12 m above it); from walk or fly
 *    (or with Shift) they keep the camera's spot. O goes back to orbit around the point ahead.
 * 2. Keys: W A S D / arrows move; Space or E up (fly) / jump (walk); C down (fly; the desktop's Ctrl is
 *    the browser's shortcut key, so C alone); Shift runs (walk 6 m/s, fly 4x); wheel x1.25 speed a notch;
 *    N collision on / off. The mouse looks around while the pointer is locked (a click locks it; Esc, as
 *    browsers require, releases it), and by dragging when it is not.
 * 3. Walker: eyes 1.65 m above the highest floor under it within a 0.4 m step; falls under gravity (at most
 *    50 m/s) from higher; walls stop it (a ray at knee height, 0.3 m radius) unless collision is off.
 * 4. Flyer: speed max(10, 0.8 x height above the floor) m/s, at most 2 km/s; keeps 0.5 m from walls and
 *    floors with collision on; never below the ground, whatever the toggle.
 * 5. Headings: yaw 0 looks +y (north), grows counter-clockwise seen from above; pitch within +-89 degrees.
 */

export type Mode = "orbit" | "walk" | "fly";
export type V3 = [number, number, number];

export interface World {
  /** The highest floor at (x, y) not above z (the city or the ground), or -Infinity. */
  floorBelow(x: number, y: number, z: number): number;
  /** Whether a straight move from a to b (at that height) meets a wall. */
  blocked(a: V3, b: V3): boolean;
  /** The ground's height (never below). */
  ground: number;
}

export const WALK = { eye: 1.65, step: 0.4, speed: 2, run: 6, gravity: 9.81, jump: 4, maxFall: 50, radius: 0.3 };
export const FLY = { radius: 0.5, minSpeed: 10, perMetre: 0.8, maxSpeed: 2000, run: 4, landHeight: 12 };
export const NOTCH = 1.25;
const DEG = Math.PI / 180;

export interface Input { forward: number; right: number; up: number; run: boolean; jump: boolean }

export class Navigator {
  mode: Mode = "orbit";
  eye: V3 = [0, 0, 0];
  yaw = 0;
  pitch = 0;
  collision = true;
  notches = 0;
  private fall = 0;

  constructor(readonly world: World) {}

  /** Enter walk or fly at `eye` looking (yaw, pitch) (rule 1). */
  enter(mode: Mode, eye: V3, yaw: number, pitch: number): void {
    this.mode = mode;
    this.yaw = yaw;
    this.pitch = Math.max(-89, Math.min(89, pitch));
    this.fall = 0;
    this.eye = [...eye];
    if (mode === "walk") {
      const floor = this.world.floorBelow(eye[0], eye[1], eye[2] - WALK.eye + WALK.step);
      if (Number.isFinite(floor) && eye[2] - WALK.eye - floor > 60) this.eye[2] = floor + WALK.eye;
    }
    this.keepAboveGround();
  }

  look(dYaw: number, dPitch: number): void {
    this.yaw = ((this.yaw + dYaw) % 360 + 360) % 360;
    this.pitch = Math.max(-89, Math.min(89, this.pitch + dPitch));
  }

  wheel(notches: number): void {
    this.notches = Math.max(-12, Math.min(12, this.notches + notches));
  }

  /** Height of the eye above the floor below it. */
  heightAboveFloor(): number {
    const floor = this.world.floorBelow(this.eye[0], this.eye[1], this.eye[2]);
    return this.eye[2] - (Number.isFinite(floor) ? floor : this.world.ground);
  }

  flySpeed(run: boolean): number {
    const base = Math.min(FLY.maxSpeed, Math.max(FLY.minSpeed, FLY.perMetre * this.heightAboveFloor()));
    return base * NOTCH ** this.notches * (run ? FLY.run : 1);
  }

  step(input: Input, dt: number): void {
    dt = Math.min(dt, 0.25);
    if (this.mode === "walk") this.walk(input, dt);
    else if (this.mode === "fly") this.flyStep(input, dt);
  }

  private horizontal(input: Input, speed: number): V3 {
    const fx = -Math.sin(this.yaw * DEG), fy = Math.cos(this.yaw * DEG);
    const len = Math.hypot(input.forward, input.right) || 1;
    const f = input.forward / len, r = input.right / len;
    return [(fx * f + fy * r) * speed, (fy * f - fx * r) * speed, 0];
  }

  private walk(input: Input, dt: number): void {
    const speed = (input.run ? WALK.run : WALK.speed) * NOTCH ** this.notches;
    const v = this.horizontal(input, speed);
    const feet = this.eye[2] - WALK.eye;
    const knee = feet + WALK.step + 0.05;
    const to: V3 = [this.eye[0] + v[0] * dt, this.eye[1] + v[1] * dt, knee];
    if (v[0] || v[1]) {
      const reach: V3 = [to[0] + Math.sign(v[0]) * WALK.radius * Math.abs(v[0]) / Math.hypot(v[0], v[1]),
        to[1] + Math.sign(v[1]) * WALK.radius * Math.abs(v[1]) / Math.hypot(v[0], v[1]), knee];
      if (!this.collision || !this.world.blocked([this.eye[0], this.eye[1], knee], reach)) {
        this.eye[0] = to[0];
        this.eye[1] = to[1];
      }
    }
    const floor = Math.max(this.world.floorBelow(this.eye[0], this.eye[1], feet + WALK.step), this.world.ground);
    if (input.jump && feet - floor < 0.01) this.fall = -WALK.jump;
    if (this.fall < 0 || feet - floor > WALK.step) {
      this.fall = Math.min(WALK.maxFall, this.fall + WALK.gravity * dt);
      const next = feet - this.fall * dt;
      this.eye[2] = Math.max(next, floor) + WALK.eye;
      if (next <= floor) this.fall = 0;
    } else {
      this.eye[2] = floor + WALK.eye; // steps up and down snap
      this.fall = 0;
    }
  }

  private flyStep(input: Input, dt: number): void {
    const speed = this.flySpeed(input.run);
    const cp = Math.cos(this.pitch * DEG);
    const fwd: V3 = [-Math.sin(this.yaw * DEG) * cp, Math.cos(this.yaw * DEG) * cp, Math.sin(this.pitch * DEG)];
    const right: V3 = [Math.cos(this.yaw * DEG), Math.sin(this.yaw * DEG), 0];
    const move: V3 = [0, 0, 0];
    for (let k = 0; k < 3; k++) move[k] = fwd[k] * input.forward + right[k] * input.right + (k === 2 ? input.up : 0);
    const len = Math.hypot(...move);
    if (!len) return;
    const to = this.eye.map((e, k) => e + (move[k] / len) * speed * dt) as V3;
    const ahead = this.eye.map((e, k) => to[k] + (move[k] / len) * FLY.radius) as V3;
    if (this.collision && this.world.blocked(this.eye, ahead)) return;
    this.eye = to;
    if (this.collision) {
      const floor = this.world.floorBelow(to[0], to[1], to[2]);
      if (Number.isFinite(floor) && to[2] - floor < FLY.radius) this.eye[2] = floor + FLY.radius;
    }
    this.keepAboveGround();
  }

  private keepAboveGround(): void {
    const least = this.world.ground + (this.mode === "walk" ? WALK.eye : FLY.radius);
    if (this.eye[2] < least) this.eye[2] = least;
  }
}

/** The keys of the help panel: the desktop's (docs/navigation.md) that a browser can have. */
export const HELP: [string, string][] = [
  ["drag, wheel", "orbit, zoom (orbit); look, speed (walk, fly)"],
  ["G / U / O", "walk / fly / orbit (Tab: next); Shift+G, Shift+U keep the camera's spot"],
  ["W A S D, arrows", "move (Shift: run, fly 4x faster)"],
  ["Space or E / C", "up (fly), jump (walk) / down (fly)"],
  ["click", "walk and fly: lock the mouse to look around (Esc releases it)"],
  ["N", "collision on / off"],
  ["F", "frame the whole city (orbit)"],
  ["P", "point at what is under the mouse"],
  ["J", "stop following the host / follow again"],
  ["Insert", "drop a pin for the room where the mouse is (a note prompt follows)"],
  ["Delete", "remove the pin nearest the mouse (yours; a host: anyone's)"],
  ["pins panel", "click a pin to fly there; hover or click a marker for its note"],
  ["Enter", "chat (/help for the commands)"],
  ["F2", "participant list"],
  ["F5", "(host) everyone follows me"],
  ["L", "legend on / off"],
  ["H", "this help on / off"],
];
