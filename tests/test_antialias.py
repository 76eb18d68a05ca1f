"""Antialiasing of stills and videos (app/headless.py rule 5): multisampled by default, so the pixels along a
building's edge take colours between the building's and what is behind it; and still byte-identical from run
to run. Real offscreen frames (Mesa llvmpipe supports multisampling)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from test_flythrough_render import town_path
from test_render import box_model, town, town_scene

from viewer.config import CameraBookmark, Style

pytestmark = pytest.mark.render
SIZE = (320, 240)
SIDE = CameraBookmark(position=(-30.0, -70.0, 25.0), look_at=(10.0, 10.0, 15.0), fov=40.0)


def between(image: np.ndarray, step: int = 8) -> int:
    """Pixels whose colour lies strictly between their left and right neighbours' (every channel within the
    two, at least `step` from each in some channel): the blended pixels of an antialiased edge. A hard edge
    has none (each pixel is one side's colour); flat and smoothly shaded areas have none either."""
    img = image.astype(int)
    left, mid, right = img[:, :-2], img[:, 1:-1], img[:, 2:]
    lo, hi = np.minimum(left, right), np.maximum(left, right)
    inside = ((mid >= lo) & (mid <= hi)).all(axis=2)
    apart = (np.abs(mid - left).max(axis=2) >= step) & (np.abs(mid - right).max(axis=2) >= step)
    return int((inside & apart).sum())


def test_a_still_is_antialiased_by_default(offscreen_gl):
    """A 20 m building's still: with the default multisampling its outline has blended pixels, dozens of
    them; with multisampling off (--multisamples 0) it has next to none."""
    from viewer.app.headless import render_model_image

    model = box_model([[0.0, 0.0, 0.0]], [[20.0, 20.0, 30.0]])
    smooth = render_model_image(model, Style(), SIZE, SIDE)
    jagged = render_model_image(model, Style(), SIZE, SIDE, multisamples=0)
    assert between(smooth) > 40 and between(jagged) < 5, (between(smooth), between(jagged))


def test_antialiased_stills_are_byte_identical_run_to_run(offscreen_gl):
    """Multisampling keeps renders deterministic: the same still twice gives the same bytes."""
    from viewer.app.headless import render_model_image

    model = town()
    first = render_model_image(model, Style(), SIZE, SIDE)
    assert first.tobytes() == render_model_image(model, Style(), SIZE, SIDE).tobytes()


def test_video_frames_are_antialiased_by_default(offscreen_gl, tmp_path):
    """A flythrough rendered with the defaults has blended edge pixels in its frames, several times as
    many as the same frame rendered with --multisamples 0 (the plain look: no facades or soft shadows,
    whose own gradients would blur the count)."""
    from viewer.app.flythrough_render import render_flythrough

    scene = town_scene(town(), {})
    scene.config = dataclasses.replace(scene.config, look="plain")
    kept: dict[int, dict[int, np.ndarray]] = {}
    for samples in (None, 0):
        frames: dict[int, np.ndarray] = {}
        render_flythrough(scene, town_path(), tmp_path / f"v{samples}.mp4", size=SIZE, fps=1.0, multisamples=samples,
                          on_frame=lambda k, f, frames=frames: frames.__setitem__(k, f))
        kept[0 if samples == 0 else 4] = frames
    for k in kept[4]:
        assert between(kept[4][k]) > 3 * between(kept[0][k]) + 20, (k, between(kept[4][k]), between(kept[0][k]))
