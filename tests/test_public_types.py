"""The public modules are typed (issue 15, "The app reshaped"): mypy --strict passes on them, and their public
signatures name real types (SceneConfig, the Source protocol a Feed may be, Scene, the layer types) instead of
Any, except where a value is dynamic by nature (listed below, each with why)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PUBLIC = ("viewer/api.py", "viewer/testing.py", "viewer/notebook.py", "viewer/layers/base.py",
          "viewer/layers/registry.py")  # docs/api.md, docs/testing.md, docs/layers.md

DYNAMIC = {  # signature -> why Any is the honest type
    "viewer/api.py: Objects.attributes": "a model's attributes are whatever its file holds (JSON values)",
    "viewer/api.py: Objects.where": "compares those attribute values",
    "viewer/api.py: Scene.find": "compares those attribute values",
    "viewer/api.py: Objects.to_pandas": "a pandas DataFrame; pandas is optional, so its type may not exist",
    "viewer/api.py: Scene.widget": "an anywidget/ipywidgets class made on demand; both optional",
    "viewer/notebook.py: CityView": "the same widget",
    "viewer/api.py: Window.state": "the window's JSON reply",
    "viewer/api.py: Window.move": "the window's JSON reply",
    "viewer/api.py: Window.fly_to": "the window's JSON reply",
    "viewer/api.py: Window.show_layer": "the window's JSON reply",
    "viewer/api.py: Window.set_feed_time": "the window's JSON reply",
    "viewer/api.py: Window.pin": "the window's JSON reply",
    "viewer/layers/base.py: Option.read": "a TOML value of a [layers.NAME] table, checked by the option",
    "viewer/layers/base.py: LayerSettings.get": "a checked option value of the layer's own kind",
    "viewer/layers/base.py: parse_settings": "the TOML table of a [layers.NAME]",
}


def _public_any(path: str) -> list[str]:
    """'path: Class.function' for each public function whose annotations mention Any, and public aliases of Any."""
    found: list[str] = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.name.startswith("_") and not node.name.endswith("__"):
                    continue
                args = node.args
                every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
                notes = [a.annotation for a in every if a is not None and a.annotation is not None]
                if any("Any" in ast.unparse(n) for n in [*notes, node.returns] if n is not None):
                    found.append(f"{path}: {prefix}{node.name}")
            elif isinstance(node, ast.Assign) and not prefix and "Any" in ast.unparse(node.value):
                names = [t.id for t in node.targets if isinstance(t, ast.Name) and not t.id.startswith("_")]
                found.extend(f"{path}: {name}" for name in names)

    visit(ast.parse((PROJECT / path).read_text(encoding="utf-8")).body, "")
    return found


def test_no_any_in_public_signatures_but_the_dynamic_ones():
    """Fails on the old `Feed = str | Path | Any`, `load_config(config: Any)`, `check_layers(config: Any)`,
    `describe(pick: Any)`, the testing plugin's `scene -> Any`, and on any new Any."""
    found = [s for path in PUBLIC for s in _public_any(path)]
    assert [s for s in found if s not in DYNAMIC] == []


def test_mypy_strict_passes_on_the_public_modules():
    """mypy --strict on the public modules themselves (what they import is checked by test_lint's mypy run)."""
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", *PUBLIC],
                            cwd=PROJECT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
