"""What CityGML 1.0 / 2.0 / 3.0 element names mean to the loader, and the CRS a srsName names.

Rules this module keeps:
1. Element names are classified once per (namespace, local name) into an action (TagTable.action); the walk
   in citygml.py never string-matches a tag twice. Any CityGML module namespace of any version is accepted,
   so a local name means the same thing in 1.0, 2.0 and 3.0 (Building, WallSurface, lod2Solid, ...).
2. City objects become rows of the object table (OBJECT_TYPES, named as CityJSON names them where it has the
   type); boundary surfaces are not objects but the surface kind of the polygons under them (BOUNDARY_KINDS),
   exactly as CityJSON semantics are.
3. srsName: every spelling met in the wild becomes one pyproj-readable string (gml_crs), plus whether the
   spelling asks for the EPSG authority's axis order. URNs and OGC URLs do; the short "EPSG:4979" form is
   read in the GIS order (x = longitude), the convention of GDAL, GeoTools and the files that use it (the
   OGC Jefferson sample writes lon first under "EPSG:4979"; PLATEAU writes lat first under the OGC URL).
"""

from __future__ import annotations

import re

from viewer.city.cityjson_geometry import BY_NORMAL, SEMANTIC_KINDS, TYPE_FALLBACK
from viewer.city.model import SurfaceKind as K

GML_NAMESPACES = ("http://www.opengis.net/gml", "http://www.opengis.net/gml/3.2")
CORE_NAMESPACES = {"http://www.opengis.net/citygml/1.0": "1.0", "http://www.opengis.net/citygml/2.0": "2.0",
                   "http://www.opengis.net/citygml/3.0": "3.0"}
CITYGML_PREFIX = "http://www.opengis.net/citygml/"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
GML_IDS = tuple(f"{{{ns}}}id" for ns in GML_NAMESPACES)

# Elements whose end event the parser reports (citygml.py): polygons are parsed and emptied at once.
POLYGON_LOCALS = ("Polygon", "Triangle", "PolygonPatch", "Rectangle")
POLYGON_TAGS = tuple(f"{{{ns}}}{name}" for ns in GML_NAMESPACES for name in POLYGON_LOCALS)
MEMBER_TAGS = (*(f"{{{ns}}}cityObjectMember" for ns in CORE_NAMESPACES),
               *(f"{{{ns}}}{name}" for ns in GML_NAMESPACES for name in ("featureMember", "featureMembers")),
               "{http://www.opengis.net/citygml/3.0}featureMember")
APPEARANCE_MEMBER_TAGS = ("{http://www.opengis.net/citygml/appearance/1.0}appearanceMember",
                          "{http://www.opengis.net/citygml/appearance/2.0}appearanceMember",
                          "{http://www.opengis.net/citygml/3.0}appearanceMember")
ENVELOPE_TAGS = tuple(f"{{{ns}}}Envelope" for ns in GML_NAMESPACES)

# local name -> object type written to the object table (CityJSON's name where CityJSON has the type).
OBJECT_TYPES: dict[str, str] = {name: name for name in (
    "Building", "BuildingPart", "BuildingInstallation", "IntBuildingInstallation", "BuildingConstructiveElement",
    "BuildingFurniture", "Room", "BuildingRoom", "Storey", "BuildingUnit",
    "Bridge", "BridgePart", "BridgeInstallation", "IntBridgeInstallation", "BridgeConstructiveElement",
    "BridgeRoom", "BridgeFurniture",
    "Tunnel", "TunnelPart", "TunnelInstallation", "IntTunnelInstallation", "TunnelConstructiveElement",
    "HollowSpace", "TunnelFurniture",
    "CityFurniture", "SolitaryVegetationObject", "PlantCover", "WaterBody", "LandUse", "CityObjectGroup",
    "GenericCityObject", "GenericOccupiedSpace", "GenericUnoccupiedSpace", "GenericLogicalSpace",
    "GenericThematicSurface",
    "Road", "Railway", "Track", "Waterway", "Section", "Intersection", "TrafficSpace", "AuxiliaryTrafficSpace",
    "ClearanceSpace", "Hole", "TransportationComplex",
    "TINRelief")}
OBJECT_TYPES.update({"Square": "TransportSquare", "BridgeConstructionElement": "BridgeConstructiveElement"})

# local name -> SurfaceKind of the polygons below it (CityJSON's semantic surfaces, plus CityGML-only names).
BOUNDARY_KINDS: dict[str, int] = {**SEMANTIC_KINDS, "Marking": K.ROAD, "HoleSurface": K.OTHER,
                                  "OuterCeilingSurface": K.WALL}

# Object type -> kind of its polygons outside any boundary surface (BY_NORMAL: roof/wall/ground by normal).
FALLBACK_KINDS: dict[str, int] = {
    **TYPE_FALLBACK, "BuildingInstallation": BY_NORMAL, "Bridge": BY_NORMAL, "BridgePart": BY_NORMAL,
    "Tunnel": BY_NORMAL, "TunnelPart": BY_NORMAL, "GenericOccupiedSpace": BY_NORMAL,
    "Track": K.ROAD, "Section": K.ROAD, "Intersection": K.ROAD, "TrafficSpace": K.ROAD,
    "AuxiliaryTrafficSpace": K.ROAD, "TransportationComplex": K.ROAD, "TransportSquare": K.ROAD,
}

# Properties whose subtrees hold no drawable geometry of the object: not walked.
NOT_GEOMETRY = frozenset({"appearance", "address", "genericAttribute", "externalReference", "generalizesTo",
                          "groupMember", "parent", "relatedTo", "name", "description"})

# Actions of TagTable.action.
DESCEND, POLYGON, OBJECT, SURFACE, LOD, IMPLICIT, ORIENTABLE, SKIP, RELIEF_LOD, GEOMETRY = range(10)
_LOD_PROPERTY = re.compile(r"^lod([0-4])([A-Z]\w*)$")


class TagTable:
    """tag ("{ns}local") -> (action, value), memoised: value is the object type, the SurfaceKind or the LoD."""

    def __init__(self) -> None:
        self.cache: dict[str, tuple[int, object]] = {}

    def action(self, tag: str) -> tuple[int, object]:
        hit = self.cache.get(tag)
        if hit is None:
            hit = self.cache[tag] = _classify(tag)
        return hit


def _classify(tag: str) -> tuple[int, object]:
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if ns in GML_NAMESPACES:
        if local in POLYGON_LOCALS:
            return POLYGON, None
        if local == "OrientableSurface":
            return ORIENTABLE, None
        if local in ("LineString", "Curve", "MultiCurve", "Point", "MultiPoint", "Envelope", "name",
                     "description", "CompositeCurve"):
            return SKIP, None
        return GEOMETRY, None  # a GML container (Solid, MultiSurface, surfaceMember, ...): may carry srsName
    if not ns.startswith(CITYGML_PREFIX):
        return SKIP, None  # xAL addresses, application schemas (ADEs): nothing we draw
    if local in OBJECT_TYPES:
        return OBJECT, OBJECT_TYPES[local]
    if local in BOUNDARY_KINDS:
        return SURFACE, BOUNDARY_KINDS[local]
    match = _LOD_PROPERTY.match(local)
    if match:
        lod = int(match.group(1))
        if match.group(2) == "ImplicitRepresentation":
            return IMPLICIT, lod
        if match.group(2).endswith(("Curve", "Network", "Point")) or "TerrainIntersection" in local:
            return SKIP, None
        return LOD, lod
    if local == "lod" and "/relief/" in ns:
        return RELIEF_LOD, None
    if local in NOT_GEOMETRY or local.endswith(("Attribute", "AttributeSet")):
        return SKIP, None
    if local in ("ReliefFeature", "MassPointRelief", "BreaklineRelief", "RasterRelief"):
        return DESCEND if local == "ReliefFeature" else SKIP, None
    return DESCEND, None


# ----- CRS -----

_EPSG_SHORT = re.compile(r"^EPSG:(\d+)(?:\+(\d+))?$", re.IGNORECASE)
_URN = re.compile(r"^urn:ogc:def:crs:EPSG:[^:]*:(\d+)$", re.IGNORECASE)
_URL = re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/[^/]+/(\d+)/?$", re.IGNORECASE)
_URN_COMPOUND = re.compile(r"^urn:ogc:def:crs,crs:EPSG:[^:,]*:(\d+),crs:EPSG:[^:,]*:(\d+)$", re.IGNORECASE)
_URL_COMPOUND = re.compile(r"^https?://www\.opengis\.net/def/crs-compound\?1=https?://www\.opengis\.net/def/crs/"
                           r"EPSG/[^/]+/(\d+)&2=https?://www\.opengis\.net/def/crs/EPSG/[^/]+/(\d+)$", re.IGNORECASE)
# German AdV names (urn:adv:crs:ETRS89_UTM32*DE_DHHN92_NH): the common ones only.
_ADV = {"ETRS89_UTM32": "25832", "ETRS89_UTM33": "25833", "DE_DHDN_3GK2": "31466", "DE_DHDN_3GK3": "31467",
        "DE_DHDN_3GK4": "31468", "DE_DHHN92_NH": "5783", "DE_DHHN2016_NH": "7837", "ETRS89_3GK3": "5677"}


def gml_crs(srs_name: str) -> tuple[str, bool]:
    """(pyproj-readable CRS string, whether the spelling asks for the authority's axis order).

    EPSG:25832, urn:ogc:def:crs:EPSG::25832, http://www.opengis.net/def/crs/EPSG/0/25832 -> EPSG:25832;
    EPSG:25832+5783, urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::5783 and the OGC crs-compound URL ->
    EPSG:25832+5783; urn:adv:crs:ETRS89_UTM32*DE_DHHN92_NH -> EPSG:25832+5783. Anything else is returned
    stripped (validity is checked by the caller with crs_from).
    """
    text = srs_name.strip()
    m = _EPSG_SHORT.match(text)
    if m:
        return f"EPSG:{m.group(1)}" + (f"+{m.group(2)}" if m.group(2) else ""), False
    for pattern in (_URN, _URL):
        m = pattern.match(text)
        if m:
            return f"EPSG:{m.group(1)}", True
    for pattern in (_URN_COMPOUND, _URL_COMPOUND):
        m = pattern.match(text)
        if m:
            return f"EPSG:{m.group(1)}+{m.group(2)}", True
    if text.lower().startswith("urn:adv:crs:"):
        codes = [_ADV.get(part.strip()) for part in text[12:].split("*")]
        if codes and all(codes):
            return "EPSG:" + "+".join(c for c in codes if c), False
    return text, True
