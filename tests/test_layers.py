"""The layering rules of DESIGN.md hold: checked with import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    """lint-imports reports every contract kept (layers downward only, panda3d only in render/ and app/)."""
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([exe], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


def test_help_does_not_start_panda3d():
    """`citiverse --help` stays light: neither Panda3D nor trimesh is imported."""
    code = ("import sys; from viewer import cli\n"
            "try:\n    cli.build_parser().parse_args(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('panda3d', 'direct', 'trimesh')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.strip().endswith("[]")
