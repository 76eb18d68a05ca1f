"""The shadow-hours layer in the window (issue 16): F4 computes the day's hours of sun off the frame, with
progress on the status line, drapes them on the ground in the legend's colours and shows the legend; F4
again hides them. The real-window test drives `citiverse view` under Xvfb (tests/window_harness.py); the
overlay's colours are checked in an offscreen frame too."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
from test_render import box_model, project
from window_harness import RealWindow, needs_real_window

from viewer.app.shadow_hours import resolution
from viewer.config import CameraBookmark, Style
from viewer.geo.sun import sample_times, sun_position
from viewer.layers.shadow_study import colours, sun_hours
from viewer.nav.bindings import Controls
from viewer.render.camera import pose_from_bookmark

SCENE = """
[scene]
name = "Shadow town"
crs = "EPSG:28992"
origin = [92540.0, 437500.0]
time = "2026-03-21T12:00+01:00"

[[sources]]
format = "procedural"
seed = 7
size = 300

[cameras.top]
position = [0.0, -60.0, 700.0]
look_at = [0.0, 0.0, 0.0]
fov = 45
"""
HAGUE = (4.3, 52.08)
CET = timezone(timedelta(hours=1))


def march_study(model, area, res=1.0):
    times = sample_times(datetime(2026, 3, 21).date(), datetime(2026, 3, 21, 8).time(),
                         datetime(2026, 3, 21, 16).time(), timedelta(minutes=30), CET)
    suns = [(p.azimuth, p.elevation) for p in (sun_position(*HAGUE, t) for t in times)]
    seen = []
    study = sun_hours(model, area, res, times, suns, progress=lambda done, total: seen.append((done, total)))
    return study, seen


def test_the_overlay_shows_the_legend_colours_on_the_ground(offscreen_gl):
    """Open ground in sun all day is the ramp's top colour; the ground right north of a tower is darker on the
    ramp; the study reported every sun position to its progress callback."""
    from viewer.app.headless import render_stage_image
    from viewer.render.look import LookSpec
    from viewer.render.shadow_hours import make_overlay
    from viewer.render.stage import build_stage

    model = box_model([[0, 0, 0]], [[20, 20, 30]])
    study, seen = march_study(model, (-60.0, -60.0, 80.0, 80.0))
    assert seen[-1] == (17, 17) and [d for d, _ in seen] == list(range(18))
    look = LookSpec("full", datetime(2026, 3, 21, 12, tzinfo=CET), HAGUE)
    stage = build_stage(offscreen_gl.render, model, Style(), look=look, base=offscreen_gl)
    try:
        overlay = make_overlay(stage.root, study, lambda xs, ys: np.full(len(xs), float(stage.ground.get_z())))
        pose = pose_from_bookmark(CameraBookmark((10, 90, 300), (10, 10, 0), 45.0), stage.bmin, stage.bmax)
        image = render_stage_image(offscreen_gl, stage, (400, 400), pose, Style(), multisamples=0)
        overlay.remove_node()
    finally:
        stage.remove()
    full = colours(np.array([study.total_hours]), study.total_hours)[0].astype(int)
    column, row = project(pose, (400, 400), (-45.0, -45.0, 0.0))  # south-west corner: sun all day
    assert np.abs(image[row, column].astype(int) - full).max() <= 3, (image[row, column], full)
    column, row = project(pose, (400, 400), (10.0, 26.0, 0.0))  # north of the tower: shade most of the day
    r, c = int((study.grid.y1 - 26.0) // 1.0), int((10.0 - study.grid.x0) // 1.0)
    assert study.hours[r, c] < study.total_hours / 2
    near = colours(study.hours[r - 1:r + 2, c - 1:c + 2], study.total_hours).reshape(-1, 3).astype(int)
    assert np.abs(near - image[row, column].astype(int)).max(axis=1).min() <= 3  # a cell's own colour


def test_cells_stay_within_the_windows_budget():
    assert resolution((0, 0, 500, 500)) == 1.0
    assert resolution((0, 0, 5000, 5000)) * 1.0 >= 5000 / np.sqrt(1_500_000)


def test_the_help_lists_the_shadow_hours_key():
    assert any(line.startswith("F4  shadow hours") for line in Controls().help_lines())


@needs_real_window
def test_f4_draws_the_days_sun_hours_with_a_legend_and_f4_hides_them(tmp_path):
    scene = tmp_path / "shadow.toml"
    scene.write_text(SCENE)
    with RealWindow(tmp_path, ["view", scene, "--camera", "top"]) as win:
        start = win.settled("the top view")
        assert start["shadow_hours"] == "off"
        win.key("Escape")  # the help off: the pixels compared are the city's
        hidden = win.wait_for(lambda s: not s["help"], "no help")
        win.wait_for(lambda s: True, "a frame drawn without the help", after=hidden["frame"] + 2)
        before = win.screenshot()
        win.key("F4")
        shown = win.wait_for(lambda s: s["shadow_hours"] == "shown", "the hours computed and drawn")
        assert shown["shadow_hours_day"] == "2026-03-21" and shown["shadow_hours_legend"]
        assert shown["shadow_hours_progress"][0] == shown["shadow_hours_progress"][1] == 49
        assert "2 h of sun" in shown["message"]
        win.wait_for(lambda s: True, "a frame drawn with the overlay", after=shown["frame"] + 2)
        after = win.screenshot()
        changed = np.abs(after.astype(np.int16) - before.astype(np.int16)).max(axis=2) > 12
        assert changed.mean() > 0.05, f"only {changed.mean():.1%} of the pixels changed"
        x0, y0, x1, y1 = shown["shadow_hours_legend"][0]  # HUD units: height 2, centred
        h, w = after.shape[:2]
        cols = slice(int((x0 + w / h) * h / 2) + 4, int((x1 + w / h) * h / 2) - 4)
        rows = slice(int((1 - y1) * h / 2) + 4, int((1 - y0) * h / 2) - 4)
        legend_now, legend_before = after[rows, cols].astype(int), before[rows, cols].astype(int)
        assert np.abs(legend_now - legend_before).max(axis=2).mean() > 20  # the legend is drawn there
        ramp_top = colours(np.array([1.0]), 1.0)[0].astype(int)
        assert (np.abs(legend_now - ramp_top).max(axis=2) <= 6).any()  # its ramp's sunny end
        win.key("F4")
        win.wait_for(lambda s: s["shadow_hours"] == "off" and not s["shadow_hours_legend"], "hidden")
        frame = win.state()["frame"]
        win.wait_for(lambda s: True, "a frame drawn without it", after=frame + 2)
        again = win.screenshot()
        back = np.abs(again.astype(np.int16) - before.astype(np.int16)).max(axis=2) > 12
        assert back.mean() < changed.mean() / 3
        code, _, stderr = win.quit()
    assert code == 0 and "Traceback" not in stderr


def test_the_layer_computes_off_the_frame_and_says_when_there_is_no_day(offscreen_gl):
    """Toggling returns at once with the study under way (the frame loop keeps running), the overlay lands
    when it is done, toggling again removes it; a scene without a time gets one line on how to give one."""
    import time
    from types import SimpleNamespace

    from viewer.app.shadow_hours import ShadowHours
    from viewer.render.stage import build_stage

    model = box_model([[0, 0, 0], [60, 0, 0]], [[20, 20, 30], [20, 20, 10]])
    stage = build_stage(offscreen_gl.render, model, Style(), base=offscreen_gl)
    said: list[str] = []
    scene = SimpleNamespace(model=model)
    sun = SimpleNamespace(time=datetime(2026, 3, 21, 12, tzinfo=CET), lonlat=HAGUE)
    layer = ShadowHours(offscreen_gl, stage, scene, sun, (), said.append)
    try:
        layer.toggle()
        assert layer.state()["shadow_hours"] == "computing" and "49 sun positions" in said[-1]
        deadline = time.monotonic() + 120.0  # bounds a hang only
        while layer.state()["shadow_hours"] != "shown" and time.monotonic() < deadline:
            offscreen_gl.taskMgr.step()
        state = layer.state()
        assert state["shadow_hours"] == "shown" and state["shadow_hours_progress"] == [49, 49]
        assert not stage.root.find("**/shadow-hours").is_empty() and state["shadow_hours_legend"]
        assert "2 h of sun or more" in said[-1]
        layer.toggle()
        assert layer.state()["shadow_hours"] == "off" and stage.root.find("**/shadow-hours").is_empty()
        layer.toggle()  # the same day again: drawn at once from the kept study
        assert layer.state()["shadow_hours"] == "shown"
    finally:
        layer.destroy()
        stage.remove()
    nothing = ShadowHours(offscreen_gl, stage, scene, SimpleNamespace(time=None, lonlat=HAGUE), (), said.append)
    nothing.toggle()
    assert nothing.state()["shadow_hours"] == "off" and "--time" in said[-1]
    nothing.destroy()
