"""What videos and stills carry on screen: a clean caption (place, time, layers) instead of the engineers'
status line unless asked, no layer text for hidden layers, and a vehicle legend of the types present only.
Real headless frames, checked by their pixels and the HUD's text."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_live_render import SIZE, Scripted, town
from viewer.app.live import LiveOptions
from viewer.app.live_headless import live_view
from viewer.layers.ramps import hex_rgb
from viewer.layers.styles import VEHICLE_TYPE_COLOURS
from viewer.render.hud import BACKGROUND

pytestmark = pytest.mark.render


def texts(block) -> list[str]:
    return [path.node().get_text() for path in block.find_all_matches("**/+TextNode")]


def area(image: np.ndarray, hud, rect) -> np.ndarray:
    """The pixels of a HUD rectangle (x0, y0, x1, y1) in HUD units."""
    x0, y0, x1, y1 = rect
    left, top = hud.to_pixels(x0, y1, SIZE)
    right, bottom = hud.to_pixels(x1, y0, SIZE)
    return image[int(top):int(bottom), int(left):int(right)].astype(int)


def band_pixels(pixels: np.ndarray) -> int:
    """How many pixels are the HUD's dark band over this light scene (BACKGROUND blended over it)."""
    return int(np.count_nonzero(pixels.max(axis=2) < 90))


def white_pixels(pixels: np.ndarray) -> int:
    return int(np.count_nonzero(pixels.min(axis=2) > 200))


def top_right(image: np.ndarray) -> np.ndarray:
    """Where the status line sits: the top right corner, 40 % of the width, 10 % of the height."""
    return image[: SIZE[1] // 10, SIZE[0] * 6 // 10:].astype(int)


def test_a_still_gets_a_caption_and_no_status_line(offscreen_gl):
    """By default an offscreen render shows the caption (scene name, feed time, the layers shown) on a dark
    band with white text at the top left, and no status line (no updates/s, stale, replay) anywhere."""
    with live_view(town(), Scripted(), SIZE, camera="top", options=LiveOptions()) as lv:
        image = lv.render(3.0)
        hud = lv.live.hud
        assert "status" not in hud.blocks
        assert texts(hud.blocks["caption"]) == ["town  |  t 3.0 s  |  vehicles, roads, buildings"]
        caption = area(image, hud, hud.caption_rect())
        assert band_pixels(caption) > 0.5 * caption.shape[0] * caption.shape[1] and white_pixels(caption) > 50
        assert band_pixels(top_right(image)) == 0
        all_text = " ".join(t for block in hud.blocks.values() for t in texts(block))
        for engineer_word in ("updates/s", "stale", "replay", "lag"):
            assert engineer_word not in all_text


def test_the_status_line_on_request(offscreen_gl):
    """status_line=True (--status-line) draws the engineers' status line at the top right, no caption."""
    with live_view(town(), Scripted(), SIZE, camera="top", options=LiveOptions(status_line=True)) as lv:
        image = lv.render(3.0)
        hud = lv.live.hud
        assert "caption" not in hud.blocks
        (line,) = texts(hud.blocks["status"])
        assert "updates/s" in line and "stale 0" in line
        assert band_pixels(top_right(image)) > 200


def test_layers_none_leaves_no_layer_text(offscreen_gl):
    """--layers none: no legend and no layer named in the caption, only the place and the time."""
    with live_view(town(), Scripted(), SIZE, camera="top", options=LiveOptions.from_cli("none")) as lv:
        image = lv.render(3.0)
        hud = lv.live.hud
        assert hud.legend_rects() == [] and not texts(hud.blocks["legends"])
        assert texts(hud.blocks["caption"]) == ["town  |  t 3.0 s"]
        under_the_road = image[SIZE[1] * 6 // 10:, : SIZE[0] * 3 // 10].astype(int)  # where legends stack
        assert band_pixels(under_the_road) == 0 and white_pixels(under_the_road) == 0


def test_the_vehicle_legend_lists_only_the_types_present(offscreen_gl):
    """A feed of one car: the vehicle legend has one row, "car", and its swatch is the car colour; no other
    type's colour shows in the legend."""
    with live_view(town(), Scripted(), SIZE, camera="top", options=LiveOptions()) as lv:
        image = lv.render(3.0)
        legends = lv.live.legends()
        (vehicles,) = [legend for legend in legends if legend.title == "Vehicle type"]
        assert vehicles.labels == ("car",)
        hud = lv.live.hud
        pixels = area(image, hud, hud.legend_rects()[0])  # bottom-up: the vehicles legend comes first
        for name, colour in VEHICLE_TYPE_COLOURS.items():
            rgb = np.array(hex_rgb(colour)) * 255
            count = np.count_nonzero(np.abs(pixels - rgb).max(axis=2) <= 3)
            assert (count >= 12) if name == "car" else (count == 0), name  # the swatch: about 5 x 5 px


def test_a_new_type_joins_the_legend():
    """The legend follows the types the layer has drawn (VehicleLayer.types_seen), in palette order."""
    from viewer.config import LayerConfig
    from viewer.layers.styles import LayerStyle

    style = LayerStyle("vehicles", LayerConfig())
    legend = style.legend(("truck", "car"))
    assert legend.labels == ("car", "truck")
    assert [tuple(c[:3]) for c in legend.colours.tolist()] == [
        tuple(round(v * 255) for v in hex_rgb(VEHICLE_TYPE_COLOURS[name])) for name in ("car", "truck")]
    assert style.legend().labels == tuple(VEHICLE_TYPE_COLOURS)


def test_background_is_dark_enough_for_the_band_test():
    """The band test above relies on the HUD background being dark and mostly opaque."""
    assert max(BACKGROUND[:3]) < 40 and BACKGROUND[3] > 150


def test_a_video_gets_the_caption_by_default(offscreen_gl, tmp_path):
    """render_flythrough with default options: every frame has the caption band at the top left, with the
    feed time moving in it, and no status line at the top right."""
    from viewer.app.flythrough_render import render_flythrough
    from viewer.flythrough.path import CameraPath, Keyframe

    still = CameraPath("still", (Keyframe.look(0.0, (0.0, -40.0, 160.0), (0.0, 10.0, 0.0), 50.0),
                                 Keyframe.look(1.0, (0.0, -40.0, 160.0), (0.0, 10.0, 0.0), 50.0)))
    frames: list[np.ndarray] = []
    render_flythrough(town(), still, tmp_path / "v.mp4", size=SIZE, fps=4.0, feed=Scripted(),
                      on_frame=lambda k, f: frames.append(f))
    top_left = [f[: SIZE[1] // 12, : SIZE[0] // 3].astype(int) for f in frames]
    assert all(band_pixels(p) > 0.2 * p.shape[0] * p.shape[1] and white_pixels(p) > 30 for p in top_left)
    assert all(band_pixels(top_right(f)) == 0 for f in frames)
    assert not np.array_equal(top_left[0], top_left[-1])  # "t 0.0 s" ... "t 0.8 s"
