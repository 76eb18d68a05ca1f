"""`citiverse shadow SCENE|FILE --date D --from HH:MM --to HH:MM --step 10min --out sun-hours.png|.tif|.csv`.

Rules this command keeps:
1. Every input is checked before the model loads: the date, the times, the step, the zone, the area, the
   resolution and the output's suffix; each mistake is one ConfigError line naming the option.
2. The times are local clock times in one zone: --tz (an offset like +01:00, Z, or a zone name like
   Europe/Amsterdam, taken at noon of the date), else the offset of the scene's [scene] time; with neither
   the command refuses (a sun an hour off is a wrong study that looks right).
3. The sun stands where it does at the scene's origin: a scene with no CRS is refused (give --crs).
4. The computation is layers/shadow_study.py on the CPU (docs/look.md "Shadow studies" says why); the summary
   line says the BRE 209 share: the open ground in the area with at least 2 hours of sun on the date.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

from viewer.errors import ConfigError

MARGIN = 20.0  # metres around the model's focus box in the default area


@dataclass(frozen=True)
class Request:
    day: date
    start: time
    end: time
    step: timedelta
    tz: timezone | None
    area: tuple[float, float, float, float] | None
    resolution: float
    out: Path


def parse_request(args: argparse.Namespace) -> Request:
    """Rule 1: every option checked, each mistake one line naming it."""
    from viewer.app.shadow_study import SUFFIXES
    from viewer.geo.sun import parse_clock, parse_step

    try:
        day = date.fromisoformat(args.date.strip())
    except ValueError:
        raise ConfigError(f"--date {args.date}", "", "is not a date YYYY-MM-DD (e.g. 2026-03-21)") from None
    start, end, step = (_checked(parse_clock, args.start, "--from"), _checked(parse_clock, args.end, "--to"),
                        _checked(parse_step, args.step, "--step"))
    if end <= start:
        raise ConfigError(f"--to {args.end}", "", f"must be after --from {args.start}")
    span = datetime.combine(day, end) - datetime.combine(day, start)
    if step > span:
        raise ConfigError(f"--step {args.step}", "", f"is longer than --from {args.start} --to {args.end}: "
                                                     "no hours to count")
    if not (math.isfinite(args.resolution) and 0.05 <= args.resolution <= 100.0):
        raise ConfigError(f"--resolution {args.resolution:g}", "", "must be between 0.05 and 100 metres")
    if Path(args.out).suffix.lower() not in SUFFIXES:
        raise ConfigError(f"--out {args.out}", "", f"write one of {', '.join(SUFFIXES)}")
    area = _area(args.area)
    if area is not None:
        _check_cells(area, float(args.resolution))
    return Request(day, start, end, step, _zone(args.tz, day) if args.tz else None, area,
                   float(args.resolution), Path(args.out))


def _check_cells(area: tuple[float, float, float, float], res: float) -> None:
    """The area alone is too many cells: said before the model loads (the study checks again with the reach)."""
    from viewer.layers.shadow_study import MAX_CELLS, Grid

    grid = Grid.over(area, res)
    if grid.nx * grid.ny > MAX_CELLS:
        raise ConfigError("--resolution/--area", "", f"{grid.nx} x {grid.ny} cells is more than {MAX_CELLS:,}: "
                                                     "use coarser cells or a smaller area")


def _checked(parse: Callable[[str, str], Any], text: str, what: str) -> Any:
    try:
        return parse(text, what)
    except ValueError as exc:
        raise ConfigError(what, "", str(exc).removeprefix(what + " ")) from None


def _zone(text: str, day: date) -> timezone:
    """Rule 2: an offset, Z/UTC, or an IANA zone name at noon of `day`."""
    raw = text.strip()
    if raw.upper() in ("Z", "UTC"):
        return UTC
    if raw[:1] in "+-":
        try:
            offset = datetime.fromisoformat(f"2000-01-01T00:00{raw}").utcoffset()
        except ValueError:
            offset = None
        if offset is None:
            raise ConfigError(f"--tz {text}", "", "is not a UTC offset like +01:00")
        return timezone(offset)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone: tzinfo = ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"--tz {text}", "", "is neither a UTC offset (+01:00) nor a time zone name "
                                              "(Europe/Amsterdam)") from None
    offset = datetime.combine(day, time(12), tzinfo=zone).utcoffset()
    return timezone(offset if offset is not None else timedelta(0))


def _area(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    try:
        x0, y0, x1, y1 = (float(v) for v in text.split(","))
    except ValueError:
        raise ConfigError(f"--area {text}", "", "is not four numbers x0,y0,x1,y1 (local metres)") from None
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)) or x1 <= x0 or y1 <= y0:
        raise ConfigError(f"--area {text}", "", "needs x0 < x1 and y0 < y1 (local metres)")
    return x0, y0, x1, y1


def run(args: argparse.Namespace, load: Callable[[Any], Any], scene_config: Callable[[Any], Any],
        progress: Callable[[str], None]) -> int:
    request = parse_request(args)
    config = scene_config(args.scene)
    tz = request.tz or _scene_zone(config)
    scene = load(config)
    if scene.model.triangle_count == 0:
        raise ConfigError(str(args.scene), "", "has only streamed 3D Tiles, which shadow studies do not read yet: "
                                               "give the model file the tiles were made from")
    if not scene.frame.georeferenced:
        raise ConfigError(str(args.scene), "", "has no CRS, so the sun's place is unknown: give --crs")
    study = compute(scene, request, tz, progress)
    return write(study, scene, request, tz)


def _scene_zone(config: Any) -> timezone:
    when = getattr(config, "time", None)
    offset = when.utcoffset() if when is not None else None
    if offset is None:
        raise ConfigError("--tz", "", "is needed: the scene has no [scene] time to take a zone from "
                                      "(give e.g. --tz +01:00 or --tz Europe/Amsterdam)")
    return timezone(offset)


def default_area(model: Any) -> tuple[float, float, float, float]:
    from viewer.city.views import focus_bounds

    lo, hi = focus_bounds(model)
    return (float(lo[0]) - MARGIN, float(lo[1]) - MARGIN, float(hi[0]) + MARGIN, float(hi[1]) + MARGIN)


def compute(scene: Any, request: Request, tz: timezone, progress: Callable[[str], None]) -> Any:
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


def summary_line(study: Any, request: Request, tz: timezone) -> str:
    share = study.bre_share()
    verdict = "meets" if share >= 0.5 else "fails"
    zone = datetime.combine(request.day, request.start, tzinfo=tz).strftime("%z")
    return (f"BRE 209: {share:.1%} of the open ground in the area has at least 2 h of direct sun on "
            f"{request.day.isoformat()} ({request.start.strftime('%H:%M')}-{request.end.strftime('%H:%M')} "
            f"UTC{zone[:3]}:{zone[3:]}, {len(study.times)} sun positions): {verdict} the 50% guideline")


def write(study: Any, scene: Any, request: Request, tz: timezone) -> int:
    from viewer.app import shadow_study as files

    out, suffix = request.out, request.out.suffix.lower()
    line = summary_line(study, request, tz)
    if suffix == ".png":
        title = (f"{request.day.isoformat()} {request.start.strftime('%H:%M')}-{request.end.strftime('%H:%M')}, "
                 f"every {_minutes(request.step)}, {request.resolution:g} m cells")
        files.write_png(study, out, title, line.split(": ", 1)[1].split(" on ")[0])
        note = ""
    elif suffix == ".csv":
        rows = files.write_csv(study, out, scene.model)
        note = f" ({rows:,} buildings)"
    else:
        placed = files.write_geotiff(study, out, scene.frame)
        note = "" if placed else " (no EPSG code for the scene's CRS: not georeferenced)"
    print(f"wrote {out}{note}")
    print(line)
    return 0


def _minutes(step: timedelta) -> str:
    seconds = step.total_seconds()
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"
