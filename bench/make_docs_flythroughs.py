"""Regenerate the flythrough videos and frame strips in docs/ from the real data in ../shared/data.

    python bench/make_docs_flythroughs.py [--out docs] [--size 640x360] [--fps 24]

Each flythrough replays a *recording* (written first with viewer.net.recorder.record_source, as
`citiverse feed record` would have captured the feed) in lock-step with a camera path, through the same
render_flythrough that `citiverse flythrough render` runs. Rendering twice gives the same frames.

1. docs/flythrough-denhaag.mp4 + docs/flythrough-denhaag.png (a strip of four frames): Den Haag (CityJSON,
   844 LoD2 buildings) with the Cambridge Estates electricity meters mapped to its 101 largest buildings
   (the mapping of docs/layers.md), 24 hours replayed hourly from 2019-06-11 12:00 UTC in 12 seconds
   (--feed-speed 7200), along a path round the district and down to roof level. The shared data has no
   road network or traffic for Den Haag, so this one shows energy only.
2. docs/flythrough-berlin.mp4 + docs/flythrough-berlin.png: the Berlin A10KW SUMO network with the recorded
   FCD (600 s of SUMO traffic, up to 679 vehicles) replayed from t = 240 s at 3x speed, vehicles coloured
   by speed and drawn 3x life size, along a path that swings over the busiest part of the interchange.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from viewer.app.flythrough_render import render_flythrough
from viewer.app.headless import write_png
from viewer.app.video import ProgressLine
from viewer.city.scene import load_scene_models
from viewer.config import LayerConfig, LayersConfig, SceneConfig, SourceConfig
from viewer.flythrough.path import CameraPath, Keyframe
from viewer.net.recorder import record_source
from viewer.render.camera import direction_from_angles
from viewer.sources.energy_csv import EnergyCsvSource, MeterTable, model_largest_buildings_mapping
from viewer.sources.sumo_fcd import FcdSource

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
NOON = datetime(2019, 6, 12, 12, tzinfo=UTC).timestamp()
STRIP_AT = (0.05, 0.35, 0.65, 0.98)  # fractions of the video shown in the strip


def strip(frames: dict[int, np.ndarray], out: Path) -> Path:
    """The kept frames side by side, each half size, in a 2 x 2 grid."""
    tiles = [f[::2, ::2] for _, f in sorted(frames.items())]
    return write_png(np.concatenate([np.concatenate(tiles[:2], axis=1), np.concatenate(tiles[2:], axis=1)]), out)


def render(scene, path: CameraPath, recording: Path, out: Path, size, fps: float, **feed) -> Path:
    total = len(path.frame_times(fps))
    keep = {min(total - 1, round(f * total)) for f in STRIP_AT}
    kept: dict[int, np.ndarray] = {}
    result = render_flythrough(scene, path, out.with_suffix(".mp4"), size=size, fps=fps, feed=recording,
                               progress=ProgressLine(out.stem), crf=26,
                               on_frame=lambda k, f: kept.__setitem__(k, f) if k in keep else None, **feed)
    print(f"wrote {result.out} ({result.frames} frames, {result.out.stat().st_size / 1e6:.1f} MB, "
          f"digest {result.digest[:12]})")
    return strip(kept, out.with_suffix(".png"))


def denhaag(out: Path, size, fps: float, tmp: Path) -> Path:
    scene = load_scene_models(SceneConfig.for_file(DATA / "cityjson_denhaag" / "DenHaag_01.city.json"))
    table = MeterTable(DATA / "energy_cambridge_estates" / "derived" / "electricity_2019_wide.csv")
    mapping, ids = model_largest_buildings_mapping(table.meters, scene.model.objects)
    source = EnergyCsvSource(table, mapping, step=3600.0, start=NOON - 86400.0, building_ids=ids)
    recording = tmp / "denhaag-energy.feed.jsonl.gz"
    record_source(source, recording, 86400.0)
    scene.config = dataclasses.replace(scene.config, layers=LayersConfig(
        buildings=LayerConfig(range=(0.0, 500.0), alert=1000.0)))
    keys = (Keyframe.look(0.0, (-430.0, -400.0, 250.0), (0.0, 0.0, 0.0), 45.0),
            Keyframe.look(4.0, (130.0, -460.0, 160.0), (0.0, 0.0, 0.0), 45.0),
            Keyframe.look(8.0, (400.0, 40.0, 100.0), (0.0, 0.0, 5.0), 50.0),
            Keyframe.look(12.0, (130.0, 170.0, 45.0), (-120.0, 0.0, 10.0), 55.0))
    path = CameraPath("denhaag", keys, constant_speed=True, ease=1.5)
    return render(scene, path, recording, out / "flythrough-denhaag.png", size, fps, feed_speed=7200.0)


def berlin(out: Path, size, fps: float, tmp: Path) -> Path:
    folder = DATA / "sumo_a10kw_berlin_pypi"
    config = SceneConfig(path=None, name="Berlin A10KW", crs=None, origin=None, origin_lonlat=None,
                         sources=(SourceConfig(path=folder / "osm.net.xml"), SourceConfig(path=folder / "osm.poly.xml")),
                         layers=LayersConfig(vehicles=LayerConfig(attribute="speed", scale=3.0),
                                             buildings=LayerConfig(visible=False)))
    scene = load_scene_models(config)
    fcd = folder / "recorded_outputs" / "a10kw.fcd.netxy.0-600.xml.gz"
    recording = tmp / "berlin-traffic.feed.jsonl.gz"
    record_source(FcdSource(fcd, net=folder / "osm.net.xml"), recording, 600.0)
    centre = busiest_point(scene, fcd, folder / "osm.net.xml", at=270.0)
    keys = []
    for i, (azimuth, elevation, distance) in enumerate(((200.0, 40.0, 1400.0), (250.0, 32.0, 900.0),
                                                       (300.0, 25.0, 600.0))):
        back = direction_from_angles(azimuth, elevation) * distance
        keys.append(Keyframe.look(5.0 * i, centre + back, centre, 40.0))
    path = CameraPath("berlin", tuple(keys), ease=1.5)
    return render(scene, path, recording, out / "flythrough-berlin.png", size, fps, feed_start=240.0,
                  feed_speed=3.0)


def busiest_point(scene, fcd: Path, net: Path, at: float, cell: float = 250.0) -> np.ndarray:
    """The local-metres centre of the busiest cell x cell square of the FCD at feed time `at`."""
    from viewer.app.live_headless import live_view

    with live_view(scene, FcdSource(fcd, net=net), (64, 36)) as lv:
        lv.seek(at)
        table = lv.live.state["vehicle"]
        x, y = table.column("x"), table.column("y")
    ix, iy = np.floor(x / cell).astype(int), np.floor(y / cell).astype(int)
    keys, counts = np.unique(np.stack([ix, iy], axis=1), axis=0, return_counts=True)
    cx, cy = (keys[int(np.argmax(counts))] + 0.5) * cell
    return np.array([cx, cy, 0.0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--fps", type=float, default=24.0)
    parser.add_argument("--only-denhaag", action="store_true")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        for make in (denhaag, berlin)[: 1 if args.only_denhaag else 2]:
            print(f"wrote {make(args.out, size, args.fps, Path(tmp))}")


if __name__ == "__main__":
    main()
