"""Which loader reads a source: by explicit format, else by file name, confirmed by sniffing the content.

A file that is not what its extension claims fails here with a LoadError naming it, before a parser sees it.
Each loader module exposes `load(path, options, limits) -> SourceModel`; they are imported lazily so a
command that needs one format does not pay for the others (trimesh in particular is slow to import).
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable
from pathlib import Path

from viewer.city.limits import check_file, too_complex
from viewer.city.model import SourceModel
from viewer.city.triangulate import TooComplex, skipping_complex_polygons
from viewer.config import Limits, SourceConfig
from viewer.errors import LoadError

log = logging.getLogger(__name__)

# format -> (module, function)
LOADERS: dict[str, tuple[str, str]] = {
    "cityjson": ("viewer.city.cityjson", "load"),
    "cityjsonseq": ("viewer.city.cityjson", "load_seq"),
    "gltf": ("viewer.city.mesh", "load"),
    "obj": ("viewer.city.mesh", "load"),
    "ply": ("viewer.city.mesh", "load"),
    "geojson": ("viewer.city.geojson", "load"),
    "osm": ("viewer.city.osm", "load"),
    "sumo-net": ("viewer.city.sumo", "load"),
    "sumo-poly": ("viewer.city.sumo", "load"),
    "citygml": ("viewer.city.citygml", "load"),
    "procedural": ("viewer.city.procedural", "load"),
}

# Longest suffix first so ".city.jsonl" wins over ".jsonl".
_SUFFIXES: list[tuple[str, str | None]] = [
    (".city.jsonl", "cityjsonseq"), (".city.json", "cityjson"), (".net.xml", "sumo-net"),
    (".poly.xml", "sumo-poly"), (".osm.pbf", "osm"), (".osm", "osm"), (".geojson", "geojson"),
    (".jsonl", "cityjsonseq"), (".json", None),
    (".gltf", "gltf"), (".glb", "gltf"), (".obj", "obj"), (".ply", "ply"),
    (".gml.gz", "citygml"), (".gml", "citygml"), (".zip", "citygml"), (".xml", None),
]
_CITYGML_NAMESPACE = b"http://www.opengis.net/citygml/"


def _head(path: Path, size: int = 4096) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None


def _tail(path: Path, size: int = 4096) -> bytes:
    try:
        with path.open("rb") as fh:
            fh.seek(max(0, path.stat().st_size - size))
            return fh.read(size)
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None


def _sniff_json(path: Path, head: bytes) -> str:
    """CityJSON or GeoJSON? Key order is free in JSON, so look at both ends of the file."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        raise LoadError(path, "not a JSON object (expected CityJSON or GeoJSON)")
    ends = head + _tail(path)
    if b'"CityJSON"' in ends or b'"CityObjects"' in ends:
        return "cityjson"
    if b'"FeatureCollection"' in ends or b'"Feature"' in ends:
        return "geojson"
    if is_tileset_json(ends):
        raise LoadError(path, "a 3D Tiles tileset: it is streamed, not loaded whole (`citiverse view` and `render` "
                              "stream it; `inspect` reports its tree; format = \"3dtiles\" in a scene)")
    raise LoadError(path, "JSON file is neither CityJSON nor GeoJSON (no \"type\" near its start or end says so)")


def is_tileset_json(head: bytes) -> bool:
    """Whether the first (and last) bytes of a JSON file look like a 3D Tiles tileset.json."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"{") and b'"asset"' in head and (b'"root"' in head or b'"geometricError"' in head)


def is_tileset_source(options: SourceConfig) -> bool:
    """Whether a scene source is a 3D Tiles tileset (streamed by the app layer, not loaded whole here):
    format "3dtiles", an http(s) url, or a .json file whose ends look like a tileset.json."""
    if options.format == "3dtiles" or options.url is not None:
        return True
    path = options.path
    if options.format is not None or path is None or path.suffix.lower() != ".json" or not path.is_file():
        return False
    return is_tileset_json(_head(path) + _tail(path))


def _sniff_xml(path: Path, head: bytes) -> str:
    """A .xml that is not .net.xml / .poly.xml: CityGML when its start declares a CityGML namespace."""
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise LoadError(path, "not XML (expected CityGML; SUMO files are named .net.xml or .poly.xml)")
    if _CITYGML_NAMESPACE in head:
        return "citygml"
    raise LoadError(path, "XML file is not CityGML (no http://www.opengis.net/citygml/ namespace near its "
                          "start); SUMO networks and polygons must be named .net.xml or .poly.xml")


def _confirm(path: Path, fmt: str, head: bytes) -> None:
    """Cheap content checks so a mislabelled file gets a clear error."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if fmt in ("cityjson", "geojson", "cityjsonseq") and not stripped.startswith(b"{"):
        raise LoadError(path, f"named as {fmt} but does not start with a JSON object")
    if fmt in ("sumo-net", "sumo-poly") and not stripped.startswith(b"<"):
        raise LoadError(path, f"named as {fmt} but is not XML")
    if fmt == "citygml":
        _confirm_citygml(path, stripped, head)
    if fmt == "gltf" and path.suffix.lower() == ".glb" and not head.startswith(b"glTF"):
        raise LoadError(path, "named .glb but has no glTF binary header")
    if fmt == "osm" and not _is_osm(path, head, stripped):
        raise LoadError(path, "named as OpenStreetMap but is neither OSM PBF (an OSMHeader block first) nor OSM XML "
                              "(an <osm> element)")


def _is_osm(path: Path, head: bytes, stripped: bytes) -> bool:
    """PBF opens with a BlobHeader (4-byte length, then type "OSMHeader"); XML has an <osm element early."""
    if path.name.lower().endswith(".pbf"):
        return head[4:6] == b"\x0a\x09" and head[6:15] == b"OSMHeader"
    return stripped.startswith(b"<") and b"<osm" in head


def _confirm_citygml(path: Path, stripped: bytes, head: bytes) -> None:
    name = path.name.lower()
    if name.endswith(".gz") and not head.startswith(b"\x1f\x8b"):
        raise LoadError(path, "named .gml.gz but is not gzip-compressed")
    if name.endswith(".zip") and not head.startswith(b"PK\x03\x04"):
        raise LoadError(path, "named .zip but is not a zip archive (CityGML archives are read from .zip)")
    if name.endswith((".gml", ".xml")) and not stripped.startswith(b"<"):
        raise LoadError(path, "named as CityGML but is not XML")


def detect_format(path: Path) -> str:
    """The format of a model file from its name and first bytes."""
    name = path.name.lower()
    head = _head(path)
    for suffix, fmt in _SUFFIXES:
        if name.endswith(suffix):
            try:
                fmt = fmt or (_sniff_xml(path, head) if suffix == ".xml" else _sniff_json(path, head))
                _confirm(path, fmt, head)
            except LoadError as exc:  # say what the file is, not only what it is not
                raise LoadError(path, f"{exc.reason} (the content looks like {describe_content(head)})") from None
            return fmt
    fmt = _format_by_content(head)
    if fmt is not None:  # a known format under another name: say so rather than guess silently
        raise LoadError(path, f"unknown model file name {path.suffix or '(no extension)'!r}, but the content "
                              f"looks like {fmt}: rename it, or give --format {fmt} (or format in the scene); "
                              f"supported: {SUPPORTED}")
    raise LoadError(path, f"unknown model format: the content looks like {describe_content(head)}; "
                          f"supported: {SUPPORTED}")


SUPPORTED = ("CityJSON .json .city.json .city.jsonl, CityGML .gml .gml.gz .xml .zip, GeoJSON .geojson, "
             "glTF .gltf .glb, OBJ .obj, PLY .ply, SUMO .net.xml .poly.xml, OpenStreetMap .osm .osm.pbf")

# Leading bytes -> what a person would call the file (for the error of an unknown format).
_MAGIC = [(b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "a gzip file"),
          (b"glTF", "a binary glTF (GLB)"), (b"SQLite format 3", "an SQLite database (MBTiles, GeoPackage?)"),
          (b"II*\x00", "a TIFF image (GeoTIFF?)"), (b"MM\x00*", "a TIFF image (GeoTIFF?)"),
          (b"b3dm", "a 3D Tiles b3dm tile"), (b"i3dm", "a 3D Tiles i3dm tile"), (b"pnts", "a 3D Tiles pnts tile"),
          (b"cmpt", "a 3D Tiles cmpt tile"), (b"\x7fELF", "a program (ELF)")]


def describe_content(head: bytes) -> str:
    """What the first bytes of a file look like, in words ("a PNG image", "XML with root <kml>", ...)."""
    for magic, words in _MAGIC:
        if head.startswith(magic):
            return words
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        return "an empty file"
    if text.startswith(b"<"):
        root = re.search(rb"<([A-Za-z_][\w.:-]*)[\s>/]", re.sub(rb"<\?.*?\?>|<!--.*?-->|<!.*?>", b"", text, flags=re.S))
        return f"XML with root <{root.group(1).decode('ascii', 'replace')}>" if root else "XML"
    if text.startswith(b"{"):
        kind = re.search(rb'"type"\s*:\s*"([^"]{1,40})"', text)
        return f"a JSON object of type {kind.group(1).decode('utf-8', 'replace')!r}" if kind else "a JSON object"
    if text.startswith(b"["):
        return "a JSON array"
    if b"\x00" in head:
        return "binary data"
    return "text"


def _format_by_content(head: bytes) -> str | None:
    """A format a misnamed file can be read as, when its first bytes say so unmistakably."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"glTF"):
        return "gltf"
    if _CITYGML_NAMESPACE in head and text.startswith(b"<"):
        return "citygml"
    if text.startswith(b"{") and (b'"CityJSON"' in head or b'"CityObjects"' in head):
        return "cityjson"
    if text.startswith(b"{") and b'"FeatureCollection"' in head:
        return "geojson"
    if text.startswith(b"<") and re.search(rb"<net[\s>]", head):
        return "sumo-net"
    if text.startswith(b"<") and re.search(rb"<osm[\s>]", head):
        return "osm"
    return None


def loader_for(fmt: str) -> Callable[[Path | None, SourceConfig, Limits], SourceModel]:
    module, function = LOADERS[fmt]
    loader: Callable[[Path | None, SourceConfig, Limits], SourceModel] = getattr(
        importlib.import_module(module), function)
    return loader


def load_source(options: SourceConfig, limits: Limits) -> SourceModel:
    """Load one source with the right loader; every failure is a LoadError naming the file."""
    if options.format == "procedural":
        return loader_for("procedural")(None, options, limits)
    if options.path is None:
        raise LoadError("<scene>", "source has no path")
    path = Path(options.path)
    check_file(path, limits)
    return run_loader(options.format or detect_format(path), path, options, limits)


# Formats whose files hold several levels of detail for `lod` to choose from.
WITH_LODS = ("cityjson", "cityjsonseq", "citygml")


def run_loader(fmt: str, path: Path, options: SourceConfig, limits: Limits) -> SourceModel:
    """The loader for `fmt` on `path`. JSON may nest up to 1024 levels (orjson's limit), deeper than Python
    can repr, pickle or re-encode: a RecursionError anywhere in a loader is bad input, not a crash."""
    if options.lod != "highest" and fmt not in WITH_LODS:  # asked for a choice the file cannot offer
        raise LoadError(path, f"a {fmt} file has no levels of detail to choose from (lod {options.lod!r}); "
                              f"lod applies to {', '.join(WITH_LODS)}")
    try:
        with skipping_complex_polygons() as skipped:
            model = loader_for(fmt)(path, options, limits)
        if skipped.count:  # the rest of the city is kept; the user is told what is missing
            message = skipped.describe()
            model.meta.setdefault("warnings", []).append(message)
            log.warning("%s: %s", path, message)
        return model
    except RecursionError:
        raise LoadError(path, "nested too deeply to process (more levels than Python's recursion limit)") from None
    except TooComplex as exc:  # loaders that do not name the limit themselves (SUMO polygons)
        raise too_complex(path, exc.limit, exc.value, exc.maximum) from None
