"""Base maps, pure: web-mercator tile maths, which tiles cover the terrain for a view (a quadtree refined by
the screen size of a tile's texel), tile sources (XYZ/TMS URL templates, OGC WMTS capabilities, MBTiles,
GeoTIFF orthophotos reprojected, a neutral map drawn from the city's own data) and the drape geometry.
No Panda3D and no network here: net/tile_fetch.py fetches, render/basemap_texture.py draws (docs/basemap.md)."""
