"""The look's shaders as files (render/lighting.py, shadows.py, sky.py through render/shader_files.py): every
program links in every variant, the flavours' defines reach the right stages, and a night twin is the same
Shader object each time (render/lighting.py rule 9 keys on it)."""

from __future__ import annotations

import itertools

from viewer.render.shader_files import shader_source


def _linked(offscreen_gl, shader) -> bool:
    gsg = offscreen_gl.win.get_gsg()
    return shader.prepare_now(gsg.get_prepared_objects(), gsg) is not None and not shader.get_error_flag()


def test_every_look_program_links_in_every_variant(offscreen_gl):
    from viewer.render.lighting import city_shader
    from viewer.render.shadows import depth_shader
    from viewer.render.sky import sky_shader

    for flavour, night, ground in itertools.product(("plain", "full", "soft"), (False, True), (False, True)):
        assert _linked(offscreen_gl, city_shader(flavour, night, ground)), (flavour, night, ground)
    assert _linked(offscreen_gl, sky_shader(False)) and _linked(offscreen_gl, sky_shader(True))
    assert _linked(offscreen_gl, depth_shader())


def test_flavour_defines_and_twins():
    from viewer.render.lighting import city_shader, flavour_defines

    assert flavour_defines("plain", night=True) == []
    assert flavour_defines("soft", night=True) == ["FULL_LOOK", "SOFT_SHADOWS", "NIGHT_WINDOWS"]
    assert flavour_defines("full", night=True, ground=True) == ["FULL_LOOK", "GROUND"]  # no windows on the ground
    assert city_shader("full", True) is city_shader("full", True) and city_shader("full", True) is not city_shader("full")
    text = shader_source("city.frag", flavour_defines("full", True))
    assert "#include" not in text and text.count("float window_hash(vec3 p)") == 1  # each part once
    assert text.splitlines()[1:4] == ["#define FULL_LOOK 1", "#define NIGHT_WINDOWS 1", "// render/lighting.py: the two-sided city shader; GROUND: the terrain's variant (rule 10)."]
    assert "#define FULL_LOOK" not in shader_source("city.vert", flavour_defines("plain"))
