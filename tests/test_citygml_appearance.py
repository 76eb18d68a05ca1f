"""CityGML appearances: ParameterizedTexture (TexCoordList, TexCoordGen), X3DMaterial per surface, themes,
xlinked surface data, images in zip archives, missing images; CityGML 2.0 and 3.0, and Den Haag's real file.

The textured quad is the one of tests/test_textures.py: 100 x 100 m on the ground, the four-colour image with
uv (0, 0) at its south-west corner, so a render from the default view shows all four colours, blue nearest.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import numpy as np
import pytest
from test_textures import COLOURS, assert_shows_quadrants, colour_share, load, quadrants, render

from viewer.city.appearance import build_atlas
from viewer.city.scene import load_one
from viewer.config import Limits, SourceConfig, Style

X0, Y0 = 85000.0, 445000.0  # EPSG:28992, Rotterdam
RING = [(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)]
UV = "0 0 1 0 1 1 0 1 0 0"

NS2 = ('xmlns="http://www.opengis.net/citygml/2.0" xmlns:gml="http://www.opengis.net/gml" '
       'xmlns:bldg="http://www.opengis.net/citygml/building/2.0" '
       'xmlns:app="http://www.opengis.net/citygml/appearance/2.0" xmlns:xlink="http://www.w3.org/1999/xlink"')
NS3 = ('xmlns="http://www.opengis.net/citygml/3.0" xmlns:gml="http://www.opengis.net/gml/3.2" '
       'xmlns:bldg="http://www.opengis.net/citygml/building/3.0" xmlns:con="http://www.opengis.net/citygml/construction/3.0" '
       'xmlns:app="http://www.opengis.net/citygml/appearance/3.0" xmlns:xlink="http://www.w3.org/1999/xlink"')


def pos_list(points, z: float = 0.0, reverse: bool = False) -> str:
    points = list(reversed(points)) if reverse else points
    return " ".join(f"{X0 + x} {Y0 + y} {z}" for x, y in points)


def polygon(pid: str, points=RING, z: float = 0.0, reverse: bool = False) -> str:
    return (f'<gml:Polygon gml:id="{pid}"><gml:exterior><gml:LinearRing gml:id="{pid}_r">'
            f'<gml:posList srsDimension="3">{pos_list(points, z, reverse)}</gml:posList>'
            '</gml:LinearRing></gml:exterior></gml:Polygon>')


WALL = [(0, 0), (0, 100), (0, 100), (0, 0)]


def wall_polygon() -> str:
    pts = f"{X0} {Y0} 0 {X0} {Y0 + 100} 0 {X0} {Y0 + 100} 10 {X0} {Y0} 10 {X0} {Y0} 0"
    return (f'<gml:Polygon gml:id="wall"><gml:exterior><gml:LinearRing>'
            f'<gml:posList srsDimension="3">{pts}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>')


def texture2(image: str = "tex/q.png", target: str = "roof", gid: str = "tex1", body: str | None = None) -> str:
    body = body or (f'<app:TexCoordList><app:textureCoordinates ring="#{target}_r">{UV}'
                    '</app:textureCoordinates></app:TexCoordList>')
    return (f'<app:ParameterizedTexture gml:id="{gid}"><app:imageURI>{image}</app:imageURI>'
            f'<app:mimeType>image/png</app:mimeType><app:target uri="#{target}">{body}</app:target>'
            '</app:ParameterizedTexture>')


def material2(rgb: str, target: str) -> str:
    return (f'<app:X3DMaterial><app:diffuseColor>{rgb}</app:diffuseColor><app:target>#{target}</app:target>'
            '</app:X3DMaterial>')


def citygml2(folder: Path, data: list[str], theme: str = "rgbTexture", global_data: list[str] | None = None,
             roof: str | None = None, name: str = "quad.gml") -> Path:
    """A CityGML 2.0 Building: the roof quad (RoofSurface) and a wall; `data` in its own appearance,
    `global_data` in an appearanceMember after it."""
    members = "".join(f"<app:surfaceDataMember>{d}</app:surfaceDataMember>" for d in data)
    local = (f"<app:appearance><app:Appearance><app:theme>{theme}</app:theme>{members}</app:Appearance>"
             "</app:appearance>") if data else ""
    after = "".join(f'<app:appearanceMember><app:Appearance><app:theme>{t}</app:theme>'
                    f'<app:surfaceDataMember>{d}</app:surfaceDataMember></app:Appearance></app:appearanceMember>'
                    for t, d in (global_data or []))
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<CityModel {NS2}>
<gml:boundedBy><gml:Envelope srsName="EPSG:28992" srsDimension="3"><gml:lowerCorner>{X0} {Y0} 0</gml:lowerCorner>
<gml:upperCorner>{X0 + 100} {Y0 + 100} 10</gml:upperCorner></gml:Envelope></gml:boundedBy>
<cityObjectMember><bldg:Building gml:id="b1">{local}
<bldg:boundedBy><bldg:RoofSurface gml:id="rs"><bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember>
{roof or polygon("roof")}</gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:RoofSurface></bldg:boundedBy>
<bldg:boundedBy><bldg:WallSurface gml:id="ws"><bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember>
{wall_polygon()}</gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:WallSurface></bldg:boundedBy>
</bldg:Building></cityObjectMember>{after}
</CityModel>"""
    path = folder / name
    path.write_text(doc)
    return path


def citygml3(folder: Path, image: str = "tex/q.png", ring_attribute: bool = False) -> Path:
    """A CityGML 3.0 Building whose texture (TextureAssociation, parallel ring elements) is a global
    appearanceMember placed BEFORE the building, and whose wall colour is an X3DMaterial after it."""
    coords = (f'<app:textureCoordinates ring="#roof_r">{UV}</app:textureCoordinates>' if ring_attribute else
              f"<app:textureCoordinates>{UV}</app:textureCoordinates><app:ring>#roof_r</app:ring>")
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<CityModel {NS3}>
<appearanceMember><app:Appearance><app:theme>photo</app:theme><app:surfaceData><app:ParameterizedTexture gml:id="t1">
<app:imageURI>{image}</app:imageURI><app:textureParameterization><app:TextureAssociation gml:id="a1">
<app:target>#roof</app:target><app:textureParameterization><app:TexCoordList>{coords}
</app:TexCoordList></app:textureParameterization></app:TextureAssociation></app:textureParameterization>
</app:ParameterizedTexture></app:surfaceData></app:Appearance></appearanceMember>
<cityObjectMember><bldg:Building gml:id="b1">
<boundary><con:RoofSurface gml:id="rs"><lod2MultiSurface><gml:MultiSurface srsName="EPSG:28992" srsDimension="3">
<gml:surfaceMember>{polygon("roof")}</gml:surfaceMember></gml:MultiSurface></lod2MultiSurface></con:RoofSurface></boundary>
<boundary><con:WallSurface gml:id="ws"><lod2MultiSurface><gml:MultiSurface srsName="EPSG:28992" srsDimension="3">
<gml:surfaceMember>{wall_polygon()}</gml:surfaceMember></gml:MultiSurface></lod2MultiSurface></con:WallSurface></boundary>
</bldg:Building></cityObjectMember>
<appearanceMember><app:Appearance><app:theme>photo</app:theme><app:surfaceData><app:X3DMaterial>
<app:diffuseColor>0 1 1</app:diffuseColor><app:target>#wall</app:target></app:X3DMaterial></app:surfaceData>
</app:Appearance></appearanceMember>
</CityModel>"""
    path = folder / "quad3.gml"
    path.write_text(doc)
    return path


def source(path: Path):
    return load_one(SourceConfig(path=path), Limits(), use_cache=False)


def roof_uv(src) -> dict[tuple[float, float], tuple[float, float]]:
    """uv of each roof vertex by its (x, y) relative to the quad's corner."""
    roof = src.vertex_kind == 1
    xy = src.positions[roof, :2] - (X0, Y0)
    return {(round(float(x)), round(float(y))): tuple(float(v) for v in uv)
            for (x, y), uv in zip(xy, src.vertex_uv[roof], strict=True)}


EXPECTED_UV = {(0, 0): (0.0, 0.0), (100, 0): (1.0, 0.0), (100, 100): (1.0, 1.0), (0, 100): (0.0, 1.0)}


# ---------------------------------------------------------------- loading

def test_citygml2_texture_coordinates_reach_each_roof_vertex(tmp_path):
    src = source(citygml2(tmp_path, [texture2()]))
    assert roof_uv(src) == EXPECTED_UV
    (m,) = np.unique(src.vertex_material[src.vertex_kind == 1])
    assert src.appearance.materials[m].image.path == str(tmp_path / "tex" / "q.png")
    assert np.isnan(src.vertex_uv[src.vertex_kind == 2]).all()  # the wall is untextured
    assert (src.vertex_material[src.vertex_kind == 2] == -1).all()


def test_reversed_ring_takes_its_coordinates_reversed(tmp_path):
    """An OrientableSurface with orientation "-" reverses the ring's vertices: each keeps its own uv."""
    roof = (f'<gml:OrientableSurface orientation="-"><gml:baseSurface>{polygon("roof", reverse=True)}'
            '</gml:baseSurface></gml:OrientableSurface>')
    uv_reversed = "0 0 0 1 1 1 1 0 0 0"  # the uv of each point as written: (0,0) (0,100) (100,100) (100,0)
    body = (f'<app:TexCoordList><app:textureCoordinates ring="#roof_r">{uv_reversed}'
            '</app:textureCoordinates></app:TexCoordList>')
    src = source(citygml2(tmp_path, [texture2(body=body)], roof=roof))
    assert roof_uv(src) == EXPECTED_UV


def test_tex_coord_gen_maps_world_coordinates(tmp_path):
    """TexCoordGen: worldToTexture (s, t, q) = M (x, y, z, 1); uv = (s/q, t/q)."""
    m = [[0.01, 0, 0, -X0 * 0.01], [0, 0.01, 0, -Y0 * 0.01], [0, 0, 0, 1]]
    text = " ".join(str(v) for row in m for v in row)
    body = f"<app:TexCoordGen><app:worldToTexture>{text}</app:worldToTexture></app:TexCoordGen>"
    src = source(citygml2(tmp_path, [texture2(body=body)]))
    got = roof_uv(src)
    assert got.keys() == EXPECTED_UV.keys()
    for key, uv in EXPECTED_UV.items():
        assert got[key] == pytest.approx(uv, abs=1e-6)


def test_citygml3_texture_association_before_the_geometry_and_material_after(tmp_path):
    for ring_attribute in (False, True):
        src = source(citygml3(tmp_path, ring_attribute=ring_attribute))
        assert roof_uv(src) == EXPECTED_UV
        (wall,) = np.unique(src.vertex_material[src.vertex_kind == 2])
        assert src.appearance.materials[wall].diffuse == (0.0, 1.0, 1.0)


def test_per_surface_materials_and_the_first_theme(tmp_path):
    """Two X3DMaterials of one object (roof red, wall blue) under theme "a"; theme "b" (later) is ignored
    with one warning naming it."""
    src = source(citygml2(tmp_path, [material2("1 0 0", "roof"), material2("0 0 1", "wall")], theme="a",
                          global_data=[("b", material2("0 1 0", "roof"))]))
    diffuse = {k: {src.appearance.materials[m].diffuse for m in np.unique(src.vertex_material[src.vertex_kind == k])}
               for k in (1, 2)}
    assert diffuse == {1: {(1.0, 0.0, 0.0)}, 2: {(0.0, 0.0, 1.0)}}
    assert any("material themes ['b'] ignored" in w for w in src.meta["warnings"])


def test_material_naming_no_polygon_colours_its_whole_object(tmp_path):
    """An X3DMaterial whose target is not a polygon (here the roof's MultiSurface) cannot be placed per
    surface: it stays its object's colour (the colour attribute), as before per-surface materials."""
    path = citygml2(tmp_path, [material2("1 0 0", "ms")])
    path.write_text(path.read_text().replace("<gml:MultiSurface>", '<gml:MultiSurface gml:id="ms">', 1))
    src = source(path)
    assert src.objects.attributes[0]["colour"] == "#ff0000"
    (m,) = np.unique(src.vertex_material)
    assert src.appearance.materials[m].diffuse == (1.0, 0.0, 0.0)
    assert any("1 appearance targets name no drawn polygon" in w for w in src.meta["warnings"])


def test_surface_data_shared_by_xlink_joins_the_referencing_theme(tmp_path):
    """The texture is defined once, under theme "winter", after the building; the building's own appearance
    (theme "summer", met first) references it by xlink: it is shown as part of "summer"."""
    link = '<app:surfaceDataMember xlink:href="#tex1"/>'
    path = citygml2(tmp_path, [], global_data=[("winter", texture2())])
    text = path.read_text().replace(
        '<bldg:Building gml:id="b1">',
        f'<bldg:Building gml:id="b1"><app:appearance><app:Appearance><app:theme>summer</app:theme>{link}'
        '</app:Appearance></app:appearance>')
    path.write_text(text)
    src = source(path)
    assert roof_uv(src) == EXPECTED_UV
    assert any("texture themes ['winter'] ignored" in w for w in src.meta["warnings"])


def test_images_inside_a_zip_are_read_from_the_archive(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    gml = citygml2(folder, [texture2(image="tex/q.png"), texture2(image="../../../outside.png", target="wall",
                                                                   gid="tex2")])
    quadrants(folder / "q.png")
    archive = tmp_path / "city.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(gml, "udx/bldg/quad.gml")
        z.write(folder / "q.png", "udx/bldg/tex/q.png")
    src = source(archive)
    images = {m.image.name: m.image for m in src.appearance.materials if m.image is not None}
    assert images["tex/q.png"].member == "udx/bldg/tex/q.png"
    assert images["../../../outside.png"].refused
    atlas = build_atlas(src.appearance, warn=False)
    assert atlas.found == ["tex/q.png"] and atlas.missing == ["../../../outside.png"]


def test_georeferenced_texture_is_one_warning(tmp_path):
    geo = ('<app:GeoreferencedTexture><app:imageURI>ortho.png</app:imageURI><app:target>#roof</app:target>'
           '</app:GeoreferencedTexture>')
    src = source(citygml2(tmp_path, [geo, material2("1 0 0", "roof")]))
    assert [w for w in src.meta["warnings"] if "GeoreferencedTexture" in w] == [
        "1 GeoreferencedTexture(s) not read; their surfaces keep their colour"]


def test_files_without_an_appearance_namespace_track_no_ids(tmp_path):
    """The id tracking that finds targets costs nothing for documents that cannot have appearances."""
    from viewer.city import citygml

    plain = tmp_path / "plain.gml"
    plain.write_text(citygml2(tmp_path, []).read_text().replace(
        ' xmlns:app="http://www.opengis.net/citygml/appearance/2.0"', ""))
    reader = citygml._Reader(plain, SourceConfig(path=plain), Limits())
    reader.read(lambda: plain.open("rb"), "")
    assert reader.store.track_ids is False and reader.store.poly_hash is None
    assert reader.finish().appearance is None


# ---------------------------------------------------------------- renders

@pytest.mark.render
@pytest.mark.parametrize("version", ["2.0", "3.0"])
def test_render_shows_the_citygml_texture(tmp_path, offscreen_gl, version):
    (tmp_path / "tex").mkdir()
    quadrants(tmp_path / "tex" / "q.png")
    path = citygml2(tmp_path, [texture2()]) if version == "2.0" else citygml3(tmp_path)
    assert_shows_quadrants(render(load(path)))


@pytest.mark.render
def test_render_from_a_zip_shows_the_texture(tmp_path, offscreen_gl):
    folder = tmp_path / "src"
    folder.mkdir()
    gml = citygml2(folder, [texture2()])
    quadrants(folder / "q.png")
    archive = tmp_path / "city.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(gml, "city/quad.gml")
        z.write(folder / "q.png", "city/tex/q.png")
    assert_shows_quadrants(render(load(archive)))


@pytest.mark.render
def test_missing_image_warns_once_and_keeps_the_material_colour(tmp_path, offscreen_gl, caplog):
    """The texture's image is absent: one warning naming it; the roof shows its X3DMaterial (magenta)."""
    path = citygml2(tmp_path, [texture2(image="tex/absent.png"), material2("1 0 1", "roof")])
    model = load(path)
    with caplog.at_level(logging.WARNING):
        image = render(model, style=Style(surfaces={"roof": (0.0, 1.0, 0.0)}))
    assert [r.getMessage() for r in caplog.records if "absent" in r.getMessage()] == [
        "texture tex/absent.png: not found; its surfaces keep their colour"]
    assert colour_share(image, (255, 0, 255), tol=90)[0] > 0.05
    assert colour_share(image, COLOURS["green"])[0] < 0.001


# ---------------------------------------------------------------- real data

def test_den_haag_materials_per_surface(shared_data):
    """dh_1.gml gives each building three X3DMaterials by polygon: walls light grey, roofs dark red, ground
    grey. Each surface kind gets its own colour (before: one colour per building)."""
    path = shared_data / "citygml2_denhaag_val3dity" / "dh_1.gml"
    if not path.is_file():
        pytest.skip("dh_1.gml not in shared data")
    src = source(path)
    materials = src.appearance.materials
    by_kind = {k: {tuple(round(v, 3) for v in materials[m].diffuse)
                   for m in np.unique(src.vertex_material[src.vertex_kind == k])} for k in (1, 2, 3)}
    assert by_kind == {1: {(0.502, 0.0, 0.0)}, 2: {(0.922, 0.922, 0.922)}, 3: {(0.502, 0.502, 0.502)}}
    assert (src.vertex_material >= 0).all()
    assert src.meta["warnings"] == []


def test_ogc_samples_have_no_appearances(shared_data):
    """The OGC CityGML 3.0 samples carry no appearance: they load with none."""
    folder = shared_data / "citygml_ogc_samples" / "Building"
    if not folder.is_dir():
        pytest.skip("citygml_ogc_samples not in shared data")
    for path in sorted(folder.glob("*.gml")):
        assert source(path).appearance is None
