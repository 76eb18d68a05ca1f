"""CityGML 1.0/2.0/3.0 loading: real files from ../shared/data checked against their SOURCE.md, hand-written
snippets for each geometry form, xlink, implicit geometry, LoD choice and srsName form, gz and zip, and
hostile input (entities, not-CityGML XML, truncation, bombs, limits)."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from viewer.city.citygml import load
from viewer.city.loaders import detect_format, load_source
from viewer.city.model import SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import LimitExceeded, LoadError
from viewer.geo.frame import to_lonlat

NS2 = ('xmlns="http://www.opengis.net/citygml/2.0" xmlns:core="http://www.opengis.net/citygml/2.0" '
       'xmlns:bldg="http://www.opengis.net/citygml/building/2.0" xmlns:gml="http://www.opengis.net/gml" '
       'xmlns:gen="http://www.opengis.net/citygml/generics/2.0" xmlns:xlink="http://www.w3.org/1999/xlink" '
       'xmlns:dem="http://www.opengis.net/citygml/relief/2.0" xmlns:app="http://www.opengis.net/citygml/appearance/2.0" '
       'xmlns:veg="http://www.opengis.net/citygml/vegetation/2.0" xmlns:tran="http://www.opengis.net/citygml/transportation/2.0" '
       'xmlns:xAL="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0"')
NS3 = ('xmlns="http://www.opengis.net/citygml/3.0" xmlns:core="http://www.opengis.net/citygml/3.0" '
       'xmlns:bldg="http://www.opengis.net/citygml/building/3.0" xmlns:con="http://www.opengis.net/citygml/construction/3.0" '
       'xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:gen="http://www.opengis.net/citygml/generics/3.0" '
       'xmlns:tran="http://www.opengis.net/citygml/transportation/3.0" xmlns:xlink="http://www.w3.org/1999/xlink"')

SQUARE = "0 0 0 10 0 0 10 10 0 0 10 0 0 0 0"


def doc2(body: str, srs: str | None = "EPSG:25832") -> str:
    envelope = (f'<gml:boundedBy><gml:Envelope srsName="{srs}" srsDimension="3"><gml:lowerCorner>0 0 0'
                f'</gml:lowerCorner><gml:upperCorner>1 1 1</gml:upperCorner></gml:Envelope></gml:boundedBy>'
                if srs else "")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<CityModel {NS2}>\n{envelope}\n{body}\n</CityModel>\n'


def doc3(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<CityModel {NS3}>\n{body}\n</CityModel>\n'


def poly(coords: str, gid: str = "", holes: tuple[str, ...] = (), dim: str = ' srsDimension="3"') -> str:
    ident = f' gml:id="{gid}"' if gid else ""
    inner = "".join(f"<gml:interior><gml:LinearRing><gml:posList{dim}>{h}</gml:posList></gml:LinearRing>"
                    f"</gml:interior>" for h in holes)
    return (f"<gml:Polygon{ident}><gml:exterior><gml:LinearRing><gml:posList{dim}>{coords}</gml:posList>"
            f"</gml:LinearRing></gml:exterior>{inner}</gml:Polygon>")


def member(inner: str) -> str:
    return f"<cityObjectMember>{inner}</cityObjectMember>"


def building(gid: str, geometry: str, extra: str = "") -> str:
    return member(f'<bldg:Building gml:id="{gid}">{extra}{geometry}</bldg:Building>')


def box_faces(x0: float, y0: float, z0: float, size: float, prefix: str = "f") -> list[tuple[str, str, str]]:
    """(id, surface type, posList) of the 6 faces of an axis-aligned cube, outward-wound."""
    x1, y1, z1 = x0 + size, y0 + size, z0 + size
    quads = {
        "GroundSurface": [(x0, y0, z0), (x0, y1, z0), (x1, y1, z0), (x1, y0, z0)],
        "RoofSurface": [(x0, y0, z1), (x1, y0, z1), (x1, y1, z1), (x0, y1, z1)],
        "WallSurface": [(x0, y0, z0), (x1, y0, z0), (x1, y0, z1), (x0, y0, z1)],
        "WallSurface2": [(x1, y0, z0), (x1, y1, z0), (x1, y1, z1), (x1, y0, z1)],
        "WallSurface3": [(x1, y1, z0), (x0, y1, z0), (x0, y1, z1), (x1, y1, z1)],
        "WallSurface4": [(x0, y1, z0), (x0, y0, z0), (x0, y0, z1), (x0, y1, z1)],
    }
    out = []
    for i, (name, pts) in enumerate(quads.items()):
        text = " ".join(f"{x:g} {y:g} {z:g}" for x, y, z in [*pts, pts[0]])
        out.append((f"{prefix}{i}", name.rstrip("234"), text))
    return out


def write(tmp_path: Path, text: str, name: str = "m.gml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path, **options) -> object:
    return load(path, SourceConfig(path=path, **options), Limits())


def triangle_area(model, rows: np.ndarray | None = None) -> float:
    tris = model.triangles if rows is None else model.triangles[rows]
    p = model.positions
    a, b, c = p[tris[:, 0]], p[tris[:, 1]], p[tris[:, 2]]
    return float(np.linalg.norm(np.cross(b - a, c - a), axis=1).sum() / 2)


def kinds_of(model) -> set[str]:
    return {SurfaceKind(k).name.lower() for k in np.unique(model.vertex_kind)}


# ----- real files -----

def test_den_haag_buildings_parts_semantics_colours(shared_data):
    """val3dity's Den Haag files: 1 Building + 6 BuildingParts each in EPSG:28992, parts under the building,
    roofs, walls and ground from the boundary surfaces, every solid polygon drawn once, X3D colours kept."""
    folder = shared_data / "citygml2_denhaag_val3dity"
    envelopes = {"DenHaag_1BwBP.gml": ((78342.805, 457631.26, 3.003), (79020.651, 458246.858, 37.481)),
                 "dh_1.gml": ((79269.72, 456685.421, 1.673), (80479.564, 457807.545, 31.235))}
    for name, (lo, hi) in envelopes.items():
        model = read(folder / name)
        assert model.crs == "EPSG:28992" and model.objects.type_counts() == {"BuildingPart": 6, "Building": 1}
        building_row = model.objects.types.index("Building")
        assert all(p == building_row for p, t in zip(model.objects.parents, model.objects.types, strict=True)
                   if t == "BuildingPart")
        box_lo, box_hi = model.bbox()
        assert all(a >= b - 1e-6 for a, b in zip(box_lo, lo, strict=True))
        assert all(a <= b + 1e-6 for a, b in zip(box_hi, hi, strict=True))
        assert {"roof", "wall", "ground"} <= kinds_of(model)
        corners = np.sort(np.round(model.positions[model.triangles], 3).reshape(-1, 9), axis=1)
        assert np.unique(corners, axis=0).shape[0] == model.triangle_count  # no polygon twice
        parts = [a for a, t in zip(model.objects.attributes, model.objects.types, strict=True) if t == "BuildingPart"]
        assert all(str(a.get("colour", "")).startswith("#") for a in parts)
        assert all(isinstance(a["RelativeEavesHeight"], float) for a in parts)


def test_lyon_opera_citygml3_lod2(shared_data):
    """The Lyon Opera (CityGML 3.0, EPSG:3946): one building inside its envelope, at 45.7678 N 4.8366 E."""
    model = read(shared_data / "citygml_ogc_samples/Building/Opera-Lyon_CityGML3.0_LOD2_with_xAL3_FullyStructured.gml")
    assert model.crs == "EPSG:3946" and model.objects.type_counts() == {"Building": 1}
    lo, hi = model.bbox()
    assert lo == pytest.approx([1842810.0, 5175815.5, 170.787], abs=0.6)
    assert hi == pytest.approx([1842869.75, 5175863.5, 209.217], abs=0.6)
    lon, lat = to_lonlat(np.array([[(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2]]), model.crs)[0]
    assert lat == pytest.approx(45.7678, abs=0.002) and lon == pytest.approx(4.8366, abs=0.002)
    assert {"roof", "wall", "ground"} <= kinds_of(model)
    assert model.meta["version"] == "3.0" and "address" in model.objects.attributes[0]


def test_jefferson_epsg4979_written_lon_first(shared_data):
    """The Jefferson Building (EPSG:4979, written lon, lat, h) lands on Capitol Hill, lon first."""
    model = read(shared_data / "citygml_ogc_samples/Building/JeffersonBuilding_CityGML3.0_LOD1_with_xAL3_CommonTypes.gml")
    assert model.crs == "EPSG:4979" and model.objects.type_counts() == {"Building": 1}
    lo, hi = model.bbox()
    assert -77.1034 < lo[0] < hi[0] < -76.9119 and 38.7926 < lo[1] < hi[1] < 38.9923 and 0 <= lo[2] < hi[2] <= 46
    assert (lo[0] + hi[0]) / 2 == pytest.approx(-77.0048, abs=0.002)
    assert (lo[1] + hi[1]) / 2 == pytest.approx(38.8887, abs=0.002)
    attributes = model.objects.attributes[0]
    assert "address" in attributes and attributes.get("hash") == "ODdDNFZYUVcrOi05MjUxODg1MzE"


@pytest.mark.parametrize("name, counts", [
    ("citygml3_roads_3wayintersection.gml", {"Road": 2, "Section": 3, "Intersection": 1, "TrafficSpace": 58,
                                             "AuxiliaryTrafficSpace": 87}),
    ("citygml3_roads_4wayintersection.gml", {"Road": 2, "Section": 4, "Intersection": 1, "TrafficSpace": 91,
                                             "AuxiliaryTrafficSpace": 158}),
    ("citygml3_individual_section_1carriageway.gml", {"Road": 1, "Section": 1, "TrafficSpace": 19,
                                                      "AuxiliaryTrafficSpace": 19}),
])
def test_melbourne_roads_citygml3_transportation(shared_data, name, counts):
    """Melbourne's CityGML 3.0 roads: Road/Section/Intersection/TrafficSpace objects as in SOURCE.md, every
    surface a road surface, in UTM 55S near Melbourne; spaces are children of sections."""
    model = read(shared_data / "citygml_ogc_samples/Transportation/melbourne" / name)
    assert model.crs == "EPSG:32755" and model.objects.type_counts() == counts
    assert kinds_of(model) == {"road"}
    lo, hi = model.bbox()
    lon, lat = to_lonlat(np.array([[(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2]]), model.crs)[0]
    assert lat == pytest.approx(-37.81, abs=0.05) and lon == pytest.approx(144.96, abs=0.05)
    types = model.objects.types
    for i, t in enumerate(types):
        if t == "TrafficSpace":
            assert types[model.objects.parents[i]] in ("Section", "Intersection")
    assert not model.meta["warnings"]


def test_fzk_house_compound_crs_tin_relief_and_lod(shared_data):
    """KIT's FZK house (CityGML 2.0) in the compound URN EPSG:25832+5783: building and TIN in the envelope,
    the TIN drawn as terrain, the address kept; the LoD3 file has more to draw."""
    folder = shared_data / "citygml_ogc_samples/citygml2_fzk_synthetic"
    model = read(folder / "Building_LOD2-EPSG25832.gml")
    assert model.crs == "EPSG:25832+5783" and model.objects.type_counts() == {"Building": 1, "TINRelief": 1}
    assert model.bbox() == ([458868.0, 5438343.0, 112.0], [458892.0, 5438362.0, 117.0])
    tin = model.objects.types.index("TINRelief")
    assert set(model.vertex_kind[model.vertex_object == tin]) == {int(SurfaceKind.TERRAIN)}
    assert "Eggenstein-Leopoldshafen" in model.objects.attributes[model.objects.types.index("Building")]["address"]
    lod3 = read(folder / "Building_LOD3-EPSG25832.gml")
    assert lod3.vertex_count > model.vertex_count


def test_real_files_through_the_loader_registry(shared_data):
    """load_source picks the CityGML loader for .gml by name and content."""
    path = shared_data / "citygml2_denhaag_val3dity/dh_1.gml"
    assert detect_format(path) == "citygml"
    assert load_source(SourceConfig(path=path), Limits()).format == "citygml"


# ----- geometry forms -----

def solid_building(gid: str = "b1", lod: int = 2, x0: float = 0.0) -> str:
    faces = box_faces(x0, 0, 0, 10, prefix=f"{gid}_")
    polygons = "".join(f"<gml:surfaceMember>{poly(text, fid)}</gml:surfaceMember>" for fid, _, text in faces)
    return building(gid, f"<bldg:lod{lod}Solid><gml:Solid><gml:exterior><gml:CompositeSurface>{polygons}"
                         f"</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod{lod}Solid>")


def test_solid_drawn_with_kinds_by_normal(tmp_path):
    """A bare lod2Solid cube: 12 triangles, roof up, ground down, walls around (kinds from the normals)."""
    model = read(write(tmp_path, doc2(solid_building())))
    assert model.triangle_count == 12 and model.vertex_count == 24
    assert triangle_area(model) == pytest.approx(600.0)
    assert kinds_of(model) == {"roof", "wall", "ground"}


def test_boundary_surfaces_with_solid_xlinks_drawn_once(tmp_path):
    """lod2Solid of xlinks to the boundary surfaces' polygons (the usual 2.0 export) draws each face once,
    with its boundary surface's kind; a ClosureSurface is kind other."""
    faces = box_faces(0, 0, 0, 10)
    faces[1] = (faces[1][0], "ClosureSurface", faces[1][2])
    refs = "".join(f'<gml:surfaceMember xlink:href="#{fid}"/>' for fid, _, _ in faces)
    bounded = "".join(f"<bldg:boundedBy><bldg:{kind}><bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember>"
                      f"{poly(text, fid)}</gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:{kind}>"
                      f"</bldg:boundedBy>" for fid, kind, text in faces)
    solid = f"<bldg:lod2Solid><gml:Solid><gml:exterior><gml:CompositeSurface>{refs}</gml:CompositeSurface>" \
            f"</gml:exterior></gml:Solid></bldg:lod2Solid>"
    model = read(write(tmp_path, doc2(building("b", solid + bounded))))
    assert model.triangle_count == 12
    assert kinds_of(model) == {"other", "wall", "ground"}


def test_polygon_with_hole_triangulated_without_the_hole(tmp_path):
    """A 10 x 10 square with a 2 x 2 hole covers 96 square metres."""
    hole = "4 4 0 4 6 0 6 6 0 6 4 0 4 4 0"
    geometry = f"<bldg:lod1MultiSurface><gml:MultiSurface><gml:surfaceMember>{poly(SQUARE, holes=(hole,))}" \
               f"</gml:surfaceMember></gml:MultiSurface></bldg:lod1MultiSurface>"
    model = read(write(tmp_path, doc2(building("b", geometry))))
    assert triangle_area(model) == pytest.approx(96.0)


def test_pos_lists_2d_points_and_orientable_surface(tmp_path):
    """gml:pos points, a 2D posList (z = 0) and an OrientableSurface "-" (reversed: facing down) all draw."""
    pos = "".join(f"<gml:pos>{p}</gml:pos>" for p in ("0 0 5", "10 0 5", "10 10 5", "0 10 5", "0 0 5"))
    by_pos = f"<gml:Polygon><gml:exterior><gml:LinearRing>{pos}</gml:LinearRing></gml:exterior></gml:Polygon>"
    flat = poly("20 0 30 0 30 10 20 10 20 0", dim=' srsDimension="2"')
    flipped = f'<gml:OrientableSurface orientation="-"><gml:baseSurface>{poly("0 0 9 10 0 9 10 10 9 0 10 9 0 0 9")}' \
              f'</gml:baseSurface></gml:OrientableSurface>'
    members = "".join(f"<gml:surfaceMember>{p}</gml:surfaceMember>" for p in (by_pos, flat, flipped))
    model = read(write(tmp_path, doc2(member(
        f'<gen:GenericCityObject gml:id="g"><gen:lod1Geometry><gml:MultiSurface>{members}</gml:MultiSurface>'
        f'</gen:lod1Geometry></gen:GenericCityObject>'))))
    assert model.vertex_count == 12 and triangle_area(model) == pytest.approx(300.0)
    z = model.positions[:, 2]
    assert sorted(set(z.tolist())) == [0.0, 5.0, 9.0]
    p = model.positions
    t = model.triangles
    normal_z = np.cross(p[t[:, 1]] - p[t[:, 0]], p[t[:, 2]] - p[t[:, 0]])[:, 2]
    top = p[t[:, 0], 2] == 9.0
    assert (normal_z[top] < 0).all() and (normal_z[~top] > 0).all()


def test_triangulated_surface_and_composite_solid(tmp_path):
    """A TINRelief's TriangulatedSurface (terrain) and a CompositeSolid of two cubes (24 triangles)."""
    tri = ("<gml:Triangle><gml:exterior><gml:LinearRing><gml:posList>{}</gml:posList></gml:LinearRing>"
           "</gml:exterior></gml:Triangle>")
    tin = (f'<dem:ReliefFeature gml:id="rf"><dem:lod>1</dem:lod><dem:reliefComponent><dem:TINRelief gml:id="t">'
           f'<dem:lod>1</dem:lod><dem:tin><gml:TriangulatedSurface><gml:trianglePatches>'
           f'{tri.format("0 0 0 10 0 0 10 10 1 0 0 0")}{tri.format("0 0 0 10 10 1 0 10 1 0 0 0")}'
           f'</gml:trianglePatches></gml:TriangulatedSurface></dem:tin></dem:TINRelief></dem:reliefComponent>'
           f'</dem:ReliefFeature>')
    solids = ""
    for k, x0 in enumerate((0.0, 20.0)):
        polygons = "".join(f"<gml:surfaceMember>{poly(text)}</gml:surfaceMember>"
                           for _, _, text in box_faces(x0, 0, 0, 5, prefix=f"c{k}"))
        solids += f"<gml:solidMember><gml:Solid><gml:exterior><gml:CompositeSurface>{polygons}" \
                  f"</gml:CompositeSurface></gml:exterior></gml:Solid></gml:solidMember>"
    body = member(tin) + building("b", f"<bldg:lod1Solid><gml:CompositeSolid>{solids}</gml:CompositeSolid>"
                                       f"</bldg:lod1Solid>")
    model = read(write(tmp_path, doc2(body)))
    assert model.objects.type_counts() == {"Building": 1, "TINRelief": 1}
    tin_rows = model.objects.types.index("TINRelief")
    assert set(model.vertex_kind[model.vertex_object == tin_rows]) == {int(SurfaceKind.TERRAIN)}
    assert model.triangle_count == 2 + 24


def test_xlink_to_geometry_in_another_member_is_resolved(tmp_path):
    """A building whose lod2MultiSurface is an xlink to a polygon defined in a later member draws it."""
    first = building("a", '<bldg:lod2MultiSurface xlink:href="#shared"/>')
    second = building("b", f"<bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember>{poly(SQUARE, 'shared')}"
                           f"</gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface>")
    model = read(write(tmp_path, doc2(first + second)))
    assert model.triangle_count == 4
    assert sorted(np.unique(model.vertex_object).tolist()) == [0, 1]


def test_xlink_cycle_and_dangling_reference(tmp_path):
    """An xlink naming no gml:id is a warning; a MultiSurface including itself stops with a LoadError."""
    dangling = building("a", '<bldg:lod2MultiSurface xlink:href="#nowhere"/>')
    model = read(write(tmp_path, doc2(dangling)))
    assert model.triangle_count == 0 and any("xlink" in w for w in model.meta["warnings"])
    cycle = building("c", '<bldg:lod2MultiSurface><gml:MultiSurface gml:id="loop" srsName="EPSG:25832">'
                          '<gml:surfaceMember xlink:href="#loop"/></gml:MultiSurface></bldg:lod2MultiSurface>')
    with pytest.raises(LoadError, match="nested more than"):
        read(write(tmp_path, doc2(cycle), "cycle.gml"))


def test_implicit_geometry_template_placed_by_matrix_and_reference_point(tmp_path):
    """Two trees share a template (defined in the first, xlinked from the second): each instance is the
    template scaled by 2, rotated 90 degrees about z and moved to its reference point."""
    template = poly("0 0 0 1 0 0 1 1 0 0 1 0 0 0 0", "tpl")
    matrix = "0 -2 0 0  2 0 0 0  0 0 2 0  0 0 0 1"

    def tree(gid: str, relative: str, ref: str) -> str:
        return member(f'<veg:SolitaryVegetationObject gml:id="{gid}"><veg:lod2ImplicitRepresentation>'
                      f'<core:ImplicitGeometry><core:transformationMatrix>{matrix}</core:transformationMatrix>'
                      f'{relative}<core:referencePoint><gml:Point><gml:pos>{ref}</gml:pos></gml:Point>'
                      f'</core:referencePoint></core:ImplicitGeometry></veg:lod2ImplicitRepresentation>'
                      f'</veg:SolitaryVegetationObject>')

    body = (tree("t1", f"<core:relativeGMLGeometry>{template}</core:relativeGMLGeometry>", "100 200 10")
            + tree("t2", '<core:relativeGMLGeometry xlink:href="#tpl"/>', "300 400 20"))
    model = read(write(tmp_path, doc2(body)))
    assert model.objects.type_counts() == {"SolitaryVegetationObject": 2}
    for obj, (x, y, z) in enumerate([(100, 200, 10), (300, 400, 20)]):
        pts = model.positions[model.vertex_object == obj]
        assert pts[:, 0].min() == pytest.approx(x - 2) and pts[:, 0].max() == pytest.approx(x)
        assert pts[:, 1].min() == pytest.approx(y) and pts[:, 1].max() == pytest.approx(y + 2)
        assert set(pts[:, 2].tolist()) == {float(z)}


def test_lod_choice_highest_by_default_and_lod_option(tmp_path):
    """An object with lod1Solid and lod2 boundary surfaces draws LoD2 by default, LoD1 with lod="1", and its
    highest when the asked LoD is absent."""
    lod1 = solid_building("x", lod=1).split("<bldg:Building gml:id=\"x\">")[1].split("</bldg:Building>")[0]
    roof = "<bldg:boundedBy><bldg:RoofSurface><bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember>" \
           f"{poly('0 0 12 10 0 12 10 10 12 0 10 12 0 0 12')}</gml:surfaceMember></gml:MultiSurface>" \
           "</bldg:lod2MultiSurface></bldg:RoofSurface></bldg:boundedBy>"
    path = write(tmp_path, doc2(building("b", lod1 + roof)))
    assert read(path).triangle_count == 2
    assert read(path, lod="1").triangle_count == 12
    assert read(path, lod="3").triangle_count == 2


def test_citygml3_building_parts_generic_attributes_and_space_boundaries(tmp_path):
    """CityGML 3.0: a BuildingPart under its Building, con:WallSurface boundaries as walls, gen:*Attribute
    typed, con:height as measuredHeight, function kept; a part inherits its building's envelope CRS."""
    wall = poly("0 0 0 10 0 0 10 0 5 0 0 5 0 0 0")
    body = member(
        '<bldg:Building gml:id="B"><core:genericAttribute><gen:IntAttribute><gen:name>floors</gen:name>'
        '<gen:value>3</gen:value></gen:IntAttribute></core:genericAttribute><core:genericAttribute>'
        '<gen:StringAttribute><gen:name>owner</gen:name><gen:value>city</gen:value></gen:StringAttribute>'
        '</core:genericAttribute><bldg:function>1000</bldg:function>'
        '<con:height><con:Height><con:highReference>highestRoofEdge</con:highReference><con:lowReference>'
        'lowestGroundPoint</con:lowReference><con:status>measured</con:status><con:value uom="m">5.5</con:value>'
        '</con:Height></con:height><bldg:buildingPart><bldg:BuildingPart gml:id="P"><core:boundary>'
        f'<con:WallSurface><core:lod2MultiSurface><gml:MultiSurface srsName="urn:ogc:def:crs:EPSG::25832">'
        f'<gml:surfaceMember>{wall}</gml:surfaceMember></gml:MultiSurface></core:lod2MultiSurface>'
        '</con:WallSurface></core:boundary></bldg:BuildingPart></bldg:buildingPart></bldg:Building>')
    model = read(write(tmp_path, doc3(body)))
    assert model.crs == "EPSG:25832" and model.objects.ids == ["B", "P"] and list(model.objects.parents) == [-1, 0]
    assert model.objects.attributes[0] == {"floors": 3, "owner": "city", "function": "1000", "measuredHeight": 5.5}
    assert kinds_of(model) == {"wall"} and model.meta["version"] == "3.0"


def test_citygml2_generic_attributes_and_measured_height(tmp_path):
    """2.0 gen:stringAttribute/intAttribute/doubleAttribute, bldg:measuredHeight and repeated usage."""
    extra = ('<gml:name>Town hall</gml:name><gen:stringAttribute name="k"><gen:value>v</gen:value>'
             '</gen:stringAttribute><gen:intAttribute name="n"><gen:value>7</gen:value></gen:intAttribute>'
             '<gen:doubleAttribute name="d"><gen:value>2.5</gen:value></gen:doubleAttribute>'
             '<bldg:usage>a</bldg:usage><bldg:usage>b</bldg:usage>'
             '<bldg:measuredHeight uom="m">12.5</bldg:measuredHeight>')
    model = read(write(tmp_path, doc2(building("b", "", extra))))
    assert model.objects.attributes[0] == {"name": "Town hall", "k": "v", "n": 7, "d": 2.5, "usage": ["a", "b"],
                                           "measuredHeight": 12.5}


# ----- CRS forms -----

@pytest.mark.parametrize("srs, crs", [
    ("EPSG:25832", "EPSG:25832"),
    ("urn:ogc:def:crs:EPSG::25832", "EPSG:25832"),
    ("http://www.opengis.net/def/crs/EPSG/0/25832", "EPSG:25832"),
    ("EPSG:25832+5783", "EPSG:25832+5783"),
    ("urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::5783", "EPSG:25832+5783"),
    ("urn:adv:crs:ETRS89_UTM32*DE_DHHN92_NH", "EPSG:25832+5783"),
])
def test_srsname_forms_of_a_projected_crs(tmp_path, srs, crs):
    """Every spelling of UTM 32N (plus DHHN92 heights) gives the same CRS and coordinates unchanged."""
    square = "458868 5438343 112 458878 5438343 112 458878 5438353 112 458868 5438353 112 458868 5438343 112"
    geometry = f"<bldg:lod1MultiSurface><gml:MultiSurface><gml:surfaceMember>{poly(square)}</gml:surfaceMember>" \
               f"</gml:MultiSurface></bldg:lod1MultiSurface>"
    model = read(write(tmp_path, doc2(building("b", geometry), srs=srs)))
    assert model.crs == crs and model.bbox() == ([458868.0, 5438343.0, 112.0], [458878.0, 5438353.0, 112.0])


@pytest.mark.parametrize("srs, order", [
    ("http://www.opengis.net/def/crs/EPSG/0/6697", "latlon"),  # PLATEAU: JGD2011 + height, lat first
    ("urn:ogc:def:crs:EPSG::4979", "latlon"),
    ("EPSG:4979", "lonlat"),  # the short form is written lon first (GIS order)
    ("EPSG:6697", "latlon"),  # short form, but 139 cannot be a latitude: read the other way, with a warning
])
def test_geographic_3d_crs_axis_order(tmp_path, srs, order):
    """Tokyo Station written in the order its srsName spelling implies ends up lon, lat, h in the model."""
    lat, lon = 35.681, 139.767
    pts = [(lat, lon), (lat, lon + 0.0001), (lat + 0.0001, lon + 0.0001), (lat + 0.0001, lon), (lat, lon)]
    text = " ".join(f"{a} {b} 40" if order == "latlon" else f"{b} {a} 40" for a, b in pts)
    geometry = f"<bldg:lod1MultiSurface><gml:MultiSurface><gml:surfaceMember>{poly(text)}</gml:surfaceMember>" \
               f"</gml:MultiSurface></bldg:lod1MultiSurface>"
    model = read(write(tmp_path, doc2(building("b", geometry), srs=srs)))
    lo, hi = model.bbox()
    assert lo == pytest.approx([lon, lat, 40.0]) and hi == pytest.approx([lon + 0.0001, lat + 0.0001, 40.0])


def test_geometry_in_another_crs_is_reprojected_to_the_first(tmp_path):
    """A polygon with its own srsName (WGS84 lon/lat) lands in the file's CRS (UTM 32N) within a metre."""
    square = "458868 5438343 0 458878 5438343 0 458878 5438353 0 458868 5438353 0 458868 5438343 0"
    first = building("a", f"<bldg:lod1MultiSurface><gml:MultiSurface><gml:surfaceMember>{poly(square)}"
                          f"</gml:surfaceMember></gml:MultiSurface></bldg:lod1MultiSurface>")
    lonlat = to_lonlat(np.array([[458868.0, 5438343.0]]), "EPSG:25832")[0]
    lon, lat = lonlat
    ring = f"{lon} {lat} 0 {lon + 1e-4} {lat} 0 {lon + 1e-4} {lat + 1e-4} 0 {lon} {lat} 0"
    second = building("b", f'<bldg:lod1MultiSurface><gml:MultiSurface srsName="EPSG:4326"><gml:surfaceMember>'
                           f'{poly(ring)}</gml:surfaceMember></gml:MultiSurface></bldg:lod1MultiSurface>')
    model = read(write(tmp_path, doc2(first + second)))
    pts = model.positions[model.vertex_object == 1]
    assert model.crs == "EPSG:25832" and pts[0, :2] == pytest.approx([458868.0, 5438343.0], abs=1.0)


def test_file_without_srsname_warns_and_crs_option_supplies_one(tmp_path):
    """No srsName anywhere: a warning naming --crs; options.crs gives the model its CRS."""
    path = write(tmp_path, doc2(solid_building(), srs=None))
    assert read(path).crs is None and any("--crs" in w for w in read(path).meta["warnings"])
    assert read(path, crs="EPSG:25832").crs == "EPSG:25832"


# ----- containers -----

def test_gzip_and_zip_of_several_files(tmp_path):
    """A .gml.gz loads like the .gml; a .zip of two .gml files loads both, skipping other files and GML that
    is not CityGML (PLATEAU's codelists) with a warning; a zip of no CityGML at all is an error."""
    text = doc2(solid_building("a"))
    gz = tmp_path / "m.gml.gz"
    gz.write_bytes(gzip.compress(text.encode()))
    assert detect_format(gz) == "citygml" and load_source(SourceConfig(path=gz), Limits()).triangle_count == 12
    archive = tmp_path / "city.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("udx/bldg/a.gml", text)
        z.writestr("udx/bldg/b.gml", doc2(solid_building("b", x0=50)))
        z.writestr("codelists/readme.txt", "not geometry")
        z.writestr("codelists/Building_usage.gml", '<gml:Dictionary xmlns:gml="http://www.opengis.net/gml"/>')
    model = load_source(SourceConfig(path=archive), Limits())
    assert model.objects.ids == ["a", "b"] and model.triangle_count == 24
    assert any("Building_usage.gml" in w and "not CityGML" in w for w in model.meta["warnings"])
    only_codelists = tmp_path / "codelists.zip"
    with zipfile.ZipFile(only_codelists, "w") as z:
        z.writestr("a.gml", '<gml:Dictionary xmlns:gml="http://www.opengis.net/gml"/>')
    with pytest.raises(LoadError, match="no CityGML file"):
        read(only_codelists)


def test_xml_suffix_sniffed_by_namespace(tmp_path):
    """.xml with the CityGML namespace is CityGML; other XML names SUMO's suffixes; .net.xml stays SUMO."""
    assert detect_format(write(tmp_path, doc2(solid_building()), "city.xml")) == "citygml"
    with pytest.raises(LoadError, match=r"not CityGML.*\.net\.xml"):
        detect_format(write(tmp_path, "<?xml version='1.0'?><net/>", "other.xml"))
    assert detect_format(write(tmp_path, "<?xml version='1.0'?><net/>", "x.net.xml")) == "sumo-net"


# ----- hostile input -----

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<CityModel xmlns="http://www.opengis.net/citygml/2.0"><cityObjectMember>&lol9;</cityObjectMember></CityModel>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CityModel xmlns="http://www.opengis.net/citygml/2.0" xmlns:gml="http://www.opengis.net/gml">
<gml:name>&secret;</gml:name></CityModel>
"""


@pytest.mark.parametrize("text, reason", [
    (BILLION_LAUGHS, "DOCTYPE"),
    (XXE, "DOCTYPE"),
    ("<?xml version='1.0'?><root xmlns='urn:x'><a/></root>", "not CityGML"),
    (doc2(solid_building())[:700], "malformed XML"),
    (doc2(solid_building()).replace("10 0 0", "10 zero 0", 1), "is not a number"),
    (doc2(solid_building()).replace("0 0 0 10 0 0", "0 0 0 10 0", 1), "not a whole number"),
    (doc2(solid_building(), srs="EPSG:999999"), "unknown srsName"),
    ("", "malformed XML"),
])
def test_hostile_or_broken_documents_fail_with_one_clear_error(tmp_path, text, reason):
    """Entities, non-CityGML XML, truncation, bad numbers, bad dimensions, unknown CRSs: one LoadError."""
    path = write(tmp_path, text)
    with pytest.raises(LoadError, match=reason) as caught:
        read(path)
    assert str(path) in str(caught.value)


def test_errors_name_the_line(tmp_path):
    """A bad coordinate's error names the line of its polygon."""
    lines = doc2(solid_building()).replace("10 10 10", "10 x 10", 1)
    line = next(i for i, row in enumerate(lines.splitlines(), 1) if "10 x 10" in row)
    with pytest.raises(LoadError, match=f"line {line}"):
        read(write(tmp_path, lines))


def test_limits_on_objects_and_vertices(tmp_path):
    """Object and vertex counts beyond the scene's limits stop the load with LimitExceeded."""
    path = write(tmp_path, doc2(solid_building("a") + solid_building("b", x0=20)))
    with pytest.raises(LimitExceeded, match="object count"):
        load(path, SourceConfig(path=path), Limits(max_objects=1))
    with pytest.raises(LimitExceeded, match="vertex count"):
        load(path, SourceConfig(path=path), Limits(max_vertices=30))


def test_gzip_and_zip_bombs_are_refused(tmp_path):
    """A gzip whose content expands past 200x (or the file-size limit) and a zip member compressed beyond
    200x are refused before they are read whole."""
    filler = doc2("<!--" + " " * 30_000_000 + "-->")
    gz = tmp_path / "bomb.gml.gz"
    gz.write_bytes(gzip.compress(filler.encode(), 9))
    with pytest.raises(LimitExceeded, match="uncompressed bytes"):
        read(gz)
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.gml", filler)
    with pytest.raises(LoadError, match="zip bomb"):
        read(archive)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(LoadError, match="broken archive"):
        read(broken)


def test_truncated_and_corrupt_gzip(tmp_path):
    """A cut-off or corrupted .gml.gz is a LoadError naming the file."""
    data = gzip.compress(doc2(solid_building() * 20).encode())
    cut = tmp_path / "cut.gml.gz"
    cut.write_bytes(data[: len(data) // 2])
    corrupt = tmp_path / "corrupt.gml.gz"
    corrupt.write_bytes(data[:10] + b"\xff" + data[11:])  # an invalid deflate block type: zlib.error
    for path in (cut, corrupt):
        with pytest.raises(LoadError) as caught:
            read(path)
        assert str(path) in str(caught.value)


def test_cli_reports_a_broken_citygml_in_one_line(tmp_path):
    """`citiverse inspect` on a truncated .gml exits 2 with one line naming the file and the line, no traceback."""
    import subprocess
    import sys

    path = write(tmp_path, doc2(solid_building())[:900])
    result = subprocess.run([sys.executable, "-m", "viewer.cli", "inspect", str(path)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and str(path) in result.stderr and "line" in result.stderr


# ----- command line -----

def test_inspect_citygml_json(shared_data, capsys):
    """`citiverse inspect` on a CityGML file reports its format, CRS and counts."""
    from viewer.cli import main

    path = shared_data / "citygml_ogc_samples/citygml2_fzk_synthetic/Building_LOD2-EPSG25832.gml"
    assert main(["inspect", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)  # noqa: TID251
    assert out["format"] == "citygml" and out["crs"] == "EPSG:25832+5783" and out["objects"] == 2
    lon0, lat0, lon1, lat1 = out["bbox_lonlat"]
    assert 8.4 < lon0 < lon1 < 8.5 and 49.0 < lat0 < lat1 < 49.1


@pytest.mark.render
def test_render_citygml_png_is_not_flat(shared_data, tmp_path, offscreen_gl):
    """`citiverse render` of the Lyon Opera writes a PNG with the building in it (pixels vary)."""
    from PIL import Image

    from viewer.cli import main

    out = tmp_path / "opera.png"
    path = shared_data / "citygml_ogc_samples/Building/Opera-Lyon_CityGML3.0_LOD2_with_xAL3_FullyStructured.gml"
    assert main(["render", str(path), "--out", str(out), "--size", "320x200"]) == 0
    pixels = np.asarray(Image.open(io.BytesIO(out.read_bytes())).convert("RGB")).astype(int)
    assert pixels.std() > 10 and len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20


def test_streaming_keeps_one_member_in_the_tree(tmp_path, monkeypatch):
    """Memory is bounded by a member, not the file: whenever a member is read, nothing of the members before
    it is left in the document's tree (only the parser's read-ahead follows it)."""
    import viewer.city.citygml as citygml

    path = write(tmp_path, doc2("".join(solid_building(f"b{i}", x0=20.0 * i) for i in range(300))))
    before: list[int] = []
    sizes: list[int] = []
    original = citygml._Reader._member

    def recording(self, member):
        before.append(sum(1 for _ in member.itersiblings(preceding=True)))
        sizes.append(sum(1 for _ in member.getroottree().getroot().iter()))
        return original(self, member)

    monkeypatch.setattr(citygml._Reader, "_member", recording)
    model = read(path)
    assert len(model.objects) == 300 and model.triangle_count == 300 * 12
    from lxml import etree

    whole = sum(1 for _ in etree.parse(str(path)).getroot().iter())
    assert max(before) <= 1 and max(sizes) < whole / 4  # the envelope at most; never the whole document


def test_lod0_footprint_and_roof_edge_are_surfaces(tmp_path):
    """2.0 lod0FootPrint / lod0RoofEdge are MultiSurfaces (PLATEAU fills them): drawn when LoD0 is all there is."""
    geometry = (f"<bldg:lod0RoofEdge><gml:MultiSurface><gml:surfaceMember>{poly(SQUARE)}"
                f"</gml:surfaceMember></gml:MultiSurface></bldg:lod0RoofEdge>")
    model = read(write(tmp_path, doc2(building("b", geometry))))
    assert model.triangle_count == 2


def test_thematic_modules_of_citygml2(tmp_path):
    """Bridge, tunnel, furniture, water (its WaterSurface as water), land use, plant cover and a 2.0 Road whose
    TrafficArea / AuxiliaryTrafficArea are road surfaces of the road (not objects); an object's own envelope
    gives its geometry's CRS."""
    ns = ('xmlns:brid="http://www.opengis.net/citygml/bridge/2.0" xmlns:tun="http://www.opengis.net/citygml/tunnel/2.0" '
          'xmlns:frn="http://www.opengis.net/citygml/cityfurniture/2.0" xmlns:wtr="http://www.opengis.net/citygml/waterbody/2.0" '
          'xmlns:luse="http://www.opengis.net/citygml/landuse/2.0"')

    def surface(x: float) -> str:
        ring = f"{x} 0 0 {x + 5} 0 0 {x + 5} 5 0 {x} 5 0 {x} 0 0"
        return f"<gml:MultiSurface><gml:surfaceMember>{poly(ring)}</gml:surfaceMember></gml:MultiSurface>"

    body = "".join(member(m) for m in (
        f'<brid:Bridge gml:id="br"><brid:lod2MultiSurface>{surface(0)}</brid:lod2MultiSurface></brid:Bridge>',
        f'<tun:Tunnel gml:id="tu"><tun:lod1Solid><gml:Solid><gml:exterior><gml:CompositeSurface>'
        f'<gml:surfaceMember>{poly("10 0 0 15 0 0 15 5 0 10 5 0 10 0 0")}</gml:surfaceMember></gml:CompositeSurface>'
        f'</gml:exterior></gml:Solid></tun:lod1Solid></tun:Tunnel>',
        f'<frn:CityFurniture gml:id="cf"><frn:lod2Geometry>{surface(20)}</frn:lod2Geometry></frn:CityFurniture>',
        f'<wtr:WaterBody gml:id="wb"><wtr:boundedBy><wtr:WaterSurface><wtr:lod3Surface>{surface(30)}'
        f'</wtr:lod3Surface></wtr:WaterSurface></wtr:boundedBy></wtr:WaterBody>',
        f'<luse:LandUse gml:id="lu"><luse:lod1MultiSurface>{surface(40)}</luse:lod1MultiSurface></luse:LandUse>',
        f'<veg:PlantCover gml:id="pc"><veg:lod1MultiSurface>{surface(50)}</veg:lod1MultiSurface></veg:PlantCover>',
        f'<tran:Road gml:id="rd"><gml:boundedBy><gml:Envelope srsName="EPSG:25832"/></gml:boundedBy>'
        f'<tran:trafficArea><tran:TrafficArea gml:id="ta"><tran:lod2MultiSurface>{surface(60)}'
        f'</tran:lod2MultiSurface></tran:TrafficArea></tran:trafficArea><tran:auxiliaryTrafficArea>'
        f'<tran:AuxiliaryTrafficArea><tran:lod2MultiSurface>{surface(70)}</tran:lod2MultiSurface>'
        f'</tran:AuxiliaryTrafficArea></tran:auxiliaryTrafficArea></tran:Road>',
    ))
    model = read(write(tmp_path, doc2(body, srs=None).replace("<CityModel ", f"<CityModel {ns} ")))
    assert model.objects.ids == ["br", "tu", "cf", "wb", "lu", "pc", "rd"]
    assert model.objects.types == ["Bridge", "Tunnel", "CityFurniture", "WaterBody", "LandUse", "PlantCover", "Road"]
    kind = {model.objects.ids[o]: SurfaceKind(int(model.vertex_kind[model.vertex_object == o][0])).name.lower()
            for o in range(7)}
    assert kind["wb"] == "water" and kind["rd"] == "road" and kind["br"] == "roof"
    assert model.triangle_count == 8 * 2 and model.crs == "EPSG:25832"


def test_geographic_model_classified_in_metres(tmp_path):
    """A 10 m square roof rising 5 m, written in lon/lat degrees (EPSG:4979): a roof, not a wall (normals are
    taken in metres, not in degrees against metres)."""
    lon, lat = 139.767, 35.681
    dx, dy = 10 / (111_320 * np.cos(np.radians(lat))), 10 / 111_320
    pts = [(lon, lat, 40), (lon + dx, lat, 40), (lon + dx, lat + dy, 45), (lon, lat + dy, 45), (lon, lat, 40)]
    text = " ".join(f"{float(x)!r} {float(y)!r} {z}" for x, y, z in pts)
    geometry = f"<bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember>{poly(text)}</gml:surfaceMember>" \
               f"</gml:MultiSurface></bldg:lod2MultiSurface>"
    model = read(write(tmp_path, doc2(building("b", geometry), srs="EPSG:4979")))
    assert kinds_of(model) == {"roof"} and model.bbox()[0] == pytest.approx([lon, lat, 40.0])


def test_building_part_inherits_its_building_envelope_crs(tmp_path):
    """A building whose own envelope says UTM 32N, in a file whose envelope says WGS84: its part's polygon
    (no srsName of its own) is read as UTM and reprojected to the file's lon/lat."""
    square = "458868 5438343 0 458878 5438343 0 458878 5438353 0 458868 5438353 0 458868 5438343 0"
    part = (f'<bldg:consistsOfBuildingPart><bldg:BuildingPart gml:id="p"><bldg:lod1MultiSurface><gml:MultiSurface>'
            f'<gml:surfaceMember>{poly(square)}</gml:surfaceMember></gml:MultiSurface></bldg:lod1MultiSurface>'
            f'</bldg:BuildingPart></bldg:consistsOfBuildingPart>')
    envelope = '<gml:boundedBy><gml:Envelope srsName="EPSG:25832"/></gml:boundedBy>'
    model = read(write(tmp_path, doc2(building("b", part, envelope), srs="EPSG:4326")))
    lo, hi = model.bbox()
    assert model.crs == "EPSG:4326" and 8.4 < lo[0] < hi[0] < 8.5 and 49.0 < lo[1] < hi[1] < 49.1
