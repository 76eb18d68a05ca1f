"""Draw order of the stage's big surfaces, chosen for llvmpipe, which shades a pixel once per surface that
passes the depth test when drawn: what is drawn first and then covered is paid for twice.

Rules this module keeps:
1. Panda3D draws its "opaque" bin (sort 20) first: the city, roads and plates (state-sorted). The GROUND bin
   (sort 22, fixed order) then draws the base map's drape (DRAPE_ORDER) and the terrain (TERRAIN_ORDER)
   only where the city left the depth buffer open: the ground under buildings is never shaded. The drape
   goes before the terrain, whose depth offset puts it behind the drape, so the terrain under imagery
   fails the depth test early too.
2. The SKY bin (sort 25) draws the sky dome where nothing else was drawn (render/sky.py rule 1); the
   "transparent" (30) and "fixed" (40: HUD, marks) bins come after, as Panda3D has them.
3. The VEHICLE bin (sort 19) draws the vehicles (render/vehicles.py: far markers and near shapes, cheap
   unlit or flat-lit pixels) before the opaque bin, so city pixels they cover are never shaded. The state
   sorting of the opaque bin otherwise put them before or after the city by chance: after it, the full
   look's overview frame cost 7-9 ms more (bench/bench_look.py's 10,000 markers; docs/look.md, "Cost").
"""

from __future__ import annotations

import functools

from panda3d.core import CullBinEnums, CullBinManager, NodePath

GROUND_BIN, SKY_BIN, VEHICLE_BIN = "citiverse-ground", "citiverse-sky", "citiverse-vehicles"
DRAPE_ORDER, TERRAIN_ORDER = 0, 10


@functools.cache
def _registered() -> bool:
    manager = CullBinManager.get_global_ptr()
    for name, kind, sort in ((VEHICLE_BIN, CullBinEnums.BT_unsorted, 19), (GROUND_BIN, CullBinEnums.BT_fixed, 22),
                             (SKY_BIN, CullBinEnums.BT_unsorted, 25)):
        if manager.find_bin(name) < 0:
            manager.add_bin(name, kind, sort)
    return True


def draw_in_ground_bin(node: NodePath, order: int) -> None:
    """Rule 1 for `node` (the drape's root or the terrain) at `order` within the ground bin."""
    _registered()
    node.set_bin(GROUND_BIN, order)


def draw_in_sky_bin(node: NodePath) -> None:
    """Rule 2 for the sky dome."""
    _registered()
    node.set_bin(SKY_BIN, 0)


def draw_in_vehicle_bin(node: NodePath) -> None:
    """Rule 3 for the vehicles' root."""
    _registered()
    node.set_bin(VEHICLE_BIN, 0)
