"""A scene's model read in chunks and placed in the scene's frame, for converters that must not hold a whole
city at once (tiles/write_stream.py: `citiverse tile`, and tiling a big scene on first load).

Rules:
1. Only a scene of one file whose loader reads in chunks (CityJSON, CityJSONSeq, CityGML: their iter_chunks)
   is read this way, and only when nothing needs the whole model first: no terrain file to seat it on and no
   seating asked for. Anything else is loaded whole (city/scene.py).
2. The frame is city/scene.py choose_frame over the first chunk (the scene's crs and origin when it gives
   them): the same CRS as a whole load, an origin at most a chunk's size away from a whole load's.
3. Chunks carry no appearances and no terrain: tiles are coloured by surface kind (tiles/write_mesh.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from viewer.city import citygml, cityjson
from viewer.city.loaders import detect_format
from viewer.city.model import CityModel, SourceModel
from viewer.city.scene import choose_frame
from viewer.config import Limits, SceneConfig, SourceConfig
from viewer.errors import ConfigError
from viewer.geo.frame import LocalFrame

OBJECTS_PER_CHUNK = 20_000
ChunkReader = Callable[[Path, SourceConfig, Limits, int], Iterator[SourceModel]]
READERS: dict[str, ChunkReader] = {"cityjson": cityjson.iter_chunks, "cityjsonseq": cityjson.iter_chunks,
                                   "citygml": citygml.iter_chunks}


def chunked_source(config: SceneConfig) -> SourceConfig | None:
    """The scene's one source when it is read in chunks (rule 1), else None."""
    if len(config.sources) != 1 or config.terrain.file is not None or config.terrain.seat_buildings:
        return None
    source = config.sources[0]
    if source.path is None or source.url is not None or not Path(source.path).is_file():
        return None
    return source if (source.format or detect_format(Path(source.path))) in READERS else None


class LocalChunks:
    """Iterate: (CityModel of one chunk in the scene's frame, fraction of the input read). `frame` is set once
    the first chunk is read (rule 2)."""

    def __init__(self, config: SceneConfig, source: SourceConfig, per_chunk: int = OBJECTS_PER_CHUNK) -> None:
        self.config, self.source, self.per_chunk = config, source, per_chunk
        self.frame: LocalFrame | None = None
        self.objects = 0

    def placed_frame(self) -> LocalFrame:
        if self.frame is None:
            raise ConfigError(self.config.name, "", "no chunk read yet")  # a caller's bug, not the user's
        return self.frame

    def __iter__(self) -> Iterator[tuple[CityModel, float]]:
        path = Path(self.source.path)  # type: ignore[arg-type]  # chunked_source checked it
        read = READERS[self.source.format or detect_format(path)]
        for src in read(path, self.source, self.config.limits, self.per_chunk):
            if self.frame is None:
                self.frame = choose_frame(self.config, [src])
            self.objects += len(src.objects)
            model = CityModel(vertices=self.frame.to_local(src.positions, src.crs), triangles=src.triangles,
                              vertex_object=src.vertex_object, vertex_kind=src.vertex_kind, objects=src.objects,
                              sources=[src.path])
            yield model, float(src.meta.get("read_fraction", 1.0))
