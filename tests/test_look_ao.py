"""Ambient occlusion of the full look (render/geometry.py rule 7): darker at a wall's foot than at its top in
a real offscreen frame, stronger in a street canyon than in the open, none in the plain look."""

from __future__ import annotations

import numpy as np
from test_look_facades import render, tower, wall_row
from test_render import box_model

from viewer.render.geometry import AO_CANYON, AO_OPEN, object_look
from viewer.render.look import LookSpec

FOOT, TOP = 0.3, 27.6  # both between window rows (3 m storeys: 0.1 and 0.2 of a storey)


def test_a_wall_is_darker_at_its_foot_than_at_its_top(offscreen_gl):
    full, pose = render(offscreen_gl, tower(), LookSpec("full"))
    foot, top = wall_row(full, pose, FOOT).mean(), wall_row(full, pose, TOP).mean()
    assert foot < top - 15, (foot, top)
    plain, _ = render(offscreen_gl, tower(), LookSpec("plain"))
    assert abs(wall_row(plain, pose, FOOT).mean() - wall_row(plain, pose, TOP).mean()) < 3


def test_a_street_canyon_occludes_more_than_open_ground():
    # Two 30 m towers 8 m apart (a deep canyon) and one low house 200 m from anything.
    model = box_model([[0, 0, 0], [28, 0, 0], [400, 0, 0]], [[20, 20, 30], [20, 20, 30], [10, 10, 6]])
    ao = object_look(model)[:, 2]
    assert ao[0] > ao[2] + 0.5 * AO_CANYON and ao[1] > ao[2] + 0.5 * AO_CANYON
    assert np.isclose(ao[2], AO_OPEN, atol=0.02)
