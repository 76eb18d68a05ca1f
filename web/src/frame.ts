/**
 * Local metres of the scene (the wire's and the desktop's) <-> the tileset's east-north-up metres (the
 * page's world). The server fits quadratic maps both ways over the scene's box (viewer/net/web_assets.py
 * rule 5) and sends them in /scene.json; without them (a scene with no CRS, or no scene) both are identity.
 */

import type { StyleJson } from "./feed/scene_style";

export interface QuadraticMap { centre: number[]; half: number[]; coeffs: number[][]; residual: number }
export interface SceneInfo {
  name: string; tileset: string | null; georeferenced: boolean;
  bounds: { min: number[]; max: number[] };
  origin?: { lon: number; lat: number; height: number; crs: string };
  local_to_enu?: QuadraticMap; enu_to_local?: QuadraticMap;
  /** The scene's look (net/web_assets.py rule 8): its layer styles and camera bookmarks, when served with one. */
  layers?: Record<string, StyleJson>;
  bookmarks?: Bookmark[];
}

export interface Bookmark { name: string; position: Vec3; look_at: Vec3; fov: number }

export type Vec3 = [number, number, number];

/** dst = terms((p - centre) / half) . coeffs, terms [1, x, y, z, xx, yy, zz, xy, xz, yz] (_terms in Python). */
export function applyMap(map: QuadraticMap | undefined, p: Vec3): Vec3 {
  if (!map) return [p[0], p[1], p[2]];
  const x = (p[0] - map.centre[0]) / map.half[0];
  const y = (p[1] - map.centre[1]) / map.half[1];
  const z = (p[2] - map.centre[2]) / map.half[2];
  const t = [1, x, y, z, x * x, y * y, z * z, x * y, x * z, y * z];
  const out: Vec3 = [0, 0, 0];
  for (let i = 0; i < 10; i++) for (let j = 0; j < 3; j++) out[j] += t[i] * map.coeffs[i][j];
  return out;
}

export class Frame {
  constructor(readonly info: SceneInfo | null) {}

  toWorld(local: Vec3): Vec3 {
    return applyMap(this.info?.local_to_enu, local);
  }

  toLocal(world: Vec3): Vec3 {
    return applyMap(this.info?.enu_to_local, world);
  }

  /** The local frame's north in the world: the heading offset (degrees) between grid and true north at p. */
  gridConvergence(local: Vec3): number {
    const a = this.toWorld(local);
    const b = this.toWorld([local[0], local[1] + 10, local[2]]);
    return (Math.atan2(-(b[0] - a[0]), b[1] - a[1]) * 180) / Math.PI;
  }
}
