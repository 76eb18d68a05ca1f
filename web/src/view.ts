/**
 * The 3D part of the page: three.js in the tileset's east-north-up metres (x east, y north, z up; the
 * root transform undone, so the city sits at the origin), the city streamed by 3d-tiles-renderer (with
 * its EXT_mesh_features ids, for the live layers: live.ts), the others' avatars with name tags, pointers,
 * orbit, walk and fly (nav.ts) with the desktop's keys, and follow-the-host.
 *
 * Rules:
 * 1. Everything from the meeting is in local metres and goes through Frame (frame.ts) on its way in and out.
 * 2. Headings: 0 looks north, positive turns left, in the local grid; the world heading adds the grid
 *    convergence at that point.
 * 3. The render loop never waits: tiles load in the renderer's own queue, avatars are sampled DELAY s behind.
 * 4. Flying to a point (a pin) glides the orbit camera there over FLIGHT_S seconds and leaves it orbiting the
 *    point from FLIGHT_BACK m back along the current heading and FLIGHT_UP m up; it detaches from the host.
 */

import * as THREE from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { TilesRenderer } from "3d-tiles-renderer";
import { GLTFExtensionsPlugin } from "3d-tiles-renderer/plugins";
import { LiveLayers } from "./live";
import { objectOfHit, PinMarkers } from "./pins";
import { Input, Mode, Navigator, V3, World } from "./nav";
import { Frame, SceneInfo, Vec3 } from "./frame";
import { Pose, Ray } from "./protocol";
import { DELAY, Room } from "./room";

export const CLEAR_COLOUR = 0xa9c8e8;
const EYE_HEIGHT = 1.65;
const DEG = Math.PI / 180;
const FLIGHT_S = 0.8;
const FLIGHT_BACK = 60;
const FLIGHT_UP = 45;

interface Flight { eye: [THREE.Vector3, THREE.Vector3]; target: [THREE.Vector3, THREE.Vector3]; start: number }

export function colourOf(id: number): THREE.Color {
  return new THREE.Color().setHSL(((id * 0.61803398875) % 1 + 1) % 1, 0.75, 0.5);
}

/** The unit view direction of a heading and pitch (degrees, rule 2) in a z-up frame. */
export function direction(h: number, pi: number): THREE.Vector3 {
  return new THREE.Vector3(-Math.sin(h * DEG) * Math.cos(pi * DEG), Math.cos(h * DEG) * Math.cos(pi * DEG), Math.sin(pi * DEG));
}

function nameTag(text: string, colour: THREE.Color): THREE.Sprite {
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d")!;
  ctx.font = "bold 28px sans-serif";
  canvas.width = Math.ceil(ctx.measureText(text).width) + 24;
  canvas.height = 40;
  ctx.font = "bold 28px sans-serif";
  ctx.fillStyle = "rgba(20,20,30,0.75)";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = `#${colour.getHexString()}`;
  ctx.fillRect(0, 0, 6, canvas.height);
  ctx.fillStyle = "white";
  ctx.fillText(text, 14, 29);
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  const sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: texture, depthTest: false, sizeAttenuation: false }));
  sprite.scale.set((0.05 * canvas.width) / canvas.height, 0.05, 1);
  sprite.center.set(0.5, 0);
  sprite.renderOrder = 10;
  return sprite;
}

class Avatar {
  group = new THREE.Group();
  tag: THREE.Sprite | null = null;
  label = "";

  constructor(readonly id: number, scene: THREE.Scene) {
    const colour = colourOf(id);
    const material = new THREE.MeshStandardMaterial({ color: colour });
    const body = new THREE.Mesh(new THREE.CylinderGeometry(0.3, 0.3, 1.3, 16), material);
    body.rotation.x = Math.PI / 2;
    body.position.z = 0.65;
    const head = new THREE.Mesh(new THREE.SphereGeometry(0.25, 16, 12), material);
    head.position.z = 1.5;
    const nose = new THREE.Mesh(new THREE.ConeGeometry(0.12, 0.3, 8), material);
    nose.position.set(0, 0.3, 1.5);
    this.group.add(body, head, nose);
    scene.add(this.group);
  }

  setLabel(text: string): void {
    if (text === this.label) return;
    if (this.tag) {
      this.group.remove(this.tag);
      this.tag.material.map?.dispose();
      this.tag.material.dispose();
    }
    this.label = text;
    this.tag = nameTag(text, colourOf(this.id));
    this.tag.position.z = 2.0;
    this.group.add(this.tag);
  }

  dispose(scene: THREE.Scene): void {
    scene.remove(this.group);
  }
}

class PointerDrawing {
  line: THREE.Line;
  pin: THREE.Mesh;

  constructor(colour: THREE.Color, scene: THREE.Scene) {
    const material = new THREE.LineBasicMaterial({ color: colour, depthTest: false, transparent: true });
    this.line = new THREE.Line(new THREE.BufferGeometry().setFromPoints([new THREE.Vector3(), new THREE.Vector3()]), material);
    this.pin = new THREE.Mesh(new THREE.OctahedronGeometry(0.6), new THREE.MeshBasicMaterial({ color: colour, depthTest: false, transparent: true }));
    this.line.renderOrder = this.pin.renderOrder = 9;
    this.line.frustumCulled = false;
    scene.add(this.line, this.pin);
  }

  set(origin: THREE.Vector3, target: THREE.Vector3): void {
    this.line.geometry.setFromPoints([origin, target]);
    this.pin.position.copy(target);
    this.line.visible = this.pin.visible = true;
  }

  hide(): void {
    this.line.visible = this.pin.visible = false;
  }

  dispose(scene: THREE.Scene): void {
    scene.remove(this.line, this.pin);
  }
}

export class View {
  renderer: THREE.WebGLRenderer;
  scene = new THREE.Scene();
  camera: THREE.PerspectiveCamera;
  controls: OrbitControls;
  tiles: TilesRenderer | null = null;
  tilesLoaded = 0;
  frames = 0;
  /** Main-thread milliseconds of the last frames (moving averages): the whole draw, and the live layers. */
  cost = { draw: 0, live: 0 };
  following: number | null = null;
  detached = false;
  myPointer: Ray | null = null;
  private avatars = new Map<number, Avatar>();
  private pointers = new Map<number, PointerDrawing>();
  private keys = new Set<string>();
  private last = performance.now();
  private ground: THREE.Mesh;
  private groundZ: number;
  nav: Navigator;
  live: LiveLayers | null = null;
  private dragging: [number, number] | null = null;
  pinMarkers: PinMarkers;
  private flight: Flight | null = null;

  constructor(readonly canvas: HTMLCanvasElement, readonly frame: Frame, readonly info: SceneInfo | null) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: false, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.renderer.setClearColor(CLEAR_COLOUR);
    this.camera = new THREE.PerspectiveCamera(55, 1, 0.5, 50000);
    this.camera.up.set(0, 0, 1);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false;
    this.controls.addEventListener("start", () => {
      this.detach();
      this.flight = null; // a drag takes the camera back from a flight to a pin
    });
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x667755, 2.0));
    const sun = new THREE.DirectionalLight(0xffffff, 1.5);
    sun.position.set(-0.4, -0.6, 1).normalize();
    this.scene.add(sun);
    this.ground = this.makeGround();
    this.groundZ = this.ground.position.z + 0.05;
    this.nav = new Navigator(this.world());
    this.pinMarkers = new PinMarkers(this.scene, frame, colourOf);
    this.placeStartCamera();
    this.resize();
    window.addEventListener("resize", () => this.resize());
    window.addEventListener("keydown", (e) => { if (!isTyping(e)) this.key(e); });
    window.addEventListener("keyup", (e) => this.keys.delete(e.code));
    window.addEventListener("blur", () => this.keys.clear());
    this.bindMouse();
  }

  /** The city and the ground as the navigator sees them (nav.ts World), by ray casts. */
  private world(): World {
    const caster = new THREE.Raycaster();
    const down = new THREE.Vector3(0, 0, -1);
    const targets = () => (this.tiles ? [this.tiles.group] : []);
    const view = this;
    return {
      get ground() { return view.groundZ; },
      floorBelow: (x, y, z) => {
        caster.set(new THREE.Vector3(x, y, z), down);
        caster.far = 1e5;
        const hit = caster.intersectObjects(targets(), true)[0];
        return Math.max(hit ? hit.point.z : -Infinity, this.groundZ);
      },
      blocked: (a, b) => {
        const from = new THREE.Vector3(...a);
        const d = new THREE.Vector3(...b).sub(from);
        const far = d.length();
        if (far === 0) return false;
        caster.set(from, d.normalize());
        caster.far = far;
        return caster.intersectObjects(targets(), true).length > 0;
      },
    };
  }

  private key(e: KeyboardEvent): void {
    this.keys.add(e.code);
    const shift = e.shiftKey;
    if (e.code === "KeyG") this.setMode("walk", shift);
    else if (e.code === "KeyU") this.setMode("fly", shift);
    else if (e.code === "KeyO") this.setMode("orbit", shift);
    else if (e.code === "Tab") {
      e.preventDefault();
      this.setMode(({ orbit: "walk", walk: "fly", fly: "orbit" } as Record<Mode, Mode>)[this.nav.mode], true);
    } else if (e.code === "KeyN") this.nav.collision = !this.nav.collision;
    else if (e.code === "KeyF") {
      this.setMode("orbit", true);
      this.placeStartCamera();
    } else if (e.code === "Space") e.preventDefault();
  }

  /** Switch navigation mode (nav.ts rule 1); `keep`: start from the camera's spot, not where it looks. */
  setMode(mode: Mode, keep = false): void {
    this.detach();
    const d = new THREE.Vector3();
    this.camera.getWorldDirection(d);
    const yaw = Math.atan2(-d.x, d.y) / DEG;
    const pitch = Math.asin(Math.max(-1, Math.min(1, d.z))) / DEG;
    const eye = this.camera.position.toArray() as V3;
    if (mode === "orbit") {
      if (this.nav.mode !== "orbit") {
        this.controls.target.copy(this.camera.position).addScaledVector(d, 20);
        this.controls.enabled = true;
      }
      this.nav.mode = "orbit";
      return;
    }
    this.controls.enabled = false;
    if (this.nav.mode === "orbit" && !keep) {
      const hit = this.centreHit();
      if (hit) {
        const z = mode === "walk" ? hit.z + 1.65 : hit.z + 12;
        this.nav.enter(mode, [hit.x, hit.y, z], yaw, mode === "walk" ? 0 : -15);
        return;
      }
    }
    this.nav.enter(mode, eye, yaw, mode === "walk" ? 0 : pitch);
  }

  private centreHit(): THREE.Vector3 | null {
    const ray = new THREE.Raycaster();
    ray.setFromCamera(new THREE.Vector2(0, 0), this.camera);
    const targets: THREE.Object3D[] = [this.ground];
    if (this.tiles) targets.unshift(this.tiles.group);
    return ray.intersectObjects(targets, true)[0]?.point ?? null;
  }

  /** Mouse look in walk and fly: pointer lock on click, else dragging (nav.ts rule 2); the wheel sets speed. */
  private bindMouse(): void {
    const canvas = this.canvas;
    canvas.addEventListener("click", () => {
      if (this.nav.mode !== "orbit" && document.pointerLockElement !== canvas) canvas.requestPointerLock?.()?.catch?.(() => undefined);
    });
    canvas.addEventListener("pointerdown", (e) => { this.dragging = [e.clientX, e.clientY]; });
    window.addEventListener("pointerup", () => { this.dragging = null; });
    canvas.addEventListener("pointermove", (e) => {
      if (this.nav.mode === "orbit") return;
      const sensitivity = this.camera.fov / Math.max(canvas.clientHeight, 1);
      if (document.pointerLockElement === canvas) this.nav.look(-e.movementX * sensitivity, -e.movementY * sensitivity);
      else if (this.dragging) {
        this.nav.look(-(e.clientX - this.dragging[0]) * sensitivity, -(e.clientY - this.dragging[1]) * sensitivity);
        this.dragging = [e.clientX, e.clientY];
      }
    });
    canvas.addEventListener("wheel", (e) => { if (this.nav.mode !== "orbit") this.nav.wheel(e.deltaY < 0 ? 1 : -1); });
  }

  private makeGround(): THREE.Mesh {
    const lo = this.info ? this.frame.toWorld(this.info.bounds.min as Vec3) : [0, 0, 0];
    const ground = new THREE.Mesh(new THREE.PlaneGeometry(20000, 20000),
      new THREE.MeshStandardMaterial({ color: 0xb8b8a8 }));
    ground.position.z = lo[2] - 0.05;
    const grid = new THREE.GridHelper(4000, 80, 0x888888, 0x9a9a9a);
    grid.rotation.x = Math.PI / 2;
    grid.position.z = lo[2];
    this.scene.add(ground, grid);
    return ground;
  }

  private placeStartCamera(): void {
    const lo = this.info?.bounds.min ?? [-50, -50, 0];
    const hi = this.info?.bounds.max ?? [50, 50, 10];
    const centre = this.frame.toWorld([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, lo[2]]);
    const size = Math.max(hi[0] - lo[0], hi[1] - lo[1], 50);
    this.controls.target.set(centre[0], centre[1], centre[2]);
    this.camera.position.set(centre[0], centre[1] - size * 0.75, centre[2] + size * 0.6);
    this.camera.lookAt(this.controls.target);
    this.controls.update();
  }

  /** Stream the city from a tileset whose root transform is `rootTransform` (column-major, or null). */
  loadTiles(url: string, rootTransform: number[] | null): void {
    const tiles = new TilesRenderer(url);
    tiles.registerPlugin(new GLTFExtensionsPlugin({ metadata: true }));
    tiles.setCamera(this.camera);
    tiles.setResolutionFromRenderer(this.camera, this.renderer);
    if (rootTransform) {
      tiles.group.matrixAutoUpdate = false;
      tiles.group.matrix.fromArray(rootTransform).invert();
      tiles.group.matrixWorldNeedsUpdate = true;
    }
    tiles.addEventListener("load-model", (e: { scene: THREE.Object3D }) => {
      this.tilesLoaded++;
      this.live?.addTile(e.scene);
    });
    tiles.addEventListener("dispose-model", (e: { scene: THREE.Object3D }) => this.live?.removeTile(e.scene));
    this.scene.add(tiles.group);
    this.tiles = tiles;
  }

  resize(): void {
    const w = this.canvas.clientWidth || window.innerWidth;
    const h = this.canvas.clientHeight || window.innerHeight;
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.tiles?.setResolutionFromRenderer(this.camera, this.renderer);
  }

  /** Orbit around local `target` from local `eye`. */
  lookAt(eye: Vec3, target: Vec3): void {
    this.setMode("orbit");
    this.following = null;
    this.camera.position.set(...this.frame.toWorld(eye));
    this.controls.target.set(...this.frame.toWorld(target));
    this.camera.lookAt(this.controls.target);
    this.controls.update();
  }

  detach(): void {
    if (this.following !== null) this.detached = true;
  }

  /** Glide the orbit camera to a camera bookmark: local `eye` looking at local `target`, `fov` degrees high. */
  flyToView(eye: Vec3, target: Vec3, fov: number): void {
    this.setMode("orbit", true);
    this.camera.fov = fov;
    this.camera.updateProjectionMatrix();
    this.flight = { eye: [this.camera.position.clone(), new THREE.Vector3(...this.frame.toWorld(eye))],
      target: [this.controls.target.clone(), new THREE.Vector3(...this.frame.toWorld(target))], start: performance.now() };
  }

  /** Glide the orbit camera to look at local `point` (rule 4). */
  flyTo(point: Vec3): void {
    this.setMode("orbit", true);
    const target = new THREE.Vector3(...this.frame.toWorld(point));
    const d = new THREE.Vector3();
    this.camera.getWorldDirection(d);
    d.z = 0;
    if (d.lengthSq() < 1e-6) d.set(0, 1, 0);
    d.normalize();
    const eye = target.clone().addScaledVector(d, -FLIGHT_BACK);
    eye.z += FLIGHT_UP;
    this.flight = { eye: [this.camera.position.clone(), eye], target: [this.controls.target.clone(), target], start: performance.now() };
  }

  private glide(): void {
    const f = this.flight;
    if (!f) return;
    const t = Math.min(1, (performance.now() - f.start) / (FLIGHT_S * 1000));
    const k = t * t * (3 - 2 * t);
    this.camera.position.lerpVectors(f.eye[0], f.eye[1], k);
    this.controls.target.lerpVectors(f.target[0], f.target[1], k);
    this.camera.lookAt(this.controls.target);
    if (t >= 1) this.flight = null;
  }

  /** The canvas pixel (client coordinates) where local `point` is drawn, or null behind the camera or off the view. */
  toScreen(point: Vec3): [number, number] | null {
    const v = new THREE.Vector3(...this.frame.toWorld(point)).project(this.camera);
    if (v.z > 1 || v.z < -1 || Math.abs(v.x) > 1 || Math.abs(v.y) > 1) return null;
    const rect = this.canvas.getBoundingClientRect();
    return [rect.left + (v.x + 1) / 2 * rect.width, rect.top + (1 - v.y) / 2 * rect.height];
  }

  /** My camera as a pose in local metres (rule 1). */
  myPose(): Pose {
    const eye = this.frame.toLocal(this.camera.position.toArray() as Vec3);
    const d = new THREE.Vector3();
    this.camera.getWorldDirection(d);
    const worldHeading = Math.atan2(-d.x, d.y) / DEG;
    const h = worldHeading - this.frame.gridConvergence(eye);
    const pi = Math.max(-90, Math.min(90, Math.asin(Math.max(-1, Math.min(1, d.z))) / DEG));
    return { p: [eye[0], eye[1], eye[2] - EYE_HEIGHT], h: ((h + 180) % 360 + 360) % 360 - 180, e: eye, pi, t: performance.now() / 1000 };
  }

  /** The local point under a canvas pixel (the city or the ground), or null. */
  pick(x: number, y: number): Vec3 | null {
    return this.pickObject(x, y)?.point ?? null;
  }

  /** The local point under a canvas pixel and the id of the object there ("" on the ground; pins.ts rule 3). */
  pickObject(x: number, y: number): { point: Vec3; object: string } | null {
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new THREE.Vector2(((x - rect.left) / rect.width) * 2 - 1, -((y - rect.top) / rect.height) * 2 + 1);
    const ray = new THREE.Raycaster();
    ray.setFromCamera(ndc, this.camera);
    const targets: THREE.Object3D[] = [this.ground];
    if (this.tiles) targets.unshift(this.tiles.group);
    const hit = ray.intersectObjects(targets, true)[0];
    if (!hit) return null;
    return { point: this.frame.toLocal(hit.point.toArray() as Vec3), object: hit.object === this.ground ? "" : objectOfHit(hit) };
  }

  private input(): Input {
    const k = this.keys;
    const has = (...codes: string[]) => codes.some((c) => k.has(c));
    return { forward: +has("KeyW", "ArrowUp") - +has("KeyS", "ArrowDown"), right: +has("KeyD", "ArrowRight") - +has("KeyA", "ArrowLeft"),
      up: +has("Space", "KeyE", "PageUp") - +has("KeyC", "PageDown"), run: has("ShiftLeft", "ShiftRight"), jump: has("Space", "KeyE") };
  }

  /** Walk and fly (nav.ts) put the camera at the navigator's eye; orbit moves with the keys as before. */
  private navigate(dt: number): void {
    if (this.nav.mode === "orbit") return this.fly(dt);
    const input = this.input();
    if (input.forward || input.right || input.up) this.detach();
    if (this.following !== null && !this.detached) return;
    this.nav.step(input, dt);
    const eye = new THREE.Vector3(...this.nav.eye);
    this.camera.position.copy(eye);
    this.camera.lookAt(eye.clone().add(direction(this.nav.yaw, this.nav.pitch)));
  }

  private fly(dt: number): void {
    if (!this.keys.size) return;
    const speed = (this.keys.has("ShiftLeft") || this.keys.has("ShiftRight") ? 60 : 15) * dt;
    const forward = new THREE.Vector3();
    this.camera.getWorldDirection(forward);
    forward.z = 0;
    forward.normalize();
    const right = new THREE.Vector3(forward.y, -forward.x, 0);
    const move = new THREE.Vector3();
    const k = this.keys;
    if (k.has("KeyW") || k.has("ArrowUp")) move.add(forward);
    if (k.has("KeyS") || k.has("ArrowDown")) move.sub(forward);
    if (k.has("KeyD") || k.has("ArrowRight")) move.add(right);
    if (k.has("KeyA") || k.has("ArrowLeft")) move.sub(right);
    if (k.has("KeyE") || k.has("Space") || k.has("PageUp")) move.z += 1;
    if (k.has("KeyC") || k.has("PageDown")) move.z -= 1;
    if (move.lengthSq() === 0) return;
    this.detach();
    move.normalize().multiplyScalar(speed);
    this.camera.position.add(move);
    this.controls.target.add(move);
  }

  private followHost(room: Room, now: number): void {
    const host = this.following !== null && !this.detached ? room.members.get(this.following) : undefined;
    const pose = host?.track.sample(now - DELAY);
    if (!pose) return;
    const eye = new THREE.Vector3(...this.frame.toWorld(pose.e));
    const d = direction(pose.h + this.frame.gridConvergence(pose.e), pose.pi);
    this.camera.position.copy(eye);
    this.controls.target.copy(eye).addScaledVector(d, 10);
    this.camera.lookAt(this.controls.target);
  }

  private drawMembers(room: Room, now: number): void {
    for (const [id, member] of room.members) {
      let avatar = this.avatars.get(id);
      if (!avatar) this.avatars.set(id, (avatar = new Avatar(id, this.scene)));
      const info = member.info;
      avatar.setLabel(`${info.name}${info.role === "host" ? " (host)" : ""}${info.muted ? " (muted)" : ""}`);
      const pose = member.track.sample(now - DELAY);
      avatar.group.visible = pose !== null && !(this.following === id && !this.detached);
      if (pose) {
        avatar.group.position.set(...this.frame.toWorld(pose.p));
        avatar.group.rotation.z = (pose.h + this.frame.gridConvergence(pose.p)) * DEG;
      }
      this.drawPointer(id, member.pointer);
    }
    for (const [id, avatar] of this.avatars) {
      if (!room.members.has(id)) {
        avatar.dispose(this.scene);
        this.avatars.delete(id);
        this.drawPointer(id, null);
      }
    }
    if (room.me) this.drawPointer(room.me.you, this.myPointer);
  }

  private drawPointer(id: number, ray: Ray | null): void {
    let drawing = this.pointers.get(id);
    if (!ray) {
      drawing?.hide();
      return;
    }
    if (!drawing) this.pointers.set(id, (drawing = new PointerDrawing(colourOf(id), this.scene)));
    drawing.set(new THREE.Vector3(...this.frame.toWorld(ray.origin)), new THREE.Vector3(...this.frame.toWorld(ray.target)));
  }

  /** One frame (rule 3). */
  draw(room: Room, now: number): void {
    const t = performance.now();
    const dt = Math.min(0.1, (t - this.last) / 1000);
    this.last = t;
    this.navigate(dt);
    this.followHost(room, now);
    this.glide();
    if ((this.following === null || this.detached) && this.nav.mode === "orbit") this.controls.update();
    this.drawMembers(room, now);
    this.pinMarkers.sync(room.pins);
    const live = performance.now();
    this.live?.draw(now, room.layers);
    this.cost.live += 0.1 * (performance.now() - live - this.cost.live);
    this.camera.updateMatrixWorld();
    this.tiles?.update();
    this.renderer.render(this.scene, this.camera);
    this.frames++;
    this.cost.draw += 0.1 * (performance.now() - t - this.cost.draw);
  }
}

function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA");
}
