/**
 * The room's lasting pins on the page (docs/web.md, "Pins"): a marker per pin in its author's colour,
 * drawn over the city so it is found from anywhere, and the pure helpers the UI uses to find the pin under
 * the mouse and to describe one.
 *
 * Rules:
 * 1. Markers follow the room's pins (room.ts rule 4) every frame: new ones appear, removed ones go. A pin
 *    is a teardrop of fixed screen size whose tip is at the pin's point (frame.ts maps it, view.ts rule 1).
 * 2. "Under the mouse" is decided on the screen, not by a ray: the pin whose tip is nearest the cursor
 *    within HOVER_PX pixels (a small marker far away is still easy to hover).
 * 3. A pin dropped on the city names the object it was dropped on: the hit triangle's _FEATURE_ID_0 looked
 *    up in the tile's property table's `id` column (the model's object id, as live.ts reads it); "" on the
 *    ground, on a tile without ids, or for an id above MAX_OBJECT_ID characters.
 */

import * as THREE from "three";
import { Frame } from "./frame";
import { MAX_OBJECT_ID, RoomPin } from "./protocol";

export const HOVER_PX = 18;
export const DELETE_PX = 80;
const MARKER_PX = 34; // the teardrop's canvas height, drawn at 0.06 of the view's height

/** What a pin says: its note (or that it has none) and who dropped it. */
export function pinLabel(pin: RoomPin): string {
  return `${pin.note || "(no note)"} (${pin.name})`;
}

/** The id of the pin whose screen point is nearest `at` within `radius` pixels, or null. */
export function nearestPin(points: Iterable<[number, [number, number]]>, at: [number, number], radius: number): number | null {
  let best: number | null = null;
  let bestDistance = radius;
  for (const [id, [x, y]] of points) {
    const d = Math.hypot(x - at[0], y - at[1]);
    if (d <= bestDistance) [best, bestDistance] = [id, d];
  }
  return best;
}

/** The object id of a ray's hit on a tile (rule 3), or "". */
export function objectOfHit(hit: THREE.Intersection): string {
  const mesh = hit.object as THREE.Mesh;
  const features = mesh.geometry?.getAttribute("_feature_id_0");
  const meta = mesh.userData?.structuralMetadata as { getPropertyTableData?: (t: number, i: number) => Record<string, unknown> } | undefined;
  if (!features || !hit.face || !meta?.getPropertyTableData) return "";
  const id = meta.getPropertyTableData(0, features.getX(hit.face.a))?.id;
  const text = id === undefined || id === null ? "" : String(id);
  return [...text].length <= MAX_OBJECT_ID ? text : "";
}

function teardrop(colour: THREE.Color): THREE.CanvasTexture {
  const canvas = document.createElement("canvas");
  canvas.width = 24;
  canvas.height = MARKER_PX;
  const ctx = canvas.getContext("2d")!;
  ctx.beginPath();
  ctx.arc(12, 11, 10, Math.PI * 0.8, Math.PI * 2.2);
  ctx.lineTo(12, MARKER_PX - 1);
  ctx.closePath();
  ctx.fillStyle = `#${colour.getHexString()}`;
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = "white";
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(12, 11, 3.5, 0, Math.PI * 2);
  ctx.fillStyle = "white";
  ctx.fill();
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  return texture;
}

/** The markers of the room's pins in the scene (rule 1). */
export class PinMarkers {
  private sprites = new Map<number, THREE.Sprite>();

  constructor(readonly scene: THREE.Scene, readonly frame: Frame, readonly colourOf: (id: number) => THREE.Color) {}

  sync(pins: Map<number, RoomPin>): void {
    for (const [id, sprite] of this.sprites) {
      if (pins.has(id)) continue;
      this.scene.remove(sprite);
      sprite.material.map?.dispose();
      sprite.material.dispose();
      this.sprites.delete(id);
    }
    for (const [id, pin] of pins) {
      if (this.sprites.has(id)) continue;
      const sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: teardrop(this.colourOf(pin.from)), depthTest: false,
        sizeAttenuation: false }));
      sprite.scale.set(0.06 * 24 / MARKER_PX, 0.06, 1);
      sprite.center.set(0.5, 0);
      sprite.renderOrder = 11;
      sprite.position.set(...this.frame.toWorld(pin.p));
      this.scene.add(sprite);
      this.sprites.set(id, sprite);
    }
  }

  get count(): number {
    return this.sprites.size;
  }
}
