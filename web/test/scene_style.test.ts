// A scene's own [layers] styles in the page (feed/scene_style.ts) against the desktop's: tests/vectors/web_styles.json
// (built by tests/web_style_vectors.py from layers/styles.py, checked by tests/test_web_styles.py) holds the
// styles the server gives the page and, per reading, the colour the desktop's style gives it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SceneStyle, StyleJson } from "../src/feed/scene_style";

const vectors = JSON.parse(readFileSync(new URL("../../tests/vectors/web_styles.json", import.meta.url), "utf-8")) as {
  look: { layers: Record<string, StyleJson>; bookmarks: { name: string }[] };
  cases: { layer: string; values: Record<string, number | null>; rgb: number[] }[];
};

describe("a scene's custom styles colour as the desktop's", () => {
  for (const c of vectors.cases) {
    it(`${c.layer} ${JSON.stringify(c.values)} -> ${c.rgb}`, () => {
      const style = new SceneStyle(vectors.look.layers[c.layer]);
      const values = Object.fromEntries(Object.entries(c.values).map(([k, v]) => [k, v ?? NaN]));
      expect(style.colour(style.value(values))).toEqual(c.rgb);
    });
  }

  it("the legends name the scene's units, bands and alert", () => {
    const roads = new SceneStyle(vectors.look.layers.roads).legend();
    expect(roads.title).toBe("Speed (km/h)");
    expect(roads.rows.map((r) => r.label)).toEqual(["crawl  < 20 km/h", "town  < 50 km/h", "open  >= 50 km/h", "no data"]);
    const buildings = new SceneStyle(vectors.look.layers.buildings).legend();
    expect(buildings.title).toBe("Power (kW)");
    expect(buildings.ramp?.labels).toEqual(["0", "100", "200"]);
    expect(buildings.rows.map((r) => r.label)).toEqual(["no data", "> 180 kW"]);
    const noAlert = new SceneStyle({ ...vectors.look.layers.buildings, alert: null });
    expect(buildings.ramp?.colours[0]).toEqual(noAlert.colour(0)); // the legend's ramp is the colours drawn
    expect(buildings.ramp?.colours[15]).toEqual(noAlert.colour(200));
  });

  it("a ramp without a range is fitted to the data and only widened", () => {
    const style = new SceneStyle({ ...vectors.look.layers.buildings, lo: 0, hi: 1, auto: true, alert: null });
    expect(style.adapt([10, 20, 30, 40])).toBe(true);
    expect([style.lo, style.hi]).toEqual([0, 50]);
    expect(style.adapt([1, 2, 3])).toBe(false);
    expect([style.lo, style.hi]).toEqual([0, 50]);
  });

  it("the bookmarks come in the scene's order", () => {
    expect(vectors.look.bookmarks.map((b) => b.name)).toEqual(["tower", "street"]);
  });
});
