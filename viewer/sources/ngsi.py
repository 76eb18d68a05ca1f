"""NGSI-LD: Smart Data Models Vehicle, TrafficFlowObserved and AirQualityObserved entities into twin updates,
and a small HTTP endpoint (POST /notify) that a context broker subscription notifies.

Rules this module keeps:
1. Both entity forms are read: normalized ({"type": "Property", "value": ...}, GeoProperty, Relationship with
   "object") and keyValues (plain values). Dates may be strings or {"@type": "DateTime", "@value": ...}.
   Entity types may be short ("Vehicle") or full URIs ending in /Vehicle or #Vehicle.
2. Units follow the Smart Data Models: Vehicle.speed and averageVehicleSpeed in km/h (unitCode "MTS" means
   m/s, "KMH" km/h), -1 = unknown; heading (or bearing) degrees clockwise from north, -1 = unknown;
   occupancy a fraction 0..1; intensity a vehicle count over dateObservedFrom..dateObservedTo (or a
   dateObserved interval "a/b"): flow = intensity / period hours, NaN without a period.
3. Vehicle: location a GeoJSON Point [lon, lat(, alt)] -> x, y (EPSG:4326), z; vehicleType mapped to
   VEHICLE_TYPES. TrafficFlowObserved: the road is road_ids[entity id], else road_ids[refRoadSegment], else
   refRoadSegment without the "urn:ngsi-ld:RoadSegment:" prefix. Per step, the latest observation per (road,
   lane) counts; lanes of a road add their flows, average occupancy, flow-weighted speed.
4. Invalid entities (not an object, no id, id over MAX_ID_LENGTH, unknown type, missing or out-of-range
   values) are dropped, each with a reason (returned and logged); the rest of the notification is used.
5. HTTP: POST /notify with a JSON body {"type": "Notification", "data": [entities]} (also a bare list or one
   entity). Content-Length is required (411) and at most max_body bytes (413); malformed JSON or the wrong
   shape is 400 with the reason; a full queue (max_queue entities) is 503; other paths 404, other methods 405.
   200 answers {"accepted": n, "rejected": [reasons]}. The server runs in daemon threads (stdlib http.server)
   on `host` (loopback by default); step() drains what arrived since the previous step.
6. Time: the source clock is start_time + k * period (given, never the wall clock); vehicles are never removed
   (NGSI-LD notifications do not say when an entity leaves; the twin state's staleness rules do).
7. Authentication: with a `token`, a request must carry `Authorization: Bearer TOKEN` (compared in constant
   time) or it gets 401 with `WWW-Authenticate: Bearer` before its body is parsed, and the connection is
   closed. The endpoint binds to `host` only (loopback by default, whatever the feed server's own host):
   anyone who can reach it and knows the token can move the twin's entities. `url` and `requires_token`
   say what the start-up line must show.
8. AirQualityObserved (Smart Data Models Environment): location a GeoJSON Point; no2, pm25, pm10, o3 in
   ug/m3 (the model's unit, unitCode "GQ"; absent = NaN; negative or over MAX_CONCENTRATION refused); name
   (else the id) as the station. They become rows of the generic kind "air_quality" of protocol 1.1
   (AIR_QUALITY, described in the hello; the sensors layer of docs/layers.md shows it).
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import threading
from collections import deque
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

from viewer.city.limits import parse_json_text
from viewer.errors import LoadError
from viewer.twin.batch import MAX_ID_LENGTH, EntityBatch, TwinUpdate, make_batch
from viewer.twin.kinds import EntityKind, FieldSpec

log = logging.getLogger(__name__)
_TYPES = {"car": "car", "carOrLightVehicle": "car", "carWithCaravan": "car",
          "carWithTrailer": "car", "fourWheelDrive": "car", "van": "car", "ambulance": "car", "policeVan": "car",
          "fireTender": "truck", "lorry": "truck", "tanker": "truck", "trailer": "truck", "articulatedVehicle": "truck",
          "highSidedVehicle": "truck", "dumper": "truck", "tipper": "truck", "compactor": "truck",
          "constructionOrMaintenanceVehicle": "truck", "agriculturalVehicle": "truck", "sweepingMachine": "truck",
          "bus": "bus", "minibus": "bus", "BRT bus": "bus", "tram": "tram", "bicycle": "bike", "e-bike": "bike",
          "motorcycle": "motorcycle", "motorcycleWithSideCar": "motorcycle", "motorscooter": "motorcycle",
          "moped": "motorcycle", "e-moped": "motorcycle", "e-motorcycle": "motorcycle",
          "twoWheeledVehicle": "motorcycle"}
ROAD_PREFIX = "urn:ngsi-ld:RoadSegment:"
POLLUTANTS = ("no2", "pm25", "pm10", "o3")
MAX_CONCENTRATION = 10_000.0  # ug/m3: beyond any ambient reading
AIR_QUALITY = EntityKind("air_quality", "point", (
    *(FieldSpec(name, "ug/m3", "f32") for name in POLLUTANTS), FieldSpec("station", "", "str", "station name")),
    "Air quality")


class Invalid(ValueError):
    """An entity that cannot be used; str() is the reason."""


def _short_type(entity: dict[str, Any]) -> str:
    kind = entity.get("type")
    if not isinstance(kind, str):
        raise Invalid("no type")
    return kind.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def value(entity: dict[str, Any], name: str) -> tuple[Any, str | None]:
    """(value, unitCode) of attribute `name` in either form; (None, None) when absent."""
    attr = entity.get(name)
    if isinstance(attr, dict) and attr.get("type") in ("Property", "GeoProperty", "Relationship", "geo:json"):
        inner = attr.get("object") if attr.get("type") == "Relationship" else attr.get("value")
        unit = attr.get("unitCode")
        return inner, unit if isinstance(unit, str) else None
    return attr, None


def _number(entity: dict[str, Any], name: str, lo: float, hi: float, unknown: float | None = None,
            speed: bool = False) -> float:
    """A finite number in [lo, hi] (NaN when absent or equal to `unknown`), else Invalid. A speed is turned
    from km/h (or m/s with unitCode "MTS") into m/s."""
    raw, unit = value(entity, name)
    if raw is None or (unknown is not None and raw == unknown):
        return math.nan
    if not _finite(raw):
        raise Invalid(f"{name} must be a finite number")
    if not lo <= raw <= hi:
        raise Invalid(f"{name} {raw} is out of range [{lo}, {hi}]")
    return float(raw) / 3.6 if speed and unit != "MTS" else float(raw)


def _finite(raw: Any) -> bool:
    """A JSON number (not a bool) that is a finite float (a 400-digit integer is not)."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return False
    try:
        return math.isfinite(float(raw))
    except OverflowError:
        return False


def _date(raw: Any) -> float | None:
    if isinstance(raw, dict):
        raw = raw.get("@value")
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    try:
        stamp = datetime.fromisoformat(raw.strip())
        return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()  # naive: UTC, not local
    except (ValueError, OverflowError):
        return None


def _entity_id(entity: Any) -> str:
    if not isinstance(entity, dict):
        raise Invalid("an entity must be a JSON object")
    ident = entity.get("id")
    if not isinstance(ident, str) or not ident:
        raise Invalid("no id")
    if len(ident) > MAX_ID_LENGTH:
        raise Invalid(f"id longer than {MAX_ID_LENGTH} characters")
    return ident


def parse_vehicle(entity: dict[str, Any]) -> dict[str, Any]:
    """One Vehicle entity -> {id, x, y, z, heading, speed, vtype} (rule 3), else Invalid."""
    ident = _entity_id(entity)
    x, y, z = parse_point(entity, ident)
    try:
        heading = _number(entity, "heading", 0, 360, unknown=-1)
        if math.isnan(heading):
            heading = _number(entity, "bearing", 0, 360, unknown=-1)
        speed = _number(entity, "speed", 0, 1000, unknown=-1, speed=True)
    except Invalid as exc:
        raise Invalid(f"{ident}: {exc}") from None
    kind, _ = value(entity, "vehicleType")
    return {"id": ident, "x": x, "y": y, "z": z, "heading": heading % 360.0,
            "speed": speed, "vtype": _TYPES.get(kind, "other") if isinstance(kind, str) else "other"}


def parse_point(entity: dict[str, Any], ident: str) -> tuple[float, float, float]:
    """x, y (lon, lat) and z (NaN when absent) of an entity's GeoJSON Point location, else Invalid."""
    location, _ = value(entity, "location")
    if not isinstance(location, dict) or location.get("type") != "Point":
        raise Invalid(f"{ident}: location must be a GeoJSON Point")
    coords = location.get("coordinates")
    if (not isinstance(coords, list) or len(coords) not in (2, 3)
            or not all(_finite(c) for c in coords)):
        raise Invalid(f"{ident}: location coordinates must be [lon, lat] or [lon, lat, alt] numbers")
    if not (-180 <= coords[0] <= 180 and -90 <= coords[1] <= 90):
        raise Invalid(f"{ident}: location {coords[:2]} is not lon/lat")
    return float(coords[0]), float(coords[1]), float(coords[2]) if len(coords) == 3 else math.nan


def parse_air_quality(entity: dict[str, Any]) -> dict[str, Any]:
    """One AirQualityObserved -> {id, x, y, z, no2, pm25, pm10, o3, station} (rule 8), else Invalid."""
    ident = _entity_id(entity)
    x, y, z = parse_point(entity, ident)
    try:
        levels = {name: _number(entity, name, 0.0, MAX_CONCENTRATION) for name in POLLUTANTS}
    except Invalid as exc:
        raise Invalid(f"{ident}: {exc}") from None
    name, _ = value(entity, "name")
    station = name[:MAX_ID_LENGTH] if isinstance(name, str) and name else ident
    return {"id": ident, "x": x, "y": y, "z": z, **levels, "station": station}


def parse_traffic_flow(entity: dict[str, Any], road_ids: dict[str, str]) -> dict[str, Any]:
    """One TrafficFlowObserved -> {road, lane, speed, occupancy, flow} (rules 2-3), else Invalid."""
    ident = _entity_id(entity)
    ref, _ = value(entity, "refRoadSegment")
    road = road_ids.get(ident) or (road_ids.get(ref) if isinstance(ref, str) else None)
    if road is None and isinstance(ref, str) and ref:
        road = ref[len(ROAD_PREFIX):] if ref.startswith(ROAD_PREFIX) else ref
    if not road or len(road) > MAX_ID_LENGTH:
        raise Invalid(f"{ident}: no road (no refRoadSegment and no id mapping)")
    try:
        speed = _number(entity, "averageVehicleSpeed", 0, 1000, unknown=-1, speed=True)
        occupancy = _number(entity, "occupancy", 0, 1)
        intensity = _number(entity, "intensity", 0, 1e7)
    except Invalid as exc:
        raise Invalid(f"{ident}: {exc}") from None
    begin, end = _date(value(entity, "dateObservedFrom")[0]), _date(value(entity, "dateObservedTo")[0])
    observed, _ = value(entity, "dateObserved")
    if (begin is None or end is None) and isinstance(observed, (str, dict)):
        text = observed.get("@value") if isinstance(observed, dict) else observed
        if isinstance(text, str) and text.count("/") == 1:
            begin, end = (_date(part) for part in text.split("/"))
    hours = (end - begin) / 3600.0 if begin is not None and end is not None and end > begin else math.nan
    lane, _ = value(entity, "laneId")
    return {"road": road, "lane": lane if isinstance(lane, (int, str)) else None, "speed": speed,
            "occupancy": occupancy, "flow": intensity / hours if hours > 0 else math.nan}


def entities_of(payload: Any) -> list[Any]:
    """The entities of a notification (or a bare list, or one entity); ValueError for anything else."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict) and payload.get("type") == "Notification":
        data = payload.get("data")
        if not isinstance(data, list):
            raise ValueError("a Notification needs a data list")
        return data
    if isinstance(payload, dict) and "id" in payload:
        return [payload]
    raise ValueError('expected {"type": "Notification", "data": [...]}, a list of entities or one entity')


def _aggregate(flows: dict[tuple[str, Any], dict[str, Any]], free_flow: dict[str, float]) -> Any:
    """RoadBatch of lane observations keyed (road, lane): flows add, occupancy averages, speed flow-weighted."""
    roads: dict[str, list[dict[str, Any]]] = {}
    for (road, _), row in flows.items():
        roads.setdefault(road, []).append(row)
    ids, speed, occupancy, flow = [], [], [], []
    for road, rows in roads.items():
        f = [r["flow"] for r in rows if not math.isnan(r["flow"])]
        v = [(r["speed"], r["flow"]) for r in rows if not math.isnan(r["speed"])]
        o = [r["occupancy"] for r in rows if not math.isnan(r["occupancy"])]
        weighted = all(not math.isnan(w) for _, w in v) and sum(w for _, w in v) > 0
        ids.append(road)
        speed.append(sum(s * w for s, w in v) / sum(w for _, w in v) if weighted else
                     (sum(s for s, _ in v) / len(v) if v else math.nan))
        occupancy.append(sum(o) / len(o) if o else math.nan)
        flow.append(sum(f) if f else math.nan)
    return make_batch("road", ids=ids, speed=speed, occupancy=occupancy, flow=flow,
                      free_flow_speed=[free_flow.get(r, math.nan) for r in ids])


class NgsiSource:
    """NGSI-LD entities (pushed by HTTP notifications or ingest()) as a Source (rules above)."""

    name = "ngsi"
    crs = "EPSG:4326"
    kinds: tuple[str, ...] = ("vehicle", "road")
    entity_kinds = (AIR_QUALITY,)  # protocol 1.1 (rule 8)

    def __init__(self, host: str = "127.0.0.1", port: int = 0, road_ids: dict[str, str] | None = None,
                 free_flow: dict[str, float] | None = None, period: float = 1.0, start_time: float = 0.0,
                 max_body: int = 1 << 20, max_queue: int = 100_000, serve: bool = True,
                 token: str | None = None) -> None:
        self.host, self.port, self.serve = host, int(port), serve
        self.token = token  # rule 7: required bearer token, None = open
        self.road_ids, self.free_flow = dict(road_ids or {}), dict(free_flow or {})
        self.period, self.clock = float(period), float(start_time)
        self.max_body, self.max_queue = int(max_body), int(max_queue)
        self._queue: deque[tuple[str, dict[str, Any]]] = deque()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._closed = False

    @property
    def address(self) -> tuple[str, int]:
        """(host, port) the endpoint listens on (after start())."""
        if self._server is None:
            raise RuntimeError("the NGSI-LD endpoint is not running (call start())")
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """Where to POST notifications (after start()); an IPv6 host in brackets."""
        host, port = self.address
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/notify"

    @property
    def requires_token(self) -> bool:
        return self.token is not None

    def authorized(self, authorization: str | None) -> bool:
        """Whether a request's Authorization header passes (rule 7); always true without a token."""
        if self.token is None:
            return True
        scheme, _, presented = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(presented.strip().encode(), self.token.encode())

    def ingest(self, payload: Any) -> tuple[int, list[str]]:
        """Queue the valid entities of a notification; returns (accepted, reasons for the rejected ones).
        ValueError when the payload is not a notification; OverflowError when the queue is full."""
        accepted: list[tuple[str, dict[str, Any]]] = []
        rejected: list[str] = []
        for entity in entities_of(payload):
            try:
                kind = _short_type(entity) if isinstance(entity, dict) else "?"
                if kind == "Vehicle":
                    accepted.append(("vehicle", parse_vehicle(entity)))
                elif kind == "TrafficFlowObserved":
                    accepted.append(("road", parse_traffic_flow(entity, self.road_ids)))
                elif kind == "AirQualityObserved":
                    accepted.append(("air_quality", parse_air_quality(entity)))
                else:
                    raise Invalid(f"{str(entity.get('id'))[:MAX_ID_LENGTH] if isinstance(entity, dict) else '?'}: "
                                  f"entity type {kind!r} is not Vehicle, TrafficFlowObserved or AirQualityObserved")
            except Invalid as exc:
                rejected.append(str(exc))
        with self._lock:
            if len(self._queue) + len(accepted) > self.max_queue:
                raise OverflowError(f"queue full ({self.max_queue} entities waiting)")
            self._queue.extend(accepted)
        for reason in rejected:
            log.info("NGSI-LD entity dropped: %s", reason)
        return len(accepted), rejected

    # ------------------------------------------------------------ the Source protocol

    def start(self) -> TwinUpdate:
        if self.serve and self._server is None:
            self._server = _Server((self.host, self.port), self)
            threading.Thread(target=self._server.serve_forever, args=(0.05,), name="ngsi-ld-endpoint",
                             daemon=True).start()
        return TwinUpdate(time=self.clock, snapshot=True,
                          upserts={"vehicle": make_batch("vehicle"), "road": make_batch("road")})

    def step(self) -> TwinUpdate | None:
        if self._closed:
            return None
        self.clock += self.period
        with self._lock:
            items, self._queue = list(self._queue), deque()
        vehicles: dict[str, dict[str, Any]] = {}
        flows: dict[tuple[str, Any], dict[str, Any]] = {}
        air: dict[str, dict[str, Any]] = {}
        for kind, row in items:  # later observations replace earlier ones
            if kind == "vehicle":
                vehicles[row["id"]] = row
            elif kind == "air_quality":
                air[row["id"]] = row
            else:
                flows[(row["road"], row["lane"])] = row
        update = TwinUpdate(time=self.clock)
        if vehicles:
            rows = list(vehicles.values())
            update.upserts["vehicle"] = make_batch(
                "vehicle", ids=[r["id"] for r in rows],
                **{k: [r[k] for r in rows] for k in ("x", "y", "z", "heading", "speed", "vtype")})
        if flows:
            update.upserts["road"] = _aggregate(flows, self.free_flow)
        if air:
            update.upserts["air_quality"] = air_quality_batch(list(air.values()))
        return update

    def close(self) -> None:
        self._closed = True
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def air_quality_batch(rows: list[dict[str, Any]]) -> EntityBatch:
    """The "air_quality" rows of parsed AirQualityObserved entities (rule 8)."""
    column = {name: np.array([r[name] for r in rows], np.float32) for name in POLLUTANTS}
    return EntityBatch("air_quality", np.array([r["id"] for r in rows], object), {
        "x": np.array([r["x"] for r in rows]), "y": np.array([r["y"] for r in rows]),
        "z": np.array([r["z"] for r in rows], np.float32), **column,
        "station": np.array([r["station"] for r in rows], object)})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], source: NgsiSource) -> None:
        self.source = source
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    """POST /notify (rule 5)."""

    server: _Server
    timeout = 10  # seconds a peer may take to send its request: a stalled client does not hold a thread forever

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.split("?", 1)[0].rstrip("/") != "/notify":
            return self._reply(404, {"error": "not found: POST to /notify"})
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return self._reply(411, {"error": "Content-Length required"})
        limit = self.server.source.max_body
        if not self.server.source.authorized(self.headers.get("Authorization")):  # rule 7, before the body
            self.close_connection = True
            self._discard(min(max(length, 0), limit))
            log.warning("NGSI-LD endpoint: %s refused: no or wrong bearer token", self.client_address[0])
            return self._reply(401, {"error": "a valid bearer token is required"},
                               {"WWW-Authenticate": 'Bearer realm="citiverse ngsi-ld"'})
        if length < 0 or length > limit:
            self.close_connection = True
            self._discard(min(length, 16 * limit))  # unread data would reset the connection before our answer
            return self._reply(413, {"error": f"body over {limit} bytes"})
        body = self.rfile.read(length)
        try:
            accepted, rejected = self.server.source.ingest(parse_json_text(f"peer {self.client_address[0]}", body))
        except LoadError as exc:
            return self._reply(400, {"error": exc.reason})
        except OverflowError as exc:
            return self._reply(503, {"error": str(exc)})
        except ValueError as exc:
            return self._reply(400, {"error": str(exc)})
        self._reply(200, {"accepted": accepted, "rejected": rejected[:100]})

    def _discard(self, length: int) -> None:
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:
                return
            length -= len(chunk)

    def do_GET(self) -> None:  # noqa: N802
        self._reply(405, {"error": "only POST /notify"})

    do_PUT = do_DELETE = do_PATCH = do_GET  # noqa: N815

    def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, text in (headers or {}).items():
            self.send_header(name, text)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        log.debug("NGSI-LD endpoint: " + format, *args)
