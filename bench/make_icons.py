"""Draw the viewer's icons into assets/icons/: the app icon (window and web page), the alert and the pin.

    python bench/make_icons.py            # rewrites assets/icons/*.svg, *.png and favicon.ico

Each icon is a short list of shapes in a 0..1 square (y down, as in SVG). The same list is written as an SVG
(the editable source) and rasterised here with numpy (16x supersampling per pixel for smooth edges) into PNGs
of every size a window manager or a browser asks for; favicon.ico packs 16, 32 and 48 pixels (Pillow).
Nothing is copied from elsewhere: the shapes below are the whole drawing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "icons"
Shape = tuple  # ("rrect", x, y, w, h, r, rgba) | ("rect", x, y, w, h, rgba) | ("circle", cx, cy, r, rgba)
#               | ("poly", ((x, y), ...), rgba)

NAVY, SKY = (0.07, 0.16, 0.33, 1.0), (0.16, 0.45, 0.75, 1.0)
WHITE, PALE, GREY = (1.0, 1.0, 1.0, 1.0), (0.85, 0.91, 0.98, 1.0), (0.62, 0.74, 0.88, 1.0)
AMBER, RED, DARK = (0.98, 0.66, 0.10, 1.0), (0.86, 0.19, 0.17, 1.0), (0.13, 0.13, 0.15, 1.0)

ICONS: dict[str, list[Shape]] = {
    # A city on a blue tile: four towers on a ground line, and a live reading (an amber dot) on the tallest.
    "citiverse": [
        ("rrect", 0.0, 0.0, 1.0, 1.0, 0.2, NAVY),
        ("rrect", 0.06, 0.06, 0.88, 0.88, 0.16, SKY),
        ("rect", 0.14, 0.44, 0.16, 0.38, GREY),
        ("rect", 0.33, 0.24, 0.18, 0.58, WHITE),
        ("rect", 0.54, 0.36, 0.15, 0.46, PALE),
        ("rect", 0.72, 0.52, 0.14, 0.30, GREY),
        *[("rect", x, y, 0.04, 0.05, SKY) for x in (0.365, 0.435) for y in (0.32, 0.42, 0.52, 0.62)],
        *[("rect", x, y, 0.035, 0.045, SKY) for x in (0.575, 0.635) for y in (0.44, 0.54, 0.64)],
        ("rect", 0.10, 0.80, 0.80, 0.05, WHITE),
        ("circle", 0.42, 0.15, 0.075, AMBER),
    ],
    # An alert: an amber warning triangle with a dark exclamation mark.
    "alert": [
        ("poly", ((0.5, 0.06), (0.96, 0.9), (0.04, 0.9)), AMBER),
        ("poly", ((0.455, 0.34), (0.545, 0.34), (0.53, 0.66), (0.47, 0.66)), DARK),
        ("circle", 0.5, 0.77, 0.055, DARK),
    ],
    # A pin: a red drop pointing down with a white centre.
    "pin": [
        ("circle", 0.5, 0.36, 0.3, RED),
        ("poly", ((0.24, 0.5), (0.76, 0.5), (0.5, 0.97)), RED),
        ("circle", 0.5, 0.36, 0.12, WHITE),
    ],
}
SIZES = {"citiverse": (16, 24, 32, 48, 64, 128, 256), "alert": (32, 64), "pin": (32, 64)}
FAVICON_SIZES = (16, 32, 48)
SUPER = 4  # 4x4 samples per pixel


def coverage(shape: Shape, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Boolean mask of the sample points (x, y) inside `shape`."""
    kind = shape[0]
    if kind == "rect":
        _, x0, y0, w, h, _ = shape
        return (x >= x0) & (x < x0 + w) & (y >= y0) & (y < y0 + h)
    if kind == "rrect":
        _, x0, y0, w, h, r, _ = shape
        dx = np.maximum(np.maximum(x0 + r - x, x - (x0 + w - r)), 0.0)
        dy = np.maximum(np.maximum(y0 + r - y, y - (y0 + h - r)), 0.0)
        inside = (x >= x0) & (x < x0 + w) & (y >= y0) & (y < y0 + h)
        return inside & (dx * dx + dy * dy <= r * r)
    if kind == "circle":
        _, cx, cy, r, _ = shape
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    if kind == "poly":
        points = np.asarray(shape[1], np.float64)
        inside = np.zeros(x.shape, bool)
        for (ax, ay), (bx, by) in zip(points, np.roll(points, -1, axis=0), strict=True):
            crosses = (ay > y) != (by > y)
            at = ax + (y - ay) * (bx - ax) / np.where(by == ay, 1.0, by - ay)
            inside ^= crosses & (x < at)
        return inside
    raise ValueError(f"unknown shape {kind!r}")


def raster(shapes: list[Shape], size: int) -> np.ndarray:
    """(size, size, 4) uint8 RGBA: the shapes painted in order over transparency, then box-filtered."""
    n = size * SUPER
    centres = (np.arange(n) + 0.5) / n
    x, y = np.meshgrid(centres, centres)
    rgba = np.zeros((n, n, 4))
    for shape in shapes:
        colour = np.asarray(shape[-1], np.float64)
        mask = coverage(shape, x, y)[..., None] * colour[3]
        rgba[..., :3] = rgba[..., :3] * (1 - mask) + colour[:3] * mask  # premultiplied "over"
        rgba[..., 3:] = rgba[..., 3:] * (1 - mask) + mask
    rgba = rgba.reshape(size, SUPER, size, SUPER, 4).mean(axis=(1, 3))
    alpha = rgba[..., 3:]
    rgb = np.divide(rgba[..., :3], alpha, out=np.zeros_like(rgba[..., :3]), where=alpha > 0)
    return np.round(np.concatenate([rgb, alpha], axis=-1) * 255).astype(np.uint8)


def svg(shapes: list[Shape]) -> str:
    """The same drawing as an SVG (viewBox 0..100)."""
    def fill(rgba: tuple[float, ...]) -> str:
        return "#" + "".join(f"{round(c * 255):02x}" for c in rgba[:3])

    def n(v: float) -> str:
        return f"{v * 100:g}"

    body = []
    for shape in shapes:
        kind, colour = shape[0], fill(shape[-1])
        if kind in ("rect", "rrect"):
            x0, y0, w, h = shape[1:5]
            r = f' rx="{n(shape[5])}"' if kind == "rrect" else ""
            body.append(f'<rect x="{n(x0)}" y="{n(y0)}" width="{n(w)}" height="{n(h)}"{r} fill="{colour}"/>')
        elif kind == "circle":
            body.append(f'<circle cx="{n(shape[1])}" cy="{n(shape[2])}" r="{n(shape[3])}" fill="{colour}"/>')
        else:
            points = " ".join(f"{n(px)},{n(py)}" for px, py in shape[1])
            body.append(f'<polygon points="{points}" fill="{colour}"/>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">\n  '
            + "\n  ".join(body) + "\n</svg>\n")


def write_png(path: Path, pixels: np.ndarray) -> None:
    from PIL import Image

    Image.fromarray(pixels, "RGBA").save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, shapes in ICONS.items():
        (args.out / f"{name}.svg").write_text(svg(shapes))
        for size in SIZES[name]:
            write_png(args.out / f"{name}-{size}.png", raster(shapes, size))
    from PIL import Image

    biggest = Image.fromarray(raster(ICONS["citiverse"], max(FAVICON_SIZES)), "RGBA")
    biggest.save(args.out / "favicon.ico", sizes=[(s, s) for s in FAVICON_SIZES])
    print(f"wrote {len(list(args.out.glob('*')))} files in {args.out}")


if __name__ == "__main__":
    main()
