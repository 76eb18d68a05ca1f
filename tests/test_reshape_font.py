"""The bundled font (assets/fonts, render/fonts.py): shipped with the package, the default of every text, and
able to draw names in Greek, Cyrillic and extended Latin and units such as m² (Panda3D's built-in font
draws only ASCII)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from viewer.render import fonts

ROOT = Path(__file__).resolve().parent.parent
LABELS = ["Αθήνα", "Москва", "Łódź", "Ærøskøbing", "Şişli", "Ελληνικό 12 m²", "45 °C", "3,2 kWh/m²", "≥ 90 %"]


def test_the_font_ships_as_package_data_with_its_licence() -> None:
    assert fonts.UI_FONT.is_file() and fonts.UI_FONT.stat().st_size > 100_000
    assert (fonts.UI_FONT.parent / "DejaVuSans-LICENSE.txt").is_file()
    assert fonts.ASSETS.resolve() == (ROOT / "assets").resolve()  # viewer/assets is the top-level assets/
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "assets/fonts/*" in package_data["viewer"]


def test_every_character_of_the_labels_has_a_glyph() -> None:
    assert fonts.missing_glyphs("".join(LABELS)) == ""
    assert fonts.missing_glyphs("名前 Ok") == "名前"  # the probe does find what the font lacks


@pytest.mark.render
def test_text_is_drawn_with_the_bundled_font_and_each_letter_differs() -> None:
    from panda3d.core import TextNode

    from viewer.app.base import offscreen_base
    from viewer.app.headless import OffscreenView
    from viewer.render.hud import Hud, text

    base = offscreen_base()  # installs the font (render/fonts.py rule 2)
    assert TextNode("any").has_exact_character("α")  # the default font is the bundled one, not the built-in
    view = OffscreenView(base, (64, 64), (0.0, 0.0, 0.0, 1.0), 0)
    hud = Hud(view.buffer, 1.0)
    images = {}
    try:
        for letter in "AαЖ²ő":  # Latin, Greek, Cyrillic, a superscript, a double acute
            node = text(hud.root, letter, -0.5, -0.5, scale=1.2)
            images[letter] = view.capture().astype(np.int16)
            node.remove_node()
    finally:
        hud.remove()
        view.close()
    for letter, image in images.items():
        assert image.max() > 128, f"{letter!r} drew nothing"
    # A glyph the font lacks is drawn as one fallback shape: every letter drawn differently means none is.
    letters = list(images)
    for i, a in enumerate(letters):
        for b in letters[i + 1:]:
            assert np.abs(images[a] - images[b]).mean() > 1.0, (a, b)
