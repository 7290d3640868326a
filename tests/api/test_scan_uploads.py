"""Scans uploaded over HTTP: answerable with OCR citations; bad scans refused, index unchanged.

Works with synchronous uploads (answer 200 or 4xx) and with upload jobs (202, then the
job's state), so it states the contract, not one implementation of it.
"""

from __future__ import annotations

import io
import shutil
import time

import pytest
from fastapi.testclient import TestClient

from eval.scanned_pages import blank_pdf, notice_page, picture_page, png_bytes

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract is installed by `make tesseract`"
)
JOB_WAIT_S = 120


def _jpeg(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _outcome(client: TestClient, name: str, data: bytes) -> tuple[bool, int, str]:
    """(succeeded, HTTP status of the refusal or 200, the reason given)."""
    response = client.post("/v1/documents", files={"file": (name, data)})
    if response.status_code != 202:
        ok = response.status_code == 200
        return ok, response.status_code, "" if ok else response.json()["detail"]
    status_url = response.json()["status_url"]
    deadline = time.monotonic() + JOB_WAIT_S
    while time.monotonic() < deadline:
        job = client.get(status_url).json()
        if job["state"] in ("done", "failed"):
            return job["state"] == "done", 200, job.get("error") or ""
        time.sleep(0.2)
    raise AssertionError(f"upload job for {name} did not finish")


def test_scanned_image_upload_is_answerable_with_ocr_citation(admin_client) -> None:
    ok, _, reason = _outcome(admin_client, "thong-bao-quet.jpg", _jpeg(notice_page().image))
    assert ok, reason
    answer = admin_client.post(
        "/v1/ask",
        json={"question": "Kết nối bao nhiêu điểm tiếp nhận hồ sơ thủ tục hành chính với VNeID?"},
    ).json()
    assert "146" in answer["answer"]
    cited = answer["citations"][0]
    assert (cited["source"], cited["page"], cited["ocr"]) == ("thong-bao-quet.jpg", 1, True)
    assert 0.8 <= cited["ocr_confidence"] <= 1.0
    # The passage viewer learns which lines came from OCR.
    viewed = admin_client.get("/v1/documents/thong-bao-quet.jpg", params={"page": 1}).json()
    assert viewed["lines"] and all(
        line["ocr_confidence"] == cited["ocr_confidence"] for line in viewed["lines"]
    )
    typed = admin_client.get("/v1/documents/bao-cao-so-ket-6-thang-2023-tphcm.txt").json()
    assert "ocr_confidence" not in typed["lines"][0]


BAD_SCANS = [
    ("anh-khong-chu.png", png_bytes(picture_page().image), 422, "OCR"),
    ("anh-hong.png", png_bytes(notice_page().image)[:20_000], 422, "hỏng"),
    ("ban-quet-300-trang.pdf", blank_pdf(300), 413, "300"),
]


def test_bad_scans_are_refused_and_change_nothing(admin_client, small_corpus) -> None:
    version = admin_client.get("/healthz").json()["index_version"]
    files_before = sorted(p.name for p in small_corpus.iterdir())
    for name, data, status, fragment in BAD_SCANS:
        ok, code, reason = _outcome(admin_client, name, data)
        assert not ok, name
        assert code in (status, 200), (name, code)  # 200: the upload job failed, with a reason
        assert fragment.lower() in reason.lower(), (name, reason)
        assert sorted(p.name for p in small_corpus.iterdir()) == files_before, name
        assert admin_client.get("/healthz").json()["index_version"] == version, name
