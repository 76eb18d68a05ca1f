"""OGC WMTS capabilities -> a UrlSource over web-mercator tiles.

Rules this module keeps:
1. The document is parsed by lxml with entities, DTDs and network access off and a size limit
   (MAX_CAPABILITIES_BYTES): a hostile document can neither read files nor explode.
2. A layer is chosen by its ows:Identifier (the scene's `layer`; default: the first), then a TileMatrixSet
   of that layer that is web mercator: EPSG:3857 (or 900913 / GoogleMapsCompatible) whose matrices sit on
   the standard grid (top-left corner at -20037508.34, 20037508.34 and scale denominators of
   559082264.03 / 2^z). Each matrix is mapped to its zoom; the source spans the zooms present. A layer
   with no such set is refused, naming the sets it has (other grids are not drawn: docs/basemap.md).
3. Tiles are requested through the layer's ResourceURL template (resourceType "tile") when it has one,
   else through the KVP GetTile URL of OperationsMetadata; {Style} is the layer's default style.
4. A capabilities URL is fetched by net/tile_fetch.py (fetch_document); a file is read here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from viewer.basemap.sources import UrlSource, _plain
from viewer.errors import ConfigError, LoadError

MAX_CAPABILITIES_BYTES = 16 << 20
NS = {"wmts": "http://www.opengis.net/wmts/1.0", "ows": "http://www.opengis.net/ows/1.1",
      "xlink": "http://www.w3.org/1999/xlink"}
MERCATOR_CRS = ("3857", "900913", "3785", "102100")
SCALE0 = 559082264.0287178  # scale denominator of zoom 0 (256-pixel tiles, 0.28 mm pixels)
ORIGIN = 20037508.342789244
Fetch = Callable[[str, int], bytes]  # (url, byte limit) -> body


def wmts_source(where: str, base: Path | None, layer: str | None = None, attribution: str | None = None,
                fetch: Fetch | None = None) -> UrlSource:
    """Read capabilities from a URL (with `fetch`: net/tile_fetch.py fetch_document) or a file (rule 4)."""
    if where.lower().startswith(("http://", "https://")):
        if fetch is None:
            raise ConfigError(where, "", "a WMTS capabilities URL needs the network (no fetcher given)")
        data = fetch(where, MAX_CAPABILITIES_BYTES)
        url = where
    else:
        path = Path(where) if base is None or Path(where).is_absolute() else base / where
        if not path.is_file():
            raise LoadError(path, "WMTS capabilities file not found")
        if path.stat().st_size > MAX_CAPABILITIES_BYTES:
            raise LoadError(path, f"WMTS capabilities larger than {MAX_CAPABILITIES_BYTES:,} bytes")
        data, url = path.read_bytes(), str(path)
    return parse_capabilities(data, url, layer, attribution)


def parse_capabilities(data: bytes, where: str, layer: str | None = None,
                       attribution: str | None = None) -> UrlSource:
    """A UrlSource from a capabilities document (rules 1-3); LoadError naming `where` on any problem."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise LoadError(where, f"not a WMTS capabilities document: {exc}") from None
    if root is None or etree.QName(root).localname != "Capabilities":
        raise LoadError(where, "not a WMTS capabilities document (no Capabilities root)")
    layers = root.findall("wmts:Contents/wmts:Layer", NS)
    names = [_text(lay, "ows:Identifier") for lay in layers]
    if not layers:
        raise LoadError(where, "the capabilities list no layer")
    if layer is not None and layer not in names:
        raise ConfigError(where, "basemap.layer", f"no layer {layer!r} (layers: {', '.join(names[:20])})")
    chosen = layers[names.index(layer) if layer is not None else 0]
    set_id, zooms = _mercator_set(root, chosen, where)
    template = _template(root, chosen, set_id, where)
    style = next((_text(s, "ows:Identifier") for s in chosen.findall("wmts:Style", NS)
                  if s.get("isDefault") == "true"), None) or _text(chosen.find("wmts:Style", NS), "ows:Identifier")
    template = template.replace("{Style}", style or "default").replace("{style}", style or "default")
    for dim in chosen.findall("wmts:Dimension", NS):
        template = template.replace("{" + _text(dim, "ows:Identifier") + "}", _text(dim, "wmts:Default"))
    template = (template.replace("{TileMatrixSet}", set_id).replace("{TileMatrix}", "{z}")
                .replace("{TileRow}", "{y}").replace("{TileCol}", "{x}"))
    min_zoom, max_zoom = min(zooms), max(zooms)
    ids = tuple(zooms.get(z, str(z)) for z in range(max_zoom + 1))
    credit = attribution or _credit(root) or f"Tiles: {urlsplit(template).netloc or where}"
    return UrlSource(template, credit, min_zoom=min_zoom, max_zoom=max_zoom,
                     name=_text(chosen, "ows:Identifier"), matrix_ids=ids)


def _text(node: object, path: str) -> str:
    if node is None:
        return ""
    found = node.find(path, NS)  # type: ignore[attr-defined]
    return (found.text or "").strip() if found is not None else ""


def _mercator_set(root: object, layer: object, where: str) -> tuple[str, dict[int, str]]:
    """(set identifier, {zoom: TileMatrix identifier}) of the layer's first web-mercator set (rule 2)."""
    linked = [_text(link, "wmts:TileMatrixSet") for link in layer.findall("wmts:TileMatrixSetLink", NS)]  # type: ignore[attr-defined]
    sets = {_text(s, "ows:Identifier"): s for s in root.findall("wmts:Contents/wmts:TileMatrixSet", NS)}  # type: ignore[attr-defined]
    for set_id in linked:
        tms = sets.get(set_id)
        if tms is None or not any(code in _text(tms, "ows:SupportedCRS") for code in MERCATOR_CRS):
            continue
        zooms = {}
        for matrix in tms.findall("wmts:TileMatrix", NS):
            z = _zoom_of(matrix)
            if z is not None:
                zooms[z] = _text(matrix, "ows:Identifier")
        if zooms:
            return set_id, zooms
    raise LoadError(where, f"layer {_text(layer, 'ows:Identifier')!r} has no web-mercator (EPSG:3857) tile "
                           f"matrix set on the standard grid (its sets: {', '.join(linked) or 'none'})")


def _zoom_of(matrix: object) -> int | None:
    """The zoom of a TileMatrix on the standard web-mercator grid, None when it is not on it."""
    try:
        scale = float(_text(matrix, "wmts:ScaleDenominator"))
        corner = [float(v) for v in _text(matrix, "wmts:TopLeftCorner").split()]
        size = int(_text(matrix, "wmts:TileWidth") or 256), int(_text(matrix, "wmts:TileHeight") or 256)
    except ValueError:
        return None
    if scale <= 0 or len(corner) != 2 or size != (256, 256):
        return None
    z = math.log2(SCALE0 / scale)
    on_grid = all(abs(abs(c) - ORIGIN) < 1.0 for c in corner) and abs(z - round(z)) < 1e-3
    return int(round(z)) if on_grid and 0 <= round(z) <= 24 else None


def _template(root: object, layer: object, set_id: str, where: str) -> str:
    for res in layer.findall("wmts:ResourceURL", NS):  # type: ignore[attr-defined]
        if res.get("resourceType") == "tile" and res.get("template"):
            return str(res.get("template"))
    for op in root.findall("ows:OperationsMetadata/ows:Operation", NS):  # type: ignore[attr-defined]
        if op.get("name") != "GetTile":
            continue
        for get in op.findall("ows:DCP/ows:HTTP/ows:Get", NS):
            href = get.get(f"{{{NS['xlink']}}}href")
            if href:
                fmt = _text(layer, "wmts:Format") or "image/png"
                query = urlencode({"SERVICE": "WMTS", "REQUEST": "GetTile", "VERSION": "1.0.0",
                                   "LAYER": _text(layer, "ows:Identifier"), "STYLE": "{Style}", "FORMAT": fmt,
                                   "TILEMATRIXSET": set_id}, safe="{}/")
                href = href.rstrip("?&")
                sep = "&" if "?" in href else "?"
                return f"{href}{sep}{query}&TILEMATRIX={{TileMatrix}}&TILEROW={{TileRow}}&TILECOL={{TileCol}}"
    raise LoadError(where, "the layer has no tile ResourceURL and the service no GetTile operation")


def _credit(root: object) -> str:
    name = _text(root, "ows:ServiceProvider/ows:ProviderName")
    title = _text(root, "ows:ServiceIdentification/ows:Title")
    return _plain(f"(c) {name}" if name else title)
