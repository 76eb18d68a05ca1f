"""What `citiverse shadow` computes and writes: a picture (.png), a GeoTIFF of hours (.tif), or per-building roof
hours (.csv). viewer/cli/shadow.py parses the options into a Request and reports; the work is here.

Rules this module keeps:
1. No Panda3D: Pillow draws the picture, tifffile writes the GeoTIFF, csv the table.
2. The picture is a top view, north up, one grid cell per pixel scaled up by a whole factor; the colour ramp
   runs from 0 hours to the study's full day, its legend beside it, the buildings' outlines drawn in dark
   grey over the hours (roofs keep their own hours' colour).
3. The GeoTIFF holds float32 hours, row 0 north; ModelPixelScale and ModelTiepoint place it in the scene's
   projected CRS, and GeoKeys name that CRS's EPSG code when it has one (a compound CRS: its horizontal part).
   A scene with no EPSG plane gets no georeferencing tags, and the caller says so.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from viewer.errors import ConfigError
from viewer.layers.shadow_study import Study, colours

if TYPE_CHECKING:
    from viewer.city.model import CityModel
    from viewer.city.scene import LoadedScene

SUFFIXES = (".png", ".tif", ".tiff", ".csv")
OUTLINE = (40, 40, 40)
LEGEND_WIDTH = 190
MIN_SIDE = 900  # pixels: small areas are scaled up to at least this on their longer side
MARGIN = 20.0  # metres around the model's focus box in the default area


@dataclass(frozen=True)
class Request:
    """A shadow study asked for: the day, local clock times in zone `tz` (None: the scene's), the area in local
    metres (None: default_area), the cell size and the file to write."""

    day: date
    start: time
    end: time
    step: timedelta
    tz: timezone | None
    area: tuple[float, float, float, float] | None
    resolution: float
    out: Path


def default_area(model: CityModel) -> tuple[float, float, float, float]:
    """The model's focus box and MARGIN metres around it."""
    from viewer.city.views import focus_bounds

    lo, hi = focus_bounds(model)
    return (float(lo[0]) - MARGIN, float(lo[1]) - MARGIN, float(hi[0]) + MARGIN, float(hi[1]) + MARGIN)


def compute(scene: LoadedScene, request: Request, tz: timezone, progress: Callable[[str], None]) -> Study:
    """The hours of sun of `request` over `scene` (georeferenced: the sun stands where it does at its origin)."""
    from viewer.geo.sun import sample_times, sun_position
    from viewer.layers.shadow_study import StudyTooLarge, sun_hours

    times = sample_times(request.day, request.start, request.end, request.step, tz)  # --to > --from: checked
    lon, lat = scene.frame.origin_lonlat
    suns = [(p.azimuth, p.elevation) for p in (sun_position(lon, lat, t) for t in times)]
    area = request.area or default_area(scene.model)
    progress(f"shadow study: {len(times)} sun positions over {area[2] - area[0]:.0f} x {area[3] - area[1]:.0f} m "
             f"at {request.resolution:g} m")
    try:
        study = sun_hours(scene.model, area, request.resolution, times, suns)
    except StudyTooLarge as exc:
        raise ConfigError("--resolution/--area", "", str(exc)) from None
    progress("shadow study done")
    return study


def summary_line(study: Study, request: Request, tz: timezone) -> str:
    """The BRE 209 verdict: the share of open ground with at least 2 h of direct sun."""
    share = study.bre_share()
    verdict = "meets" if share >= 0.5 else "fails"
    zone = datetime.combine(request.day, request.start, tzinfo=tz).strftime("%z")
    return (f"BRE 209: {share:.1%} of the open ground in the area has at least 2 h of direct sun on "
            f"{request.day.isoformat()} ({request.start.strftime('%H:%M')}-{request.end.strftime('%H:%M')} "
            f"UTC{zone[:3]}:{zone[3:]}, {len(study.times)} sun positions): {verdict} the 50% guideline")


def write_study(study: Study, scene: LoadedScene, request: Request, tz: timezone) -> str:
    """Write request.out by its suffix; the note the report adds after the file's name ("" or " (...)")."""
    out, suffix = request.out, request.out.suffix.lower()
    if suffix == ".png":
        line = summary_line(study, request, tz)
        title = (f"{request.day.isoformat()} {request.start.strftime('%H:%M')}-{request.end.strftime('%H:%M')}, "
                 f"every {_minutes(request.step)}, {request.resolution:g} m cells")
        write_png(study, out, title, line.split(": ", 1)[1].split(" on ")[0])
        return ""
    if suffix == ".csv":
        rows = write_csv(study, out, scene.model)
        return f" ({rows:,} buildings)"
    placed = write_geotiff(study, out, scene.frame)
    return "" if placed else " (no EPSG code for the scene's CRS: not georeferenced)"


def _minutes(step: timedelta) -> str:
    seconds = step.total_seconds()
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


def outlines(study: Study) -> np.ndarray:
    """(ny, nx) bool: building cells next to a cell of another building or of open ground."""
    key = np.where(study.covered, study.owner, -1)
    edge = np.zeros(key.shape, bool)
    edge[:, 1:] |= key[:, 1:] != key[:, :-1]
    edge[:, :-1] |= key[:, 1:] != key[:, :-1]
    edge[1:, :] |= key[1:, :] != key[:-1, :]
    edge[:-1, :] |= key[1:, :] != key[:-1, :]
    return edge & study.covered


def write_png(study: Study, out: Path, title: str, footer: str) -> None:
    from PIL import Image, ImageDraw, ImageFont

    rgb = colours(study.hours, study.total_hours)
    rgb[outlines(study)] = OUTLINE
    scale = max(1, -(-MIN_SIDE // max(rgb.shape[:2])))
    rgb = np.repeat(np.repeat(rgb, scale, axis=0), scale, axis=1)
    h, w = rgb.shape[:2]
    canvas = Image.new("RGB", (w + LEGEND_WIDTH, max(h, 420)), (250, 250, 250))
    canvas.paste(Image.fromarray(rgb), (0, 0))
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=15)
    small = ImageFont.load_default(size=12)
    x = w + 20
    draw.text((x, 16), "hours of direct sun", fill=(0, 0, 0), font=font)
    top, bottom = 50, 50 + 300
    bar = colours(np.linspace(study.total_hours, 0.0, bottom - top)[:, None].repeat(24, axis=1), study.total_hours)
    canvas.paste(Image.fromarray(bar), (x, top))
    for value in _ticks(study.total_hours):
        y = bottom - (bottom - top) * value / max(study.total_hours, 1e-9)
        draw.line([(x + 24, y), (x + 30, y)], fill=(0, 0, 0))
        draw.text((x + 34, y - 7), f"{value:g} h", fill=(0, 0, 0), font=small)
    draw.rectangle([x, bottom + 20, x + 24, bottom + 34], outline=OUTLINE, width=3)
    draw.text((x + 34, bottom + 20), "building", fill=(0, 0, 0), font=small)
    for i, line in enumerate(_wrap(title, 26) + [""] + _wrap(footer, 26)):
        draw.text((x, bottom + 50 + 15 * i), line, fill=(0, 0, 0), font=small)
    canvas.save(out)


def _ticks(full: float) -> list[float]:
    step = 1.0 if full <= 10 else 2.0 if full <= 20 else 4.0
    return [float(v) for v in np.arange(0.0, full + 1e-9, step)]


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def epsg_of(plane: str | None) -> int | None:
    """The EPSG code of a projected plane (a compound CRS's horizontal part), or None."""
    if plane is None:
        return None
    from pyproj import CRS

    crs = CRS.from_user_input(plane)
    for part in crs.sub_crs_list or [crs]:
        if part.is_projected:
            code = part.to_epsg()
            return int(code) if code is not None else None
    return None


def write_geotiff(study: Study, out: Path, frame: Any) -> bool:
    """Float32 hours with GeoTIFF tags (rule 3); False when the scene's plane has no EPSG code."""
    import tifffile

    code = epsg_of(frame.plane) if frame.georeferenced else None
    tags: list[tuple[int, str, int, Any, bool]] = []
    if code is not None:
        grid = study.grid
        ox, oy = frame.origin_xy
        tags = [
            (33550, "d", 3, (grid.res, grid.res, 0.0), True),  # ModelPixelScaleTag
            (33922, "d", 6, (0.0, 0.0, 0.0, grid.x0 + ox, grid.y1 + oy, 0.0), True),  # ModelTiepointTag
            # GeoKeyDirectory: version 1.1.0, 3 keys: projected model, pixel is area, ProjectedCSType = EPSG
            (34735, "H", 16, (1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, code), True),
        ]
    tifffile.imwrite(out, study.hours.astype(np.float32), extratags=tags, photometric="minisblack")
    return code is not None


def write_csv(study: Study, out: Path, model: Any) -> int:
    """One row per building with roof cells or walls in the area: id, type, roof_sun_hours, roof_area_m2,
    facade_sun_hours, facade_area_m2 (empty where it has none). Returns the number of rows."""
    roofs, walls = study.roof_hours(), study.facade_hours or {}
    with out.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "type", "roof_sun_hours", "roof_area_m2", "facade_sun_hours", "facade_area_m2"])
        for index in sorted(set(roofs) | set(walls)):
            writer.writerow([model.objects.ids[index], model.objects.types[index], *_pair(roofs.get(index)),
                             *_pair(walls.get(index))])
    return len(set(roofs) | set(walls))


def _pair(value: tuple[float, float] | None) -> list[str]:
    return ["", ""] if value is None else [f"{value[0]:.2f}", f"{value[1]:.1f}"]
