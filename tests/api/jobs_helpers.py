"""Helpers for tests that add or delete documents through jobs, and bad files made in-test."""

from __future__ import annotations

import io
import time
import zipfile

from fastapi.testclient import TestClient

FINISHED = ("done", "failed")


def wait_job(client: TestClient, accepted: dict, timeout_s: float = 180.0) -> dict:
    """Poll the job's status URL until it finishes; returns its last status."""
    deadline = time.monotonic() + timeout_s
    while True:
        status = client.get(accepted["status_url"])
        assert status.status_code == 200, status.text
        body = status.json()
        if body["state"] in FINISHED or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def zip_bomb_docx(expanded_chars: int) -> bytes:
    """A DOCX whose document.xml inflates to ``expanded_chars`` characters (one repeated
    paragraph compresses about a thousandfold)."""
    paragraph = "<w:p><w:r><w:t>" + "A" * 1000 + "</w:t></w:r></w:p>"
    count = max(1, expanded_chars // len(paragraph))
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body>" + paragraph * count + "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", body)
    return buffer.getvalue()


def many_page_pdf(pages: int) -> bytes:
    """A valid PDF with ``pages`` pages that all share one page object (a few bytes each)."""
    kids = " ".join("3 0 R" for _ in range(pages))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
