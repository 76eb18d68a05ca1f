/**
 * RenderClock: the feed time the page draws at, a little behind the newest data (viewer/layers/clock.py,
 * the same rules and constants). Pure: wall times are arguments.
 * 1. Sync: offset = the largest recent (update time - arrival wall time), decaying by DRIFT s/s.
 * 2. Pace: period = median gap of the last PACE_SAMPLES distinct vehicle-update times; delay = period.
 * 3. Output = wall + offset - delay, never backwards, slewed at 1 +- SLEW x wall speed; a jump beyond
 *    `jump` seconds is taken at once. pin(t) fixes the output (the host's shared feed time).
 */

export const DRIFT = 0.02;
export const SLEW = 0.1;
export const PACE_SAMPLES = 16;
export const DEFAULT_PERIOD = 0.1;
export const MIN_DELAY = 0.02, MAX_DELAY = 30;

export class RenderClock {
  offset: number | null = null;
  lastWall = 0;
  newest = -Infinity;
  pinned: number | null = null;
  private times: number[] = [];
  private out: number | null = null;
  private outWall = 0;

  constructor(readonly fixedDelay: number | null = null, readonly jump = 2.0) {}

  reset(): void {
    this.offset = null;
    this.lastWall = 0;
    this.newest = -Infinity;
    this.times = [];
    this.out = null;
    this.outWall = 0;
  }

  observe(time: number, wall: number, paces = true): void {
    const sample = time - wall;
    this.offset = this.offset === null ? sample : Math.max(sample, this.offset - DRIFT * Math.max(wall - this.lastWall, 0));
    this.lastWall = wall;
    if (paces) {
      if (!this.times.length || time > this.times[this.times.length - 1]) {
        this.times.push(time);
        if (this.times.length > PACE_SAMPLES + 1) this.times.shift();
      }
      this.newest = Math.max(this.newest, time);
    }
  }

  get period(): number {
    if (this.times.length < 2) return DEFAULT_PERIOD;
    const gaps = this.times.slice(1).map((t, i) => t - this.times[i]).sort((a, b) => a - b);
    return gaps[Math.floor(gaps.length / 2)];
  }

  get delay(): number {
    return Math.min(Math.max(this.fixedDelay ?? this.period, MIN_DELAY), MAX_DELAY);
  }

  pin(time: number | null): void {
    this.pinned = time;
  }

  now(wall: number): number {
    if (this.pinned !== null) return this.pinned;
    if (this.offset === null) return -Infinity;
    const target = wall + this.offset - this.delay;
    if (this.out === null) {
      this.out = target;
      this.outWall = wall;
      return target;
    }
    const dt = Math.max(wall - this.outWall, 0);
    const free = this.out + dt;
    const error = target - free;
    const next = Math.abs(error) > this.jump ? target : free + Math.min(Math.max(error, -SLEW * dt), SLEW * dt);
    this.out = Math.max(next, this.out);
    this.outWall = wall;
    return this.out;
  }
}
