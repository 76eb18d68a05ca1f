/**
 * A layer's style as the scene gives it (its `[layers]` table resolved by the server: net/web_assets.py
 * rule 8, from the desktop's layers/styles.py), so the page colours roads and buildings as the desktop
 * does for that scene.
 *
 * Rules (the desktop's layers/entities.py rule 4 and ramps.ColourScale):
 * 1. A reading's value in base units: `relative_speed` is speed / free-flow speed (no data unless both are
 *    known and free flow is positive); `intensity` needs the building's floor area, which the page does not
 *    have: no data; any other attribute is the reading's column of that name.
 * 2. The value times `factor` is in the scene's display units, in which ranges, bands and the alert are.
 * 3. A ramp: position = (v - lo) * (n - 1) / (hi - lo) + 1.5, clipped to 1..n + 0.5, floored, minus one is
 *    the colour's index (NaN: no data). Bands: the first band whose bound is above v (bounds are "below").
 *    Above the alert: the alert colour. A ramp without a range is fitted to the data as the desktop's
 *    (styles.ts WideningRange: autoRange, only ever widened).
 */

import { fmt, hexRgb, LegendData, Rgb, WideningRange } from "./styles";

export interface StyleJson {
  attribute: string; units: string; factor: number; title: string; visible: boolean; no_data: string;
  alert: number | null; alert_colour: string; kind: "ramp" | "bands" | "categories";
  lut?: string[]; lo?: number; hi?: number; auto?: boolean;
  edges?: number[]; colours?: string[]; labels?: string[];
}

export class SceneStyle {
  private range: WideningRange;
  private lut: Rgb[];
  private bands: Rgb[];
  private noData: Rgb;
  private alertColour: Rgb;

  constructor(readonly style: StyleJson) {
    this.range = new WideningRange(style.lo ?? 0, style.hi ?? 1, !style.auto);
    this.lut = (style.lut ?? []).map(hexRgb);
    this.bands = (style.colours ?? []).map(hexRgb);
    this.noData = hexRgb(style.no_data);
    this.alertColour = hexRgb(style.alert_colour);
  }

  /** A reading's value in base units (rule 1). */
  value(values: Record<string, number>): number {
    const a = this.style.attribute;
    if (a === "relative_speed") {
      const speed = values.speed, free = values.free_flow_speed;
      return Number.isFinite(speed) && Number.isFinite(free) && free > 0 ? speed / free : NaN;
    }
    if (a === "intensity") return NaN;
    return values[a] ?? NaN;
  }

  /** The colour of a value in base units (rules 2, 3). */
  colour(base: number): Rgb {
    const v = base * this.style.factor;
    if (!Number.isFinite(v)) return this.noData;
    if (this.style.alert !== null && v > this.style.alert) return this.alertColour;
    if (this.style.kind === "bands") {
      const edges = this.style.edges ?? [];
      let i = 0;
      while (i < edges.length && edges[i] <= v) i++;
      return this.bands[i];
    }
    const n = this.lut.length;
    const position = Math.min(Math.max((v - this.lo) * ((n - 1) / (this.hi - this.lo)) + 1.5, 1), n + 0.5);
    return this.lut[Math.min(Math.floor(position), n) - 1];
  }

  /** The ramp's domain in display units. */
  get lo(): number { return this.range.lo; }
  get hi(): number { return this.range.hi; }

  /** Fit an auto ramp to values in base units (rule 3); true when its domain changed. */
  adapt(values: number[]): boolean {
    if (!this.style.auto || this.style.kind !== "ramp") return false;
    return this.range.adapt(values.map((x) => x * this.style.factor));
  }

  /** The legend, as the desktop's (styles.py LayerStyle.legend). */
  legend(): LegendData {
    const s = this.style;
    const title = s.units ? `${s.title} (${s.units})` : s.title;
    const rows: { colour: Rgb; label: string }[] = [];
    let ramp: LegendData["ramp"];
    if (s.kind === "bands") (s.labels ?? []).forEach((label, i) => rows.push({ colour: this.bands[i], label }));
    else {
      const n = this.lut.length;
      ramp = { colours: Array.from({ length: 16 }, (_, i) => this.lut[Math.round((i / 15) * (n - 1))]),
        labels: [0, 0.5, 1].map((t) => fmt(this.lo + t * (this.hi - this.lo))) };
    }
    rows.push({ colour: this.noData, label: "no data" });
    if (s.alert !== null) rows.push({ colour: this.alertColour, label: `> ${fmt(s.alert)} ${s.units}`.trim() });
    return { title, rows, ramp };
  }
}
