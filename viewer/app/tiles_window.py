"""Streamed tiles in the window: a per-frame task, the HUD's tiles line, collision near the avatar.

Rules this module keeps:
1. The frame never waits (DESIGN rule 4): each frame the task gives every tile stage its [tiles] upload_ms
   to build Geoms, selects for the window's camera and requests the rest from the background loaders.
2. The HUD's bottom line shows tiles drawn/loaded/loading and their memory, refreshed every STATUS_EVERY s.
3. Collision and walk-mode ground: every COLLISION_EVERY s, when the loaded models within COLLISION_RADIUS
   of the camera changed, a background thread builds a CollisionIndex of the whole-file model and those
   tiles (nav/index.py from_models); the task swaps it in (replace_with). One build at a time.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np

from viewer.app.base import supports_shaders
from viewer.app.tiles_scene import attach_tiles, remove_tiles
from viewer.nav.index import CollisionIndex
from viewer.render.tiles_stage import TilesStage, view_of

STATUS_EVERY = 0.5
COLLISION_EVERY = 0.5
COLLISION_RADIUS = 300.0  # metres around the camera


class WindowTiles:
    """The window's streamed tilesets (rules 1-3); `tiles` is empty for a scene without any."""

    def __init__(self, base: Any, stage: Any, scene: Any) -> None:
        self.base, self.scene = base, scene
        self.tiles: list[TilesStage] = attach_tiles(stage, scene, supports_shaders(base))
        self.budget = scene.config.tiles.upload_ms / 1000.0 if self.tiles else 0.0
        self.index: CollisionIndex | None = None
        self.hud: Any = None
        self._status_at = self._collision_at = 0.0
        self._near: tuple[int, ...] = ()
        self._built: CollisionIndex | None = None
        self._building = False
        if self.tiles:
            base.taskMgr.add(self._task, "citiverse-tiles", sort=-10)

    def attach(self, index: CollisionIndex, hud: Any) -> None:
        """The collision index to keep up to date and the HUD (a render/hud.py Hud) for the status line."""
        self.index, self.hud = index, hud

    def state(self) -> dict[str, Any]:
        """For the test hook (app/state_dump.py): each stage's counts and memory against its cap, and how many
        tile models the collision index was last built from; {} without tiles."""
        if not self.tiles:
            return {}
        stages = []
        for stage in self.tiles:
            status = stage.status()
            stages.append({"drawn": status.drawn, "loaded": status.loaded, "loading": status.loading,
                           "memory_mb": status.memory_mb, "cap_mb": stage.options.memory_mb,
                           "complete": status.complete, "failed": status.failed})
        return {"tiles": stages, "collision_tiles": len(self._near)}

    def status_line(self) -> str:
        return "; ".join(t.status().line() for t in self.tiles)

    def destroy(self) -> None:
        self.base.taskMgr.remove("citiverse-tiles")
        if self.hud is not None:
            self.hud.set_bottom_line("tiles", None)
        remove_tiles(self.tiles)
        self.tiles = []

    def _task(self, task: Any) -> Any:
        win = self.base.win
        size = (win.get_x_size(), max(1, win.get_y_size()))
        view = view_of(self.base.camera, self.base.camLens, self.base.render, size)
        for stage in self.tiles:
            stage.update(view, self.budget)
        now = time.monotonic()
        if self.hud is not None and now - self._status_at >= STATUS_EVERY:
            self._status_at = now
            self.hud.set_bottom_line("tiles", self.status_line())
        if self.index is not None:
            self._collision(view.eye, now)
        return task.cont

    def _collision(self, eye: np.ndarray, now: float) -> None:
        if self._built is not None:
            assert self.index is not None
            self.index.replace_with(self._built)
            self._built = None
        if self._building or now - self._collision_at < COLLISION_EVERY:
            return
        self._collision_at = now
        models = [m for stage in self.tiles for m in stage.models_near(eye, COLLISION_RADIUS)]
        key = tuple(sorted(id(m) for m in models))
        if key == self._near:
            return
        self._near, self._building = key, True
        threading.Thread(target=self._build, args=(models,), name="citiverse-tiles-collision", daemon=True).start()

    def _build(self, models: list[Any]) -> None:
        try:
            assert self.index is not None
            whole = self.scene.model
            parts = [whole] + models if whole.vertex_count else models
            self._built = CollisionIndex.from_models(parts, self.index.base_z, whole.terrain)
        finally:
            self._building = False
