"""Textures in CityJSON Text Sequences: a feature's own "appearance" (indices local to the feature) and the
header line's appearance for features without one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_textures import QUAD, UV, assert_shows_quadrants, load, quadrants, render

from viewer.city.appearance import build_atlas
from viewer.city.scene import load_one
from viewer.config import Limits, SourceConfig


def feature(fid: str, dx: float, appearance: dict | None, texture: int = 0) -> dict:
    """One Building feature: the quad moved by dx, textured with `texture` of the feature's (or header's)
    table and uv indices 0-3 of it."""
    out = {"type": "CityJSONFeature", "id": fid, "vertices": [[x + dx, y, z] for x, y, z in QUAD],
           "CityObjects": {fid: {"type": "Building", "geometry": [{
               "type": "MultiSurface", "lod": "2", "boundaries": [[[0, 1, 2, 3]]],
               "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]},
               "texture": {"photo": {"values": [[[texture, 0, 1, 2, 3]]]}}}]}}}
    if appearance is not None:
        out["appearance"] = appearance
    return out


def own(image: str, diffuse: list[float] | None = None) -> dict:
    app: dict = {"textures": [{"type": "PNG", "image": image}], "vertices-texture": UV}
    if diffuse is not None:
        app["materials"] = [{"name": "m", "diffuseColor": diffuse}]
    return app


def write_seq(folder: Path, header_appearance: dict | None, features: list[dict]) -> Path:
    header = {"type": "CityJSON", "version": "2.0", "transform": {"scale": [1, 1, 1], "translate": [0, 0, 0]},
              "CityObjects": {}, "vertices": []}
    if header_appearance is not None:
        header["appearance"] = header_appearance
    path = folder / "quads.city.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [header, *features]) + "\n")
    return path


def roof_images(src) -> list[str | None]:
    """Per feature (object), the image name of its roof's material."""
    out = []
    for obj in range(len(src.objects)):
        (m,) = np.unique(src.vertex_material[src.vertex_object == obj])
        out.append(src.appearance.materials[m].image.name if m >= 0 else None)
    return out


def test_each_feature_its_own_textures_with_local_indices(tmp_path):
    """Two features each with their own one-image table (both index 0) and a plain one before them."""
    plain = feature("p", -200, None)
    del plain["CityObjects"]["p"]["geometry"][0]["texture"]
    path = write_seq(tmp_path, None, [plain, feature("a", 0, own("a.png")), feature("b", 200, own("b.png"))])
    src = load_one(SourceConfig(path=path), Limits(), use_cache=False)
    assert roof_images(src) == [None, "a.png", "b.png"]
    for obj in (1, 2):
        uv = src.vertex_uv[src.vertex_object == obj]
        assert sorted(map(tuple, uv.tolist())) == sorted(map(tuple, UV))


def test_header_appearance_serves_features_without_their_own(tmp_path):
    path = write_seq(tmp_path, own("h0.png") | {"textures": [{"type": "PNG", "image": "h0.png"},
                                                               {"type": "PNG", "image": "h1.png"}]},
                     [feature("a", 0, None, texture=1), feature("b", 200, own("b.png"))])
    src = load_one(SourceConfig(path=path), Limits(), use_cache=False)
    assert roof_images(src) == ["h1.png", "b.png"]


@pytest.mark.render
def test_render_shows_a_feature_texture(tmp_path, offscreen_gl):
    quadrants(tmp_path / "a.png")
    model = load(write_seq(tmp_path, None, [feature("a", 0, own("a.png"))]))
    assert build_atlas(model.appearance, warn=False).found == ["a.png"]
    assert_shows_quadrants(render(model))
