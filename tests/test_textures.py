"""Textures and materials: CityJSON appearances, glTF (embedded PNG), OBJ + MTL, the atlas, and real renders.

Each format gets a small textured quad written here: 100 x 100 m on the ground, its image four coloured
quadrants (red top-left, green top-right, blue bottom-left, yellow bottom-right) with uv (0, 0) at the quad's
south-west corner. A render from the default south-west view must show all four colours, blue nearer the
camera (lower in the frame) than green.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from viewer.city import appearance as ap
from viewer.city.appearance import Appearance, ImageRef, Material, atlas_uv, build_atlas, page_limit
from viewer.city.scene import load_scene_models
from viewer.config import Limits, SceneConfig, Style

QUAD = [[0, 0, 0], [100, 0, 0], [100, 100, 0], [0, 100, 0]]
UV = [[0, 0], [1, 0], [1, 1], [0, 1]]
COLOURS = {"red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255), "yellow": (255, 255, 0)}


def quadrants(path: Path, size: int = 64) -> Path:
    """The four-colour test image."""
    img = np.zeros((size, size, 4), np.uint8)
    img[..., 3] = 255
    h = size // 2
    img[:h, :h, 0] = 255
    img[:h, h:, 1] = 255
    img[h:, :h, 2] = 255
    img[h:, h:, :2] = 255
    Image.fromarray(img).save(path)
    return path


def cityjson_quad(folder: Path, image: str = "tex/q.png", material: bool = False) -> Path:
    """A CityJSON file of one Building whose roof is the textured quad (and an untextured wall)."""
    wall = [[0, 0, 0], [0, 0, 10], [0, 100, 10], [0, 100, 0]]
    doc = {"type": "CityJSON", "version": "2.0", "transform": {"scale": [1, 1, 1], "translate": [0, 0, 0]},
           "vertices": QUAD + wall,
           "appearance": {"textures": [{"type": "PNG", "image": image}], "vertices-texture": UV,
                          "materials": [{"name": "m", "diffuseColor": [0.0, 0.0, 1.0]}]},
           "CityObjects": {"b": {"type": "Building", "geometry": [{
               "type": "MultiSurface", "lod": "2", "boundaries": [[[0, 1, 2, 3]], [[4, 5, 6, 7]]],
               "semantics": {"surfaces": [{"type": "RoofSurface"}, {"type": "WallSurface"}], "values": [0, 1]},
               "texture": {"photo": {"values": [[[0, 0, 1, 2, 3]], [[None]]]}},
               **({"material": {"paint": {"values": [0, 0]}}} if material else {})}]}}}
    path = folder / "quad.city.json"
    path.write_text(json.dumps(doc))
    return path


def gltf_quad(folder: Path) -> Path:
    """A GLB of the quad with the image embedded in a bufferView (written by trimesh)."""
    import trimesh

    # glTF is y-up: the quad lies in x-z; the loader turns (x, y, z) into (x, -z, y).
    vertices = np.array([[0, 0, 0], [100, 0, 0], [100, 0, -100], [0, 0, -100]], np.float64)
    material = trimesh.visual.material.PBRMaterial(baseColorTexture=Image.open(quadrants(folder / "embedded.png")),
                                                   baseColorFactor=[255, 255, 255, 255])
    visual = trimesh.visual.TextureVisuals(uv=np.array(UV, np.float64), material=material)
    mesh = trimesh.Trimesh(vertices, [[0, 1, 2], [0, 2, 3]], visual=visual, process=False)
    path = folder / "quad.glb"
    path.write_bytes(trimesh.Scene(mesh).export(file_type="glb"))
    (folder / "embedded.png").unlink()  # the image must come from inside the GLB
    return path


def obj_quad(folder: Path, image: str = "q.png") -> Path:
    (folder / "quad.mtl").write_text(f"newmtl photo\nKd 1 1 1\nmap_Kd {image}\n")
    lines = ["mtllib quad.mtl", *(f"v {x} {y} {z}" for x, y, z in QUAD), *(f"vt {u} {v}" for u, v in UV),
             "usemtl photo", "f 1/1 2/2 3/3 4/4"]
    path = folder / "quad.obj"
    path.write_text("\n".join(lines) + "\n")
    return path


def load(path: Path, limits: Limits | None = None):
    config = dataclasses.replace(SceneConfig.for_file(path), limits=limits or Limits())
    return load_scene_models(config).model


def colour_share(image: np.ndarray, rgb: tuple[int, int, int], tol: int = 60) -> tuple[float, float]:
    """(share of pixels within tol of rgb, mean row of those pixels)."""
    near = np.abs(image.astype(int) - np.array(rgb)).max(axis=2) <= tol
    rows = np.nonzero(near)[0]
    return float(near.mean()), float(rows.mean()) if rows.size else -1.0


def assert_shows_quadrants(image: np.ndarray) -> None:
    shares = {name: colour_share(image, rgb) for name, rgb in COLOURS.items()}
    for name, (share, _) in shares.items():
        assert share > 0.01, f"{name} covers {share:.2%} of the frame: {shares}"
    assert shares["blue"][1] > shares["green"][1]  # uv (0, 0) at the south-west corner, nearest the camera


def render(model, shaders: bool = True, style: Style | None = None) -> np.ndarray:
    from viewer.app.base import offscreen_base
    from viewer.app.headless import model_pose, render_stage_image
    from viewer.render.stage import build_stage

    style = style or Style()
    base = offscreen_base()
    stage = build_stage(base.render, model, style, shaders=shaders)
    try:
        return render_stage_image(base, stage, (320, 240), model_pose(stage, (320, 240), None), style, 0)
    finally:
        stage.remove()


# ---------------------------------------------------------------- loaders

def test_cityjson_texture_theme_gives_uv_per_ring_vertex(tmp_path):
    """The roof's four ring vertices get its texture and uvs; the wall ([null]) gets none."""
    (tmp_path / "tex").mkdir()
    quadrants(tmp_path / "tex" / "q.png")
    model = load(cityjson_quad(tmp_path))
    assert model.appearance is not None and len(model.appearance.images()) == 1
    textured = model.vertex_material >= 0
    assert textured.sum() == 4 and np.isfinite(model.vertex_uv[textured]).all()
    assert np.isnan(model.vertex_uv[~textured]).all()
    assert sorted(map(tuple, model.vertex_uv[textured].tolist())) == sorted(map(tuple, UV))


def test_obj_mtl_and_gltf_carry_materials_and_uvs(tmp_path):
    """OBJ usemtl/vt with an MTL map_Kd, and a GLB's embedded image, become a material with an image."""
    quadrants(tmp_path / "q.png")
    for path in (obj_quad(tmp_path), gltf_quad(tmp_path)):
        model = load(path)
        (material,) = model.appearance.materials
        assert material.image is not None
        assert np.isfinite(model.vertex_uv).all() and (model.vertex_material == 0).all()
        atlas = build_atlas(model.appearance)
        assert atlas.missing == [] and 0 in atlas.rects


def test_appearance_survives_the_scene_cache(tmp_path):
    """A second load (from the scene cache) has the same materials and per-vertex arrays."""
    quadrants(tmp_path / "q.png")
    path = obj_quad(tmp_path)
    first = load(path)
    from viewer.city import cache

    cache.flush()
    second = load(path)
    assert second.content_key is not None
    assert second.appearance.materials == first.appearance.materials
    assert np.array_equal(second.vertex_material, first.vertex_material)
    assert np.array_equal(second.vertex_uv, first.vertex_uv)


def test_localize_rebases_material_indices(tmp_path):
    """Two textured sources in one scene: the second's material indices point past the first's table."""
    from viewer.city.localize import localize
    from viewer.city.scene import load_one
    from viewer.config import SourceConfig
    from viewer.geo.frame import LocalFrame

    quadrants(tmp_path / "q.png")
    src = load_one(SourceConfig(path=obj_quad(tmp_path)), Limits(), use_cache=False)
    plain = dataclasses.replace(src, appearance=None, vertex_material=None, vertex_uv=None)
    model = localize([src, plain, src], LocalFrame(None, (0.0, 0.0, 0.0)))
    assert len(model.appearance.materials) == 2
    n = src.vertex_count
    assert model.vertex_material.tolist() == [0] * n + [-1] * n + [1] * n
    assert np.isnan(model.vertex_uv[n:2 * n]).all()


# ---------------------------------------------------------------- atlas

def test_atlas_packs_images_with_inset_coordinates(tmp_path):
    """Each image lands whole in its rectangle; uvs map inside it, half a texel in, clamped at 0 and 1."""
    refs = [ImageRef(f"i{k}", path=str(quadrants(tmp_path / f"i{k}.png", 32 * (k + 1)))) for k in range(3)]
    table = Appearance([Material(image=r) for r in refs] + [Material(diffuse=(1, 0, 0))])
    atlas = build_atlas(table)
    assert atlas.side & (atlas.side - 1) == 0 and set(atlas.rects) == {0, 1, 2}
    for k, (x, y, w, h) in atlas.rects.items():
        assert (w, h) == (32 * (k + 1),) * 2
        assert tuple(atlas.pixels[y, x, :3]) == (255, 0, 0)  # the image's top-left texel
    uv = atlas_uv(atlas, np.array([1, 1, 3, -1], np.int16), np.array([[0, 0], [2, -1], [0.5, 0.5], [0, 0]],
                                                                       np.float32))
    x, y, w, h = atlas.rects[1]
    side = atlas.side
    assert np.allclose(uv[0], [(x + 0.5) / side, (y + h - 0.5) / side])
    assert np.allclose(uv[1], [(x + w - 0.5) / side, (y + h - 0.5) / side])
    assert (uv[2:] == ap.UNTEXTURED_UV).all()


def test_atlas_over_budget_is_scaled_down_with_one_warning(tmp_path, caplog):
    """Images larger than max_texture_mb allows are scaled to fit one page, said once."""
    refs = [ImageRef(f"big{k}", path=str(quadrants(tmp_path / f"big{k}.png", 512))) for k in range(4)]
    table = Appearance([Material(image=r) for r in refs], max_texture_mb=1)
    with caplog.at_level(logging.WARNING):
        atlas = build_atlas(table)
    assert atlas.side == page_limit(1) == 256 and atlas.scale < 0.5
    assert len([r for r in caplog.records if "scaled" in r.getMessage()]) == 1
    assert atlas.pixels.nbytes * 4 / 3 <= 1e6


def test_one_power_of_two_image_keeps_its_page_size(tmp_path, caplog):
    """A 1024 x 1024 image shrinks by under 5% to fit a 1024 page (not a 2048 one for its border), silently."""
    table = Appearance([Material(image=ImageRef("p", path=str(quadrants(tmp_path / "p.png", 1024))))])
    with caplog.at_level(logging.WARNING):
        atlas = build_atlas(table)
    assert atlas.side == 1024 and 0.95 <= atlas.scale < 1.0 and not caplog.records


# ---------------------------------------------------------------- hostile images

def test_hostile_images_are_missing_with_a_reason(tmp_path, caplog):
    """Outside the folder, not an image, too many pixels, absent: each one warning line naming it."""
    outside = tmp_path / "outside.png"
    quadrants(outside)
    folder = tmp_path / "model"
    (folder / "tex").mkdir(parents=True)
    (folder / "tex" / "text.png").write_text("not a png")
    Image.new("1", (9000, 9000)).save(folder / "tex" / "huge.png")  # 81 M pixels, a small file
    results = {}
    for name in ("../outside.png", "tex/text.png", "tex/huge.png", "tex/absent.png"):
        path = cityjson_quad(folder, image=name)
        model = load(path)
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            atlas = build_atlas(model.appearance)
        lines = [r.getMessage() for r in caplog.records]
        assert atlas.missing == [name] and atlas.rects == {}
        assert len(lines) == 1 and name in lines[0], lines
        results[name] = lines[0]
    assert "outside" in results["../outside.png"]
    assert "not an image" in results["tex/text.png"]
    assert "pixels" in results["tex/huge.png"]
    assert "not found" in results["tex/absent.png"]


def test_many_missing_images_are_counted_after_ten_lines(caplog):
    table = Appearance([Material(image=ImageRef(f"m{k}.jpg", path=f"/nonexistent/m{k}.jpg")) for k in range(30)])
    with caplog.at_level(logging.WARNING):
        atlas = build_atlas(table)
    assert len(atlas.missing) == 30 and len(caplog.records) == ap.MAX_IMAGE_WARNINGS + 1
    assert "20 more" in caplog.records[-1].getMessage()


def test_inspect_reports_textures(tmp_path):
    from viewer.city.inspect import summarize
    from viewer.city.scene import load_one
    from viewer.config import SourceConfig

    (tmp_path / "tex").mkdir()
    quadrants(tmp_path / "tex" / "q.png")
    src = load_one(SourceConfig(path=cityjson_quad(tmp_path, material=True)), Limits(), use_cache=False)
    textures = summarize(src)["textures"]
    assert textures == {"materials": 2, "images": 1, "found": 1, "missing": [], "atlas": 128}


# ---------------------------------------------------------------- renders

@pytest.mark.render
@pytest.mark.parametrize("fmt", ["cityjson", "gltf", "obj"])
def test_render_shows_the_texture(tmp_path, offscreen_gl, fmt):
    """The quad's four image colours appear in a real render, oriented as the uvs say."""
    (tmp_path / "tex").mkdir()
    quadrants(tmp_path / "tex" / "q.png")
    quadrants(tmp_path / "q.png")
    path = {"cityjson": cityjson_quad, "gltf": gltf_quad, "obj": obj_quad}[fmt](tmp_path)
    assert_shows_quadrants(render(load(path)))


@pytest.mark.render
def test_render_fixed_function_shows_the_texture(tmp_path, offscreen_gl):
    """Without shaders (the p3tinydisplay path) the atlas modulates the vertex colours the same way."""
    quadrants(tmp_path / "q.png")
    assert_shows_quadrants(render(load(obj_quad(tmp_path)), shaders=False))


@pytest.mark.render
def test_missing_image_keeps_the_style_colour(tmp_path, offscreen_gl, caplog):
    """A missing image: one warning naming it, and the roof drawn in the style's roof colour."""
    roof = (1.0, 0.0, 1.0)
    model = load(cityjson_quad(tmp_path, image="tex/absent.png"))
    with caplog.at_level(logging.WARNING):
        image = render(model, style=Style(surfaces={"roof": roof}))
    assert [r.getMessage() for r in caplog.records if "absent" in r.getMessage()] == [
        "texture tex/absent.png: not found; its surfaces keep their colour"]
    share, _ = colour_share(image, (255, 0, 255), tol=90)
    assert share > 0.05
    assert colour_share(image, COLOURS["red"])[0] < 0.001


@pytest.mark.render
def test_material_diffuse_colour_replaces_the_style(tmp_path, offscreen_gl):
    """A CityJSON material's diffuseColor (blue) shows where its texture is missing."""
    model = load(cityjson_quad(tmp_path, image="tex/absent.png", material=True))
    image = render(model, style=Style(surfaces={"roof": (1.0, 0.0, 1.0)}))
    assert colour_share(image, (0, 0, 255), tol=90)[0] > 0.05
    assert colour_share(image, (255, 0, 255), tol=90)[0] < 0.01


@pytest.mark.render
def test_live_layer_colour_wins_over_the_texture(tmp_path, offscreen_gl):
    """With the colour lookup texture attached, an object a layer colours shows that colour, not its texture."""
    from viewer.app.base import offscreen_base
    from viewer.app.headless import model_pose, render_stage_image
    from viewer.render.colour_lut import ColourLut
    from viewer.render.stage import build_stage

    quadrants(tmp_path / "q.png")
    model = load(obj_quad(tmp_path))
    style, base = Style(), offscreen_base()
    stage = build_stage(base.render, model, style)
    lut = ColourLut(len(model.objects))
    lut.attach(stage.city.root)
    try:
        pose = model_pose(stage, (320, 240), None)
        assert_shows_quadrants(render_stage_image(base, stage, (320, 240), pose, style, 0))
        lut.write(np.array([0]), np.array([[255, 0, 255, 255]], np.uint8))
        image = render_stage_image(base, stage, (320, 240), pose, style, 0)
    finally:
        stage.remove()
    assert colour_share(image, (255, 0, 255), tol=90)[0] > 0.05
    assert colour_share(image, COLOURS["green"])[0] < 0.001


# ---------------------------------------------------------------- real data

@pytest.mark.render
def test_rotterdam_one_texture_found_others_missing(shared_data, offscreen_gl, caplog):
    """Delfshaven ships one of its JPGs: it is found and drawn; the others are named missing; it renders."""
    path = shared_data / "cityjson_rotterdam" / "rotterdam_one.json"
    if not path.is_file():
        pytest.skip("rotterdam_one.json not in shared data")
    model = load(path)
    with caplog.at_level(logging.WARNING):
        atlas = build_atlas(model.appearance)
    assert atlas.found == ["appearances/0320_4_15.jpg"] and len(atlas.missing) == 5
    assert len([r for r in caplog.records if "texture appearances/" in r.getMessage()]) == 5
    image = render(model)
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 200  # the photo's many colours

