"""The public Python API of CitiVerse: load a city, look at its objects, render frames and videos headless,
and drive a live window. Documented with an example per function in docs/api.md.

    from viewer import api
    scene = api.open_scene("delft.city.json")           # or api.demo_scene()
    scene.objects.to_numpy()                            # ids, types, heights, footprints, boxes
    scene.object_at(12.0, -40.0)                        # the id of the object seen from above there
    frame = scene.render("overview", size=(800, 450))   # a Frame: .image (h, w, 3) uint8, .save(), PNG in notebooks
    scene.render(objects=["b-12", "b-13"], feed="run.feed.jsonl.gz", at="+60")
    scene.render_video(["overview", "street"], "tour.mp4", fps=24)   # a Video, an embedded <video> in notebooks
    scene.add_rule("Overload", "building", "power > 400", severity="critical", badge="!")   # docs/rules.md
    scene.alerts("run.feed.jsonl.gz", start="+60").events            # the alert log, without a window
    window = api.Window.connect(port, token)            # a `citiverse view --control auto` window

Rules this module keeps:
1. Stable and typed: every name here without a leading underscore is public and keeps its signature; the
   command line is a client of these functions (DESIGN rule 7). Errors are the project's own
   (viewer/errors.py): LoadError, ConfigError, RenderError, PeerError; never a bare ValueError from here.
2. Importing this module is cheap: Panda3D, the loaders and the feed stack are imported inside the
   functions that need them, so `import viewer.api` works in any notebook and a city's test suite.
3. Local coordinates everywhere: metres, x east, y north, z up, around the scene's origin (Scene.frame
   turns lon/lat into them: Scene.to_local).
4. Renders reuse the app layer as the CLI does (app/headless.py, app/live_headless.py,
   app/flythrough_render.py): the same scene, camera, feed and time give the same pixels.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import numpy as np
import numpy.typing as npt

from viewer.config import CameraBookmark
from viewer.errors import ConfigError, LoadError
from viewer.layers.rules import Predicate, Rule  # pure numpy: cheap to import (rule 2)

if TYPE_CHECKING:
    from viewer.app.alerts_replay import AlertReport
    from viewer.city.model import CityModel
    from viewer.city.scene import LoadedScene
    from viewer.config import SceneConfig
    from viewer.flythrough.path import CameraPath
    from viewer.rules_config import RuleConfig
    from viewer.sources.base import Source

__all__ = ["Frame", "ObjectInfo", "Objects", "Pose", "Rule", "Scene", "Video", "Window", "demo_scene",
           "open_scene", "record_demo_feed", "replay_alerts"]

Pose = CameraBookmark  # position and look_at (local metres), vertical fov in degrees
Camera = str | CameraBookmark | None  # a bookmark name, a Pose, or None: framed on the whole model
Feed: TypeAlias = "str | Path | Source"  # a recording file, a ws:// URL, or a Source (the protocol of viewer/sources/base.py)
Colour = str | Sequence[float]  # "#rrggbb" or (r, g, b) in 0..1
VIDEO_INLINE_BYTES = 20 << 20  # a Video embeds itself in a notebook up to this size, else links the file


# ---------------------------------------------------------------- objects


@dataclass(frozen=True)
class ObjectInfo:
    """One city object: its id, type, parent id ("" for none), attributes, height and footprint area (m,
    m²; NaN without geometry) and box corners (local metres)."""

    id: str
    type: str
    parent: str
    attributes: dict[str, Any]
    height: float
    footprint_area: float
    bbox_min: tuple[float, float, float]
    bbox_max: tuple[float, float, float]

    @property
    def centre(self) -> tuple[float, float, float]:
        return cast(tuple[float, float, float], tuple((a + b) / 2 for a, b in zip(self.bbox_min, self.bbox_max,
                                                                                    strict=True)))


class Objects:
    """The objects of a scene, or a selection of them, as columns (numpy arrays in table order).

    ids, types : (n,) str; parents : (n,) str ("" for none); height, footprint_area : (n,) float32 (NaN without
    geometry); bbox_min, bbox_max : (n, 3) float32 local metres; attributes : list of dicts."""

    def __init__(self, model: CityModel, rows: np.ndarray | None = None) -> None:
        self._model = model
        n = len(model.objects)
        self.rows = np.arange(n) if rows is None else np.asarray(rows, np.int64)  # positions in the full table

    def __len__(self) -> int:
        return int(self.rows.size)

    def __iter__(self) -> Iterator[ObjectInfo]:
        return (self._info(int(r)) for r in self.rows)

    def __getitem__(self, key: str | int) -> ObjectInfo:
        """An object by id (str) or by position in this selection (int); LoadError naming an unknown id."""
        if isinstance(key, str):
            return self._info(self._row_of(key))
        return self._info(int(self.rows[key]))

    def __contains__(self, object_id: object) -> bool:
        row = _id_rows(self._model).get(str(object_id))
        return row is not None and bool(np.isin(row, self.rows))

    def __repr__(self) -> str:
        return f"<Objects: {len(self)} of {len(self._model.objects)}>"

    # columns
    @property
    def ids(self) -> np.ndarray:
        return np.array([self._model.objects.ids[r] for r in self.rows], dtype=str)

    @property
    def types(self) -> np.ndarray:
        return np.array([self._model.objects.types[r] for r in self.rows], dtype=str)

    @property
    def parents(self) -> np.ndarray:
        table = self._model.objects
        return np.array([table.ids[p] if p >= 0 else "" for p in table.parents[self.rows]], dtype=str)

    @property
    def attributes(self) -> list[dict[str, Any]]:
        return [self._model.objects.attributes[r] for r in self.rows]

    @property
    def height(self) -> np.ndarray:
        return self._column("height", ())

    @property
    def footprint_area(self) -> np.ndarray:
        return self._column("footprint_area", ())

    @property
    def bbox_min(self) -> np.ndarray:
        return self._column("bbox_min", (3,))

    @property
    def bbox_max(self) -> np.ndarray:
        return self._column("bbox_max", (3,))

    def attribute(self, name: str) -> np.ndarray:
        """One attribute of every object: float64 (NaN where missing) when every present value is a number,
        else an object array (None where missing)."""
        values = [a.get(name) for a in self.attributes]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
            return np.array([math.nan if v is None else float(v) for v in values], np.float64)
        return np.array(values, dtype=object)

    # selections
    def select(self, which: np.ndarray | Sequence[int] | Sequence[str]) -> Objects:
        """A selection by a boolean mask over this selection, positions in it, or object ids."""
        items = list(which) if not isinstance(which, np.ndarray) else which
        if len(items) and isinstance(items[0], str):
            return Objects(self._model, np.array([self._row_of(str(i)) for i in items], np.int64))
        array = np.asarray(items)
        if array.dtype == bool:
            if array.shape != self.rows.shape:
                raise ConfigError("select", "", f"a mask of {array.shape[0]} for {len(self)} objects")
            return Objects(self._model, self.rows[array])
        return Objects(self._model, self.rows[array.astype(np.int64)])

    def of_type(self, *types: str) -> Objects:
        """The objects whose type is one of `types` (e.g. "Building", "Road")."""
        return self.select(np.isin(self.types, list(types)))

    def where(self, name: str, value: Any = ..., test: Callable[[Any], bool] | None = None) -> Objects:
        """The objects that have attribute `name` (equal to `value` when given; passing `test(value)` when
        given), e.g. where("function", "residential"), where("yearOfConstruction", test=lambda y: y < 1900)."""
        def keep(attributes: dict[str, Any]) -> bool:
            if name not in attributes:
                return False
            got = attributes[name]
            if value is not ... and got != value:
                return False
            return test is None or bool(test(got))

        return self.select(np.array([keep(a) for a in self.attributes], bool))

    def footprint(self, object_id: str) -> np.ndarray:
        """(k, 2) float64: the convex outline in xy (local metres, counter-clockwise) of an object's geometry
        and its parts'; empty for an object without geometry."""
        from scipy.spatial import ConvexHull, QhullError

        row = self._row_of(object_id)
        table = self._model.objects
        rows = np.concatenate([[row], np.flatnonzero(table.parents == row)])
        xy = self._model.vertices[np.isin(self._model.vertex_object, rows), :2].astype(np.float64)
        if len(xy) < 3:
            return xy
        try:
            hull = ConvexHull(xy)
        except QhullError:  # all on a line
            return xy[[int(np.argmin(xy[:, 0])), int(np.argmax(xy[:, 0]))]]
        corners: np.ndarray = xy[hull.vertices]
        return corners

    # tables
    def to_numpy(self) -> np.ndarray:
        """A structured array: id, type, parent (str), height, footprint_area (float32), bbox_min, bbox_max
        ((3,) float32)."""
        ids, types, parents = self.ids, self.types, self.parents

        def width(texts: Iterable[str]) -> int:
            return max(1, max((len(s) for s in texts), default=1))

        dtype = np.dtype([("id", f"U{width(ids)}"), ("type", f"U{width(types)}"), ("parent", f"U{width(parents)}"),
                          ("height", np.float32), ("footprint_area", np.float32),
                          ("bbox_min", np.float32, (3,)), ("bbox_max", np.float32, (3,))])
        out = np.zeros(len(self), dtype)
        out["id"], out["type"], out["parent"] = ids, types, parents
        out["height"], out["footprint_area"] = self.height, self.footprint_area
        out["bbox_min"], out["bbox_max"] = self.bbox_min, self.bbox_max
        return out

    def to_pandas(self, attributes: Sequence[str] = ()) -> Any:
        """A pandas DataFrame indexed by id (columns of to_numpy, boxes as min_x .. max_z, and the named
        attributes); ImportError with the install line when pandas is missing."""
        try:
            import pandas as pd  # optional: only this method needs it
        except ImportError:
            raise ImportError("Objects.to_pandas needs pandas: pip install pandas") from None
        lo, hi = self.bbox_min, self.bbox_max
        columns: dict[str, Any] = {"type": self.types, "parent": self.parents, "height": self.height,
                                   "footprint_area": self.footprint_area}
        for i, axis in enumerate("xyz"):
            columns[f"min_{axis}"], columns[f"max_{axis}"] = lo[:, i], hi[:, i]
        for name in attributes:
            columns[name] = self.attribute(name)
        return pd.DataFrame(columns, index=pd.Index(self.ids, name="id"))

    # plumbing
    def _row_of(self, object_id: str) -> int:
        row = _id_rows(self._model).get(object_id)
        if row is None:
            raise LoadError("objects", f"no object with id {object_id!r}")
        return row

    def _column(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        column = getattr(self._model.objects, name)
        if column is None:
            return np.full((len(self), *shape), np.nan, np.float32)
        return np.asarray(column)[self.rows]

    def _info(self, row: int) -> ObjectInfo:
        table = self._model.objects
        parent = int(table.parents[row])
        lo = self._model.objects.bbox_min
        hi = self._model.objects.bbox_max
        nan3 = (math.nan, math.nan, math.nan)
        return ObjectInfo(
            id=table.ids[row], type=table.types[row], parent=table.ids[parent] if parent >= 0 else "",
            attributes=dict(table.attributes[row]),
            height=float(table.height[row]) if table.height is not None else math.nan,
            footprint_area=float(table.footprint_area[row]) if table.footprint_area is not None else math.nan,
            bbox_min=cast(tuple[float, float, float], tuple(float(v) for v in lo[row])) if lo is not None else nan3,
            bbox_max=cast(tuple[float, float, float], tuple(float(v) for v in hi[row])) if hi is not None else nan3)


_ID_ROWS: dict[int, tuple[CityModel, dict[str, int]]] = {}


def _id_rows(model: CityModel) -> dict[str, int]:
    """id -> row of a model's table, built once per model (ObjectTable.index_of is a linear search)."""
    cached = _ID_ROWS.get(id(model))
    if cached is None or cached[0] is not model:
        cached = (model, {object_id: row for row, object_id in enumerate(model.objects.ids)})
        _ID_ROWS.clear()  # one model at a time: a notebook that opens another city drops the old map
        _ID_ROWS[id(model)] = cached
    return cached[1]


# ---------------------------------------------------------------- frames and videos


@dataclass(frozen=True)
class Frame:
    """A rendered image: (h, w, 3) uint8 RGB, top row first; shows itself as a PNG in a notebook."""

    image: np.ndarray
    pose: CameraBookmark | None = None  # where the camera stood (None: not known)
    feed_time: float | None = None  # the feed time shown (None: no feed)

    @property
    def size(self) -> tuple[int, int]:
        return int(self.image.shape[1]), int(self.image.shape[0])

    def __array__(self, dtype: npt.DTypeLike | None = None, copy: bool | None = None) -> np.ndarray:
        return self.image if dtype is None else self.image.astype(dtype)

    def to_png(self) -> bytes:
        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(self.image).save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()

    def save(self, out: str | Path) -> Path:
        """Write the frame as .png or .jpg (by the name); RenderError for another suffix."""
        from viewer.app.image_file import write_image

        return write_image(self.image, Path(out))

    def _repr_png_(self) -> bytes:
        return self.to_png()


@dataclass(frozen=True)
class Video:
    """A rendered MP4: its file, frame count, size, rate, SHA-256 of the raw frames (equal digests: identical
    frames) and the feed times of the first and last frame; shows itself as a <video> in a notebook."""

    path: Path
    frames: int
    size: tuple[int, int]
    fps: float
    digest: str
    feed_span: tuple[float, float] | None = None

    def _repr_html_(self) -> str:
        w = self.size[0]
        if self.path.stat().st_size <= VIDEO_INLINE_BYTES:
            data = base64.b64encode(self.path.read_bytes()).decode("ascii")
            src = f"data:video/mp4;base64,{data}"
        else:  # too big to embed: link the file (works when the notebook server can reach it)
            src = self.path.as_posix()
        return f'<video controls width="{min(w, 960)}" src="{src}" title="{self.path.name}"></video>'


# ---------------------------------------------------------------- scenes


@dataclass
class Scene:
    """A loaded city (LoadedScene): its config, frame, model and objects; renders itself headless."""

    loaded: LoadedScene
    _objects: Objects | None = field(default=None, repr=False)
    extra_rules: list[Rule] = field(default_factory=list)  # add_rule()'s, evaluated after the scene's [[rules]]

    @property
    def name(self) -> str:
        return self.loaded.config.name

    @property
    def crs(self) -> str | None:
        return self.loaded.frame.crs

    @property
    def cameras(self) -> dict[str, Pose]:
        """The scene's camera bookmarks by name (a bare model file gets overview and street views)."""
        return dict(self.loaded.config.cameras)

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(min, max) corners of the model, (3,) float32 local metres each."""
        return self.loaded.model.bounds()

    @property
    def model(self) -> CityModel:
        return self.loaded.model

    @property
    def objects(self) -> Objects:
        if self._objects is None:
            self._objects = Objects(self.loaded.model)
        return self._objects

    def object(self, object_id: str) -> ObjectInfo:
        """One object by id; LoadError for an unknown id."""
        return self.objects[object_id]

    def find(self, **attributes: Any) -> Objects:
        """The objects whose attributes equal every keyword given, e.g. find(function="school")."""
        found = self.objects
        for name, value in attributes.items():
            found = found.where(name, value)
        return found

    def object_at(self, x: float, y: float) -> str | None:
        """The id of the object whose surface is highest above local (x, y), what one sees looking straight
        down there; None over bare ground."""
        row = _topmost_object(self.loaded.model, float(x), float(y))
        return None if row is None else self.loaded.model.objects.ids[row]

    def to_local(self, lon: float, lat: float) -> tuple[float, float]:
        """Local (x, y) metres of a longitude and latitude (degrees); CRSError for a scene without a CRS."""
        xy = self.loaded.frame.lonlat_to_local(np.array([[lon, lat]], np.float64))[0]
        return float(xy[0]), float(xy[1])

    def framing(self, objects: Sequence[str], size: tuple[int, int] = (1280, 720)) -> Pose:
        """A pose that shows these objects whole from the south-west, for an image of `size`."""
        from viewer.render.camera import frame_bounds

        if not objects:
            raise ConfigError("objects", "", "give at least one object id to frame")
        chosen = self.objects.select(list(objects))
        lo, hi = chosen.bbox_min.astype(np.float64), chosen.bbox_max.astype(np.float64)
        finite = np.isfinite(lo).all(axis=1)
        if not finite.any():
            raise ConfigError("objects", "", f"none of {', '.join(objects)} has geometry to frame")
        corners = np.array([[a[0] if i & 1 else b[0], a[1] if i & 2 else b[1], a[2] if i & 4 else b[2]]
                            for a, b in zip(lo[finite], hi[finite], strict=True) for i in range(8)])
        pose = frame_bounds(corners.min(axis=0), corners.max(axis=0), size[0] / size[1], points=corners)
        return Pose(position=pose.position, look_at=pose.look_at, fov=pose.fov)

    def pose(self, camera: Camera = None, objects: Sequence[str] | None = None,
             size: tuple[int, int] = (1280, 720)) -> Pose | None:
        """The pose a render uses: framing(objects), the bookmark named `camera`, a Pose as given, or None
        (framed on the whole model)."""
        if objects:
            return self.framing(objects, size)
        if camera is None or isinstance(camera, CameraBookmark):
            return camera
        from viewer.app.headless import find_bookmark

        return find_bookmark(self.loaded.config, camera)

    def render(self, camera: Camera = None, *, objects: Sequence[str] | None = None,
               size: tuple[int, int] = (1280, 720), feed: Feed | None = None, at: str | float | None = None,
               layers: str | Sequence[str] | None = None, multisamples: int | None = None) -> Frame:
        """A frame, headless: from bookmark `camera` (a name), a Pose, framed on `objects` (ids), or framed on
        the whole model; with a feed (recording, URL or Source) at feed time `at` ("+S" after its start, ISO
        time, epoch seconds; None: its first update), its `layers` (names or a comma list; None: the scene's)
        with legends and caption, as `citiverse render --feed` draws them."""
        pose = self.pose(camera, objects, size)
        if feed is None:
            from viewer.app.headless import render_model_image

            config = self.loaded.config
            image = render_model_image(self.loaded.model, config.style, size, pose, multisamples=multisamples,
                                       basemap=config.basemap, frame=self.loaded.frame, scene=self.loaded)
            return Frame(image, pose)
        return _render_live(self, pose, size, feed, at, layers, multisamples)

    def paths(self) -> dict[str, CameraPath]:
        """The camera paths of the scene's flythrough file (recorded in the window with the path keys)."""
        from viewer.app.flythrough_window import default_file
        from viewer.flythrough.pathfile import load_paths

        return load_paths(default_file(self.loaded.config), missing_ok=True)

    def path(self, stops: Sequence[str | Pose], seconds_per_leg: float = 5.0, name: str = "api") -> CameraPath:
        """A camera path through bookmarks (names) and Poses in order, one leg of `seconds_per_leg` each."""
        from viewer.flythrough.path import path_from_bookmarks

        marks = [self.pose(stop) if isinstance(stop, str) else stop for stop in stops]
        return path_from_bookmarks(name, marks, seconds_per_leg, option="path")

    def render_video(self, path: str | CameraPath | Sequence[str | Pose], out: str | Path, *,
                     fps: float = 30.0, size: tuple[int, int] = (1280, 720), feed: Feed | None = None,
                     feed_start: str | float | None = None, feed_speed: float = 1.0,
                     layers: str | Sequence[str] | None = None, seconds_per_leg: float = 5.0,
                     progress: Callable[[int, int], None] | None = None) -> Video:
        """An H.264 MP4 along a camera path: a CameraPath, the name of one in the scene's flythrough file, or
        bookmarks/Poses to visit (`seconds_per_leg` apart); a recording (or Source) replayed in lock-step from
        `feed_start` at `feed_speed` feed seconds per video second. The same inputs give the same frames."""
        from viewer.app.flythrough_render import render_flythrough
        from viewer.app.live import LiveOptions
        from viewer.flythrough.path import CameraPath

        if isinstance(path, str):
            known = self.paths()
            if path not in known:
                raise ConfigError("path", "", f"no camera path {path!r} (known: {', '.join(known) or 'none'})")
            camera_path = known[path]
        elif isinstance(path, CameraPath):
            camera_path = path
        else:
            camera_path = self.path(list(path), seconds_per_leg)
        options = LiveOptions.from_cli(_layer_list(layers)) if feed is not None else None
        if options is not None:
            options.rules = tuple(self.extra_rules)
        result = render_flythrough(self.loaded, camera_path, out, size, fps, feed, feed_start, feed_speed,
                                   options, progress=progress)
        return Video(result.out, result.frames, result.size, result.fps, result.digest, result.feed_span)

    # ---- rules and alerts (docs/rules.md)

    @property
    def rules(self) -> list[Rule | RuleConfig]:
        """The scene file's [[rules]], then those added with add_rule(), in evaluation order."""
        return [*self.loaded.config.rules, *self.extra_rules]

    def add_rule(self, name: str, kind: str, test: str | Predicate, *, hold: float = 0.0,
                 window: float = 60.0, severity: str = "warning", colour: Colour | None = None, badge: str | None = None) -> Rule:
        """A rule for this scene's renders, videos and alerts: `test` is condition text as in a scene file
        ("power > 400", "occupancy between 0.8 and 1", "rate(power) > 5") or a function taking the kind's
        fields (a mapping of name -> (n,) float64 array, "ids" too) and returning an (n,) bool mask. hold: the
        seconds it must hold; window: a rate's seconds; colour "#rrggbb" or (r, g, b); badge 1..4 characters.
        ConfigError naming the rule and the reason."""
        try:
            rule = Rule.make(name, kind, test, hold=hold, window=window, severity=severity, colour=colour,
                             badge=badge)
        except ValueError as exc:
            raise ConfigError("add_rule", repr(name), str(exc)) from None
        if any(r.name == rule.name for r in self.rules):
            raise ConfigError("add_rule", repr(name), "another rule is already called that")
        self.extra_rules.append(rule)
        return rule

    def alerts(self, feed: Feed, start: str | float | None = None, end: str | float | None = None) -> AlertReport:
        """The alert log of this scene's rules over a recording (or Source) between feed times `start` and
        `end` (as `citiverse alerts`): .events (raises and clears), .active at the end."""
        return replay_alerts(self.rules, feed, start, end)

    def widget(self, size: tuple[int, int] = (640, 360)) -> Any:
        """An interactive view for Jupyter (viewer/notebook.py): orbit and zoom by buttons and drag, click to
        pick; frames are rendered by the kernel. Needs anywidget (pip install anywidget)."""
        import importlib

        notebook = importlib.import_module("viewer.notebook")  # a client of this module (it sits above it)
        return notebook.CityView(self, size)


def _layer_list(layers: str | Sequence[str] | None) -> str | None:
    if layers is None or isinstance(layers, str):
        return layers
    return ",".join(layers) or "none"


def _render_live(scene: Scene, pose: Pose | None, size: tuple[int, int], feed: Feed, at: str | float | None,
                 layers: str | Sequence[str] | None, multisamples: int | None) -> Frame:
    """The live layers at feed time `at` (as render_live_png, returning the frame)."""
    from viewer.app.live import LiveOptions
    from viewer.app.live_headless import live_view

    options = LiveOptions.from_cli(_layer_list(layers))
    options.rules = tuple(scene.extra_rules)
    with live_view(scene.loaded, feed, size, None, options, multisamples, pose=pose) as lv:
        shown = lv.seek_at(at)
        return Frame(lv.render(), pose, shown)


def _topmost_object(model: CityModel, x: float, y: float) -> int | None:
    """Row of the object with the highest triangle over (x, y) in xy, among those whose box holds it."""
    lo, hi = model.objects.bbox_min, model.objects.bbox_max
    if lo is None or hi is None or model.triangle_count == 0:
        return None
    with np.errstate(invalid="ignore"):
        inside = (lo[:, 0] <= x) & (x <= hi[:, 0]) & (lo[:, 1] <= y) & (y <= hi[:, 1])
    candidates = np.flatnonzero(inside)
    if candidates.size == 0:
        return None
    tris = model.triangles[np.isin(model.vertex_object[model.triangles[:, 0]], candidates)]
    if len(tris) == 0:
        return None
    v = model.vertices.astype(np.float64)
    a, b, c = v[tris[:, 0]], v[tris[:, 1]], v[tris[:, 2]]
    det = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
    flat = np.abs(det) > 1e-12  # walls seen edge-on from above have no area in xy
    safe = np.where(flat, det, 1.0)
    l1 = ((b[:, 1] - c[:, 1]) * (x - c[:, 0]) + (c[:, 0] - b[:, 0]) * (y - c[:, 1])) / safe
    l2 = ((c[:, 1] - a[:, 1]) * (x - c[:, 0]) + (a[:, 0] - c[:, 0]) * (y - c[:, 1])) / safe
    l3 = 1.0 - l1 - l2
    eps = -1e-9
    hit = flat & (l1 >= eps) & (l2 >= eps) & (l3 >= eps)
    if not hit.any():
        return None
    z = l1 * a[:, 2] + l2 * b[:, 2] + l3 * c[:, 2]
    best = int(np.flatnonzero(hit)[np.argmax(z[hit])])
    return int(model.vertex_object[tris[best, 0]])


def open_scene(path: str | Path, *, crs: str | None = None, format: str | None = None, lod: str | None = None,
               height_attribute: str | None = None, use_cache: bool = True) -> Scene:
    """A scene file (.toml) or a model file (CityJSON, CityGML, GeoJSON, glTF, OBJ, PLY, OSM, SUMO, a 3D Tiles
    tileset), loaded and placed in local metres; the options as on the command line. LoadError for a missing
    file or one with nothing to draw; ConfigError for a broken scene file."""
    from viewer.config import SceneConfig, load_scene

    file = Path(path)
    if not file.is_file():
        raise LoadError(file, "file not found" if not file.exists() else "not a file")
    if file.suffix.lower() == ".toml":
        config = load_scene(file)
    else:
        options = {"crs": crs, "format": format, "lod": lod, "height_attribute": height_attribute}
        config = SceneConfig.for_file(file, **{k: v for k, v in options.items() if v is not None})
    return load_config(config, use_cache)


def load_config(config: SceneConfig, use_cache: bool = True) -> Scene:
    """A SceneConfig (viewer.config) loaded into a Scene: the step open_scene and demo_scene share."""
    from viewer.app.tiles_scene import load_scene

    loaded = load_scene(config, use_cache=use_cache)
    if loaded.model.triangle_count == 0 and not loaded.tilesets:
        label = config.path or ", ".join(str(s.path) for s in config.sources if s.path is not None) or config.name
        raise LoadError(label, f"no geometry to draw ({len(loaded.model.objects):,} objects, no surfaces)")
    return Scene(loaded)


def demo_scene(seed: int = 42, buildings: int = 3000) -> Scene:
    """The procedural demo city (`citiverse demo`): `buildings` buildings on a street grid, with bookmarks
    overview, centre and street. Needs no file: good for trying the API and for tests."""
    from viewer.city.demo import demo_scene as demo_config

    return load_config(demo_config(seed, buildings), use_cache=False)


def record_demo_feed(scene: Scene, out: str | Path, seconds: float = 60.0, vehicles: int = 200,
                     seed: int = 1, start_time: float = 1.8e9) -> Path:
    """Record the demo traffic and energy simulator on `scene`'s roads and buildings to a recording file
    (`citiverse feed record` without a server): a deterministic feed for renders, videos and golden frames."""
    from viewer.net.recorder import record_source
    from viewer.sources.demo import DemoSource

    source = DemoSource.from_scene(scene.loaded, seed=seed, vehicles=vehicles, start_time=start_time)
    record_source(source, Path(out), float(seconds))
    return Path(out)


def replay_alerts(rules: Sequence[Rule | RuleConfig], feed: Feed, start: str | float | None = None,
                  end: str | float | None = None) -> AlertReport:
    """The alert log of `rules` (a scene's config.rules, Rules) over a recording path or a Source, between
    feed times `start` and `end` ("+S", ISO time, epoch seconds; None: its start, its end), without a window:
    `citiverse alerts`. ConfigError for a live URL or a bad time, LoadError for a bad recording."""
    from viewer.app.alerts_replay import replay_alerts as replay

    return replay(rules, feed, start, end)


# ---------------------------------------------------------------- a live window


class Window:
    """A client of a live window's control channel (`citiverse view SCENE --control auto`), see
    viewer/app/control_channel.py for the protocol. Each method sends one command and waits for its reply;
    PeerError when the window refuses it (the reason), is gone, or takes longer than `timeout`."""

    def __init__(self, port: int, token: str, host: str = "127.0.0.1", timeout: float = 60.0) -> None:
        from viewer.app.control_channel import ControlClient

        self._client = ControlClient(port, token, host, timeout)

    @classmethod
    def connect(cls, port: int, token: str, timeout: float = 60.0) -> Window:
        return cls(port, token, timeout=timeout)

    @classmethod
    def from_file(cls, path: str | Path, timeout: float = 60.0) -> Window:
        """Connect with the port and token of a window's control file (written 0600 when it opened)."""
        from viewer.app.control_channel import read_control_file

        port, token = read_control_file(Path(path))
        return cls(port, token, timeout=timeout)

    def state(self) -> dict[str, Any]:
        """The camera (position, hpr, fov), mode, layers shown and feed time."""
        return self._client.call("state")

    def move(self, pose: Pose) -> dict[str, Any]:
        """Put the camera at a pose at once (orbit mode)."""
        return self._client.call("pose", position=list(pose.position), look_at=list(pose.look_at),
                                 fov=float(pose.fov))

    def fly_to(self, object_id: str) -> dict[str, Any]:
        """Glide to an object, as a double-click on it does."""
        return self._client.call("fly_to", object=object_id)

    def show_layer(self, name: str, visible: bool = True) -> dict[str, Any]:
        """Show or hide a feed layer (vehicles, roads, buildings, legends)."""
        return self._client.call("layer", name=name, visible=visible)

    def set_feed_time(self, t: float) -> dict[str, Any]:
        """Seek a recording to feed time t (epoch seconds); refused for a live feed."""
        return self._client.call("feed_time", t=float(t))

    def screenshot(self, path: str | Path | None = None) -> Frame:
        """The window as it is (keys help hidden), also written to `path` when given."""
        reply = self._client.call("screenshot", path=str(path) if path is not None else None, inline=True)
        from PIL import Image

        image = np.asarray(Image.open(io.BytesIO(base64.b64decode(reply["png"]))).convert("RGB"))
        return Frame(image)

    def pin(self, position: Sequence[float], note: str = "") -> dict[str, Any]:
        """Add a pin with a note at a local point (saved in the scene's pins file, as P does)."""
        return self._client.call("pin", position=[float(v) for v in position], note=note)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Window:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
