"""The demo sensors: air-quality stations and noise sensors over a scene's area, as protocol 1.1 generic kinds.

    source = SensorsDemo.from_scene(scene)               # a Source (sources/base.py) with entity_kinds
    write_recording(source, Path("sensors.feed.jsonl.gz"), steps=60)   # a recording `--feed` replays

Rules this module keeps:
1. Deterministic: positions and noise come from numpy Generators seeded from `seed`; time is start_time +
   k * period after k steps; the wall clock is never read.
2. Two kinds (twin/kinds.py), both "point" geometry in the scene's CRS with z unknown (on the ground):
   "air_quality" (fields no2 and pm25 in ug/m3, station a name, as NGSI-LD AirQualityObserved carries) and
   "noise" (laeq in dB(A)). Values follow a daily traffic profile plus a hot spot near `hot` (local metres):
   NO2 and noise are highest there, so a heat map and the tallest columns show the same place.
3. The default start is 2023-11-15 08:00 UTC (the morning peak). Each step upserts every sensor with its new value (a snapshot first): tens of sensors, not thousands.
4. write_recording() writes the recording format of sources/replay.py (gzip JSON lines: header, hello,
   snapshot, deltas), the same bytes for the same arguments.
"""

from __future__ import annotations

import gzip
import math
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from viewer.twin.batch import EntityBatch, TwinUpdate
from viewer.twin.codec import encode
from viewer.twin.kinds import EntityKind, FieldSpec
from viewer.twin.messages import Delta, Hello, Snapshot

AIR_QUALITY = EntityKind("air_quality", "point", (
    FieldSpec("no2", "ug/m3", "f32", "nitrogen dioxide"), FieldSpec("pm25", "ug/m3", "f32", "fine particles"),
    FieldSpec("station", "", "str", "station name")), "Air quality")
NOISE = EntityKind("noise", "point", (FieldSpec("laeq", "dB(A)", "f32", "equivalent sound level"),), "Noise")
STATION_NAMES = ("Coolsingel", "Blaak", "Hofplein", "Meent", "Lijnbaan", "Binnenrotte", "Weena", "Kruiskade",
                 "Schiedamse Vest", "Westblaak", "Oude Haven", "Beurs", "Stadhuis", "Churchillplein")


def traffic_profile(t: float) -> float:
    """0..1 by the hour of day (UTC): peaks at 8 and 17 h, low at night."""
    hour = (t / 3600.0) % 24.0
    return 0.15 + 0.85 * max(math.exp(-((hour - 8.0) / 1.5) ** 2), math.exp(-((hour - 17.0) / 2.0) ** 2))


class SensorsDemo:
    """Air-quality stations and noise sensors (rules above) over local area lo..hi (x, y metres)."""

    name = "sensors-demo"
    entity_kinds = (AIR_QUALITY, NOISE)

    def __init__(self, lo: tuple[float, float], hi: tuple[float, float], origin: tuple[float, float], crs: str,
                 seed: int = 7, start_time: float = 1_700_035_200.0, period: float = 10.0, stations: int = 12,
                 noise: int = 40, hot: tuple[float, float] | None = None) -> None:
        rng = np.random.default_rng(seed)
        self.crs, self.period, self.start_time = crs, float(period), float(start_time)
        self.origin = np.asarray(origin, np.float64)
        lo_a, hi_a = np.asarray(lo, np.float64), np.asarray(hi, np.float64)
        inner_lo, inner_hi = lo_a + 0.1 * (hi_a - lo_a), hi_a - 0.1 * (hi_a - lo_a)
        self.hot = np.asarray(hot if hot is not None else lo_a + (hi_a - lo_a) * (0.6, 0.55), np.float64)
        self.reach = 0.15 * float(np.min(hi_a - lo_a))
        self.air_xy = rng.uniform(inner_lo, inner_hi, (stations, 2))
        self.air_xy[0] = self.hot  # one station stands at the hot spot
        self.noise_xy = rng.uniform(inner_lo, inner_hi, (noise, 2))
        self.noise_xy[: noise // 4] = self.hot + rng.normal(0.0, self.reach * 0.5, (noise // 4, 2))
        self.rng = np.random.default_rng(seed + 1)
        self.k = 0

    @classmethod
    def from_scene(cls, scene: Any, **options: Any) -> SensorsDemo:
        """Over a LoadedScene's model bounds, positions in its CRS (its local frame's origin added)."""
        lo, hi = scene.model.bounds()
        frame = scene.frame
        origin = tuple(float(v) for v in frame.origin_xy)
        crs = getattr(frame, "crs", None) or scene.config.crs or ""
        return cls((float(lo[0]), float(lo[1])), (float(hi[0]), float(hi[1])), (origin[0], origin[1]), str(crs),
                   **options)

    def _near_hot(self, xy: np.ndarray) -> np.ndarray:
        d = np.hypot(*(xy - self.hot).T)
        return np.exp(-((d / self.reach) ** 2))

    def _update(self, snapshot: bool) -> TwinUpdate:
        t = self.start_time + self.k * self.period
        traffic = traffic_profile(t)
        hot_air, hot_noise = self._near_hot(self.air_xy), self._near_hot(self.noise_xy)
        no2 = 12.0 + 30.0 * traffic * (0.4 + hot_air) + 40.0 * hot_air + self.rng.normal(0, 1.5, len(hot_air))
        pm25 = 6.0 + 8.0 * traffic * (0.5 + hot_air) + self.rng.normal(0, 0.6, len(hot_air))
        laeq = 46.0 + 8.0 * traffic + 26.0 * hot_noise + self.rng.normal(0, 0.8, len(hot_noise))
        air = self._batch("air_quality", "aq", self.air_xy, {
            "no2": np.maximum(no2, 0.0).astype(np.float32), "pm25": np.maximum(pm25, 0.0).astype(np.float32),
            "station": np.array([STATION_NAMES[i % len(STATION_NAMES)] for i in range(len(hot_air))], object)})
        noise = self._batch("noise", "noise", self.noise_xy, {"laeq": laeq.astype(np.float32)})
        return TwinUpdate(t, {"air_quality": air, "noise": noise}, snapshot=snapshot)

    def _batch(self, kind: str, prefix: str, xy: np.ndarray, fields: dict[str, np.ndarray]) -> EntityBatch:
        n = len(xy)
        ids = np.array([f"{prefix}-{i:03d}" for i in range(n)], object)
        return EntityBatch(kind, ids, {"x": xy[:, 0] + self.origin[0], "y": xy[:, 1] + self.origin[1],
                                       "z": np.full(n, np.nan, np.float32), **fields})

    def start(self) -> TwinUpdate:
        self.k = 0
        return self._update(True)

    def step(self) -> TwinUpdate | None:
        self.k += 1
        return self._update(False)

    def close(self) -> None:
        pass


def write_recording(source: SensorsDemo, path: Path, steps: int = 60) -> Path:
    """Rule 4: `steps` steps of the source after its snapshot as a feed recording (JSON encoding)."""
    first = source.start()
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:  # same bytes
        def line(obj: dict[str, Any]) -> None:
            out.write(orjson.dumps(obj) + b"\n")

        line({"format": "citiverse-feed-recording", "version": 1, "url": "demo:sensors", "start": first.time})
        line({"t": 0.0, "text": encode(Hello(seq=0, time=first.time, crs=source.crs, kinds=(),
                                             server=source.name, entity_kinds=source.entity_kinds))})
        line({"t": 0.0, "text": encode(Snapshot(1, first))})
        for k in range(1, steps + 1):
            update = source.step()
            assert update is not None
            line({"t": k * source.period, "text": encode(Delta(k + 1, update))})
    return path
