"""Scanned page images made ready for OCR: grayscale on white, ink mask, small skew removed.

Pure image functions (Pillow + numpy, no I/O). Scanners and phone photos tilt pages by a
degree or two; Tesseract's line finder tolerates little of that, and the ruled-line
detection in :mod:`ingest.scan_tables` needs lines that are truly horizontal.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter, ImageOps

# The skew search runs on a reduced copy: the angle does not need full resolution.
SKEW_SEARCH_WIDTH = 800
MAX_SKEW_DEG = 5.0
COARSE_STEP_DEG = 0.5
FINE_STEP_DEG = 0.1
# Below this many degrees a rotation only blurs the page.
MIN_CORRECTION_DEG = 0.15


def to_grayscale(image: Image.Image) -> Image.Image:
    """8-bit grayscale with transparency flattened onto white (PNG scans often carry alpha)."""
    image = ImageOps.exif_transpose(image)
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit scans: Pillow's convert("L") clips every value above 255 to white.
        pixels = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") else max(float(pixels.max()), 1.0)
        return Image.fromarray(np.clip(pixels / top * 255, 0, 255).astype(np.uint8), mode="L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("L")


def despeckle(gray: Image.Image) -> Image.Image:
    """Scanner specks removed (a 3-pixel median): Tesseract reads them as ".", ":" or "-"
    stuck to words. Strokes of 10-point text at 200-300 dpi are wider and survive."""
    return gray.filter(ImageFilter.MedianFilter(3))


def otsu_threshold(gray: np.ndarray) -> int:
    """The gray level that best separates ink from paper (Otsu's method)."""
    histogram = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    if total == 0:
        return 128
    levels = np.arange(256)
    weight_dark = np.cumsum(histogram)
    weight_light = total - weight_dark
    mass_dark = np.cumsum(histogram * levels)
    mean_dark = mass_dark / np.maximum(weight_dark, 1)
    mean_light = (mass_dark[-1] - mass_dark) / np.maximum(weight_light, 1)
    between = weight_dark * weight_light * (mean_dark - mean_light) ** 2
    return int(np.argmax(between))


def ink_mask(gray: Image.Image) -> np.ndarray:
    """True where a pixel is ink (darker than the page's Otsu threshold)."""
    pixels = np.asarray(gray, dtype=np.uint8)
    return pixels <= otsu_threshold(pixels)


def _alignment_score(mask: Image.Image, angle: float) -> float:
    rotated = np.asarray(mask.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0))
    rows = rotated.sum(axis=1, dtype=np.float64)
    # Text lines aligned with the pixel rows give sharp steps between ink and gap rows.
    return float(np.sum(np.diff(rows) ** 2))


def skew_angle(gray: Image.Image) -> float:
    """Degrees (counter-clockwise, Pillow's convention) that make the text lines horizontal."""
    scale = min(1.0, SKEW_SEARCH_WIDTH / max(gray.width, 1))
    small = gray.resize((max(1, int(gray.width * scale)), max(1, int(gray.height * scale))))
    mask = Image.fromarray((ink_mask(small) * 255).astype(np.uint8))
    coarse = np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, COARSE_STEP_DEG)
    best = max(coarse, key=lambda a: _alignment_score(mask, float(a)))
    fine = np.arange(best - COARSE_STEP_DEG, best + COARSE_STEP_DEG + 1e-9, FINE_STEP_DEG)
    return round(float(max(fine, key=lambda a: _alignment_score(mask, float(a)))), 2)


def deskew(gray: Image.Image) -> tuple[Image.Image, float]:
    """The page turned so its lines are horizontal, and the angle used."""
    angle = skew_angle(gray)
    if abs(angle) < MIN_CORRECTION_DEG:
        return gray, 0.0
    turned = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return turned, angle


def has_ink(gray: Image.Image, min_fraction: float = 0.001) -> bool:
    """False for a blank page (Otsu on pure paper still splits noise; require real contrast)."""
    pixels = np.asarray(gray, dtype=np.uint8)
    if int(pixels.max()) - int(pixels.min()) < 64:
        return False
    return float((pixels < 128).mean()) >= min_fraction
