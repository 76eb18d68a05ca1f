"""`citiverse inspect`: a summary of a model file, or of a scene and each of its sources, with stable keys
(documented in docs/inspect.md).

Keys: format, path, crs, objects, types, vertices, triangles, surfaces (triangles by surface kind),
bbox ([minx, miny, minz, maxx, maxy, maxz] in the source CRS), bbox_lonlat ([minlon, minlat, maxlon, maxlat],
null without a CRS), warnings; terrain (where the ground under the scene came from, its grid and heights, and
the buildings found off it: terrain_summary); textures (materials, images referenced / found / missing, atlas
side: city/appearance.py textures_summary; null for a model without materials or textures).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from viewer.city.appearance import Appearance, Atlas, build_atlas, textures_summary
from viewer.city.model import CityModel, SourceModel, SurfaceKind
from viewer.errors import CRSError
from viewer.geo.frame import to_lonlat


def summarize(model: SourceModel) -> dict[str, Any]:
    lo, hi = model.bbox()
    bbox_lonlat = None
    if model.crs and model.vertex_count:
        # Transform the four corners: enough for a box, and correct across projections that rotate the grid.
        corners = np.array([[lo[0], lo[1]], [lo[0], hi[1]], [hi[0], lo[1]], [hi[0], hi[1]]])
        try:
            ll = to_lonlat(corners, model.crs)
            if np.isfinite(ll).all():
                bbox_lonlat = [*ll.min(axis=0).round(7).tolist(), *ll.max(axis=0).round(7).tolist()]
        except CRSError:
            bbox_lonlat = None
    kinds = model.vertex_kind[model.triangles[:, 0]] if model.triangle_count else np.zeros(0, np.uint8)
    counts = np.bincount(kinds, minlength=len(SurfaceKind))
    return {
        "format": model.format,
        "path": model.path,
        "crs": model.crs,
        "objects": len(model.objects),
        "types": model.objects.type_counts(),
        "vertices": model.vertex_count,
        "triangles": model.triangle_count,
        "surfaces": {k.name.lower(): int(counts[k]) for k in SurfaceKind if counts[k]},
        "bbox": [*lo, *hi],
        "bbox_lonlat": bbox_lonlat,
        "warnings": list(model.meta.get("warnings", [])),
        "textures": textures_summary(model.appearance, atlas_of(model.appearance)),
    }


def atlas_of(appearance: Appearance | None) -> Atlas | None:
    """The atlas a render would build (images read and packed, nothing logged), for its side and what is
    missing; None without appearance."""
    return build_atlas(appearance, warn=False) if appearance is not None else None


def summarize_scene(scene: Any, sources: list[SourceModel]) -> dict[str, Any]:
    """A scene: every source's summary under `sources`, and for the whole scene its frame, totals, box in
    lon/lat (from the placed model) and terrain. `scene` is a city.scene.LoadedScene."""
    model, frame = scene.model, scene.frame
    bbox_lonlat = None
    if frame.georeferenced and model.vertex_count:
        lo, hi = model.bounds()
        corners = np.array([[lo[0], lo[1]], [lo[0], hi[1]], [hi[0], lo[1]], [hi[0], hi[1]]], np.float64)
        ll = frame.local_to_lonlat(corners)
        bbox_lonlat = [*ll.min(axis=0).round(7).tolist(), *ll.max(axis=0).round(7).tolist()]
    return {
        "scene": str(scene.config.path or scene.config.name),
        "name": scene.config.name,
        "crs": frame.crs,
        "origin_lonlat": list(frame.origin_lonlat) if frame.georeferenced else None,
        "objects": len(model.objects),
        "vertices": model.vertex_count,
        "triangles": model.triangle_count,
        "bbox_lonlat": bbox_lonlat,
        "sources": [summarize(s) for s in sources],
        "terrain": terrain_summary(model),
    }


def format_scene_text(summary: dict[str, Any]) -> str:
    lines = [f"{summary['scene']}  ({summary['name']})", f"  crs        {summary['crs'] or '(none)'}"]
    if summary["origin_lonlat"]:
        lines.append(f"  origin     {summary['origin_lonlat'][0]:.6f}, {summary['origin_lonlat'][1]:.6f}")
    lines.append(f"  sources    {len(summary['sources'])}: {summary['objects']:,} objects, "
                 f"{summary['vertices']:,} vertices, {summary['triangles']:,} triangles")
    if summary["bbox_lonlat"]:
        ll = summary["bbox_lonlat"]
        lines.append(f"  lon/lat    {ll[0]:.6f}, {ll[1]:.6f} - {ll[2]:.6f}, {ll[3]:.6f}")
    lines += terrain_lines(summary.get("terrain"))
    for source in summary["sources"]:
        lines += ["", *("  " + line for line in format_text(source).splitlines())]
    return "\n".join(lines)


def terrain_summary(model: CityModel) -> dict[str, Any] | None:
    """The `terrain` key: where the terrain came from, its grid, heights, and what seating found
    (city/terrain.py Terrain.describe()); None for a model loaded without one."""
    return model.terrain.describe() if model.terrain is not None else None


def terrain_lines(terrain: dict[str, Any] | None) -> list[str]:
    """The text lines of the `terrain` key."""
    if not terrain:
        return []
    (nx, ny), (lo, hi) = terrain["grid"], terrain["height_range"]
    lines = [f"  terrain    from {terrain['source']}, {nx} x {ny} grid of {terrain['cell']:g} m, "
             f"heights {lo:.1f} to {hi:.1f} m"]
    seating = terrain.get("seating") or {}
    if seating.get("placed") or seating.get("draped"):
        lines.append(f"             {seating['placed']:,} objects of 2D sources placed on it, "
                     f"{seating['draped']:,} draped")
    off = seating.get("floating", 0) + seating.get("sunk", 0)
    if off:
        what = "moved onto it" if seating.get("seated") else "--seat-buildings moves them onto it"
        lines.append(f"  off terrain {off:,} buildings ({seating['floating']:,} floating, {seating['sunk']:,} "
                     f"sunk by more than 1 m; {what}): {', '.join(seating['examples'])}")
    return lines


def texture_lines(textures: dict[str, Any] | None) -> list[str]:
    """The text lines of the `textures` key."""
    if not textures:
        return []
    atlas = f", atlas {textures['atlas']} x {textures['atlas']}" if textures.get("atlas") else ""
    lines = [f"  textures   {textures['materials']:,} materials, {textures['images']:,} images: "
             f"{textures['found']:,} found{atlas}"]
    missing = textures["missing"]
    if missing:
        more = f" and {len(missing) - 5:,} more" if len(missing) > 5 else ""
        lines.append(f"  missing    {', '.join(missing[:5])}{more}")
    return lines


def format_text(summary: dict[str, Any]) -> str:
    lines = [f"{summary['path']}", f"  format     {summary['format']}", f"  crs        {summary['crs'] or '(none)'}",
             f"  objects    {summary['objects']:,}"]
    for name, count in summary["types"].items():
        lines.append(f"    {name:<24} {count:,}")
    lines += [f"  vertices   {summary['vertices']:,}", f"  triangles  {summary['triangles']:,}"]
    if summary["surfaces"]:
        lines.append("  surfaces   " + ", ".join(f"{k} {v:,}" for k, v in summary["surfaces"].items()))
    b = summary["bbox"]
    lines.append(f"  bbox       ({b[0]:.3f}, {b[1]:.3f}, {b[2]:.3f}) - ({b[3]:.3f}, {b[4]:.3f}, {b[5]:.3f})")
    if summary["bbox_lonlat"]:
        ll = summary["bbox_lonlat"]
        lines.append(f"  lon/lat    {ll[0]:.6f}, {ll[1]:.6f} - {ll[2]:.6f}, {ll[3]:.6f}")
    lines += terrain_lines(summary.get("terrain"))
    lines += texture_lines(summary.get("textures"))
    for w in summary["warnings"]:
        lines.append(f"  warning    {w}")
    return "\n".join(lines)
