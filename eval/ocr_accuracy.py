"""Character accuracy, table rows and time per page of the OCR path, on synthetic scans.

    .venv/bin/python eval/ocr_accuracy.py [--dpi 300] [--json]

Pages come from :mod:`eval.scanned_pages` (drawn with DejaVu fonts, tilted, blurred,
speckled); each is read by the real Tesseract through :func:`ingest.ocr.ocr_image`, the
same function ingest uses. The numbers in the README's OCR section come from this script.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.scanned_pages import (
    ScannedPage,
    full_page,
    notice_page,
    prose_page,
    table_page,
)  # noqa: E402
from ingest.ocr import OcrOptions, ocr_image  # noqa: E402
from ingest.structure import parse_blocks, rows  # noqa: E402
from rag.schemas import LoadedDocument, Page  # noqa: E402

MIN_CELL_ACCURACY = 0.9


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def character_accuracy(read: str, truth: str) -> float:
    """1 - (edit distance / length of the truth), on NFC text with single spaces."""
    read, truth = _plain(read), _plain(truth)
    if not truth:
        return 1.0 if not read else 0.0
    return max(0.0, 1 - Levenshtein.distance(read, truth) / len(truth))


def table_cells(lines: Sequence[str], source: str = "scan.png") -> list[tuple[str, ...]]:
    """Cells of the table rows the structure parser finds in OCR'd lines."""
    document = LoadedDocument(source=source, pages=(Page(tuple(lines), 1),), content_hash="")
    return [block.cells for block in rows(parse_blocks(document))]


def row_matches(read: Sequence[str], truth: Sequence[str]) -> bool:
    cells = [cell for cell in read]
    if len(cells) < len(truth):
        return False
    return all(
        character_accuracy(cell, expected) >= MIN_CELL_ACCURACY
        for cell, expected in zip(cells, truth, strict=False)
    )


def row_accuracy(read_rows: Sequence[Sequence[str]], truth_rows: Sequence[Sequence[str]]) -> float:
    """Share of source rows found among the parsed rows with every cell ≥ 0.9 accurate."""
    if not truth_rows:
        return 1.0
    found = sum(1 for truth in truth_rows if any(row_matches(r, truth) for r in read_rows))
    return found / len(truth_rows)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the tesseract processes
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(name: str, page: ScannedPage, options: OcrOptions) -> dict:
    cpu = _cpu_seconds()
    result = ocr_image(page.image, options, name)
    report = {
        "page": name,
        "pixels": f"{page.image.width}x{page.image.height}",
        "seconds": result.seconds,
        # Wall time depends on what else runs on the two cores; CPU time does not.
        "cpu_seconds": round(_cpu_seconds() - cpu, 2),
        "rotation": result.rotation,
        "confidence": result.confidence,
        "skew_deg": result.skew_deg,
        "character_accuracy": round(character_accuracy(" ".join(result.lines), page.text), 4),
    }
    if page.rows:
        report["row_accuracy"] = round(row_accuracy(table_cells(result.lines), page.rows), 4)
        report["character_accuracy"] = None  # cells are rearranged into rows; see row_accuracy
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    options = OcrOptions()
    upside_down = prose_page()
    pages = {
        "prose (tilted 1.2°)": prose_page(),
        "prose (tilted -2.5°)": prose_page(angle=-2.5),
        "prose (upside down)": ScannedPage(
            upside_down.image.rotate(180, expand=True, fillcolor=255), upside_down.lines
        ),
        "notice with motto header": notice_page(),
        "ruled task table": table_page(),
        "full A4 page, 300 dpi": full_page(),
    }
    reports = [measure(name, page, options) for name, page in pages.items()]
    if args.json:
        print(json.dumps(reports, ensure_ascii=False, indent=2))
        return 0
    for r in reports:
        accuracy = r.get("row_accuracy", r["character_accuracy"])
        kind = "rows" if "row_accuracy" in r else "chars"
        print(
            f"{r['page']:<28} {r['pixels']:>10}  {kind} {accuracy:.4f}  "
            f"conf {r['confidence']:.3f}  skew {r['skew_deg']:+.2f}° turn {r['rotation']:>3}°  "
            f"{r['seconds']:.2f} s wall  {r['cpu_seconds']:.2f} s cpu"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
