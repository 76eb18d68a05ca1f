"""Georeferencing: any CRS -> local metres around a scene origin (see frame.LocalFrame)."""

from viewer.geo.frame import LocalFrame, normalize_crs, to_lonlat

__all__ = ["LocalFrame", "normalize_crs", "to_lonlat"]
