"""The app's live view: no import cycle among viewer.app modules, and one builder for stills, the API and
videos (app/live_headless.py rule 5)."""

from __future__ import annotations

import ast
from pathlib import Path

import viewer.app

APP = Path(viewer.app.__file__).parent


def _imports(path: Path) -> set[str]:
    """Every viewer.app module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {name for name in names if name.startswith("viewer.app.") and (APP / f"{name[11:]}.py").is_file()}
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in `graph` (module -> modules it imports), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for dep in sorted(graph.get(module, ())):
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep]
            if dep not in state and (found := visit(dep)):
                return found
        state[module] = 2
        path.pop()
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_among_app_modules() -> None:
    graph = {f"viewer.app.{p.stem}": _imports(p) for p in APP.glob("*.py")}
    assert "viewer.app.live" in graph["viewer.app.live_headless"]
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_videos_and_the_api_build_the_view_with_live_view_and_keep_out_of_the_layers_internals() -> None:
    for module in ("flythrough_render.py", "../api.py"):
        text = (APP / module).read_text(encoding="utf-8")
        assert "live_view(" in text, module
        for internal in ("LiveLayers(", "build_stage(", "OffscreenView(", ".clock.pin(", ".had_vehicles",
                         ".ingest(", "parse_at(at"):
            assert internal not in text, (module, internal)
