"""CityGML ImplicitGeometry (2.0 and 3.0): the transformation matrix, the reference point and the template.

Rules this module keeps:
1. transformationMatrix is 16 finite numbers, row by row (a missing one is the identity); anything else is a
   LoadError naming the line. The reference point is a gml:Point with 2 or 3 finite coordinates (z = 0 when
   2), in its own srsName if it has one, else the inherited CRS.
2. The template is relativeGMLGeometry (2.0) or relativeGeometry (3.0), inline or by xlink; a libraryObject
   (an external file) is not read: the instance is skipped with a warning when it has no GML template.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_TEMPLATES = ("relativeGMLGeometry", "relativeGeometry")


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if type(tag) is str else ""


def _numbers(reader: Any, elem: Any, what: str, counts: tuple[int, ...]) -> np.ndarray:
    try:
        values = np.array([float(v) for v in (elem.text or "").split()], np.float64)
    except ValueError:
        values = np.zeros(0)
    if values.shape[0] not in counts or not np.isfinite(values).all():
        raise reader.fail(f"{what} must be {' or '.join(map(str, counts))} finite numbers", elem)
    return values


def read_implicit(reader: Any, geometry: Any, crs: int) -> tuple[np.ndarray, np.ndarray, int, Any] | None:
    """(matrix (4, 4) float64, reference point (3,) float64, its CRS index, template property element) of
    an ImplicitGeometry element, or None (with a warning) when it has no reference point or GML template."""
    matrix = np.eye(4)
    reference = None
    template = None
    ref_crs = crs
    library = False
    for part in geometry:
        local = _local(part.tag)
        if local == "transformationMatrix":
            matrix = _numbers(reader, part, "transformationMatrix", (16,)).reshape(4, 4)
        elif local == "referencePoint":
            point: Any = next((c for c in part if _local(c.tag) == "Point"), None)
            pos: Any = None if point is None else next(
                (c for c in point if _local(c.tag) in ("pos", "coordinates")), None)
            if pos is not None:
                if point.get("srsName"):
                    ref_crs = reader._crs(point.get("srsName"), point)
                if _local(pos.tag) == "coordinates":
                    pos.text = (pos.text or "").replace(",", " ")
                values = _numbers(reader, pos, "referencePoint", (2, 3))
                reference = np.append(values, 0.0)[:3] if values.shape[0] == 2 else values
        elif local in _TEMPLATES:
            template = part
        elif local == "libraryObject":
            library = True
    if template is None or reference is None:
        why = "its template is an external libraryObject" if library else "it lacks a reference point or template"
        reader.warn(f"line {geometry.sourceline}: implicit geometry skipped: {why}")
        return None
    return matrix, reference, ref_crs, template
