"""The look's benches run end to end on a tiny case (their figures are not asserted: docs/testing.md): the
shader edits of bench_look_parts.py still apply to the city's shaders, and bench_look.py --alternate prints
every look's ratio for every view."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.render
PROJECT = Path(__file__).resolve().parents[1]
TINY = ["--buildings", "60", "--vehicles", "40", "--size", "160x90"]


def run(script: str, *args: str) -> str:
    result = subprocess.run([sys.executable, str(PROJECT / "bench" / script), *TINY, *args], cwd=PROJECT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return result.stdout


def test_bench_look_parts_takes_every_part_out_of_the_live_shaders():
    out = run("bench_look_parts.py", "--turns", "2", "--view", "street")
    for part in ("shadow", "read", "spread", "haze", "facades", "sky", "all"):
        assert f"without {part}" in out, out


def test_bench_look_parts_names_an_unknown_part():
    result = subprocess.run([sys.executable, str(PROJECT / "bench" / "bench_look_parts.py"), "--parts", "moon"],
                            cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "unknown part 'moon'" in result.stderr and "Traceback" not in result.stderr


def test_bench_look_alternate_prints_each_look_for_each_view():
    out = run("bench_look.py", "--alternate", "--frames", "2")
    assert "looks drawn in turn" in out
    for view in ("overview", "overview, moving", "street"):
        assert f"  {view} " in out, out
    assert out.count("full, window: ratio in blocks") == 3, out
