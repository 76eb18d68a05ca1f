/**
 * Colours and legends of the live layers, as the desktop's defaults (viewer/layers/ramps.py, styles.py):
 * vehicles by type in a palette that keeps off the congestion colours; roads by speed over free-flow speed
 * in four bands (stopped, slow, dense, free); buildings by power on viridis over an automatic range
 * (0 to a nice ceiling of the 98th percentile, only ever widened). NaN is "no data" (grey).
 * Colours are [r, g, b] bytes; a Legend is plain data that ui code draws.
 */

export type Rgb = [number, number, number];

export const NO_DATA: Rgb = [158, 158, 163]; // rgba8((0.62, 0.62, 0.64))
export const VEHICLE_TYPE_COLOURS: Record<string, string> = {
  car: "2f6fd6", bus: "00b8d4", truck: "7b1fa2", bike: "e040fb", tram: "1a237e",
  motorcycle: "f48fb1", pedestrian: "b2ebf2", other: "455a64",
};
export const ROAD_BANDS: [number | null, string, string][] = [ // below (% of free-flow speed), colour, label
  [25, "7f0000", "stopped"], [50, "e31a1c", "slow"], [75, "fd8d3c", "dense"], [null, "1a9850", "free"]];
const VIRIDIS = "440154 482878 3e4989 31688e 26828e 1f9e89 35b779 6ece58 fde725".split(" ");

export function hexRgb(hex: string): Rgb {
  return [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
}

/** The viridis ramp at t in 0..1 (nine control points, linear between them, as Ramp.sample), as bytes. */
export function viridis(t: number): Rgb {
  const u = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(u), VIRIDIS.length - 2);
  const a = hexRgb(VIRIDIS[i]), b = hexRgb(VIRIDIS[i + 1]);
  const f = u - i;
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as Rgb;
}

/** The smallest of 1, 2, 2.5, 5 x 10^k at or above value (ramps.nice_ceil). */
export function niceCeil(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 1;
  const exp = Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    const candidate = step * 10 ** exp;
    if (candidate >= value * (1 - 1e-9)) return candidate;
  }
  return 10 ** (exp + 1);
}

function percentile(sorted: number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** A ramp domain for these values (ramps.auto_range), or null without a finite value. */
export function autoRange(values: number[]): [number, number] | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return null;
  const loP = percentile(v, 0.02), hiP = percentile(v, 0.98);
  const lo = loP >= 0 ? 0 : -niceCeil(-loP);
  const hi = hiP > 0 ? niceCeil(hiP) : 1;
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

export function vehicleColour(type: string): Rgb {
  return hexRgb(VEHICLE_TYPE_COLOURS[type] ?? VEHICLE_TYPE_COLOURS.other);
}

/** A road's colour from its speed and free-flow speed (m/s): the band of speed / free flow in %. */
export function roadColour(speed: number, freeFlow: number): Rgb {
  const relative = (speed / freeFlow) * 100;
  if (!Number.isFinite(relative)) return NO_DATA;
  for (const [below, colour] of ROAD_BANDS) if (below === null || relative < below) return hexRgb(colour);
  return NO_DATA;
}

/**
 * A ramp's domain fitted to the first data by autoRange and then only ever widened (the desktop's
 * ColourScale): once fitted, new values refit it only when more than 2 % of them fall outside it.
 */
export class WideningRange {
  constructor(public lo = 0, public hi = 1, public ranged = false) {}

  /** Fit to these values (non-finite ones are ignored); true when the domain changed. */
  adapt(values: number[]): boolean {
    const finite = values.filter(Number.isFinite);
    if (this.ranged) {
      const outside = finite.filter((v) => v > this.hi || v < this.lo).length;
      if (outside <= 0.02 * finite.length) return false;
    }
    const span = autoRange(finite);
    if (!span) return false;
    if (this.ranged) {
      if (span[1] <= this.hi && span[0] >= this.lo) return false;
      span[0] = Math.min(span[0], this.lo);
      span[1] = Math.max(span[1], this.hi);
    }
    [this.lo, this.hi] = span;
    this.ranged = true;
    return true;
  }
}

/** Buildings by power (kW) on viridis; the range fitted to the first data and only ever widened. */
export class PowerScale extends WideningRange {
  colour(power: number): Rgb {
    return Number.isFinite(power) ? viridis((power - this.lo) / (this.hi - this.lo)) : NO_DATA;
  }
}

/** A number for a label: at most three significant digits (styles.fmt). */
export function fmt(value: number): string {
  if (value === 0) return "0";
  return String(Number(value.toPrecision(3)));
}

export interface LegendData { title: string; rows: { colour: Rgb; label: string }[]; ramp?: { colours: Rgb[]; labels: string[] } }

export function vehicleLegend(types: Iterable<string>): LegendData {
  const seen = new Set(types);
  return { title: "Vehicle type", rows: Object.keys(VEHICLE_TYPE_COLOURS).filter((t) => seen.has(t))
    .map((t) => ({ colour: vehicleColour(t), label: t })) };
}

export function roadLegend(): LegendData {
  let low = 0;
  const rows = ROAD_BANDS.map(([below, colour, label]) => {
    const bound = below !== null ? `< ${fmt(below)}` : `>= ${fmt(low)}`;
    if (below !== null) low = below;
    return { colour: hexRgb(colour), label: `${label}  ${bound} %` };
  });
  return { title: "Speed / free flow", rows: [...rows, { colour: NO_DATA, label: "no data" }] };
}

export function powerLegend(scale: PowerScale): LegendData {
  const colours = Array.from({ length: 16 }, (_, i) => viridis(i / 15));
  const labels = [0, 0.5, 1].map((t) => `${fmt(scale.lo + t * (scale.hi - scale.lo))}`);
  return { title: "Power (kW)", rows: [{ colour: NO_DATA, label: "no data" }], ramp: { colours, labels } };
}
