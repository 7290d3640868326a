"""OCR results kept on disk, keyed by the scan's bytes, page and reading options.

Every ingest reloads the whole corpus (the fingerprint is taken over loaded documents), so
without this a scanned document would be read again, at seconds per page, on each upload
or restart. One small JSON file per page; a damaged entry is read again, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from pathlib import Path

from rag.schemas import Page

# Bump when OCR output for the same bytes changes (preprocessing, table rebuild, confusions).
OCR_PIPELINE_VERSION = "1"


def page_key(data: bytes, index: int, language: str, dpi: int) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return hashlib.sha256(
        f"{digest}\0{index}\0{language}\0{dpi}\0{OCR_PIPELINE_VERSION}".encode()
    ).hexdigest()


class OcrCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Page | None:
        try:
            row = json.loads(self._path(key).read_text(encoding="utf-8"))
            return Page(
                lines=tuple(row["lines"]),
                number=row["number"],
                ocr_confidence=float(row["confidence"]),
                warnings=tuple(row["warnings"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, page: Page) -> None:
        path = self._path(key)
        row = {
            "lines": list(page.lines),
            "number": page.number,
            "confidence": page.ocr_confidence,
            "warnings": list(page.warnings),
        }
        # A full disk or a read-only index folder costs speed, not the ingest.
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
            tmp.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
