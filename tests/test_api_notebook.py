"""The example notebook (docs/examples/city.ipynb) executed as a user would, with a real kernel (nbclient), on
the Delft model when ../shared/data is there, else on the demo city; and the interactive view driven
without a browser (viewer/notebook.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer import api

PROJECT = Path(__file__).resolve().parents[1]
NOTEBOOK = PROJECT / "docs" / "examples" / "city.ipynb"
DELFT = PROJECT.parent / "shared" / "data" / "cityjson_delft" / "delft.json"

pytestmark = pytest.mark.render


def test_the_example_notebook_runs(offscreen_gl: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell runs without an error; frames come out as PNGs, the tour as an embedded <video>, the
    interactive view as a widget with a PNG fallback."""
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")
    if DELFT.is_file():
        monkeypatch.setenv("CITIVERSE_EXAMPLE_MODEL", str(DELFT))
    else:
        monkeypatch.delenv("CITIVERSE_EXAMPLE_MODEL", raising=False)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) >= 4  # two stills, the feed frame, the view's fallback
    assert any("<video controls" in o.get("data", {}).get("text/html", "") for o in outputs)
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert (tmp_path / "tour.mp4").is_file()
    text = "".join(o.get("text", "") for o in outputs)
    assert ("Delft" in text or "delft" in text) if DELFT.is_file() else "Demo city" in text


def test_the_interactive_view_orbits_zooms_and_picks(offscreen_gl: object) -> None:
    """Messages from the browser turn the camera and redraw; a click on the framed building names it; a
    click on the sky names nothing."""
    pytest.importorskip("anywidget")
    from viewer.notebook import CityView

    scene = api.demo_scene(buildings=200)
    tallest = scene.objects.select([int(max(range(len(scene.objects)),
                                            key=lambda k: float(scene.objects.height[k])))])[0]
    view = CityView(scene, (320, 180))
    first = view.png
    view._message(view, {"type": "drag", "dx": 0.4, "dy": 0.0})
    assert view.png != first
    view._message(view, {"type": "zoom", "steps": 2})
    pose = scene.framing([tallest.id], (320, 180))
    view.orbit.look(pose.position, pose.look_at, pose.fov)
    view.redraw()
    assert view.pick(160, 90) == tallest.id and tallest.id in view.status
    view.orbit.look((0.0, 0.0, 30.0), (0.0, 100.0, 200.0), 50.0)  # looking up at the sky
    assert view.pick(160, 10) is None and view.picked == ""
