"""Screen-space error selection and LRU accounting (viewer/tiles/select.py, cache.py): pure, no Panda3D."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer.tiles.cache import LruCache
from viewer.tiles.select import Selector, make_view
from viewer.tiles.tile import ContentRef, Refine, Tile
from viewer.tiles.volumes import Box


class Identity:
    """Tileset coordinates are local metres."""

    def to_local(self, points: np.ndarray) -> np.ndarray:
        return np.asarray(points, np.float64).reshape(-1, 3)


class Loaded:
    """A ContentState: the tiles in `ready` are loaded."""

    def __init__(self, ready=()) -> None:
        self.ready = set(ready)

    def is_ready(self, tile: Tile) -> bool:
        return tile in self.ready


def tile(key: str, centre, half: float, error: float, refine=Refine.REPLACE, content=True, depth=0,
         children=None, request=None) -> Tile:
    t = Tile(key=key, bounding_volume=Box(np.asarray(centre, float), np.eye(3) * half), geometric_error=error,
             refine=refine, transform=np.eye(4), contents=(ContentRef(f"{key}.glb"),) if content else (),
             depth=depth, documents=(), request_volume=request)
    t._children = list(children or [])
    return t


def quadtree(refine=Refine.REPLACE) -> tuple[Tile, list[Tile]]:
    """A 200 m root (error 50 m) over four 100 m leaves (error 0), on the ground around the origin."""
    leaves = [tile(f"r/{i}", (x, y, 0.0), 50.0, 0.0, refine, depth=1)
              for i, (x, y) in enumerate([(-50, -50), (50, -50), (-50, 50), (50, 50)])]
    return tile("r", (0.0, 0.0, 0.0), 100.0, 50.0, refine, children=leaves), leaves


def looking_down(height: float, fov: float = 60.0, px: int = 720):
    return make_view(np.array([0.0, 0.0, height]), np.array([0.0, 0.0, -1.0]), np.array([0.0, 1.0, 0.0]),
                     fov, 16 / 9, px)


def test_far_away_the_root_is_enough_and_near_the_leaves_are_wanted():
    """SSE = error * height / (2 d tan(fov/2)): 50 m at 20 km is under 16 px; at 300 m it is far over."""
    root, leaves = quadtree()
    selector = Selector(root, Identity())
    far = selector.select(looking_down(20_000), Loaded({root}))
    assert far.draw == [root] and far.complete and far.wanted == []
    near = selector.select(looking_down(300), Loaded({root}))
    assert near.draw == [root] and not near.complete  # the parent stays drawn while its children load
    assert {t for _, t in near.wanted} == set(leaves)


def test_the_threshold_is_the_sse_in_pixels():
    """The root refines exactly when its error in pixels passes max_sse."""
    root, leaves = quadtree()
    view = looking_down(1000.0)
    distance = 1000.0 - 100.0  # to the top of the root's box
    sse = 50.0 * 720 / (2 * distance * math.tan(math.radians(30)))
    below = Selector(root, Identity(), max_sse=sse * 1.01).select(view, Loaded({root, *leaves}))
    above = Selector(root, Identity(), max_sse=sse * 0.99).select(view, Loaded({root, *leaves}))
    assert below.draw == [root] and set(above.draw) == set(leaves)


def test_replace_never_leaves_a_hole():
    """Three of four children ready: the parent is drawn alone; all four: the children replace it."""
    root, leaves = quadtree()
    selector = Selector(root, Identity())
    partly = selector.select(looking_down(300), Loaded({root, *leaves[:3]}))
    assert partly.draw == [root] and set(partly.used) >= set(leaves[:3]) and not partly.complete
    assert [t for _, t in partly.wanted] == [leaves[3]]
    whole = selector.select(looking_down(300), Loaded({root, *leaves}))
    assert set(whole.draw) == set(leaves) and root not in whole.draw and whole.complete


def test_the_nearest_ready_ancestor_covers_for_a_parent_that_is_not_ready():
    """root (ready) > mid (not ready) > leaves (one ready): the root is drawn, not a lone leaf."""
    leaves = [tile(f"r/0/{i}", (x, 0.0, 0.0), 25.0, 0.0, depth=2) for i, x in enumerate((-25.0, 25.0))]
    mid = tile("r/0", (0.0, 0.0, 0.0), 50.0, 10.0, depth=1, children=leaves)
    root = tile("r", (0.0, 0.0, 0.0), 100.0, 80.0, children=[mid])
    selection = Selector(root, Identity()).select(looking_down(150), Loaded({root, leaves[0]}))
    assert selection.draw == [root]
    assert {t for _, t in selection.wanted} == {mid, leaves[1]}  # mid as the fallback, leaves as the target
    offline = Selector(root, Identity()).select(looking_down(150), Loaded({root, leaves[0]}), fallbacks=False)
    assert {t for _, t in offline.wanted} == {leaves[1]}  # offline renders load only what the frame shows


def test_add_draws_the_parent_with_its_children():
    """ADD: the parent's content stays with the children's."""
    root, leaves = quadtree(Refine.ADD)
    selection = Selector(root, Identity()).select(looking_down(300), Loaded({root, *leaves}))
    assert set(selection.draw) == {root, *leaves} and selection.complete


def test_contentless_tiles_cover_by_drawing_nothing():
    """An empty root refines into its children; nothing is wanted for it."""
    root, leaves = quadtree()
    root.contents = ()
    selection = Selector(root, Identity()).select(looking_down(300), Loaded(set(leaves)))
    assert set(selection.draw) == set(leaves) and selection.complete


def test_tiles_outside_the_frustum_are_neither_drawn_nor_wanted():
    """Looking along +x from the east edge: the western leaves are behind the eye."""
    root, leaves = quadtree()
    view = make_view(np.array([60.0, 0.0, 2.0]), np.array([1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0]),
                     60.0, 16 / 9, 720)
    selection = Selector(root, Identity()).select(view, Loaded({root}))
    assert {t for _, t in selection.wanted} == {leaves[1], leaves[3]}


def test_request_volumes_hide_tiles_until_the_eye_is_inside():
    """A tile with a viewerRequestVolume is skipped while the eye is outside it."""
    detail = tile("r/0", (0.0, 0.0, 0.0), 10.0, 0.0, Refine.ADD, depth=1,
                  request=Box(np.zeros(3), np.eye(3) * 30.0))
    root = tile("r", (0.0, 0.0, 0.0), 100.0, 50.0, Refine.ADD, children=[detail])
    selector = Selector(root, Identity(), max_sse=1.0)
    assert detail not in {t for _, t in selector.select(looking_down(200), Loaded({root})).wanted}
    assert detail in {t for _, t in selector.select(looking_down(20), Loaded({root})).wanted}


def test_priorities_put_coarse_then_central_then_near_first():
    """Same level: the tile under the screen centre before one at the edge; coarser levels before both."""
    root, leaves = quadtree()
    view = make_view(np.array([-50.0, -50.0, 150.0]), np.array([0.0, 0.0, -1.0]), np.array([0.0, 1.0, 0.0]),
                     90.0, 16 / 9, 720)
    selection = Selector(root, Identity()).select(view, Loaded())
    order = [t for _, t in selection.wanted]
    assert order[0] is root  # the fallback parent, coarsest
    assert order[1] is leaves[0] and order[-1] is leaves[3]  # under the eye first, the far corner last


def test_unknown_children_are_expanded_elsewhere():
    """A tile whose children need reading (external tileset) is listed and drawn as a leaf meanwhile."""
    root, _ = quadtree()
    root._children = None
    root._expand = lambda t: []
    selection = Selector(root, Identity()).select(looking_down(300), Loaded({root}))
    assert selection.expand == [root] and selection.draw == [root] and root._children is None


def test_lru_evicts_least_recent_and_never_what_is_protected():
    """Over the cap, the oldest unprotected keys go first; protected ones stay even over the cap."""
    cache = LruCache(300)
    for key in "abcd":
        cache.add(key, 100)
    cache.touch(["a"])  # b is now the oldest
    assert cache.evict(protected={"c"}) == ["b"] and cache.total_bytes == 300
    cache.add("e", 250)
    assert cache.evict(protected={"a", "c", "d", "e"}) == [] and cache.total_bytes == 550
    assert cache.evict(protected={"e"}) == ["c", "d", "a"] and cache.total_bytes == 250
    with pytest.raises(ValueError):
        LruCache(0)
