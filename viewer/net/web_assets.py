"""The meeting server's web side: room pages, the browser client's bundle and the scene's city as 3D Tiles,
answered as plain HTTP GETs on the websocket port (net/meeting_server.py hands them here).

Rules:
1. Only these GETs are answered: `/rooms/NAME/` (the page; `/rooms/NAME` redirects there), `/static/FILE`
   (the bundle in viewer/web_dist), `/tiles/...` (the scene's tileset), `/scene.json` (where the tiles are in
   the scene's local metres), `/favicon.ico` (rule 9). Anything else is 404. A websocket upgrade never comes here.
2. Files are served only from inside their folder: the resolved path must stay under it (no `..`, no symlink
   out), and at most MAX_FILE bytes. Names are checked before the disk is touched.
3. No token is asked for: the page and tiles are the same for everyone who can reach the port. The token
   travels in the link's fragment (`#token=...`), which browsers never send, and the page hands it to the
   websocket as `?token=` (meeting_server.py rule 2), so it appears in no URL a server logs.
4. The city is tiled once per scene version into a cache folder (tile_scene()): the key covers the scene file
   and every source file's size and mtime and the writer's version; scene.json is written beside the tiles.
5. The browser works in the tileset's east-north-up frame (ENU at the scene origin, the root transform
   undone); the desktop and the wire use local metres of a projected grid. scene.json carries quadratic maps
   both ways fitted on exact pyproj samples over the scene's box (tiles/write_place.py rule 3), and their
   worst residual, so positions agree to well under a centimetre. It also carries the scene's frame (CRS and
   origin) so that the server can map feed positions for the page (rule 7).
6. The live feed (a FeedLink, `meet serve --web --feed URL`): `/feed.json` tells the page the feed's URLs
   and its bearer token. Without a feed token it is open like the rest; with one, it is answered only to a
   request presenting a valid meeting join token (`Authorization: Bearer JOIN_TOKEN`, which the page has
   from its link), so the feed token reaches only participants, never a mere visitor of the port.
7. `/frame/CRS.json`: how the page turns feed positions in CRS (the feed hello's) into the scene's local
   metres, by the desktop's PositionMapper (layers/position.py): an offset when the feed is in the scene's
   plane, else a quadratic fitted over the scene's area and checked to 2 cm. A CRS that cannot be mapped
   so (unknown, or too curved over the area) is answered 422 with the reason, which the page shows.
8. The scene's look (`page_look`, `meet serve --web --scene`): its `[layers]` styles resolved as the
   desktop resolves them (layers/styles.py: attribute, display unit and factor, the ramp's 256 colours
   and range or the bands, no-data and alert colours, the legend's title and labels) and its camera
   bookmarks go into `/scene.json` under `layers` and `bookmarks`, computed when the server starts (a style
   edit needs no new tiling). Without a scene the page keeps the desktop's defaults.
9. `/favicon.ico` is the app icon (assets/icons/favicon.ico, package data, as the desktop window's icon):
   browsers ask the site's root for it, so the bundle needs no rebuild and no link tag.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np

from viewer.city.limits import DEFAULT_LIMITS, read_json
from viewer.city.model import CityModel
from viewer.config import SceneConfig
from viewer.errors import CitiverseError, LoadError
from viewer.geo.frame import LocalFrame
from viewer.layers.position import PositionMapper
from viewer.layers.styles import LayerStyle
from viewer.meeting.fields import ROOM_RE
from viewer.tiles.write_place import Placement
from viewer.tiles.write_tileset import TileOptions, write_tileset

MAX_FILE = 64 << 20  # bytes: far above a tile; the whole body is held in memory
BUNDLE_DIR = Path(__file__).resolve().parent.parent / "web_dist"
ICONS_DIR = Path(__file__).resolve().parent.parent / "assets" / "icons"  # package data (assets/README.md)
SCENE_JSON = "scene.json"
LOOK_LAYERS = ("vehicles", "roads", "buildings")
CACHE_VERSION = "web-tiles-2"  # bump when the writer's output or scene.json changes shape
_SAFE_PART = re.compile(r"[A-Za-z0-9_.-]{1,128}")
_CRS_TEXT = re.compile(r"[A-Za-z0-9:._+=/ -]{1,200}")
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".json": "application/json", ".glb": "model/gltf-binary",
         ".map": "application/json", ".ico": "image/x-icon", ".png": "image/png", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class WebReply:
    """An HTTP answer: status, reason, body and its content type; `location` for a redirect."""

    status: int
    reason: str
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    location: str | None = None
    cache: str = "no-cache"


def not_found(what: str) -> WebReply:
    return WebReply(404, "Not Found", f"not found: {what}\n".encode())


def json_reply(value: object, status: int = 200, reason: str = "OK") -> WebReply:
    return WebReply(status, reason, json.dumps(value).encode(), "application/json")


@dataclass(frozen=True)
class FeedLink:
    """The live feed the pages connect to (rule 6): its URLs (tried in turn, as the desktop's failover), its
    bearer token or None, and `admits(join_token)`: whether a meeting join token is valid now."""

    urls: tuple[str, ...]
    token: str | None
    admits: Callable[[str], bool]


class WebSite:
    """Answers the GETs of rule 1 from a bundle folder, an optional tiles folder (with scene.json) and an
    optional live feed (rules 6, 7)."""

    def __init__(self, bundle: Path = BUNDLE_DIR, tiles: Path | None = None, feed: FeedLink | None = None,
                 look: dict[str, Any] | None = None) -> None:
        self.bundle, self.tiles, self.feed, self.look = bundle, tiles, feed, look
        self._frames: dict[str, WebReply] = {}
        if not (bundle / "index.html").is_file():
            raise LoadError(bundle, "the web client's bundle is missing (index.html): "
                                    "build it with `npm --prefix web run build`")

    def answer(self, path: str, headers: Mapping[str, str] | None = None) -> WebReply:
        """The reply to a GET of `path` (no query, already split off) with the request's `headers`."""
        parts = path.split("/")[1:]
        if path == "/scene.json":
            return self._scene_json(path)
        if path == "/feed.json":
            return self._feed((headers or {}).get("Authorization"))
        if path == "/favicon.ico":  # rule 9: browsers ask the site's root for it, whatever the page
            return self._file(ICONS_DIR, "favicon.ico", cache="max-age=86400")
        if len(parts) == 2 and parts[0] == "frame" and parts[1].endswith(".json"):
            return self._frame(unquote(parts[1].removesuffix(".json")))
        if len(parts) >= 2 and parts[0] == "rooms" and ROOM_RE.fullmatch(parts[1]):
            if len(parts) == 2:
                return WebReply(301, "Moved Permanently", b"", location=f"/rooms/{parts[1]}/")
            if parts[2:] == [""]:
                return self._file(self.bundle, "index.html")
        if parts and parts[0] == "static":
            return self._file(self.bundle, "/".join(parts[1:]), cache="max-age=60")
        if parts and parts[0] == "tiles" and self.tiles is not None:
            return self._file(self.tiles, "/".join(parts[1:]), cache="max-age=3600")
        return not_found(path)

    def _scene_json(self, path: str) -> WebReply:
        """scene.json beside the tiles, with the scene's look (rule 8) when there is one."""
        if self.tiles is None:
            return not_found(path)
        reply = self._file(self.tiles, SCENE_JSON)
        if reply.status != 200 or not self.look:
            return reply
        info = self._scene_info() or {}
        return json_reply({**info, **self.look})

    def _feed(self, authorization: str | None) -> WebReply:
        """The feed's URLs and token for the page (rule 6)."""
        feed = self.feed
        if feed is None:
            return json_reply({"urls": [], "token": None})
        if feed.token is not None:
            scheme, _, join_token = (authorization or "").partition(" ")
            if scheme.lower() != "bearer" or not feed.admits(join_token.strip()):
                return WebReply(401, "Unauthorized", b"the feed is for participants: present a valid join token\n")
        return json_reply({"urls": list(feed.urls), "token": feed.token})

    def _frame(self, crs: str) -> WebReply:
        """How the page maps feed positions in `crs` to local metres (rule 7); cached per CRS."""
        if not _CRS_TEXT.fullmatch(crs):
            return not_found("frame/" + crs[:100])
        if crs not in self._frames:
            if len(self._frames) > 64:
                self._frames.clear()
            self._frames[crs] = self._fit_frame(crs)
        return self._frames[crs]

    def _fit_frame(self, crs: str) -> WebReply:
        info = self._scene_info()
        if info is None or "frame" not in info:  # no scene: positions are taken as local metres
            return json_reply({"crs": crs, "kind": "offset", "origin": [0.0, 0.0, 0.0]})
        frame = frame_from_info(info["frame"])
        lo, hi = np.asarray(info["bounds"]["min"], np.float64), np.asarray(info["bounds"]["max"], np.float64)
        try:
            mapper = PositionMapper(frame, crs or None, lo, hi)
        except (CitiverseError, ValueError) as exc:
            return json_reply({"crs": crs, "reason": f"the feed's CRS {crs!r} is not known: {exc}"}, 422,
                              "Unprocessable Entity")
        if mapper.identity:
            return json_reply({"crs": crs, "kind": "offset", "origin": [*frame.origin_xy, frame.origin_z]})
        if mapper.coef is None:
            return json_reply({"crs": crs, "reason": f"positions in {crs} cannot be mapped to the scene within 2 cm "
                               f"by a quadratic (error {mapper.error:.3g} m)"}, 422, "Unprocessable Entity")
        return json_reply({"crs": crs, "kind": "quadratic", "centre": mapper.centre.tolist(),
                           "span": mapper.span.tolist(), "coef": mapper.coef.tolist(), "origin_z": frame.origin_z,
                           "error": mapper.error})

    def _scene_info(self) -> dict[str, Any] | None:
        if self.tiles is None or not (self.tiles / SCENE_JSON).is_file():
            return None
        value = read_json(self.tiles / SCENE_JSON, DEFAULT_LIMITS)
        return value if isinstance(value, dict) else None

    def _file(self, folder: Path | None, name: str, cache: str = "no-cache") -> WebReply:
        """A file under `folder` (rule 2)."""
        parts = name.split("/")
        if folder is None or not all(_SAFE_PART.fullmatch(p) and p not in (".", "..") for p in parts):
            return not_found(name[:200])
        root = folder.resolve()
        target = (root / name).resolve()
        if not target.is_relative_to(root) or not target.is_file() or target.stat().st_size > MAX_FILE:
            return not_found(name)
        kind = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return WebReply(200, "OK", target.read_bytes(), kind, cache=cache)


# ---------------------------------------------------------------------------- the city as tiles (rules 4, 5)


def cache_key(scene_file: Path, sources: list[Path]) -> str:
    """A key that changes when the scene file or any of its source files changes (rule 4)."""
    h = hashlib.sha256(CACHE_VERSION.encode())
    for path in (scene_file, *sources):
        resolved = path.resolve()
        stat = resolved.stat() if resolved.exists() else None
        h.update(f"{resolved}\0{stat.st_size if stat else -1}\0{stat.st_mtime_ns if stat else -1}\n".encode())
    return h.hexdigest()[:24]


def tile_scene(model: CityModel, frame: LocalFrame, out: Path, name: str,
               options: TileOptions | None = None, progress: Any = None) -> None:
    """Write `model` as a tileset in `out` and scene.json beside it (rules 4, 5)."""
    write_tileset(model, frame, out, options or TileOptions(), progress or (lambda _: None))
    lo, hi = model.bounds()
    info = scene_info(frame, np.asarray(lo, np.float64), np.asarray(hi, np.float64), name)
    (out / SCENE_JSON).write_text(json.dumps(info, indent=1), encoding="utf-8")


def scene_info(frame: LocalFrame, lo: np.ndarray, hi: np.ndarray, name: str) -> dict[str, Any]:
    """What the page needs to place the tiles in local metres: the maps of rule 5, bounds and a start view."""
    placement = Placement(frame)
    info: dict[str, Any] = {"name": name, "tileset": "/tiles/tileset.json", "georeferenced": frame.georeferenced,
                            "bounds": {"min": [float(v) for v in lo], "max": [float(v) for v in hi]}}
    info["frame"] = frame_info(frame)
    if frame.georeferenced:
        lon, lat, h = placement.origin_lonlat_h
        info["origin"] = {"lon": lon, "lat": lat, "height": h, "crs": frame.crs}
        info["local_to_enu"], info["enu_to_local"] = fit_maps(placement, lo, hi)
    return info


def frame_info(frame: LocalFrame) -> dict[str, Any]:
    """The scene's frame as scene.json keeps it (rule 5): CRS and origin, enough to rebuild it exactly."""
    if frame.crs is not None and frame.plane != frame.crs:  # geographic: a tangent plane at the origin
        lon, lat = frame.origin_lonlat
        return {"crs": frame.crs, "origin_lonlat": [lon, lat, frame.origin_z]}
    return {"crs": frame.crs, "origin": [*frame.origin_xy, frame.origin_z]}


def frame_from_info(info: dict[str, Any]) -> LocalFrame:
    """The LocalFrame that frame_info() describes."""
    if "origin_lonlat" in info:
        lon, lat, z = info["origin_lonlat"]
        return LocalFrame.from_lonlat(lon, lat, z, info["crs"])
    return LocalFrame(info["crs"], tuple(info["origin"]))


def fit_maps(placement: Placement, lo: np.ndarray, hi: np.ndarray) -> tuple[dict[str, Any], dict[str, Any]]:
    """Quadratic maps local -> ENU and ENU -> local over the box lo..hi (padded), each with its residual (m)."""
    pad = np.maximum((hi - lo) * 0.25, 50.0)
    lo, hi = lo - pad, hi + pad
    grid = np.linspace(0.0, 1.0, 9)
    gx, gy, gz = np.meshgrid(grid, grid, np.linspace(0.0, 1.0, 3), indexing="ij")
    local = lo + np.stack([gx.ravel(), gy.ravel(), gz.ravel()], axis=1) * (hi - lo)
    enu = placement.to_enu_exact(local)
    return _fit(local, enu), _fit(enu, local)


def _fit(src: np.ndarray, dst: np.ndarray) -> dict[str, Any]:
    """dst ~ terms((src - centre) / half) @ coeffs; the shape the page evaluates (web/src/frame.ts)."""
    lo, hi = src.min(axis=0), src.max(axis=0)
    centre, half = (lo + hi) / 2.0, np.maximum((hi - lo) / 2.0, 0.5)
    terms = _terms((src - centre) / half)
    coeffs = np.linalg.lstsq(terms, dst, rcond=None)[0]
    residual = float(np.abs(terms @ coeffs - dst).max())
    return {"centre": centre.tolist(), "half": half.tolist(), "coeffs": coeffs.tolist(), "residual": residual}


def _terms(u: np.ndarray) -> np.ndarray:
    """(n, 10) quadratic monomials, in the order web/src/frame.ts uses."""
    x, y, z = u[:, 0], u[:, 1], u[:, 2]
    return np.stack([np.ones_like(x), x, y, z, x * x, y * y, z * z, x * y, x * z, y * z], axis=1)


def apply_map(fit: dict[str, Any], points: np.ndarray) -> np.ndarray:
    """(n, 3) points through a fitted map (what the page computes; tests compare the two)."""
    centre, half = np.asarray(fit["centre"]), np.asarray(fit["half"])
    return _terms((np.asarray(points, np.float64) - centre) / half) @ np.asarray(fit["coeffs"])


# ---------------------------------------------------------------------------- the scene's look (rule 8)


def page_look(config: SceneConfig) -> dict[str, Any]:
    """The scene's layer styles and camera bookmarks as the page reads them from /scene.json (rule 8)."""
    layers = {name: style_json(LayerStyle(name, getattr(config.layers, name))) for name in LOOK_LAYERS}
    bookmarks = [{"name": name, "position": [float(v) for v in b.position], "look_at": [float(v) for v in b.look_at],
                  "fov": float(b.fov)} for name, b in config.cameras.items()]
    return {"layers": layers, "bookmarks": bookmarks}


def style_json(style: LayerStyle) -> dict[str, Any]:
    """One resolved layer style as data: what the page's SceneStyle (web/src/feed/scene_style.ts) colours by."""
    s, legend = style.scale, style.legend()
    out: dict[str, Any] = {"attribute": style.attribute, "units": style.units, "factor": style.factor,
                           "title": legend.title, "visible": style.visible, "no_data": _hex(s.no_data),
                           "alert": s.alert, "alert_colour": _hex(s.alert_colour)}
    if style.categories:
        out["kind"] = "categories"  # vehicle types: the page's palette is the desktop's (feed/styles.ts)
    elif s.is_ramp:
        assert s.lut is not None
        out.update(kind="ramp", lut=[_hex(c) for c in s.lut], lo=s.lo, hi=s.hi, auto=style.auto)
    else:
        assert s.edges is not None and s.band_colours is not None
        out.update(kind="bands", edges=[float(e) for e in s.edges], colours=[_hex(c) for c in s.band_colours],
                   labels=list(legend.labels))
    return out


def _hex(rgba: np.ndarray) -> str:
    return "".join(f"{int(c):02x}" for c in rgba[:3])
