/**
 * Where each vehicle is drawn at a render time (viewer/layers/vehicles.py, the same rules):
 * 1. Between the two samples a row keeps: a vehicle not re-sent for a while starts moving one feed period
 *    before its latest sample (start = max(prev_time, time - period)); the render time is capped at the
 *    newest vehicle update, so a vehicle missing from newer updates holds.
 * 2. Headings turn the short way round; a NaN heading points along the motion.
 * 3. While an update is late (t past `newest`), vehicles that moved in the newest update go on at their last
 *    velocity for at most `extrapolate` seconds, then hold.
 * 4. Fade: not updated for `fadeAfter` wall seconds, alpha falls to 0 over FADE_SECONDS; `ghost` caps alpha.
 * Output: per vehicle x, y, z, heading (radians clockwise from north), alpha into `out` (stride 5).
 */

import { VehicleTable } from "./state";

export const FADE_SECONDS = 2.0;
export const STRIDE = 5;

export interface MotionOptions { period: number; newest: number; extrapolate: number; fadeAfter: number; ghost: number }

export function wrap180(a: number): number {
  const b = a + 180;
  return b - 360 * Math.floor(b / 360) - 180;
}

/** Write the n vehicles of `table` at render time t (feed seconds) and wall time `wall` into out. */
export function sampleVehicles(table: VehicleTable, t: number, wall: number, o: MotionOptions, out: Float32Array): number {
  const c = table.col;
  const finiteNewest = Number.isFinite(o.newest);
  const at = finiteNewest ? Math.min(t, o.newest) : t;
  const late = finiteNewest ? Math.min(Math.max(t - o.newest, 0), o.extrapolate) : 0;
  for (let i = 0; i < table.n; i++) {
    const t0 = c.prev_time[i], t1 = c.time[i];
    const start = Math.max(t0, t1 - o.period);
    const span = t1 - start;
    const moving = span > 0;
    const f = moving ? Math.min(Math.max((at - start) / span, 0), 1) : 1;
    const x0 = c.prev_x[i], y0 = c.prev_y[i], z0 = c.prev_z[i];
    const dx = c.x[i] - x0, dy = c.y[i] - y0, dz = c.z[i] - z0;
    let h0 = c.prev_heading[i], dh = wrap180(c.heading[i] - h0);
    if (!Number.isFinite(h0) || !Number.isFinite(c.heading[i])) {
      h0 = (Math.atan2(dx, dy) * 180) / Math.PI;
      dh = 0;
    }
    const go = moving && t1 >= o.newest && late > 0 ? late / span : 0;
    const k = i * STRIDE;
    out[k] = x0 + dx * (f + go);
    out[k + 1] = y0 + dy * (f + go);
    out[k + 2] = (Number.isFinite(z0) ? z0 : 0) + (Number.isFinite(dz) ? dz : 0) * (f + go);
    out[k + 3] = ((h0 + dh * f) * Math.PI) / 180;
    out[k + 4] = Math.min(Math.max((c.seen[i] + o.fadeAfter + FADE_SECONDS - wall) / FADE_SECONDS, 0), o.ghost);
  }
  return table.n;
}
