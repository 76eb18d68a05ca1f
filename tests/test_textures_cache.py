"""The cache key covers the side files a loader reads: an OBJ's material libraries and a glTF's external
buffers. A changed MTL (Kd, map_Kd), a deleted one or a changed .bin is a new key, so a second load through
the cache (source and scene entries) shows the change; a changed image shows without one, since images are
read by every render."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_textures import assert_shows_quadrants, colour_share, load, obj_quad, quadrants, render

from viewer.city import cache
from viewer.city.mesh_obj import LibraryScanner
from viewer.config import SourceConfig


def key(path: Path, fmt: str) -> str:
    return cache.cache_key(path, fmt, SourceConfig(path=path))


def diffuse(model) -> tuple[float, float, float]:
    (material,) = model.appearance.materials
    return material.diffuse


def test_changed_mtl_colour_is_a_new_key_and_a_new_colour(tmp_path):
    quadrants(tmp_path / "q.png")
    path = obj_quad(tmp_path)
    first_key = key(path, "obj")
    assert diffuse(load(path)) == (1.0, 1.0, 1.0)
    cache.flush()
    assert key(path, "obj") == first_key  # nothing changed: the same entry serves
    (tmp_path / "quad.mtl").write_text("newmtl photo\nKd 1 0 0\nmap_Kd q.png\n")
    assert key(path, "obj") != first_key
    assert diffuse(load(path)) == (1.0, 0.0, 0.0)


def test_deleted_mtl_is_a_new_key(tmp_path):
    path = obj_quad(tmp_path)
    before = key(path, "obj")
    (tmp_path / "quad.mtl").unlink()
    assert key(path, "obj") != before


def test_library_names_are_found_across_chunk_boundaries():
    """The scan sees the chunks the digest reads: a line cut between two chunks still counts once."""
    scanner = LibraryScanner()
    text = b"v 0 0 0\n" * 1000 + b"mtllib a.mtl b.mtl\r\n  mtllib c.mtl"
    for start in range(0, len(text), 4093):
        scanner(text[start:start + 4093])
    assert scanner.finish() == ["a.mtl", "b.mtl", "c.mtl"]


def test_changed_gltf_buffer_is_a_new_key_and_new_geometry(tmp_path):
    import trimesh

    mesh = trimesh.Trimesh(np.array([[0, 0, 0], [10, 0, 0], [0, 0, -10]], float), [[0, 1, 2]], process=False)
    files = trimesh.Scene(mesh).export(file_type="gltf")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    path = tmp_path / "model.gltf"
    before = key(path, "gltf")
    first = load(path)
    cache.flush()
    positions = [n for n in files if n != "model.gltf" and len(files[n]) == 36]
    (buffer,) = positions
    (tmp_path / buffer).write_bytes(np.array([[0, 0, 0], [20, 0, 0], [0, 0, -20]], np.float32).tobytes())
    assert key(path, "gltf") != before
    second = load(path)
    assert np.ptp(second.vertices[:, 0]) == pytest.approx(2 * np.ptp(first.vertices[:, 0]))


def test_outside_references_are_not_side_files(tmp_path):
    (tmp_path / "m.obj").write_text("mtllib ../elsewhere.mtl\nmtllib here.mtl\nv 0 0 0\n")
    assert cache.side_files(tmp_path / "m.obj", "obj", ["../elsewhere.mtl", "here.mtl"]) == [
        (tmp_path / "here.mtl").resolve()]


@pytest.mark.render
def test_changed_image_shows_through_the_cache(tmp_path, offscreen_gl):
    """Same size, new pixels: the cached model (same key) renders the new image."""
    quadrants(tmp_path / "q.png")
    path = obj_quad(tmp_path)
    assert_shows_quadrants(render(load(path)))
    cache.flush()
    before = key(path, "obj")
    magenta = np.zeros((64, 64, 4), np.uint8)
    magenta[..., [0, 2, 3]] = 255
    Image.fromarray(magenta).save(tmp_path / "q.png")
    assert key(path, "obj") == before
    image = render(load(path))
    assert colour_share(image, (255, 0, 255), tol=60)[0] > 0.05
    assert colour_share(image, (255, 0, 0), tol=60)[0] < 0.001

