"""Live SUMO through libsumo or TraCI: the Berlin A10KW scenario streamed step by step (skips without SUMO)."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.errors import LoadError
from viewer.sources.base import Source
from viewer.sources.sumo_fcd import FcdSource
from viewer.sources.sumo_live import SumoLiveSource, config_net_file, read_config, sumo_available

needs_sumo = pytest.mark.skipif(sumo_available() is None, reason="SUMO (libsumo or traci + sumo) not installed")


def _stream(source, steps):
    """(times, our vehicle count, SUMO's vehicle count, last update) over `steps` updates."""
    ids: set[str] = set()
    update = source.start()
    rows = []
    for k in range(steps):
        if k:
            update = source.step()
        ids.update(update.upserts["vehicle"].ids.tolist())
        ids.difference_update(update.removals.get("vehicle", np.zeros(0)).tolist())
        rows.append((update.time, len(ids), source.conn.vehicle.getIDCount()))
    return rows, update


@needs_sumo
def test_berlin_live_counts_equal_sumos_and_the_recording(shared_data):
    """120 s of A10KW: each step's vehicle count equals SUMO's own and the recorded FCD's at whole seconds."""
    folder = shared_data / "sumo_a10kw_berlin_pypi"
    source = SumoLiveSource(folder / "a10kw.sumocfg")
    assert source.period == 0.5  # known before SUMO starts
    try:
        assert isinstance(source, Source)
        rows, last = _stream(source, 240)
        assert source.period == 0.5 and source.crs.startswith("+proj=utm +zone=33")
        assert [ours for _, ours, _ in rows] == [theirs for _, _, theirs in rows]
        live = {t: n for t, n, _ in rows}
        vehicles = last.upserts["vehicle"]
        assert set(vehicles.vtype) <= {"car", "truck"} and "truck" in set(vehicles.vtype)
        roads = source._road_batch(snapshot=True)
        assert len(roads.ids) == 509 and np.nanmax(roads.occupancy) <= 1 and np.nanmax(roads.flow) > 0
    finally:
        source.close()
    recorded = FcdSource(folder / "recorded_outputs" / "a10kw.fcd.netxy.0-600.xml.gz", net=folder / "osm.net.xml")
    state: set[str] = set()
    update = recorded.start()
    for _ in range(120):
        state.update(update.upserts["vehicle"].ids.tolist())
        state.difference_update(update.removals.get("vehicle", np.zeros(0)).tolist())
        assert live[update.time] == len(state)
        positions = update.upserts["vehicle"]
        update = recorded.step()
    recorded.close()
    assert rows[-1][0] == 119.5 and positions.x.size


@needs_sumo
def test_positions_match_the_recording(shared_data):
    """Live positions at t = 10 s equal the recorded FCD's (rounded to 1 cm there)."""
    folder = shared_data / "sumo_a10kw_berlin_pypi"
    source = SumoLiveSource(folder / "a10kw.sumocfg", sumo_args=("--end", "20"))
    try:
        rows, _ = _stream(source, 21)
        live = source._last
        ids = source._ids
    finally:
        source.close()
    recorded = FcdSource(folder / "recorded_outputs" / "a10kw.fcd.netxy.0-600.xml.gz", net=folder / "osm.net.xml")
    update = recorded.start()
    while update.time < 10.0:
        update = recorded.step()
    recorded.close()
    assert rows[-1][0] == 10.0
    rec = update.upserts["vehicle"]
    order = np.argsort(ids.astype(str))
    at = order[np.searchsorted(ids[order].astype(str), rec.ids.astype(str))]
    assert np.array_equal(ids[at], rec.ids)
    assert np.abs(live["x"][at] - rec.x).max() < 0.006 and np.abs(live["y"][at] - rec.y).max() < 0.006


@needs_sumo
def test_traci_backend_and_end(shared_data):
    """The TraCI backend (a sumo process) gives the same counts; the source ends at the configured end."""
    folder = shared_data / "sumo_a10kw_berlin_pypi"
    pytest.importorskip("traci")
    source = SumoLiveSource(folder / "a10kw.sumocfg", backend="traci", sumo_args=("--end", "5"))
    try:
        rows, _ = _stream(source, 10)
        assert [n for _, n, _ in rows] == [n for _, _, n in rows]
        assert source.step() is None
    finally:
        source.close()
    source.close()  # twice is harmless


def test_config_errors(tmp_path):
    """A config that is not SUMO's or names no net gives a LoadError naming it."""
    bad = tmp_path / "x.sumocfg"
    bad.write_text("<routes/>")
    with pytest.raises(LoadError, match="not a SUMO configuration"):
        config_net_file(bad)
    bad.write_text('<configuration><input><route-files value="r.xml"/></input></configuration>')
    with pytest.raises(LoadError, match="no net-file"):
        config_net_file(bad)
    bad.write_text('<configuration><input><net-file value="n.net.xml"/></input>'
                   '<time><step-length value="0.25"/></time></configuration>')
    assert config_net_file(bad) == tmp_path / "n.net.xml"
    assert read_config(bad)["step-length"] == "0.25"


@needs_sumo
def test_broken_scenario_is_a_load_error(tmp_path, shared_data):
    """A config whose routes SUMO cannot read fails with a LoadError naming the config, and the next run works."""
    net = shared_data / "sumo_a10kw_berlin_pypi" / "osm.net.xml"
    (tmp_path / "bad.rou.xml").write_text("<routes><vehicle id='v' depart='x'/></routes>")
    cfg = tmp_path / "bad.sumocfg"
    cfg.write_text(f'<configuration><input><net-file value="{net}"/><route-files value="bad.rou.xml"/></input>'
                   "</configuration>")
    with pytest.raises(LoadError, match="SUMO did not start"):
        SumoLiveSource(cfg).start()
    source = SumoLiveSource(shared_data / "sumo_a10kw_berlin_pypi" / "a10kw.sumocfg", sumo_args=("--end", "2"))
    try:
        assert len(source.start().upserts["vehicle"].ids) == 6
    finally:
        source.close()


@needs_sumo
def test_quiet_record_prints_only_its_own_line(shared_data, tmp_path):
    """`citiverse -q feed record --source sumo` prints its one result line: none of SUMO's loading lines,
    statistics or summary (31 lines of output before)."""
    import subprocess
    import sys

    cfg = shared_data / "sumo_a10kw_berlin_pypi" / "a10kw.sumocfg"
    out = tmp_path / "run.feed.jsonl.gz"
    run = subprocess.run([sys.executable, "-m", "viewer.cli", "-q", "feed", "record", "--source", "sumo",
                          "--sumocfg", str(cfg), "--duration", "10", "--out", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [line for line in run.stdout.splitlines() if line.startswith("wrote ")]
    assert len(run.stdout.splitlines()) == 1 and run.stderr == ""


@needs_sumo
def test_quiet_traci_prints_nothing(shared_data, capfd):
    """quiet=True with the TraCI backend: the sumo process and traci itself print nothing."""
    pytest.importorskip("traci")
    source = SumoLiveSource(shared_data / "sumo_a10kw_berlin_pypi" / "a10kw.sumocfg", backend="traci",
                            sumo_args=("--end", "3"), quiet=True)
    try:
        source.start()
        while source.step() is not None:
            pass
    finally:
        source.close()
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
