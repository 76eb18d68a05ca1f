"""Test helpers for base maps: a loopback tile server serving generated tiles (and WMTS capabilities),
an MBTiles file and a GeoTIFF orthophoto made on the spot, each with a magenta square at a known place."""

from __future__ import annotations

import io
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
from PIL import Image

from viewer.basemap.mercator import Tile, world_to_lonlat

MAGENTA = (255, 0, 255)
ROTTERDAM = (4.47917, 51.92250)  # lon, lat of the test scenes' origin (RD 92540, 437500 within a metre)
SQUARE = (4.48010, 51.92250, 30.0)  # lon, lat of the square's centre and its side in metres


def square_bounds(square=SQUARE) -> tuple[float, float, float, float]:
    """(west, south, east, north) degrees of the magenta square."""
    lon, lat, side = square
    dlat = side / 2 / 111_320.0
    dlon = dlat / np.cos(np.radians(lat))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def tile_colour(tile: Tile) -> tuple[int, int, int]:
    """A muted, distinct colour per tile (never magenta)."""
    return 60 + (tile.x * 37) % 120, 80 + (tile.y * 53) % 120, 70 + (tile.z * 29) % 100


def tile_image(tile: Tile, square=SQUARE, size: int = 256) -> np.ndarray:
    """(size, size, 3) uint8: the tile's colour, magenta where the square is (by pixel centre)."""
    u0, v0, u1, v1 = tile.world_rect()
    c = (np.arange(size) + 0.5) / size
    gu, gv = np.meshgrid(u0 + (u1 - u0) * c, v0 + (v1 - v0) * c)
    lon, lat = world_to_lonlat(gu, gv)
    west, south, east, north = square_bounds(square)
    inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    out = np.zeros((size, size, 3), np.uint8)
    out[:] = tile_colour(tile)
    out[inside] = MAGENTA
    return out


def png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


class TileServer:
    """http.server on 127.0.0.1 in a thread. Routes: /xyz/{z}/{x}/{y}.png (generated tiles),
    /tms/{z}/{x}/{tms_y}.png, /wmts/{matrix}/{row}/{col}.png, /kvp?...TILEMATRIX=&TILEROW=&TILECOL=,
    /caps.xml (WMTS capabilities), /text/... (not an image), /huge/... (5 MB), /wrong/... (300x200 PNG),
    /missing/... (404). `requests` lists (path, user agent) of every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                with owner.lock:
                    owner.requests.append((self.path, self.headers.get("User-Agent", "")))
                status, body, kind = owner.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path: str) -> tuple[int, bytes, str]:
        from urllib.parse import parse_qs, urlsplit

        parts = urlsplit(path)
        route = parts.path.strip("/").split("/")
        try:
            if route[0] == "caps.xml":
                return 200, capabilities(self.url).encode(), "application/xml"
            if route[0] == "kvp":
                q = {k.upper(): v[0] for k, v in parse_qs(parts.query).items()}
                tile = Tile(int(q["TILEMATRIX"].removeprefix("GM")), int(q["TILECOL"]), int(q["TILEROW"]))
                return 200, png(tile_image(tile)), "image/png"
            if route[0] == "wmts":  # /wmts/GM{z}/{row}/{col}.png
                route[1] = route[1].removeprefix("GM")
            z, a, b = int(route[1]), int(route[2]), int(route[3].split(".")[0])
        except (IndexError, ValueError, KeyError):
            return 404, b"no such route", "text/plain"
        kind = route[0]
        if kind == "wmts":
            tile = Tile(z, b, a)  # /wmts/{matrix}/{row}/{col}
        elif kind == "tms":
            tile = Tile(z, a, (1 << z) - 1 - b)
        else:
            tile = Tile(z, a, b)
        if kind in ("xyz", "tms", "wmts"):
            return 200, png(tile_image(tile)), "image/png"
        if kind == "text":
            return 200, b"<html>rate limited</html>", "text/html"
        if kind == "huge":
            return 200, b"\x89PNG\r\n\x1a\n" + bytes(5 << 20), "image/png"
        if kind == "wrong":
            return 200, png(np.zeros((200, 300, 3), np.uint8)), "image/png"
        return 404, b"", "text/plain"

    def tile_requests(self) -> list[str]:
        with self.lock:
            return [p for p, _ in self.requests if p.endswith(".png") or p.startswith("/kvp")]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def capabilities(url: str, kvp_only: bool = False, mercator: bool = True) -> str:
    """A WMTS capabilities document: layer "ortho" (ResourceURL to /wmts/...) and layer "plan" on a
    Swiss (non-mercator) set only; matrices GM0..GM19 on the standard web-mercator grid."""
    matrices = "".join(
        f"<TileMatrix><ows:Identifier>GM{z}</ows:Identifier><ScaleDenominator>{559082264.0287178 / 2 ** z}"
        f"</ScaleDenominator><TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner>"
        f"<TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>{2 ** z}</MatrixWidth>"
        f"<MatrixHeight>{2 ** z}</MatrixHeight></TileMatrix>" for z in range(20))
    resource = "" if kvp_only else (f'<ResourceURL format="image/png" resourceType="tile" '
                                    f'template="{url}/wmts/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.png"/>')
    crs = "urn:ogc:def:crs:EPSG::3857" if mercator else "urn:ogc:def:crs:EPSG::2056"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1"
  xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
 <ows:ServiceIdentification><ows:Title>Test WMTS</ows:Title></ows:ServiceIdentification>
 <ows:ServiceProvider><ows:ProviderName>Loopback Survey</ows:ProviderName></ows:ServiceProvider>
 <ows:OperationsMetadata><ows:Operation name="GetTile"><ows:DCP><ows:HTTP>
  <ows:Get xlink:href="{url}/kvp?"/></ows:HTTP></ows:DCP></ows:Operation></ows:OperationsMetadata>
 <Contents>
  <Layer><ows:Identifier>plan</ows:Identifier><Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style>
   <Format>image/png</Format><TileMatrixSetLink><TileMatrixSet>swiss</TileMatrixSet></TileMatrixSetLink></Layer>
  <Layer><ows:Identifier>ortho</ows:Identifier><Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style>
   <Format>image/png</Format><TileMatrixSetLink><TileMatrixSet>swiss</TileMatrixSet></TileMatrixSetLink>
   <TileMatrixSetLink><TileMatrixSet>gm</TileMatrixSet></TileMatrixSetLink>{resource}</Layer>
  <TileMatrixSet><ows:Identifier>swiss</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::2056</ows:SupportedCRS>
   <TileMatrix><ows:Identifier>0</ows:Identifier><ScaleDenominator>14285750.5</ScaleDenominator>
   <TopLeftCorner>2420000 1350000</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight>
   <MatrixWidth>1</MatrixWidth><MatrixHeight>1</MatrixHeight></TileMatrix></TileMatrixSet>
  <TileMatrixSet><ows:Identifier>gm</ows:Identifier><ows:SupportedCRS>{crs}</ows:SupportedCRS>{matrices}</TileMatrixSet>
 </Contents>
</Capabilities>"""


def write_mbtiles(path: Path, tiles: list[Tile], attribution: str = "(c) Test MBTiles") -> Path:
    """An MBTiles file holding `tiles` (rows stored TMS, as the spec says)."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name text, value text)")
    db.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
    zooms = [t.z for t in tiles]
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [
        ("name", "test"), ("format", "png"), ("minzoom", str(min(zooms))), ("maxzoom", str(max(zooms))),
        ("attribution", f"<a href='x'>{attribution}</a>")])
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                   [(t.z, t.x, t.tms_y(), png(tile_image(t))) for t in tiles])
    db.commit()
    db.close()
    return path


def covering_tiles(lon: float, lat: float, radius_m: float, zooms: range) -> list[Tile]:
    """Every tile of `zooms` within radius_m of lon, lat."""
    from viewer.basemap.mercator import tile_of

    dlat = radius_m / 111_320.0
    dlon = dlat / np.cos(np.radians(lat))
    out = []
    for z in zooms:
        a, b = tile_of(lon - dlon, lat + dlat, z), tile_of(lon + dlon, lat - dlat, z)
        out += [Tile(z, x, y) for x in range(a.x, b.x + 1) for y in range(a.y, b.y + 1)]
    return out


def write_orthophoto(path: Path, epsg: int, x0: float, y0: float, pixel: float, rgb: np.ndarray) -> Path:
    """An RGB GeoTIFF, top-left pixel corner at x0, y0 in EPSG:epsg (PixelIsArea)."""
    import tifffile

    keys = [1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, epsg]
    tifffile.imwrite(path, rgb, photometric="rgb", extratags=[
        (33550, "d", 3, (pixel, pixel, 0.0), False), (33922, "d", 6, (0.0, 0.0, 0.0, x0, y0, 0.0), False),
        (34735, "H", len(keys), keys, False)])
    return path


def one_building_city(folder: Path):
    """A one-building GeoJSON city in an RD New scene whose origin is in Rotterdam, loaded (files in `folder`)."""
    import json

    from viewer.city.scene import load_scene_models
    from viewer.config import load_scene

    lon, lat, d = 4.4790, 51.9224, 0.0001
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
    (folder / "city.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"height": 12.0}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
    (folder / "city.toml").write_text('[scene]\ncrs = "EPSG:28992"\norigin = [92540.0, 437500.0]\n\n'
                                      '[[sources]]\npath = "city.geojson"\n')
    return load_scene_models(load_scene(folder / "city.toml"), use_cache=False)
