"""The browser client's build: the shipped bundle (viewer/web_dist) is what its sources build to, and the
TypeScript unit tests (web/test, Vitest) pass. Both need node and `npm ci --prefix web` (.ci/run does it) and
skip without them."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
WEB = PROJECT / "web"
DIST = PROJECT / "viewer" / "web_dist"


def _need_node() -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the web client's build and unit tests are not checked")
    if not (WEB / "node_modules" / "esbuild").is_dir():
        pytest.skip("web/node_modules is missing: run `npm ci --prefix web`")


def test_shipped_bundle_matches_its_sources(tmp_path: Path) -> None:
    """Rebuilding web/ into a temporary folder gives byte for byte the files shipped in viewer/web_dist."""
    _need_node()
    subprocess.run(["node", str(WEB / "build.mjs"), str(tmp_path)], check=True, capture_output=True, timeout=300)
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == sorted(p.name for p in DIST.iterdir()), "the shipped files differ from the build's"
    _, mismatch, errors = filecmp.cmpfiles(tmp_path, DIST, built, shallow=False)
    assert not mismatch and not errors, (f"viewer/web_dist is stale ({', '.join(mismatch + errors)}): "
                                         "run `npm --prefix web run build` and commit the result")


def test_typescript_unit_tests_pass() -> None:
    """web/test (codec against tests/vectors, room view, interpolation, commands, frame maps) under Vitest."""
    _need_node()
    result = subprocess.run(["npx", "--no-install", "vitest", "run"], cwd=WEB, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
