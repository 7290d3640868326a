"""Run Debian's ``tesseract`` binary on one page image: words with boxes and confidences.

The binary is called directly (no wrapper package) so that its time limit, thread count
and error output are ours to control. ``make tesseract`` installs it with the Vietnamese
model. TSV output is parsed here; nothing else in the project reads Tesseract formats.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from rag.errors import OcrFailed, OcrTimeout

# TSV level of a single word (1 page, 2 block, 3 paragraph, 4 line, 5 word).
WORD_LEVEL = 5
# Several engineers and the CI share two cores: one OpenMP thread per tesseract run is
# measured faster overall than Tesseract's default of one per core fighting for them.
THREAD_ENV = {"OMP_THREAD_LIMIT": "1"}
_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_ORIENTATION_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


@dataclass(frozen=True)
class Word:
    """One recognised word; ``confidence`` is Tesseract's 0–100 score."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    block: int
    paragraph: int
    line: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def center(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


def tesseract_binary() -> str:
    path = shutil.which("tesseract")
    if path is None:
        raise OcrFailed(
            "Chưa cài Tesseract OCR; hãy chạy 'make tesseract'"
            " / Tesseract OCR is not installed; run 'make tesseract'"
        )
    return path


def _run(args: list[str], timeout_s: float, what: str) -> str:
    try:
        done = subprocess.run(
            [tesseract_binary(), *args],
            capture_output=True,
            timeout=timeout_s,
            env={**os.environ, **THREAD_ENV},
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrTimeout(
            f"OCR {what} quá {timeout_s:g} giây / OCR of {what} exceeded {timeout_s:g} s"
        ) from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrFailed(
            f"OCR {what} thất bại / OCR of {what} failed: {message[-1] if message else '?'}"
        )
    return done.stdout.decode("utf-8", "replace")


def parse_tsv(tsv: str) -> list[Word]:
    """Words of Tesseract's TSV output (blank and negative-confidence entries dropped)."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != str(WORD_LEVEL) or not text:
            continue
        confidence = float(row["conf"])
        if confidence < 0:
            continue
        words.append(
            Word(
                text=text,
                left=int(row["left"]),
                top=int(row["top"]),
                width=int(row["width"]),
                height=int(row["height"]),
                confidence=confidence,
                block=int(row["block_num"]),
                paragraph=int(row["par_num"]),
                line=int(row["line_num"]),
            )
        )
    return words


def read_words(
    image: Image.Image, language: str, timeout_s: float, what: str, page_mode: int = 3
) -> list[Word]:
    """OCR one page image; ``page_mode`` is Tesseract's --psm (3: automatic layout)."""
    with tempfile.TemporaryDirectory(prefix="da06-ocr-") as folder:
        path = Path(folder) / "page.png"
        image.save(path)
        tsv = _run(
            [str(path), "stdout", "-l", language, "--psm", str(page_mode), "tsv"], timeout_s, what
        )
    return parse_tsv(tsv)


def detect_rotation(image: Image.Image, timeout_s: float, what: str) -> int:
    """Clockwise degrees (0/90/180/270) that turn the page upright, by Tesseract's OSD.

    OSD refuses pages with too few letters; those are read as they are (0).
    """
    with tempfile.TemporaryDirectory(prefix="da06-osd-") as folder:
        path = Path(folder) / "page.png"
        image.save(path)
        try:
            output = _run([str(path), "stdout", "--psm", "0"], timeout_s, what)
        except OcrFailed:
            return 0
    rotate = _ROTATE.search(output)
    confidence = _ORIENTATION_CONFIDENCE.search(output)
    if rotate is None or confidence is None or float(confidence.group(1)) < 1.0:
        return 0
    return int(rotate.group(1)) % 360
