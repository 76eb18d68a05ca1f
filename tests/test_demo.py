"""The demo scene file and the built-in demo scene describe the same city."""

from __future__ import annotations

from pathlib import Path

from viewer.city.demo import demo_scene
from viewer.config import load_scene

PROJECT = Path(__file__).resolve().parents[1]


def test_demo_toml_matches_builtin_demo():
    """scenes/demo.toml and `citiverse demo` use the same CRS, origin, source and bookmarks."""
    from_file = load_scene(PROJECT / "scenes" / "demo.toml")
    built_in = demo_scene()
    assert from_file.crs == built_in.crs and from_file.origin == built_in.origin
    assert from_file.name == built_in.name
    assert from_file.sources[0].format == "procedural" == built_in.sources[0].format
    assert (from_file.sources[0].seed, from_file.sources[0].size) == (built_in.sources[0].seed,
                                                                      built_in.sources[0].size)
    assert from_file.cameras == built_in.cameras
