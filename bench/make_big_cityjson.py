"""Write a generated CityJSON 2.0 file of N LoD1 buildings for load benchmarks (about 57 MB for 100,000).

    python bench/make_big_cityjson.py OUT.json [--count N] [--seed S]
    python bench/make_big_cityjson.py OUT.city.jsonl --seq [--count N] [--seed S]

--seq writes the same buildings as a CityJSON Text Sequence (CityJSONSeq: a header line, then one
CityJSONFeature a line with its own vertices), streamed out building by building (any --count fits in memory).

Buildings stand on a jittered grid around a real RD New origin (Delft, EPSG:7415), one Solid each: mostly
rectangles, about one in six an L-shape (a concave footprint, so the loader's earcut path is exercised
too), with heights from 3 to 45 m. About a fifth carry semantics (GroundSurface / RoofSurface / WallSurface); the rest
leave classification to the loader. Vertices are integers in millimetres behind a "transform", as real
exporters write them. The output depends only on --count and --seed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ORIGIN = (84000.0, 446000.0, 0.0)  # RD New metres, central Delft
SPACING = 25.0  # grid cell in metres; ~316 x 316 cells for 100k buildings, about 8 km across
SCALE = 0.001
SEMANTICS = {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"}, {"type": "WallSurface"}]}


def draws(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    """Every random number the buildings need, drawn at once (per-call Generator overhead is large)."""
    return {
        "size": rng.uniform(6.0, 20.0, size=(count, 2)), "notch": rng.uniform(0.3, 0.7, size=(count, 2)),
        "l_shape": rng.random(count) < 0.16, "jitter": rng.uniform(0.0, 3.0, size=(count, 2)),
        "ground": rng.uniform(-0.5, 1.5, size=count), "height": rng.uniform(3.0, 45.0, size=count),
        "semantics": rng.random(count) < 0.22, "year": rng.integers(1600, 2024, size=count),
    }


def footprint(w: float, d: float, notch: np.ndarray | None) -> np.ndarray:
    """(k, 2) float64 footprint ring, counter-clockwise seen from above, local metres, not closed."""
    if notch is None:
        return np.array([[0, 0], [w, 0], [w, d], [0, d]], dtype=np.float64)
    cw, cd = w * notch[0], d * notch[1]
    return np.array([[0, 0], [w, 0], [w, cd], [cw, cd], [cw, d], [0, d]], dtype=np.float64)


def solid(base: int, k: int) -> list[list[list[list[int]]]]:
    """One shell of a prism whose vertices are `base`..: k bottom ones then k top ones, outward-facing."""
    bottom = [[base + i for i in range(k - 1, -1, -1)]]  # clockwise from above = facing down
    top = [[base + k + i for i in range(k)]]
    walls = [[[base + i, base + (i + 1) % k, base + k + (i + 1) % k, base + k + i]] for i in range(k)]
    return [[bottom, top, *walls]]


def building(r: dict[str, np.ndarray], i: int, cells: int, base: int) -> tuple[dict, np.ndarray]:
    """CityObject number i and its (2k, 3) int64 vertices (transformed integers)."""
    w, d = (float(v) for v in r["size"][i])
    ring = footprint(w, d, r["notch"][i] if r["l_shape"][i] else None)
    ring += (i % cells) * SPACING + r["jitter"][i, 0], (i // cells) * SPACING + r["jitter"][i, 1]
    ground, height = float(r["ground"][i]), float(r["height"][i])
    k = ring.shape[0]
    xyz = np.zeros((2 * k, 3), dtype=np.float64)
    xyz[:k, :2] = xyz[k:, :2] = ring
    xyz[:k, 2], xyz[k:, 2] = ground, ground + height
    ints = np.rint(xyz / SCALE).astype(np.int64)
    geometry: dict = {"type": "Solid", "lod": "1", "boundaries": solid(base, k)}
    if r["semantics"][i]:
        geometry["semantics"] = {**SEMANTICS, "values": [[0, 1] + [2] * k]}
    obj = {"type": "Building",
           "attributes": {"measuredHeight": round(height, 1), "yearOfConstruction": int(r["year"][i])},
           "geometry": [geometry]}
    return obj, ints


def header(count: int, seed: int) -> dict:
    """Everything of the document but its objects and vertices."""
    return {
        "type": "CityJSON", "version": "2.0",
        "transform": {"scale": [SCALE] * 3, "translate": list(ORIGIN)},
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415",
                     "title": f"generated: {count} LoD1 buildings, seed {seed}"},
    }


def write_seq(out: Path, count: int, seed: int) -> int:
    """The buildings as a CityJSON Text Sequence; returns the number of vertices written."""
    r = draws(np.random.default_rng(seed), count)
    cells = max(1, int(np.ceil(np.sqrt(count))))
    total = 0
    with out.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({**header(count, seed), "CityObjects": {}, "vertices": []}, separators=(",", ":")))
        fh.write("\n")
        for i in range(count):
            obj, ints = building(r, i, cells, 0)
            feature = {"type": "CityJSONFeature", "id": f"B{i:07d}", "CityObjects": {f"B{i:07d}": obj},
                       "vertices": ints.tolist()}
            fh.write(json.dumps(feature, separators=(",", ":")))
            fh.write("\n")
            total += ints.shape[0]
    return total


def generate(count: int, seed: int) -> dict:
    """The whole CityJSON document as a dict."""
    r = draws(np.random.default_rng(seed), count)
    cells = max(1, int(np.ceil(np.sqrt(count))))
    objects: dict[str, dict] = {}
    chunks: list[np.ndarray] = []
    base = 0
    for i in range(count):
        obj, ints = building(r, i, cells, base)
        objects[f"B{i:07d}"] = obj
        chunks.append(ints)
        base += ints.shape[0]
    vertices = np.concatenate(chunks) if chunks else np.zeros((0, 3), np.int64)
    return {**header(count, seed), "CityObjects": objects, "vertices": vertices.tolist()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seq", action="store_true", help="write a CityJSON Text Sequence (.city.jsonl)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be >= 0")
    if args.seq:
        vertices = write_seq(args.out, args.count, args.seed)
        print(f"wrote {args.out}: {args.count:,} buildings, {vertices:,} vertices, "
              f"{args.out.stat().st_size / 1e6:.1f} MB")
        return 0
    doc = generate(args.count, args.seed)
    with args.out.open("w", encoding="utf-8") as fh:
        json.dump(doc, fh, separators=(",", ":"))
    size = args.out.stat().st_size
    vertices = len(doc["vertices"])
    print(f"wrote {args.out}: {args.count:,} buildings, {vertices:,} vertices, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
