/**
 * The twin as this page holds it (viewer/twin/state.py's rules, in small): vehicles in dense typed columns
 * with the previous sample beside the latest (for interpolation), roads and buildings as maps by id.
 *
 * Rules:
 * 1. apply(message, now, toLocal) is the only way in; vehicle x, y are mapped to local metres by `toLocal`
 *    on the way in; a missing z takes `groundZ`.
 * 2. Revisions never go backwards: an upsert or removal older than the row's time is ignored; the first
 *    snapshot after a hello (reset) waives that for the kinds it lists.
 * 3. A snapshot lists complete kinds: rows of a listed kind it does not hold are removed unless newer.
 * 4. A newer vehicle upsert moves latest to previous; one at the same time overwrites the latest only; a new
 *    vehicle starts with previous = latest. Removal moves the last row into the hole (rows are not stable).
 * 5. `seen` is the page's clock at the row's last update (for fading); `version` counts changes, and
 *    `readings` the changes of roads and buildings alone (what recolouring the city depends on).
 */

import { Batch, DataMessage, Kind, VEHICLE_TYPES } from "./codec";

const VEHICLE_COLUMNS = ["time", "x", "y", "z", "heading", "speed", "prev_time", "prev_x", "prev_y", "prev_z",
  "prev_heading", "seen"] as const;
type VehicleColumn = (typeof VEHICLE_COLUMNS)[number];

export class VehicleTable {
  n = 0;
  ids: string[] = [];
  index = new Map<string, number>();
  col = {} as Record<VehicleColumn, Float64Array>;
  vtype = new Uint8Array(0);
  version = 0;

  constructor(capacity = 64) {
    this.grow(capacity);
  }

  private grow(capacity: number): void {
    for (const name of VEHICLE_COLUMNS) {
      const next = new Float64Array(capacity);
      if (this.col[name]) next.set(this.col[name].subarray(0, this.n));
      this.col[name] = next;
    }
    const codes = new Uint8Array(capacity);
    codes.set(this.vtype.subarray(0, this.n));
    this.vtype = codes;
  }

  get capacity(): number {
    return this.vtype.length;
  }

  upsert(id: string, time: number, now: number, x: number, y: number, z: number, heading: number, speed: number,
         vtype: string, reset: boolean): boolean {
    const c = this.col;
    let row = this.index.get(id);
    if (row === undefined) {
      if (this.n === this.capacity) this.grow(this.capacity * 2);
      row = this.n++;
      this.ids[row] = id;
      this.index.set(id, row);
      c.prev_time[row] = time; c.prev_x[row] = x; c.prev_y[row] = y; c.prev_z[row] = z; c.prev_heading[row] = heading;
    } else if (!reset && time < c.time[row]) {
      return false;
    } else if (time > c.time[row] && !reset) {
      c.prev_time[row] = c.time[row]; c.prev_x[row] = c.x[row]; c.prev_y[row] = c.y[row];
      c.prev_z[row] = c.z[row]; c.prev_heading[row] = c.heading[row];
    } else if (reset) {
      c.prev_time[row] = time; c.prev_x[row] = x; c.prev_y[row] = y; c.prev_z[row] = z; c.prev_heading[row] = heading;
    }
    c.time[row] = time; c.x[row] = x; c.y[row] = y; c.z[row] = z; c.heading[row] = heading; c.speed[row] = speed;
    c.seen[row] = now;
    const code = VEHICLE_TYPES.indexOf(vtype);
    this.vtype[row] = code < 0 ? VEHICLE_TYPES.length - 1 : code;
    return true;
  }

  remove(id: string, time: number, force: boolean): boolean {
    const row = this.index.get(id);
    if (row === undefined || (!force && time < this.col.time[row])) return false;
    const last = --this.n;
    this.index.delete(id);
    if (row !== last) {
      for (const name of VEHICLE_COLUMNS) this.col[name][row] = this.col[name][last];
      this.vtype[row] = this.vtype[last];
      this.ids[row] = this.ids[last];
      this.index.set(this.ids[row], row);
    }
    this.ids.length = this.n;
    return true;
  }
}

export interface Reading { time: number; values: Record<string, number> }

export class TwinState {
  vehicles = new VehicleTable();
  roads = new Map<string, Reading>();
  buildings = new Map<string, Reading>();
  version = 0;
  readings = 0;
  time = -Infinity;

  constructor(public groundZ = 0) {}

  apply(m: DataMessage, now: number, reset: boolean, toLocal: (x: number, y: number) => [number, number]): void {
    const snapshot = m.type === "snapshot";
    if (m.upserts.road || m.upserts.building || m.removals.road || m.removals.building) this.readings++;
    for (const kind of ["vehicle", "road", "building"] as Kind[]) {
      const batch = m.upserts[kind];
      const seen = new Set<string>();
      if (batch) {
        if (kind === "vehicle") this.applyVehicles(batch, m.time, now, reset, toLocal);
        else this.applyReadings(kind === "road" ? this.roads : this.buildings, batch, m.time, reset);
        if (snapshot) batch.ids.forEach((id) => seen.add(id));
      }
      if (snapshot && batch) this.dropAbsent(kind, seen, m.time, reset);
      for (const id of m.removals[kind] ?? []) this.removeOne(kind, id, m.time, false);
    }
    this.time = Math.max(this.time, m.time);
    this.version++;
  }

  private applyVehicles(b: Batch, time: number, now: number, reset: boolean,
                        toLocal: (x: number, y: number) => [number, number]): void {
    const { x, y, z, heading, speed } = b.num;
    for (let i = 0; i < b.ids.length; i++) {
      const [lx, ly] = toLocal(x[i], y[i]);
      this.vehicles.upsert(b.ids[i], time, now, lx, ly, Number.isFinite(z[i]) ? z[i] : this.groundZ, heading[i], speed[i],
        b.vtype![i], reset);
    }
    this.vehicles.version++;
  }

  private applyReadings(map: Map<string, Reading>, b: Batch, time: number, reset: boolean): void {
    for (let i = 0; i < b.ids.length; i++) {
      const old = map.get(b.ids[i]);
      if (old && !reset && time < old.time) continue;
      const values: Record<string, number> = {};
      for (const [name, column] of Object.entries(b.num)) values[name] = column[i];
      map.set(b.ids[i], { time, values });
    }
  }

  private dropAbsent(kind: Kind, seen: Set<string>, time: number, reset: boolean): void {
    const ids = kind === "vehicle" ? [...this.vehicles.ids] : [...(kind === "road" ? this.roads : this.buildings).keys()];
    for (const id of ids) if (!seen.has(id)) this.removeOne(kind, id, time, reset);
  }

  private removeOne(kind: Kind, id: string, time: number, force: boolean): void {
    if (kind === "vehicle") {
      if (this.vehicles.remove(id, time, force)) this.vehicles.version++;
      return;
    }
    const map = kind === "road" ? this.roads : this.buildings;
    const old = map.get(id);
    if (old && (force || time >= old.time)) map.delete(id);
  }
}
