"""The window tools' pure parts and layout, headless: search, measure, pins file, chart runs, panels that
never overlap at common window sizes (the real window tests are in test_window_real.py)."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest

from viewer.errors import ConfigError
from viewer.layers.search import SearchIndex
from viewer.nav.measure import measure
from viewer.nav.pins import Pin, load_pins, pins_file_for, save_pins
from viewer.render.hud import chart_runs


def table() -> SimpleNamespace:
    return SimpleNamespace(
        ids=["bldg-000001", "bldg-000012", "road-00042", "bldg-000120"],
        types=["Building", "Building", "Road", "Building"],
        attributes=[{"name": "Stadhuis", "use": "office", "address": "Coolsingel 40"},
                    {"name": "Bibliotheek", "use": "library", "storeys": 6},
                    {"name": "Coolsingel", "lanes": 4},
                    {"use": "residential", "address": "Hoogstraat 12"}])


def test_search_ranks_ids_then_attributes_and_says_why():
    """An exact id first, then ids starting with the query, then attribute values; words in any order;
    key=value searches one attribute."""
    index = SearchIndex(table())
    assert [h.id for h in index.search("bldg-000012")] == ["bldg-000012"]
    assert [h.id for h in index.search("BLDG-0000")] == ["bldg-000001", "bldg-000012"]
    assert [h.id for h in index.search("00012")] == ["bldg-000012", "bldg-000120"]
    hits = index.search("coolsingel")
    assert [h.id for h in hits] == ["road-00042", "bldg-000001"] and hits[0].why == "name: Coolsingel"
    assert [h.id for h in index.search("40 COOLSINGEL")] == ["bldg-000001"]
    assert [h.id for h in index.search("use=library")] == ["bldg-000012"]
    assert [h.id for h in index.search("name:coolsingel")] == ["road-00042"]
    assert index.search("") == [] and index.search("nothing like it") == []


def test_measure_gives_3d_ground_height_and_footprint_area():
    """A 30-40-50 right triangle lifted 10 m at one corner: 3D and ground lengths, rise, height over the
    ground, area 600 m2 and perimeter 120 m, in units people read."""
    m = measure([(0, 0, 0), (30, 0, 0), (30, 40, 10)], ground_under_last=0.0)
    assert m.ground == pytest.approx(70.0) and m.path_3d == pytest.approx(30 + np.sqrt(1700))
    assert m.rise == pytest.approx(10.0) and m.above_ground == pytest.approx(10.0)
    assert m.area == pytest.approx(600.0) and m.perimeter == pytest.approx(120.0)
    text = "\n".join(m.lines())
    assert "600.0 m2" in text and "along the ground 70.00 m" in text
    assert "km" in "\n".join(measure([(0, 0, 0), (1500, 0, 0)]).lines())


def test_pins_round_trip_atomically_and_hostile_files_are_refused(tmp_path):
    """Pins saved beside the scene read back exactly (notes with quotes and accents); a broken file is a
    ConfigError naming it; the sidecar of city.toml is city.pins.toml."""
    path = tmp_path / "city.pins.toml"
    pins = [Pin((1.5, -2.25, 0.0), 'say "hi" to Zoë', "bldg-1"), Pin((100.0, 0.0, 12.0), "")]
    save_pins(path, pins)
    assert load_pins(path) == pins
    assert [p.name for p in tmp_path.iterdir()] == ["city.pins.toml"]  # no temporary file left
    assert pins_file_for(SimpleNamespace(path=tmp_path / "city.toml")) == tmp_path / "city.pins.toml"
    for bad in ('[[pin]]\nposition = [1, 2]\n', '[[pin]]\nposition = [1, 2, "x"]\n', 'pin = 3\n',
                '[[pin]]\nposition = [1, 2, 3]\nnote = "' + "x" * 500 + '"\n', "not toml ["):
        path.write_text(bad)
        with pytest.raises(ConfigError, match="city.pins.toml"):
            load_pins(path)
    assert load_pins(tmp_path / "absent.pins.toml") == []


def test_chart_breaks_at_gaps_and_at_a_loop_back_to_the_start():
    """Readings every 10 s with one 5-minute gap and a loop starting over: three runs, no line across."""
    times = np.array([0, 10, 20, 30, 330, 340, 350, 0, 10, 20], float)
    assert chart_runs(times) == [(0, 4), (4, 7), (7, 10)]
    assert chart_runs(np.array([5.0])) == [(0, 1)]
    assert chart_runs(np.arange(10.0)) == [(0, 10)]


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160), (1024, 768)])
def test_help_tool_panel_compass_legends_and_picking_panel_never_overlap(offscreen_gl, size):
    """With every block open at once (three legends, the picking panel, the tool panel, the compass), the
    help flows around them: no two drawn blocks overlap, all inside the window."""
    from viewer.render.panels import WindowHud

    aspect = size[0] / size[1]
    legends = [(-aspect + 0.02, -0.98 + 0.32 * i, -aspect + 0.68, -0.68 + 0.32 * i) for i in range(3)]
    panel = (aspect - 0.94, -0.3, aspect - 0.02, 0.84)
    hud = WindowHud(offscreen_gl.win)
    try:
        hud.set_aspect(aspect)
        hud.set_tool("Search (3 found)", [f"  bldg-{i:06d} (Building)  name: Street {i}" for i in range(10)])
        hud.set_compass(30.0, 200.0, "feed 2026-12-07 09:00:00 UTC")
        lines = [f"{k}  an action with a fairly long description {k}" for k in range(45)]
        hud.set_help(lines, avoid=[*legends, panel])
        blocks = {**hud.drawn_rects(), **{f"legend{i}": r for i, r in enumerate(legends)}, "panel": panel}
        assert "help" in blocks
        for (a, ra), (b, rb) in itertools.combinations(blocks.items(), 2):
            apart = ra[2] <= rb[0] or rb[2] <= ra[0] or ra[3] <= rb[1] or rb[3] <= ra[1]
            assert apart, f"{a} {ra} overlaps {b} {rb} at {size}"
        for name, (x0, y0, x1, y1) in blocks.items():
            assert -aspect <= x0 < x1 <= aspect and -1 <= y0 < y1 <= 1, name
    finally:
        hud.remove()
