"""Shaders as files in assets/shaders/ (render/shader_files.py): the loader, every file compiling in a real
offscreen OpenGL context, every module's programs linking, the files in a built wheel, and no GLSL left in
Python under viewer/render/."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from viewer.errors import RenderError
from viewer.render import shader_files
from viewer.render.shader_files import SHADERS, defines_tested, load_shader, shader_source, stage_files

ROOT = Path(__file__).resolve().parent.parent

# Modules whose shaders still live in Python: their owners move them with render/shader_files.py. PENDING:
# the lead removes each entry once its module is moved (the test then keeps it moved).
PENDING: set[str] = set()  # every module moved


def _prepared(shader) -> bool:
    """Whether `shader` compiles and links on the offscreen base's GSG."""
    from viewer.app.base import offscreen_base

    gsg = offscreen_base().win.get_gsg()
    return shader.prepare_now(gsg.get_prepared_objects(), gsg) is not None and not shader.get_error_flag()


def _required(text: str) -> list[str]:
    """Names a stage needs its module to define (an `#ifndef NAME` followed by `#error`)."""
    return re.findall(r"#ifndef\s+(\w+)\s*\n\s*#error", text)


FRAGMENT_SINK = "#version 330\nout vec4 o_color;\nvoid main() { o_color = vec4(1.0); }\n"


@pytest.mark.parametrize("path", stage_files(), ids=lambda p: p.name)
@pytest.mark.parametrize("variant", ["no defines", "every define"])
def test_every_shader_file_compiles(offscreen_gl, path: Path, variant: str) -> None:
    from panda3d.core import Shader

    raw = path.read_text()
    names = defines_tested(shader_source(path.name)) if variant == "every define" else []
    text = shader_source(path.name, [*dict.fromkeys(names + _required(raw))])
    if path.suffix == ".vert":
        shader = Shader.make(Shader.SL_GLSL, vertex=text, fragment=FRAGMENT_SINK)
    else:
        shader = Shader.make(Shader.SL_GLSL, vertex="", fragment=text)  # a fragment-only program links alone
    assert _prepared(shader), f"{path.name} ({variant}: {names}) does not compile"


def test_every_part_is_included_by_a_stage() -> None:
    """A .glsl part compiles only inside a stage: each one must be included somewhere (so compiled above)."""
    stages = "".join(p.read_text() for p in stage_files())
    for part in SHADERS.glob("*.glsl"):
        assert f'#include "{part.name}"' in stages, f"{part.name} is included by no stage file"


def test_every_module_program_links(offscreen_gl) -> None:
    """The programs the moved modules make, linked (their stages' ins and outs agree) in every variant."""
    from viewer.render import colour_lut, layer_draw, picking, road_bands, tile_parts, vehicles

    made = [road_bands.band_shader, tile_parts.points_shader, picking.null_shader, layer_draw.column_shader,
            layer_draw.pick_shader, layer_draw.overlay_shader, layer_draw.overlay_pick_shader,
            vehicles.vehicle_shader, vehicles.opaque_shader, vehicles.pick_shader, vehicles.point_shader,
            vehicles.point_pick_shader, colour_lut.pick_shader]
    for make in made:
        assert _prepared(make()), f"{make.__module__}.{make.__name__}"
    for flavour in ("plain", "full", "soft"):
        for night in (False, True):
            assert _prepared(colour_lut.lut_shader(flavour, night)), f"lut_shader({flavour}, {night})"


def test_defines_go_right_after_the_version_line() -> None:
    text = shader_source("vehicle_marker.vert", {"MARKER_PULL": 0.03, "EXTRA": "vec3(1.0)"})
    assert text.splitlines()[:3] == ["#version 330", "#define MARKER_PULL 0.03", "#define EXTRA vec3(1.0)"]
    assert shader_source("vehicle.frag", ["FADE"]).splitlines()[1] == "#define FADE 1"
    assert "#define" not in shader_source("vehicle.frag").splitlines()[1]


def test_includes_are_resolved_once_each() -> None:
    text = shader_source("vehicle.frag", ["FADE"])
    assert "#include" not in text
    assert text.count("const float BAYER[16]") == 1
    assert "vec3 place(out vec4 colour" in shader_source("vehicle_pick.vert")


def test_same_arguments_give_the_same_shader_object() -> None:
    """render/lighting.py keys night twins on the Shader object: the loader must not make a second one."""
    assert load_shader("vehicle.vert", "vehicle.frag", ["FADE"]) is load_shader("vehicle.vert", "vehicle.frag",
                                                                                  ["FADE"])
    assert load_shader("vehicle.vert", "vehicle.frag") is not load_shader("vehicle.vert", "vehicle.frag", ["FADE"])


def test_a_missing_file_is_a_render_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(RenderError, match=r"nowhere\.frag: shader file missing"):
        shader_source("nowhere.frag")
    (tmp_path / "a.frag").write_text('#version 330\n#include "gone.glsl"\nvoid main() {}\n')
    monkeypatch.setattr(shader_files, "SHADERS", tmp_path)
    with pytest.raises(RenderError, match=r"gone\.glsl: shader file missing \(included by a\.frag\)"):
        shader_source("a.frag", ["X"])  # other arguments than any cached call


def test_no_module_under_render_keeps_glsl_text() -> None:
    glsl = re.compile(r"#version\s+\d")  # a GLSL text's first line (not the word in a docstring)
    holding = sorted(p.name for p in (ROOT / "viewer" / "render").glob("*.py") if glsl.search(p.read_text()))
    assert [name for name in holding if name not in PENDING] == [], "GLSL belongs in assets/shaders/"
    assert set(holding) <= PENDING


def test_the_shaders_and_icons_ship_in_a_built_wheel(tmp_path: Path) -> None:
    """pyproject's package-data copies assets/shaders and assets/icons (through the viewer/assets link) into
    the wheel."""
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    shutil.copytree(ROOT / "viewer", source / "viewer", symlinks=True, ignore=ignore)
    shutil.copytree(ROOT / "assets", source / "assets", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "out"),
                            str(source)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "out").glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in [*stage_files(), *SHADERS.glob("*.glsl")]:
        assert f"viewer/assets/shaders/{path.name}" in names
    icons = ROOT / "assets" / "icons"
    assert sorted(icons.iterdir())
    for path in icons.iterdir():
        assert f"viewer/assets/icons/{path.name}" in names
