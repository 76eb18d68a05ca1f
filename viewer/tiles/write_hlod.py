"""Hierarchical levels of detail for a written tileset: which features each tile holds, and how wrong it is.

Rules:
1. A feature is a city object with triangles of its own; it lives in exactly one leaf, at full detail.
2. The tree splits a tile's features into four by their centres (halves by x, then each half by y, so the
   children hold equal counts: a dense centre gets deeper tiles, open country shallow ones) until a tile has
   at most `max_features` or its centres span less than `min_size` metres.
3. A parent tile (REPLACE refinement) holds the `max_features` largest features of its subtree, each as its
   box with a flat roof at its top (10 triangles: no floor), or as its full geometry when that is no bigger.
   The rest are left out; a whole-city view thus draws at most max_features boxes.
4. Geometric errors are measured, in metres: a left-out feature is wrong by its size (max of height and half
   its horizontal diagonal); a boxed feature by the largest of (a) how far its roof drops below the flat top
   (roof vertices) and (b) how far each box corner is from the feature's nearest vertex in plan (a one-sided
   Hausdorff distance at the corners: 0 for a box-shaped building, the notch for an L). A leaf is exact (0);
   a parent is never less wrong than its children.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from viewer.city.model import CityModel, SurfaceKind

BOX_TRIANGLES = 10


@dataclass
class Features:
    """The features of a model, as columns. f features, each a city object with triangles.

    objects : (f,) int64 object index; lo, hi : (f, 3) float64 local box; size, box_error : (f,) float64 metres;
    tri_start, tri_count : (f,) int64 range of each feature's triangles in `tri_order` : (t,) int64.
    """

    objects: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    size: np.ndarray
    box_error: np.ndarray
    tri_start: np.ndarray
    tri_count: np.ndarray
    tri_order: np.ndarray

    def __len__(self) -> int:
        return int(self.objects.shape[0])

    @property
    def centres(self) -> np.ndarray:
        return (self.lo[:, :2] + self.hi[:, :2]) / 2.0


@dataclass
class Node:
    """One tile: `name` ("r", "r0", "r03"...), the features of its subtree, the ones it draws (`kept`, all of
    them in a leaf), its children, and its measured geometric error (metres)."""

    name: str
    subtree: np.ndarray
    kept: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    boxed: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    children: list[Node] = field(default_factory=list)
    error: float = 0.0

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> list[Node]:
        """This node and all below it, parents first."""
        out, stack = [], [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


def measure_features(model: CityModel) -> Features:
    """Features of `model` with their boxes, sizes and box errors (rule 4), all vectorised."""
    tri_obj = model.vertex_object[model.triangles[:, 0]].astype(np.int64) if model.triangle_count else \
        np.zeros(0, np.int64)
    n = len(model.objects)
    counts = np.bincount(tri_obj, minlength=n)
    tri_order = np.argsort(tri_obj, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    objects = np.flatnonzero(counts > 0)
    vobj = model.vertex_object.astype(np.int64)
    vorder = None if np.all(vobj[1:] >= vobj[:-1]) else np.argsort(vobj, kind="stable")
    if vorder is not None:
        vobj = vobj[vorder]
    column = [np.asarray(model.vertices[:, i] if vorder is None else model.vertices[vorder, i], np.float64)
              for i in range(3)]
    kind = model.vertex_kind if vorder is None else model.vertex_kind[vorder]
    first = np.flatnonzero(np.concatenate([[True], vobj[1:] != vobj[:-1]])) if vobj.size else np.zeros(0, int)
    present = vobj[first]
    lo = np.zeros((n, 3))
    hi = np.zeros((n, 3))
    for axis in range(3):
        lo[present, axis] = np.minimum.reduceat(column[axis], first)
        hi[present, axis] = np.maximum.reduceat(column[axis], first)
    error = _box_errors(column, kind, vobj, first, lo, hi)
    full = np.zeros(n)
    full[present] = error
    span = hi - lo
    size = np.maximum(span[:, 2], 0.5 * np.hypot(span[:, 0], span[:, 1]))
    return Features(objects=objects, lo=lo[objects], hi=hi[objects], size=size[objects], box_error=full[objects],
                    tri_start=starts[objects], tri_count=counts[objects], tri_order=tri_order)


def _box_errors(column: list[np.ndarray], kind: np.ndarray, vobj: np.ndarray, first: np.ndarray,
                lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """(len(first),) metres: rule 4's box error per object present in the sorted vertices."""
    if first.size == 0:
        return np.zeros(0)
    x, y, z = column
    drop = np.where(kind == SurfaceKind.ROOF, hi[vobj, 2] - z, 0.0)
    error = np.maximum.reduceat(drop, first)
    for cx in (lo[vobj, 0], hi[vobj, 0]):
        for cy in (lo[vobj, 1], hi[vobj, 1]):
            corner = np.minimum.reduceat(np.hypot(x - cx, y - cy), first)
            np.maximum(error, corner, out=error)
    return error


def build_tree(features: Features, max_features: int, min_size: float) -> Node:
    """The tile tree over all features (rules 2 and 3), errors measured (rule 4)."""
    centres = features.centres
    root = Node("r", np.arange(len(features)))
    stack = [root]
    while stack:
        node = stack.pop()
        node.children = _split(node, centres, max_features, min_size)
        stack.extend(node.children)
    for node in reversed(root.walk()):  # children before parents
        _choose_content(node, features, max_features)
    return root


def _split(node: Node, centres: np.ndarray, max_features: int, min_size: float) -> list[Node]:
    ids = node.subtree
    if ids.size <= max_features:
        return []
    span = centres[ids].max(axis=0) - centres[ids].min(axis=0)
    if float(span.max()) < min_size:
        return []
    by_x = ids[np.argsort(centres[ids, 0], kind="stable")]
    children: list[np.ndarray] = []
    for half in np.array_split(by_x, 2):
        by_y = half[np.argsort(centres[half, 1], kind="stable")]
        children.extend(q for q in np.array_split(by_y, 2) if q.size)
    return [Node(f"{node.name}{i}", np.sort(q)) for i, q in enumerate(children)]


def _choose_content(node: Node, features: Features, max_features: int) -> None:
    if node.is_leaf:
        node.kept, node.boxed, node.error = node.subtree, np.zeros(node.subtree.size, bool), 0.0
        return
    ids = node.subtree
    if ids.size > max_features:
        kept = ids[np.argpartition(-features.size[ids], max_features - 1)[:max_features]]
    else:
        kept = ids
    kept = np.sort(kept)
    left_out = np.setdiff1d(ids, kept, assume_unique=True)
    boxed = features.tri_count[kept] > BOX_TRIANGLES
    errors = [features.box_error[kept[boxed]].max(initial=0.0), features.size[left_out].max(initial=0.0)]
    errors += [child.error for child in node.children]
    node.kept, node.boxed, node.error = kept, boxed, float(max(errors))
