"""`citiverse alerts` on a recorded demo feed, as a real subprocess: the log as text and CSV, --from/--to,
--fail-on for CI, and mistakes as one line; the same through the API (Scene.add_rule, Scene.alerts)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from viewer import api
from viewer.errors import ConfigError

START = 1.8e9
RULES = '''
[[rules]]
name = "Busy building"
kind = "building"
when = "power > 60"
severity = "critical"
badge = "!"

[[rules]]
name = "Slow car"
kind = "vehicle"
when = "speed < 8"
for = 2
'''


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, api.Scene]:
    """A 12 s demo recording (200 buildings, 40 vehicles) and a scene file with two rules."""
    folder = tmp_path_factory.mktemp("alerts")
    scene = api.demo_scene(buildings=200)
    feed = api.record_demo_feed(scene, folder / "demo.feed.jsonl.gz", seconds=12, vehicles=40, start_time=START)
    toml = folder / "city.toml"
    toml.write_text('[[sources]]\nformat = "procedural"\nsize = 200\n' + RULES)
    return toml, feed, scene


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "viewer.cli", "-q", "alerts", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_text_log(recorded):
    """The text log lists raises with their UTC time and a summary line; exit 0."""
    toml, feed, _ = recorded
    proc = run(toml, "--feed", feed)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    summary = next(line for line in lines if " raised, " in line)
    raised = int(summary.split()[0])
    assert raised > 0
    assert sum(" raised " in line for line in lines) == raised
    assert "2027-01-15 08:00:00 UTC" in proc.stdout and "Busy building" in proc.stdout


def test_csv_matches_the_api_and_from_to_cut_it(recorded):
    """CSV rows equal the API's events; --from +5 --to +10 keeps exactly the events in that span."""
    toml, feed, scene = recorded
    whole = api.replay_alerts(api.open_scene(toml).rules, feed)
    proc = run(toml, "--feed", feed, "--csv")
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [(float(r["time"]), r["event"], r["rule"], r["id"]) for r in rows] == \
        [(round(e.time, 3), e.event, e.rule, e.id) for e in whole.events]
    cut = list(csv.DictReader(io.StringIO(run(toml, "--feed", feed, "--csv", "--from", "+5", "--to", "+10").stdout)))
    inside = [e for e in whole.events if START + 5 <= e.time <= START + 10]
    assert [(r["event"], r["rule"], r["id"]) for r in cut] == [(e.event, e.rule, e.id) for e in inside]
    assert any(e.rule == "Slow car" for e in whole.events), "the duration rule never fired: pick another speed"


def test_fail_on_critical_and_out_file(recorded, tmp_path):
    """--fail-on critical exits 1 (the busy buildings are critical); --out writes the file, not stdout."""
    toml, feed, _ = recorded
    out = tmp_path / "alerts.csv"
    proc = run(toml, "--feed", feed, "--csv", "--out", out, "--fail-on", "critical")
    assert proc.returncode == 1 and proc.stdout == ""
    assert out.read_text().startswith("time,utc,event,rule,severity,kind,id,value\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--feed", "missing.feed.jsonl.gz"], "recording not found"),
    (["--feed", "ws://127.0.0.1:9/"], "is a live feed"),
    (["--feed", "{feed}", "--from", "soon"], "'soon' is not +SECONDS"),
    (["--feed", "{feed}", "--from", "+9", "--to", "+2"], "is before --from"),
    (["--feed", "{feed}", "--out", "{feed}.missing/alerts.csv"], "cannot write"),
])
def test_mistakes_are_one_line(recorded, args, message):
    toml, feed, _ = recorded
    proc = run(toml, *[a.replace("{feed}", str(feed)) for a in args])
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_scene_without_rules_or_a_model_file(recorded, tmp_path):
    """A scene with no [[rules]], a model file and a missing scene: one line each, exit 2."""
    _, feed, _ = recorded
    proc = run(tmp_path / "nowhere.toml", "--feed", feed)
    assert proc.returncode == 2 and "file not found" in proc.stderr
    bare = tmp_path / "bare.toml"
    bare.write_text('[[sources]]\nformat = "procedural"\n')
    proc = run(bare, "--feed", feed)
    assert proc.returncode == 2 and "has no [[rules]]" in proc.stderr
    model = tmp_path / "m.geojson"
    model.write_text('{"type": "FeatureCollection", "features": []}')
    proc = run(model, "--feed", feed)
    assert proc.returncode == 2 and "scene file (.toml)" in proc.stderr


def test_api_add_rule_and_alerts(recorded):
    """Scene.add_rule with a function and with text; Scene.alerts reports them; mistakes are ConfigErrors."""
    _, feed, scene = recorded
    fresh = api.Scene(scene.loaded)
    fresh.add_rule("Fast", "vehicle", lambda f: f["speed"] > 12.0, severity="info")
    fresh.add_rule("Hot", "building", "power > 60")
    report = fresh.alerts(feed, end="+6")
    assert {e.rule for e in report.events} == {"Fast", "Hot"}
    assert all(e.time <= START + 6 for e in report.events)
    with pytest.raises(ConfigError, match="already called"):
        fresh.add_rule("Hot", "building", "power > 1")
    with pytest.raises(ConfigError, match="unknown field 'pwr'"):
        fresh.add_rule("X", "building", "pwr > 1")
