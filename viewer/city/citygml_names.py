"""What CityGML 1.0 / 2.0 / 3.0 element names mean to the loader.

Rules this module keeps:
1. Element names are classified once per (namespace, local name) into an action (TagTable.action); the walk
   in citygml.py never string-matches a tag twice. Any CityGML module namespace of any version is accepted,
   so a local name means the same thing in 1.0, 2.0 and 3.0 (Building, WallSurface, lod2Solid, ...).
2. City objects become rows of the object table (OBJECT_TYPES, named as CityJSON names them where it has the
   type); boundary surfaces are not objects but the surface kind of the polygons under them (BOUNDARY_KINDS),
   exactly as CityJSON semantics are.
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
