"""Live SUMO reads roads only where they can change, and gives the same road data as subscribing every edge.

Skips without SUMO or the shared data. The reference is SUMO's own edge subscriptions of every normal edge,
made by the test on the source's connection (subscribing reads, it changes nothing in the simulation).
"""

from __future__ import annotations

import numpy as np
import pytest

from viewer.sources.sumo_live import SumoLiveSource, sumo_available

needs_sumo = pytest.mark.skipif(sumo_available() is None, reason="SUMO (libsumo or traci + sumo) not installed")
EDGE_VARS = (0x11, 0x13, 0x10)  # last step mean speed, occupancy, vehicle number


def _subscribe_every_edge(source: SumoLiveSource) -> None:
    for edge in source.edge_ids.tolist():
        source.conn.edge.subscribe(edge, EDGE_VARS)


def _reference(source: SumoLiveSource) -> np.ndarray:
    """(3, e) float32: speed, occupancy, flow of every edge from the full subscription, as the feed computes them."""
    results = source.conn.edge.getAllSubscriptionResults()
    rows = [results[e] for e in source.edge_ids.tolist()]
    speed = np.array([r[0x11] for r in rows], np.float64)
    occupancy = np.clip(np.array([r[0x13] for r in rows], np.float64), 0, 1)
    flow = np.array([r[0x10] for r in rows], np.float64) * speed / source.edges.length * 3600.0
    return np.stack([speed, occupancy, flow]).astype(np.float32)


def _feed_roads(source: SumoLiveSource, steps: int) -> tuple[int, int, set[str]]:
    """Run `steps` steps keeping the road state the feed sent; at every road step assert it equals the reference.
    Returns (road steps checked, most edges read in one road step, vehicle types seen)."""
    update = source.start()
    _subscribe_every_edge(source)
    index = {edge: i for i, edge in enumerate(source.edge_ids.tolist())}
    state = np.full((3, len(index)), np.nan, np.float32)
    checked, most_read, types = 0, 0, set()
    for k in range(steps):
        if k:
            update = source.step()
        types.update(update.upserts["vehicle"].vtype.tolist())
        roads = update.upserts.get("road")
        if roads is None:
            continue
        at = np.array([index[i] for i in roads.ids.tolist()], np.int64)
        state[:, at] = np.stack([roads.speed, roads.occupancy, roads.flow])
        if k:  # the snapshot was read before the test's subscription existed
            np.testing.assert_array_equal(state, _reference(source), err_msg=f"road step at k={k}")
            checked += 1
            most_read = max(most_read, source.edges.last_read)
    return checked, most_read, types


@needs_sumo
def test_no_edge_is_subscribed(shared_data):
    """After start() SUMO holds no edge subscription (each would cost it work every step)."""
    source = SumoLiveSource(shared_data / "sumo_a10kw_berlin_pypi" / "a10kw.sumocfg", sumo_args=("--end", "5"),
                            quiet=True)
    try:
        source.start()
        source.step()
        assert source.conn.edge.getAllSubscriptionResults() == {}
    finally:
        source.close()


@needs_sumo
def test_monaco_roads_equal_a_full_subscription(shared_data):
    """MoST Monaco, 120 s from 05:00 with a train leaving: every road step's state equals subscribing all
    4,412 edges, while a road step reads a small part of them."""
    cfg = shared_data / "sumo_most_monaco" / "most.sumocfg"
    source = SumoLiveSource(cfg, sumo_args=("--begin", "18000", "--end", "18125"), quiet=True)
    try:
        checked, most_read, types = _feed_roads(source, 480)
    finally:
        source.close()
    assert checked == 119 and source.edge_ids.size == 4412
    assert "tram" in types and "bus" in types  # MoST trains are vClass rail: "tram"
    assert most_read < 4412 // 4


@needs_sumo
def test_berlin_roads_equal_a_full_subscription(shared_data):
    """A10KW near Berlin, 150 s (up to hundreds of vehicles, trucks): the same, at every road step."""
    cfg = shared_data / "sumo_a10kw_berlin_pypi" / "a10kw.sumocfg"
    source = SumoLiveSource(cfg, sumo_args=("--end", "152"), quiet=True)
    try:
        checked, most_read, _ = _feed_roads(source, 300)
    finally:
        source.close()
    assert checked == 149 and most_read < 509
