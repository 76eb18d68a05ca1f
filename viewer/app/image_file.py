"""Still images written by the name asked for: `render --out shot.png` is a PNG, `shot.jpg` a real JPEG.

Rules this module keeps:
1. The file type follows the name's suffix (IMAGE_FORMATS); any other suffix is a RenderError naming the
   file, raised before anything is drawn when the caller checks with image_format() first (viewer/cli.py
   does), so a name never holds bytes of another format.
2. PNG goes through headless.write_png (its compression level); JPEG through Pillow at JPEG_QUALITY.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from viewer.app.headless import find_bookmark, render_model_image, write_png
from viewer.errors import RenderError

IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
JPEG_QUALITY = 92


def image_format(out: Path) -> str:
    """"PNG" or "JPEG" for the name `out` (rule 1); RenderError for any other suffix."""
    fmt = IMAGE_FORMATS.get(Path(out).suffix.lower())
    if fmt is None:
        raise RenderError(f"cannot write {out}: an image is written as .png or .jpg (JPEG), "
                          f"not {Path(out).suffix or 'a name without a suffix'}")
    return fmt


def write_image(image: np.ndarray, out: Path) -> Path:
    """Write an (h, w, 3) uint8 image in the format its name says (rule 1), creating missing folders."""
    out = Path(out)
    if image_format(out) == "PNG":
        return write_png(image, out)
    from PIL import Image  # Pillow only for writing files

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.ascontiguousarray(image, np.uint8)).save(out, format="JPEG", quality=JPEG_QUALITY)
    except OSError as exc:
        raise RenderError(f"cannot write {out}: {exc}") from None
    return out


def render_still(scene: Any, out: Path, size: tuple[int, int] = (1280, 720), camera: str | None = None) -> Path:
    """A LoadedScene rendered offscreen from bookmark `camera` (None: framed) to `out` (.png or .jpg)."""
    image_format(out)
    image = render_model_image(scene.model, scene.config.style, size, find_bookmark(scene.config, camera),
                               basemap=getattr(scene.config, "basemap", None), frame=scene.frame, scene=scene)
    return write_image(image, Path(out))
