"""`citiverse shadow SCENE|FILE --date D --from HH:MM --to HH:MM --step 10min --out sun-hours.png|.tif|.csv`.

Rules this command keeps:
1. Every input is checked before the model loads: the date, the times, the step, the zone, the area, the
   resolution and the output's suffix; each mistake is one ConfigError line naming the option.
2. The times are local clock times in one zone: --tz (an offset like +01:00, Z, or a zone name like
   Europe/Amsterdam, taken at noon of the date), else the offset of the scene's [scene] time; with neither
   the command refuses (a sun an hour off is a wrong study that looks right).
3. The sun stands where it does at the scene's origin: a scene with no CRS is refused (give --crs).
4. The computation is app/shadow_study.py over layers/shadow_study.py on the CPU (docs/look.md "Shadow
   studies" says why); the summary line says the BRE 209 share: the open ground in the area with at least
   2 hours of sun on the date.
"""

from __future__ import annotations

import argparse
import math
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.cli.common import add_model_options, check_inputs, load, progress, scene_config
from viewer.cli.examples import Command
from viewer.errors import ConfigError

if TYPE_CHECKING:
    from viewer.app.shadow_study import Request
    from viewer.config import SceneConfig


def add_shadow(command: Command) -> None:
    p = command("shadow", "Hours of direct sun on a grid over the city for a day (a shadow "
                          "study): a picture, a GeoTIFF, or roof hours per building.")
    p.add_argument("scene", type=Path, help="scene .toml or model file")
    p.add_argument("--date", required=True, help="the day, YYYY-MM-DD (BRE 209 uses 21 March)")
    p.add_argument("--from", dest="start", default="08:00", help="first time of day, HH:MM (default 08:00)")
    p.add_argument("--to", dest="end", default="16:00", help="last time of day, HH:MM (default 16:00)")
    p.add_argument("--step", default="10min", help="time between sun positions: 10min, 30s, 1h (default 10min)")
    p.add_argument("--tz", help="zone of the times: +01:00, Z or Europe/Amsterdam (default: the scene's time's)")
    p.add_argument("--out", type=Path, required=True, help="sun-hours.png (picture), .tif (GeoTIFF of hours) or "
                                                          ".csv (roof sun hours per building)")
    p.add_argument("--resolution", type=float, default=1.0, metavar="METRES", help="grid cell size (default 1)")
    p.add_argument("--area", metavar="X0,Y0,X1,Y1", help="study area in local metres, written --area=X0,... when X0 "
                   "is negative (default: the model's focus box and 20 m around it)")
    p.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
    add_model_options(p)


def run_shadow(args: argparse.Namespace) -> int:
    from viewer.app.shadow_study import compute, summary_line, write_study

    check_inputs(args)
    request = parse_request(args)  # a wrong date, step, area or output is said before anything loads
    config = scene_config(args.scene, args)
    tz = request.tz or _scene_zone(config)
    scene = load(args, config)
    if scene.model.triangle_count == 0:
        raise ConfigError(str(args.scene), "", "has only streamed 3D Tiles, which shadow studies do not read yet: "
                                               "give the model file the tiles were made from")
    if not scene.frame.georeferenced:
        raise ConfigError(str(args.scene), "", "has no CRS, so the sun's place is unknown: give --crs")
    study = compute(scene, request, tz, progress(args))
    note = write_study(study, scene, request, tz)
    print(f"wrote {request.out}{note}")
    print(summary_line(study, request, tz))
    return 0


def parse_request(args: argparse.Namespace) -> Request:
    """Rule 1: every option checked, each mistake one line naming it."""
    from viewer.app.shadow_study import SUFFIXES, Request
    from viewer.geo.sun import parse_clock, parse_step

    day = _date(args.date)
    start, end, step = parse_clock(args.start, "--from"), parse_clock(args.end, "--to"), parse_step(args.step)
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


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:  # plain parse of the user's text
        raise ConfigError(f"--date {text}", "", "is not a date YYYY-MM-DD (e.g. 2026-03-21)") from None


def _check_cells(area: tuple[float, float, float, float], res: float) -> None:
    """The area alone is too many cells: said before the model loads (the study checks again with the reach)."""
    from viewer.layers.shadow_study import MAX_CELLS, Grid

    grid = Grid.over(area, res)
    if grid.nx * grid.ny > MAX_CELLS:
        raise ConfigError("--resolution/--area", "", f"{grid.nx} x {grid.ny} cells is more than {MAX_CELLS:,}: "
                                                     "use coarser cells or a smaller area")


def _zone(text: str, day: date) -> timezone:
    """Rule 2: an offset, Z/UTC, or an IANA zone name at noon of `day`."""
    raw = text.strip()
    if raw.upper() in ("Z", "UTC"):
        return UTC
    if raw[:1] in "+-":
        try:
            offset = datetime.fromisoformat(f"2000-01-01T00:00{raw}").utcoffset()
        except ValueError:  # plain parse of the user's text
            offset = None
        if offset is None:
            raise ConfigError(f"--tz {text}", "", "is not a UTC offset like +01:00")
        return timezone(offset)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone: tzinfo = ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):  # plain parse of the user's text
        raise ConfigError(f"--tz {text}", "", "is neither a UTC offset (+01:00) nor a time zone name "
                                              "(Europe/Amsterdam)") from None
    offset = datetime.combine(day, time(12), tzinfo=zone).utcoffset()
    return timezone(offset if offset is not None else timedelta(0))


def _area(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    try:
        x0, y0, x1, y1 = (float(v) for v in text.split(","))
    except ValueError:  # plain parse of the user's text
        raise ConfigError(f"--area {text}", "", "is not four numbers x0,y0,x1,y1 (local metres)") from None
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)) or x1 <= x0 or y1 <= y0:
        raise ConfigError(f"--area {text}", "", "needs x0 < x1 and y0 < y1 (local metres)")
    return x0, y0, x1, y1


def _scene_zone(config: SceneConfig) -> timezone:
    when = getattr(config, "time", None)
    offset = when.utcoffset() if when is not None else None
    if offset is None:
        raise ConfigError("--tz", "", "is needed: the scene has no [scene] time to take a zone from "
                                      "(give e.g. --tz +01:00 or --tz Europe/Amsterdam)")
    return timezone(offset)
