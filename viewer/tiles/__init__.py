"""3D Tiles, pure: the tileset model (explicit and implicit trees, bounding volumes, transforms), tile
content decoded into city models with per-feature identity, screen-space-error selection, and the writer
(hierarchical levels of detail). No Panda3D and no network here: net/ fetches, render/ and app/ draw."""
