"""The style the configuration carries: ruff's rules (with the banned-API list) and mypy hold for the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    """ruff finds nothing in viewer/, tests/ and bench/ (pyproject.toml's [tool.ruff] settings)."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "viewer", "tests", "bench"], cwd=PROJECT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    """mypy finds no type errors in the package (pyproject.toml's [tool.mypy] settings)."""
    result = subprocess.run([sys.executable, "-m", "mypy", "viewer"], cwd=PROJECT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
