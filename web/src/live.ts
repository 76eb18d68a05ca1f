/**
 * The live layers in the page: vehicles as one InstancedMesh interpolated behind the data, roads and
 * buildings of the streamed tiles coloured by feature id, and the legend (the desktop's defaults:
 * feed/styles.ts).
 *
 * Rules:
 * 1. One InstancedMesh for every vehicle (a box 4.5 x 1.8 x 1.5 m, bigger by `scale`), its capacity doubling
 *    when the feed outgrows it; instance colours are rewritten only when the table changes.
 * 2. Vehicles are drawn at the render clock's time (feed/clock.ts) in local metres, placed in the page's
 *    world through Frame (frame.ts) like everything from the meeting; headings are clockwise from north in
 *    the local grid, turned by the grid convergence at the scene's centre.
 * 3. A tile's glTF carries _FEATURE_ID_0 per vertex and a property table whose `id` column is the object id
 *    (tiles/write_glb.py); its COLOR_0 is kept and rewritten: a feature whose id is a road or a building
 *    entity of the feed takes its layer's colour, any other keeps its own. Recolouring runs at most
 *    RECOLOUR_HZ and only when roads or buildings (not vehicles) or a layer's visibility changed; new tiles
 *    are coloured on arrival.
 * 4. Layers shown: the room's shared layers (`vehicles`, `roads`, `buildings`) when the host set them, else
 *    the scene's `visible` (on without a scene style).
 * 5. The scene's styles (scene.json `layers`: feed/scene_style.ts) colour roads and buildings and make their
 *    legends when the server gives them; without them, the desktop's defaults.
 */

import * as THREE from "three";
import { FeedClient } from "./feed/client";
import { VEHICLE_TYPES } from "./feed/codec";
import { sampleVehicles, STRIDE } from "./feed/vehicles";
import { LegendData, PowerScale, powerLegend, Rgb, roadColour, roadLegend, vehicleColour, vehicleLegend } from "./feed/styles";
import { SceneStyle, StyleJson } from "./feed/scene_style";
import { Frame } from "./frame";

const RECOLOUR_HZ = 4;
const HIDDEN = new THREE.Vector3(0, 0, 0);
const DEG = Math.PI / 180;
export const LAYER_NAMES = ["vehicles", "roads", "buildings"] as const;
export const VEHICLE_SIZE: [number, number, number] = [1.8, 4.5, 1.5]; // width (x), length (y), height (z)

interface Coloured { mesh: THREE.Mesh; ids: string[]; features: ArrayLike<number>; original: Uint8Array | Float32Array }

/** The object id of each feature of a tile's mesh (its property table's `id` column), or null. */
function featureIds(mesh: THREE.Mesh): string[] | null {
  const meta = mesh.userData.structuralMetadata as { getPropertyTableData?: (t: number, i: number) => Record<string, unknown> } | undefined;
  const features = mesh.geometry.getAttribute("_feature_id_0");
  if (!meta?.getPropertyTableData || !features) return null;
  let count = 0;
  for (let i = 0; i < features.count; i++) count = Math.max(count, features.getX(i) + 1);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(String(meta.getPropertyTableData(0, i)?.id ?? ""));
  return ids;
}

export class LiveLayers {
  visible: Record<string, boolean> = { vehicles: true, roads: true, buildings: true };
  vehicles: THREE.InstancedMesh;
  drawn = 0;
  coloured = 0;
  private buffer = new Float32Array(0);
  private paintedVersion = -1;
  private faded = false;
  private tiles = new Set<Coloured>();
  private recoloured = -Infinity;
  private colouredVersion = "";
  private power = new PowerScale();
  private typesSeen = new Set<string>();
  private convergence: number;
  private matrix = new THREE.Matrix4();
  private quat = new THREE.Quaternion();
  private pos = new THREE.Vector3();
  private scaleV: THREE.Vector3;
  private zAxis = new THREE.Vector3(0, 0, 1);
  private styles: { roads?: SceneStyle; buildings?: SceneStyle } = {};
  private sceneVisible: Record<string, boolean> = {};

  constructor(readonly scene: THREE.Scene, readonly frame: Frame, readonly feed: FeedClient, centre: [number, number, number],
              scale = 1, styles: Record<string, StyleJson> = {}) {
    for (const name of ["roads", "buildings"] as const) {
      const style = styles[name];
      if (style && style.kind !== "categories") this.styles[name] = new SceneStyle(style);
    }
    for (const [name, style] of Object.entries(styles)) this.sceneVisible[name] = style.visible;
    this.convergence = frame.gridConvergence(centre);
    this.scaleV = new THREE.Vector3(scale, scale, scale);
    this.vehicles = this.makeMesh(1024);
  }

  private makeMesh(capacity: number): THREE.InstancedMesh {
    const box = new THREE.BoxGeometry(...VEHICLE_SIZE);
    box.translate(0, 0, VEHICLE_SIZE[2] / 2);
    const mesh = new THREE.InstancedMesh(box, new THREE.MeshLambertMaterial({ color: 0xffffff }), capacity);
    mesh.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
    mesh.setColorAt(0, new THREE.Color());
    mesh.count = 0;
    mesh.frustumCulled = false;
    this.scene.add(mesh);
    this.buffer = new Float32Array(capacity * STRIDE);
    this.paintedVersion = -1;
    return mesh;
  }

  /** A tile's content arrived: keep its meshes' features and colours (rule 3). */
  addTile(root: THREE.Object3D): void {
    root.traverse((o) => {
      const mesh = o as THREE.Mesh;
      if (!mesh.isMesh) return;
      const colour = mesh.geometry.getAttribute("color") as THREE.BufferAttribute | undefined;
      const ids = featureIds(mesh);
      if (!colour || !ids) return;
      const entry: Coloured = { mesh, ids, features: mesh.geometry.getAttribute("_feature_id_0").array as ArrayLike<number>,
        original: (colour.array as Uint8Array | Float32Array).slice() };
      this.tiles.add(entry);
      this.paint(entry);
    });
  }

  removeTile(root: THREE.Object3D): void {
    for (const entry of [...this.tiles]) {
      let inside = false;
      root.traverse((o) => { if (o === entry.mesh) inside = true; });
      if (inside) this.tiles.delete(entry);
    }
  }

  /** One frame: the layers' visibility, vehicles at the render time, tiles recoloured when due. */
  draw(wall: number, shared: Record<string, boolean>): void {
    for (const name of LAYER_NAMES) this.visible[name] = shared[name] ?? this.sceneVisible[name] ?? true;
    this.feed.tick();
    this.drawVehicles(wall);
    const key = `${this.feed.state.readings}:${this.visible.roads}:${this.visible.buildings}`;
    if (key !== this.colouredVersion && wall - this.recoloured >= 1 / RECOLOUR_HZ) {
      this.colouredVersion = key;
      this.recoloured = wall;
      const powers = [...this.feed.state.buildings.values()].map((r) => r.values.power);
      this.power.adapt(powers);
      for (const [style, readings] of [[this.styles.roads, this.feed.state.roads], [this.styles.buildings, this.feed.state.buildings]] as const) {
        if (style) style.adapt([...readings.values()].map((r) => style.value(r.values)));
      }
      this.coloured = 0;
      for (const entry of this.tiles) this.paint(entry);
    }
  }

  private drawVehicles(wall: number): void {
    const table = this.feed.state.vehicles;
    if (!this.visible.vehicles || this.feed.status === "off") {
      this.vehicles.count = this.drawn = 0;
      return;
    }
    if (table.n > this.vehicles.instanceMatrix.count) {
      this.scene.remove(this.vehicles);
      this.vehicles.dispose();
      let capacity = this.vehicles.instanceMatrix.count;
      while (capacity < table.n) capacity *= 2;
      this.vehicles = this.makeMesh(capacity);
    }
    const clock = this.feed.clock;
    const ghost = this.feed.status === "stale" ? 0.35 : 1;
    const n = sampleVehicles(table, clock.now(wall), wall,
      { period: clock.period, newest: clock.newest, extrapolate: 1, fadeAfter: 30, ghost }, this.buffer);
    const b = this.buffer;
    let shown = 0;
    for (let i = 0; i < n; i++) {
      const k = i * STRIDE;
      const alpha = b[k + 4];
      const world = this.frame.toWorld([b[k], b[k + 1], b[k + 2]]);
      this.pos.set(world[0], world[1], world[2]);
      this.quat.setFromAxisAngle(this.zAxis, -b[k + 3] + this.convergence * DEG);
      const s = alpha > 0 ? 1 : 0; // faded out: not drawn
      this.matrix.compose(this.pos, this.quat, s ? this.scaleV : HIDDEN);
      this.vehicles.setMatrixAt(i, this.matrix);
      shown += s;
    }
    let faded = false;
    for (let i = 0; i < n && !faded; i++) faded = b[i * STRIDE + 4] < 1;
    if (table.version !== this.paintedVersion || faded || this.faded) this.paintVehicles(n, faded);
    this.faded = faded;
    this.vehicles.count = n;
    this.vehicles.instanceMatrix.needsUpdate = true;
    this.drawn = shown;
  }

  /** Instance colours by type; a vehicle fading out (or all, while the feed is stale) is drawn paler, mixed
   * with white by 1 - alpha (the desktop blends it with what is behind; an InstancedMesh has no alpha). */
  private paintVehicles(n: number, faded: boolean): void {
    const table = this.feed.state.vehicles;
    const colour = new THREE.Color();
    for (let i = 0; i < n; i++) {
      const type = VEHICLE_TYPES[table.vtype[i]];
      this.typesSeen.add(type);
      const [r, g, bl] = vehicleColour(type);
      const pale = faded ? 1 - this.buffer[i * STRIDE + 4] : 0;
      const mix = (c: number) => (c + (255 - c) * pale) / 255;
      this.vehicles.setColorAt(i, colour.setRGB(mix(r), mix(g), mix(bl), THREE.SRGBColorSpace));
    }
    if (this.vehicles.instanceColor) this.vehicles.instanceColor.needsUpdate = true;
    this.paintedVersion = table.version;
  }

  /** The colour `layer`'s entity `id` takes now (rule 5), or null without a reading (page hook, tests). */
  colourOf(layer: "roads" | "buildings", id: string): Rgb | null {
    const reading = (layer === "roads" ? this.feed.state.roads : this.feed.state.buildings).get(id);
    if (!reading) return null;
    const style = this.styles[layer];
    if (style) return style.colour(style.value(reading.values));
    return layer === "roads" ? roadColour(reading.values.speed, reading.values.free_flow_speed) : this.power.colour(reading.values.power);
  }

  /** The colour a feature takes from the feed (rule 3), or null to keep its own. */
  private featureColour(id: string): Rgb | null {
    const state = this.feed.state;
    if (this.visible.roads) {
      const road = state.roads.get(id);
      const style = this.styles.roads;
      if (road) return style ? style.colour(style.value(road.values)) : roadColour(road.values.speed, road.values.free_flow_speed);
    }
    if (this.visible.buildings) {
      const building = state.buildings.get(id);
      const style = this.styles.buildings;
      if (building) return style ? style.colour(style.value(building.values)) : this.power.colour(building.values.power);
    }
    return null;
  }

  private paint(entry: Coloured): void {
    const attribute = entry.mesh.geometry.getAttribute("color") as THREE.BufferAttribute;
    const out = attribute.array as Uint8Array | Float32Array;
    const unit = out instanceof Uint8Array ? 1 : 1 / 255;
    const perFeature = entry.ids.map((id) => this.featureColour(id));
    this.coloured += perFeature.filter(Boolean).length;
    const size = attribute.itemSize;
    for (let v = 0; v < attribute.count; v++) {
      const c = perFeature[entry.features[v]];
      const k = v * size;
      if (c) {
        out[k] = c[0] * unit;
        out[k + 1] = c[1] * unit;
        out[k + 2] = c[2] * unit;
      } else {
        out[k] = entry.original[k];
        out[k + 1] = entry.original[k + 1];
        out[k + 2] = entry.original[k + 2];
      }
    }
    attribute.needsUpdate = true;
  }

  /** What the legend shows: one block per visible layer that has data. */
  legends(): LegendData[] {
    const state = this.feed.state;
    const out: LegendData[] = [];
    if (this.visible.vehicles && this.typesSeen.size) out.push(vehicleLegend(this.typesSeen));
    if (this.visible.roads && state.roads.size) out.push(this.styles.roads?.legend() ?? roadLegend());
    if (this.visible.buildings && state.buildings.size) out.push(this.styles.buildings?.legend() ?? powerLegend(this.power));
    return out;
  }
}
