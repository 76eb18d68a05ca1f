"""Headless first-frame settings: multisampling off only for very large models; PNGs read back exactly."""

from __future__ import annotations

import numpy as np

from viewer.app.headless import (
    DEFAULT_MULTISAMPLES,
    MULTISAMPLE_MAX_TRIANGLES,
    multisamples_for,
    write_png,
)
from viewer.city.model import CityModel, ObjectTable


def model_with(triangles: int) -> CityModel:
    """A model that reports `triangles` triangles (all degenerate: only the count matters here)."""
    return CityModel(np.zeros((1, 3), np.float32), np.zeros((triangles, 3), np.uint32), np.zeros(1, np.int32),
                     np.zeros(1, np.uint8), ObjectTable([], [], np.zeros(0, np.int32), []))


def test_multisampling_is_dropped_only_above_the_threshold_and_never_when_asked():
    """Up to MULTISAMPLE_MAX_TRIANGLES the default is 4x, above it none; an explicit count always wins."""
    assert multisamples_for(model_with(MULTISAMPLE_MAX_TRIANGLES)) == DEFAULT_MULTISAMPLES == 4
    big = model_with(MULTISAMPLE_MAX_TRIANGLES + 1)
    assert multisamples_for(big) == 0
    assert multisamples_for(big, 8) == 8 and multisamples_for(model_with(10), 0) == 0


def test_png_round_trips_the_image(tmp_path):
    """The fast-compressed PNG holds exactly the pixels it was given."""
    from PIL import Image

    image = np.random.default_rng(1).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    out = write_png(image, tmp_path / "a" / "b.png")
    assert np.array_equal(np.asarray(Image.open(out).convert("RGB")), image)
