"""Shared fixtures: real data by path (skipping when absent), numpy warnings as errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real city models and scenarios written by others; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real test data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _numpy_errors():
    """Invalid numpy arithmetic (NaN from 0/0, overflow) fails the test instead of passing silently."""
    with np.errstate(all="raise", under="ignore"):
        yield


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Each test writes its geometry cache to its own temporary folder, never the user's ~/.cache."""
    monkeypatch.setenv("CITIVERSE_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def offscreen_gl():
    """The process's offscreen Panda3D base; skips rendering tests where no offscreen OpenGL can be made."""
    from viewer.app.base import offscreen_base
    from viewer.errors import RenderError

    try:
        return offscreen_base()
    except RenderError as exc:
        pytest.skip(f"no offscreen rendering here: {exc}")
