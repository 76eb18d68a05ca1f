"""What the rules' matches look like: colours over the layers' texels, badges and where they stand.

Rules this module keeps:
1. A matching entity takes its winning rule's colour and badge (layers/rules.py RuleEngine.matches: the most
   severe rule), handed to the layers that show its kind as overrides (layers/base.py rule 4): they paint
   every object showing it (entities.py rule 1: the root and its parts) or the vehicle's instance.
2. Badges stand above the top centre of an entity's objects (the union of its members' boxes); vehicles
   carry theirs where they are drawn. At most MAX_BADGES are drawn, the most severe first, so a storm of
   alerts does not bury the city in labels (the colours still show every match).
3. Pure numpy: the render side (render/rule_badges.py) only draws what comes out of here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viewer.city.model import ObjectTable
from viewer.layers.entities import EntityObjects
from viewer.layers.rules import RuleEngine
from viewer.rules_config import SEVERITIES

MAX_BADGES = 48


def rule_rgba(engine: RuleEngine) -> np.ndarray:
    """(rules, 4) uint8 opaque colour of each rule, in engine order."""
    rgb = np.array([r.rule.rgb for r in engine.rules], np.float64).reshape(-1, 3)
    out = np.full((rgb.shape[0], 4), 255, np.uint8)
    out[:, :3] = np.clip(np.round(rgb * 255.0), 0, 255).astype(np.uint8)
    return out


def overrides(engine: RuleEngine, kind: str, colours: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str | None]]:
    """(ids (k,) object, rgba (k, 4) uint8, badges (k,)) of `kind`'s matching entities, each with its winning
    rule's colour and badge (rule 1): what a layer's set_overrides takes (layers/base.py rule 4)."""
    best = engine.matches(kind)
    rows = np.flatnonzero(best >= 0)
    slots = engine.slots[kind]
    ids = slots.ids[slots.row_slot[rows]]
    labels = [engine.rules[int(i)].rule.badge for i in best[rows].tolist()]
    return ids, colours[best[rows]], labels


def root_anchors(objects: ObjectTable, entities: EntityObjects) -> np.ndarray:
    """(r, 3) float32 top centre of each root's objects (rule 2); NaN where none has a box."""
    anchors = np.full((len(entities), 3), np.nan, np.float32)
    if objects.bbox_min is None or objects.bbox_max is None or len(entities) == 0:
        return anchors
    lo = np.full((len(entities), 3), np.inf)
    hi = np.full((len(entities), 3), -np.inf)
    members = entities.members
    box_lo = objects.bbox_min[members].astype(np.float64)
    box_hi = objects.bbox_max[members].astype(np.float64)
    ok = np.isfinite(box_lo).all(axis=1) & np.isfinite(box_hi).all(axis=1)
    np.minimum.at(lo, entities.member_root[ok], box_lo[ok])
    np.maximum.at(hi, entities.member_root[ok], box_hi[ok])
    found = np.isfinite(lo).all(axis=1)
    anchors[found, :2] = ((lo[found, :2] + hi[found, :2]) / 2).astype(np.float32)
    anchors[found, 2] = hi[found, 2].astype(np.float32)
    return anchors


@dataclass(frozen=True)
class Badge:
    """One badge to draw: its text, the rule's colour (r, g, b) 0..1, and who wears it (kind, table row)."""

    text: str
    rgb: tuple[float, float, float]
    kind: str
    row: int


def badges(engine: RuleEngine, kinds: tuple[str, ...], limit: int = MAX_BADGES) -> list[Badge]:
    """The badges of the winning rules of `kinds`' live rows, the most severe first, at most `limit`."""
    out: list[tuple[int, Badge]] = []
    for kind in kinds:
        best = engine.matches(kind)
        for row in np.flatnonzero(best >= 0).tolist():
            rule = engine.rules[int(best[row])].rule
            if rule.badge:
                out.append((SEVERITIES.index(rule.severity), Badge(rule.badge, rule.rgb, kind, row)))
            if len(out) >= 4 * limit:  # enough to choose the most severe from
                break
    out.sort(key=lambda pair: -pair[0])
    return [badge for _, badge in out[:limit]]
