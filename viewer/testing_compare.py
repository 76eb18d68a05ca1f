"""Comparing a rendered frame with a stored golden frame: per-channel thresholds, a perceptual measure (SSIM)
and a diff image a person can read.

Rules this module keeps:
1. Two measures, both must pass. A pixel has changed when any channel differs by more than
   Tolerance.channel levels (0-255), and at most Tolerance.changed of the pixels may change: this catches a
   building that moved, vanished or changed colour, however small. The mean structural similarity
   (SSIM, Wang et al. 2004, on luminance over 7x7 windows) must stay at or above Tolerance.ssim: this
   catches a change of structure spread thinly over the image (a shifted camera, lost edges) that no single
   pixel threshold sees. Antialiasing and driver noise move a few pixels by a few levels and pass both.
2. Frames of another size never pass (the reason says both sizes).
3. The diff image is three panels side by side: expected, actual, and the expected in grey with every
   changed pixel in magenta (brighter for larger changes), so the change is found at a glance.
4. Pure numpy (and scipy's uniform filter): no window, no GPU, usable on any two PNGs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SSIM_WINDOW = 7
_C1, _C2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2  # SSIM's stabilising constants for 8-bit data
MAGENTA = np.array([255, 0, 255], np.float32)


@dataclass(frozen=True)
class Tolerance:
    """channel: levels (0-255) a channel may differ before its pixel counts as changed; changed: the share
    of pixels (0-1) that may change; ssim: the least mean SSIM (0-1) that passes."""

    channel: int = 8
    changed: float = 0.002
    ssim: float = 0.98


@dataclass(frozen=True)
class Comparison:
    """What compare() found: the share of changed pixels, the largest channel difference, the mean SSIM,
    and the reasons it failed (empty: passed)."""

    changed: float
    max_difference: int
    ssim: float
    reasons: tuple[str, ...]
    mask: np.ndarray | None = None  # (h, w) bool: the changed pixels (None when sizes differ)

    @property
    def passed(self) -> bool:
        return not self.reasons

    def summary(self) -> str:
        measured = f"{100 * self.changed:.3f}% of pixels changed (max {self.max_difference} levels), SSIM {self.ssim:.4f}"
        return measured if self.passed else f"{'; '.join(self.reasons)} ({measured})"


def compare(actual: np.ndarray, expected: np.ndarray, tolerance: Tolerance = Tolerance()) -> Comparison:
    """Compare two (h, w, 3) uint8 RGB frames under `tolerance` (rules 1-2)."""
    if actual.shape != expected.shape:
        reason = f"size {_size(actual)} differs from the golden frame's {_size(expected)}"
        return Comparison(1.0, 255, 0.0, (reason,))
    difference = np.abs(actual.astype(np.int16) - expected.astype(np.int16))
    mask: np.ndarray = np.asarray((difference > tolerance.channel).any(axis=2))
    changed = float(mask.mean()) if mask.size else 0.0
    similarity = ssim(actual, expected)
    reasons = []
    if changed > tolerance.changed:
        reasons.append(f"{100 * changed:.3f}% of pixels changed by more than {tolerance.channel} levels "
                       f"(allowed {100 * tolerance.changed:.3f}%)")
    if similarity < tolerance.ssim:
        reasons.append(f"SSIM {similarity:.4f} below {tolerance.ssim:.4f}")
    return Comparison(changed, int(difference.max(initial=0)), similarity, tuple(reasons), mask)


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean structural similarity of two (h, w, 3) uint8 images' luminance (1.0: identical)."""
    from scipy.ndimage import uniform_filter

    x, y = _luminance(a), _luminance(b)
    if min(x.shape) < SSIM_WINDOW:  # too small for a window: compare as one
        size = x.shape
    else:
        size = (SSIM_WINDOW, SSIM_WINDOW)
    mx, my = uniform_filter(x, size), uniform_filter(y, size)
    vx = uniform_filter(x * x, size) - mx * mx
    vy = uniform_filter(y * y, size) - my * my
    cov = uniform_filter(x * y, size) - mx * my
    index = ((2 * mx * my + _C1) * (2 * cov + _C2)) / ((mx * mx + my * my + _C1) * (vx + vy + _C2))
    return float(index.mean())


def diff_image(actual: np.ndarray, expected: np.ndarray, tolerance: Tolerance = Tolerance()) -> np.ndarray:
    """(h, 3w, 3) uint8: expected | actual | changes in magenta over the expected in grey (rule 3). Frames of
    different sizes are padded to the larger one, black."""
    h = max(actual.shape[0], expected.shape[0])
    w = max(actual.shape[1], expected.shape[1])
    a, e = _pad(actual, h, w), _pad(expected, h, w)
    difference = np.abs(a.astype(np.int16) - e.astype(np.int16)).max(axis=2)
    grey = np.repeat(_luminance(e)[..., None] * 0.5 + 64, 3, axis=2)
    strength = np.clip(0.5 + difference / 128.0, 0.0, 1.0)[..., None]
    changed = (difference > tolerance.channel)[..., None]
    marks = np.where(changed, MAGENTA * strength + grey * (1 - strength), grey)
    return np.concatenate([e, a, np.clip(marks, 0, 255).astype(np.uint8)], axis=1)


def _luminance(image: np.ndarray) -> np.ndarray:
    return image[..., :3].astype(np.float64) @ np.array([0.299, 0.587, 0.114])


def _pad(image: np.ndarray, h: int, w: int) -> np.ndarray:
    out = np.zeros((h, w, 3), np.uint8)
    out[:image.shape[0], :image.shape[1]] = image[..., :3]
    return out


def _size(image: np.ndarray) -> str:
    return f"{image.shape[1]}x{image.shape[0]}"
