"""Regenerate the live-layer images in docs/ from the real data in ../shared/data (headless, deterministic data).

    python bench/make_docs_renders.py [--out docs] [--size 1280x720]

1. docs/layers-denhaag-energy.png: Den Haag (CityJSON, 844 buildings) coloured by electric power from the
   Cambridge Estates meters (derived/electricity_2019_wide.csv). The 101 anonymised meters are mapped to
   Den Haag's 101 largest buildings by footprint area: meters in natural order (b0, b1, ..., b10, ...) to
   buildings from the largest down (viewer.sources.energy_csv.model_largest_buildings_mapping). Replayed hourly
   from 2019-06-11 12:00 UTC to 2019-06-12 12:00 UTC; the largest building is picked, so the panel shows
   its readings of the last day. The other 743 buildings have no meter: "no data" grey.
2. docs/layers-berlin-traffic.png: the Berlin A10KW SUMO network (osm.net.xml, with osm.poly.xml's OSM
   polygons) with the recorded FCD (recorded_outputs/a10kw.fcd.netxy.0-600.xml.gz) replayed to t = 300 s,
   vehicles coloured by speed, drawn 3x life size so they read at this distance, seen from the south-west
   at the busiest 250 m square. The FCD has no road data, so roads are "no data".
3. docs/layers-berlin-congestion.png: the same network driven by the demo source (IDM traffic on its lanes),
   whose road metrics colour the roads in the congestion bands.
4. docs/layers-demo.png: the demo city with the demo source: vehicles by type, road congestion, building power,
   and a picked building's panel.
5. docs/look-shadow-hours.png: the demo city's shadow-hours overlay for 21 March 2026 (what F4 shows in the
   window: app/shadow_hours.py's study, render/shadow_hours.py's drape and legend), from the centre camera.
6. docs/navigation-walk.png: a walker in third person (viewer/nav's Navigator on Den Haag's collision index:
   the camera where the window puts it, pulled in front of walls) climbing the highest open ground of the
   Den Haag terrain toward the town, on 21 June 2026 at 17:00; the window's avatar drawn at its feet.
7. docs/meeting-reshoot.png: the first pointing still of `citiverse meet minutes` (app/meeting_minutes.py)
   of a real loopback meeting recorded as tests/meeting_log_helpers.py records it, over the test town.
"""

from __future__ import annotations

import argparse
import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from viewer.app.base import offscreen_base
from viewer.app.headless import write_png
from viewer.app.live import LiveOptions
from viewer.app.live_headless import live_view
from viewer.city.demo import demo_scene
from viewer.city.scene import LoadedScene, load_scene_models
from viewer.config import CameraBookmark, LayerConfig, LayersConfig, SceneConfig, SourceConfig
from viewer.render.camera import CameraPose, direction_from_angles, near_far
from viewer.sources.demo import DemoSource
from viewer.sources.energy_csv import EnergyCsvSource, MeterTable, model_largest_buildings_mapping
from viewer.sources.sumo_fcd import FcdSource

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
NOON = datetime(2019, 6, 12, 12, tzinfo=UTC).timestamp()


def with_layers(config: SceneConfig, cameras: dict[str, CameraBookmark] | None = None, **layers: LayerConfig
                ) -> SceneConfig:
    return dataclasses.replace(config, layers=LayersConfig(**layers), cameras={**config.cameras, **(cameras or {})})


def pick_object(lv, index: int) -> None:
    """Pick model object `index` at the centre of its top, so the panel shows it."""
    objects = lv.live.scene.model.objects
    assert objects.bbox_min is not None and objects.bbox_max is not None  # a CityModel's table has them
    lo, hi = objects.bbox_min[index], objects.bbox_max[index]
    at = lv.project(((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, hi[2]))
    if at is not None:
        lv.live.pick_at(*at)


def focus_on_traffic(lv, distance: float, cell: float = 250.0) -> None:
    """Point the view from the south-west, `distance` metres away, at the busiest `cell` x `cell` square."""
    table = lv.live.state["vehicle"]
    x, y = table.column("x"), table.column("y")
    ix, iy = np.floor(x / cell).astype(int), np.floor(y / cell).astype(int)
    keys, counts = np.unique(np.stack([ix, iy], axis=1), axis=0, return_counts=True)
    cx, cy = (keys[int(np.argmax(counts))] + 0.5) * cell
    back = direction_from_angles(225.0, 38.0) * distance
    target = (float(cx), float(cy), 0.0)
    position = (float(cx + back[0]), float(cy + back[1]), float(back[2]))
    near, far = near_far(position, lv.stage.bmin, lv.stage.bmax)
    lv.view.set_pose(CameraPose(position, target, 40.0, near, far))


def denhaag(out: Path, size: tuple[int, int]) -> Path:
    scene = load_scene_models(SceneConfig.for_file(DATA / "cityjson_denhaag" / "DenHaag_01.city.json"))
    objects = scene.model.objects
    table = MeterTable(DATA / "energy_cambridge_estates" / "derived" / "electricity_2019_wide.csv")
    mapping, ids = model_largest_buildings_mapping(table.meters, objects)
    source = EnergyCsvSource(table, mapping, step=3600.0, start=NOON - 86400.0, building_ids=ids)
    scene.config = with_layers(scene.config, buildings=LayerConfig(range=(0.0, 500.0), alert=1000.0))
    with live_view(scene, source, size) as lv:
        lv.seek(NOON)
        lv.render()
        pick_object(lv, objects.index_of(mapping[table.meters[0]]))
        return write_png(lv.render(), out)


def berlin_scene() -> LoadedScene:
    folder = DATA / "sumo_a10kw_berlin_pypi"
    config = SceneConfig(path=None, name="Berlin A10KW", crs=None, origin=None, origin_lonlat=None,
                         sources=(SourceConfig(path=folder / "osm.net.xml"), SourceConfig(path=folder / "osm.poly.xml")))
    return load_scene_models(config)


def berlin_traffic(out: Path, size: tuple[int, int]) -> Path:
    scene = berlin_scene()
    folder = DATA / "sumo_a10kw_berlin_pypi"
    source = FcdSource(folder / "recorded_outputs" / "a10kw.fcd.netxy.0-600.xml.gz", net=folder / "osm.net.xml")
    scene.config = with_layers(scene.config, vehicles=LayerConfig(attribute="speed", scale=3.0),
                               buildings=LayerConfig(visible=False))
    with live_view(scene, source, size) as lv:
        lv.seek(300.0)
        focus_on_traffic(lv, 900.0)
        return write_png(lv.render(), out)


def berlin_congestion(out: Path, size: tuple[int, int]) -> Path:
    scene = berlin_scene()
    source = DemoSource.from_scene(scene, vehicles=3000, start_time=NOON)
    scene.config = with_layers(scene.config, vehicles=LayerConfig(scale=2.0), buildings=LayerConfig(visible=False))
    with live_view(scene, source, size) as lv:
        lv.seek(NOON + 120.0)
        focus_on_traffic(lv, 900.0)
        return write_png(lv.render(), out)


def demo(out: Path, size: tuple[int, int]) -> Path:
    scene = load_scene_models(demo_scene(seed=42, buildings=3000))
    source = DemoSource.from_scene(scene, vehicles=3000, start_time=NOON, building_period=5.0)
    with live_view(scene, source, size, camera="centre", options=LiveOptions()) as lv:
        lv.seek(NOON + 60.0)
        lv.render()
        objects = scene.model.objects
        assert objects.height is not None
        tallest = int(np.nanargmax(np.where(np.array(objects.types) == "Building", objects.height, np.nan)))
        pick_object(lv, tallest)
        return write_png(lv.render(), out)


def shadow_hours(out: Path, size: tuple[int, int]) -> Path:
    from datetime import date, timedelta, timezone

    from viewer.app.headless import OffscreenView
    from viewer.app.shadow_hours import FROM, STEP, TO, resolution
    from viewer.app.shadow_study import default_area
    from viewer.geo.sun import sample_times, sun_position
    from viewer.layers.shadow_study import sun_hours
    from viewer.render.camera import pose_from_bookmark
    from viewer.render.hud import Hud
    from viewer.render.look import look_spec
    from viewer.render.shadow_hours import legend, make_overlay
    from viewer.render.stage import background_rgba, build_stage

    base = offscreen_base()
    scene = load_scene_models(demo_scene(seed=42, buildings=3000))
    when = datetime(2026, 3, 21, 12, tzinfo=timezone(timedelta(hours=1)))
    times = sample_times(date(2026, 3, 21), FROM, TO, STEP, when.tzinfo)  # type: ignore[arg-type]
    lon, lat = scene.frame.origin_lonlat
    suns = [(p.azimuth, p.elevation) for p in (sun_position(lon, lat, t) for t in times)]
    area = default_area(scene.model)
    study = sun_hours(scene.model, area, resolution(area), times, suns)
    style = scene.config.style
    stage = build_stage(base.render, scene.model, style, look=look_spec("full", when, scene.frame), base=base,
                        frame=scene.frame)
    view = OffscreenView(base, size, background_rgba(style))
    hud = Hud(view.buffer)
    try:
        make_overlay(stage.root, study, lambda xs, ys: np.full(len(xs), float(stage.ground.get_z())))
        hud.set_legends([legend(study, "Sun 21 Mar 08:00-16:00")])
        view.set_pose(pose_from_bookmark(scene.config.cameras["centre"], stage.bmin, stage.bmax))
        stage.follow_view(view.camera, view.lens)
        return write_png(view.capture(), out)
    finally:
        hud.remove()
        view.close()
        stage.remove()


def navigation_walk(out: Path, size: tuple[int, int]) -> Path:
    from datetime import timedelta, timezone

    from viewer.app.live_headless import offscreen_stage
    from viewer.nav.index import CollisionIndex
    from viewer.nav.kinematics import Intent
    from viewer.nav.modes import Navigator, NavPose
    from viewer.render.avatar import make_avatar

    scene = load_scene_models(SceneConfig.for_file(DATA / "cityjson_denhaag" / "DenHaag_01.city.json"))
    scene.config = dataclasses.replace(scene.config, time=datetime(2026, 6, 21, 17, tzinfo=timezone(timedelta(hours=2))))
    model = scene.model
    index = CollisionIndex.from_model(model)
    start, top = open_slope(model, index)
    heading = float(np.degrees(np.arctan2(-(top[0] - start[0]), top[1] - start[1])))  # Navigator: 0 north, + west
    nav = Navigator(index)
    nav.enter("walk", NavPose((float(start[0]), float(start[1]), float(start[2]) + 1.65), heading, -8.0))
    for _ in range(90):  # 1.5 s up the slope: the walker stands on the ground, the camera settled behind
        nav.update(1.0 / 60.0, Intent(forward=1.0), (0.0, 0.0))
    pose, (feet, facing) = nav.pose(), nav.avatar()
    with offscreen_stage(scene, size, multisamples=4) as shot:
        avatar = make_avatar(shot.stage.root)
        avatar.set_pos(*feet)
        avatar.set_h(facing)
        near, far = near_far(pose.position, shot.stage.bmin, shot.stage.bmax)
        shot.view.set_pose(CameraPose(pose.position, pose.look_at(10.0), 60.0, min(near, 1.0), far))
        shot.stage.follow_view(shot.view.camera, shot.view.lens)
        return write_png(shot.view.capture(), out)


def open_slope(model, index) -> tuple[np.ndarray, np.ndarray]:
    """(foot, top): the highest vertex of the TIN relief with no building within 25 m (a dune), and a point
    40 m down its steepest side, where the walk starts; both on the ground (world metres)."""
    terrain, objects = model.terrain, model.objects
    relief = np.array([t == "TINRelief" for t in objects.types])
    points = model.vertices[relief[model.vertex_object]]  # the TIN's own vertices: where the relief is
    lo, hi = objects.bbox_min[~relief], objects.bbox_max[~relief]
    for i in np.argsort(-points[:, 2])[:4000]:
        x, y = float(points[i, 0]), float(points[i, 1])
        near = (lo[:, 0] < x + 25) & (hi[:, 0] > x - 25) & (lo[:, 1] < y + 25) & (hi[:, 1] > y - 25)
        if not near.any():
            break
    angles = np.radians(np.arange(0, 360, 15))
    feet = [(x - 40 * np.sin(a), y - 40 * np.cos(a)) for a in angles]
    drops = [float(terrain.height_at(np.array([fx]), np.array([fy]))[0]) for fx, fy in feet]
    fx, fy = feet[int(np.argmin(drops))]
    top = np.array([x, y, index.ground_under(x, y)])
    return np.array([fx, fy, index.ground_under(fx, fy)]), top


def meeting_reshoot(out: Path, size: tuple[int, int]) -> Path:
    import shutil
    import sys
    import tempfile

    tests = Path(__file__).resolve().parents[1] / "tests"
    sys.path.insert(0, str(tests))
    from meeting_log_helpers import record_meeting  # the tests' loopback meeting (a real server)
    from test_render import town, town_scene

    from viewer.app.meeting_minutes import write_minutes
    from viewer.meeting.log import read_log
    from viewer.meeting.replay import MeetingTimeline

    with tempfile.TemporaryDirectory() as folder:
        log = record_meeting(Path(folder))
        write_minutes(MeetingTimeline(read_log(log)), Path(folder) / "minutes.md", town_scene(town(), {}))
        shutil.copyfile(Path(folder) / "minutes_files" / "pointing-1.png", out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--only", help="one picture's file name (default: all)")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    size = (w, h)
    offscreen_base()
    for name, make in (("layers-denhaag-energy.png", denhaag), ("layers-berlin-traffic.png", berlin_traffic),
                       ("layers-berlin-congestion.png", berlin_congestion), ("layers-demo.png", demo),
                       ("look-shadow-hours.png", shadow_hours), ("navigation-walk.png", navigation_walk),
                       ("meeting-reshoot.png", meeting_reshoot)):
        if args.only in (None, name):
            print("wrote", make(args.out / name, size))


if __name__ == "__main__":
    main()
