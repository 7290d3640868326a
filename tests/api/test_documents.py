"""Documents API: listing and reading (session index), upload and delete (a writable
two-document index); after every rejected or failed change the earlier documents still serve."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fpdf import FPDF

from api.routes.documents import safe_filename
from rag.errors import UnsupportedFileType
from tests.api.conftest import READ_KEY
from tests.api.jobs_helpers import wait_job
from tests.conftest import CORPUS
from tests.uploads import plan_docx

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
REPORT_2023 = "bao-cao-so-ket-6-thang-2023-tphcm.txt"
LETTER_4709 = "cong-van-4709-de-cuong-so-ket-6-thang-2024.txt"
# One phrase from each document of ``small_corpus`` and the document search must rank first.
EARLIER = [
    ("số lượng Căn cước công dân đã được đồng bộ với thẻ Bảo hiểm y tế", REPORT_2023),
    ("Xếp hạng cấp Bộ có cung cấp dịch vụ công", LETTER_4709),
]
PILOT_LINES = [
    "KẾ HOẠCH THÍ ĐIỂM BÃI ĐỖ XE THÔNG MINH",
    "Sở Giao thông vận tải chủ trì triển khai bãi đỗ xe thông minh tại Quận 1,",
    "hoàn thành trong Quý IV/2024.",
    "Công an Thành phố phối hợp xác thực chủ phương tiện bằng tài khoản định danh điện tử.",
]


def windows_1258(text: str) -> bytes:
    """Legacy Vietnamese Windows encoding: vowel letters precomposed, tones as combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def make_pdf(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=DEJAVU)
    pdf.set_font("DejaVu", size=12)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_scanned_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # an image-like page with no text layer
    return bytes(pdf.output())


def top_source(client: TestClient, query: str) -> str | None:
    response = client.get("/v1/search", params={"q": query, "k": 3})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    return results[0]["source"] if results else None


def assert_earlier_documents_serve(client: TestClient) -> None:
    for phrase, source in EARLIER:
        assert top_source(client, phrase) == source, phrase


def upload(client: TestClient, name: str, data: bytes):
    """The immediate answer to an upload (202 with a job, or a 4xx)."""
    return client.post("/v1/documents", files={"file": (name, data, "application/octet-stream")})


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Kế hoạch thử nghiệm.pdf", "ke-hoach-thu-nghiem.pdf"),
        ("../../etc/Báo cáo Quý II.TXT", "bao-cao-quy-ii.txt"),
        ("C:\\Users\\canbo\\Đề cương sơ kết.docx", "de-cuong-so-ket.docx"),
        ("..\\..\\x.pdf", "x.pdf"),
        ("....pdf", "tai-lieu.pdf"),
        ("Công văn 4709/CV-TCTTKĐA.pdf", "cv-tcttkda.pdf"),
    ],
)
def test_safe_filename(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


@pytest.mark.parametrize("name", ["bang-tinh.xlsx", "virus.exe", "khong-duoi", "", None, "a.pdf/"])
def test_safe_filename_rejects_unknown_types(name: str | None) -> None:
    with pytest.raises(UnsupportedFileType):
        safe_filename(name)


def test_list_documents(client: TestClient) -> None:
    documents = client.get("/v1/documents").json()["documents"]
    by_source = {d["source"]: d for d in documents}
    assert sorted(by_source) == sorted(p.name for p in CORPUS.glob("*.txt"))
    plan = by_source[PLAN]
    assert plan["title"].startswith("Kế hoạch triển khai thực hiện Đề án 06 năm 2024")
    assert plan["kind"] == "plan" and plan["date"] == "2024-03"
    assert plan["line_count"] == 569 and plan["chunk_count"] > 0


def test_read_document_lines_are_numbered_like_the_file(client: TestClient) -> None:
    body = client.get(f"/v1/documents/{PLAN}").json()
    assert body["document"]["source"] == PLAN
    lines = body["lines"]
    original = (CORPUS / PLAN).read_text(encoding="utf-8").split("\n")
    assert len(lines) == 569
    assert lines[223] == {"page": None, "n": 224, "text": original[223]}
    assert "Trung tâm điều hành thông minh Thành phố (IOC)" in lines[223]["text"]


def test_unknown_document_is_404(client: TestClient) -> None:
    response = client.get("/v1/documents/khong-co-tai-lieu.txt")
    assert response.status_code == 404
    assert "khong-co-tai-lieu.txt" in response.json()["detail"]


def added(client: TestClient, name: str, data: bytes, **fields: str) -> dict:
    response = client.post(
        "/v1/documents", files={"file": (name, data, "application/octet-stream")}, data=fields
    )
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status_url"] == f"/v1/jobs/{accepted['job_id']}"
    return wait_job(client, accepted)


def deleted(client: TestClient, source: str) -> dict:
    response = client.delete(f"/v1/documents/{source}")
    assert response.status_code == 202, response.text
    return wait_job(client, response.json())


def test_upload_read_search_and_delete_a_pdf(
    admin_client: TestClient, small_corpus: Path, tmp_path: Path
) -> None:
    before = admin_client.get("/healthz").json()["index_version"]
    # A path-like name is reduced to a safe base name inside the corpus folder.
    pdf = make_pdf(PILOT_LINES)
    fields = {"title": "Kế hoạch thí điểm bãi đỗ xe", "number": "12/KH-SGTVT", "issuer": "Sở GTVT"}
    job = added(admin_client, "../../Kế hoạch thử nghiệm.pdf", pdf, **fields)
    assert job["state"] == "done", job
    assert job["progress"] == 1.0 and job["error"] is None
    name = "ke-hoach-thu-nghiem.pdf"
    document = job["document"]
    assert document["source"] == name and document["title"] == fields["title"]
    assert document["chunk_count"] > 0 and document["tasks"] >= 0
    after = admin_client.get("/healthz").json()["index_version"]
    assert after != before
    assert (small_corpus / name).is_file()
    assert not (tmp_path / name).exists() and not (small_corpus.parent.parent / name).exists()
    # The form fields are the document's manifest entry.
    manifest = json.loads((small_corpus / "manifest.json").read_text(encoding="utf-8"))
    assert manifest[name] == fields
    assert REPORT_2023 in manifest  # the other entries are kept

    listed = [d["source"] for d in admin_client.get("/v1/documents").json()["documents"]]
    assert name in listed and REPORT_2023 in listed and LETTER_4709 in listed
    lines = admin_client.get(f"/v1/documents/{name}").json()["lines"]
    assert {line["page"] for line in lines} == {1}
    assert any("bãi đỗ xe thông minh" in line["text"] for line in lines)
    assert top_source(admin_client, "bãi đỗ xe thông minh Quận 1") == name
    assert_earlier_documents_serve(admin_client)

    # The same bytes under another name (409 at once), the same text re-exported (a new PDF
    # creation time: found by the job), another content under the same name (409 at once).
    again = upload(admin_client, "ban-sao.pdf", pdf)
    assert again.status_code == 409 and name in again.json()["detail"]
    regenerated = added(admin_client, "ban-sao.pdf", make_pdf(PILOT_LINES))
    assert regenerated["state"] == "failed" and name in regenerated["error"]
    same_name = upload(admin_client, "Kế hoạch thử nghiệm.pdf", make_pdf(PILOT_LINES[:2]))
    assert same_name.status_code == 409

    gone = deleted(admin_client, name)
    assert gone["state"] == "done", gone
    assert not (small_corpus / name).exists()
    assert name not in json.loads((small_corpus / "manifest.json").read_text(encoding="utf-8"))
    assert top_source(admin_client, "bãi đỗ xe thông minh Quận 1") != name
    assert admin_client.get(f"/v1/documents/{name}").status_code == 404
    assert admin_client.delete(f"/v1/documents/{name}").status_code == 404
    assert_earlier_documents_serve(admin_client)


def test_an_upload_without_fields_is_named_by_its_letterhead(
    admin_client: TestClient, small_corpus: Path
) -> None:
    """A DOCX plan uploaded with no title, number or date: questions naming it "KH 2025" or
    "kế hoạch số 1234" are asked of it, from the number and year printed on its first page."""
    job = added(admin_client, "kh-dong-nai.docx", plan_docx())
    assert job["state"] == "done", job
    for question in (
        "Theo KH 2025, ai chủ trì xây dựng Trung tâm giám sát điều hành thông minh?",
        "ke hoach so 1234 giao ai xay dung trung tam giam sat dieu hanh thong minh",
    ):
        body = admin_client.post("/v1/ask", json={"question": question}).json()
        assert not body["abstained"], body["answer"]
        assert "Sở Thông tin và Truyền thông" in body["answer"]
        assert {c["source"] for c in body["citations"]} == {"kh-dong-nai.docx"}
    # The 4709 letter keeps its curated names beside the upload's derived ones.
    body = admin_client.post("/v1/ask", json={"question": "cv 4709 gửi báo cáo qua đâu?"}).json()
    assert {c["source"] for c in body["citations"]} == {LETTER_4709}


def test_deleting_the_last_document_fails_its_job_and_changes_nothing(
    admin_client, small_corpus
) -> None:
    assert deleted(admin_client, LETTER_4709)["state"] == "done"
    version = admin_client.get("/healthz").json()["index_version"]
    last = deleted(admin_client, REPORT_2023)
    assert last["state"] == "failed" and "nothing usable" in last["error"]
    assert (small_corpus / REPORT_2023).is_file()
    assert admin_client.get("/healthz").json()["index_version"] == version
    assert top_source(admin_client, EARLIER[0][0]) == REPORT_2023


# Refused at once: the request itself says what is wrong.
BAD_UPLOADS = [
    ("bang-tinh.xlsx", b"PK\x03\x04 not really", 415, "không hỗ trợ"),
    ("../../chay.exe", b"MZ\x90\x00", 415, "unsupported file type"),
    ("hong.docx", b"this is not a zip archive", 422, "docx"),
    ("gia.pdf", b"<html>not a pdf</html>", 422, "pdf"),
    ("rong.txt", b"   \n\n  ", 422, "rỗng"),
    ("qua-lon.txt", "Sở Nội vụ chủ trì. ".encode() * 20_000, 413, "quá lớn"),
    ("ban-sao.txt", (CORPUS / REPORT_2023).read_bytes(), 409, REPORT_2023),
    (LETTER_4709, b"Noi dung khac, cung ten tep.\n", 409, LETTER_4709),
]
# Accepted, then failed by the worker with the loader's reason.
FAILING_JOBS = [
    ("hong.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage", "PDF"),
    ("ban-quet.pdf", None, "OCR"),
    ("latin.txt", windows_1258("Sở Nội vụ chủ trì rà soát"), "UTF-8"),
]


def test_bad_uploads_are_rejected_and_change_nothing(admin_client, small_corpus) -> None:
    version = admin_client.get("/healthz").json()["index_version"]
    files_before = sorted(p.name for p in small_corpus.iterdir())
    for name, data, status, fragment in BAD_UPLOADS:
        response = upload(admin_client, name, data)
        assert response.status_code == status, (name, response.text)
        assert fragment.lower() in response.json()["detail"].lower(), (name, response.text)
    for name, data, fragment in FAILING_JOBS:
        job = added(admin_client, name, make_scanned_pdf() if data is None else data)
        assert job["state"] == "failed", (name, job)
        assert fragment.lower() in job["error"].lower(), (name, job)
    assert sorted(p.name for p in small_corpus.iterdir()) == files_before
    assert admin_client.get("/healthz").json()["index_version"] == version
    assert_earlier_documents_serve(admin_client)


def test_upload_needs_a_file_and_an_admin(admin_client) -> None:
    assert admin_client.post("/v1/documents").status_code == 422
    reader = upload_as(admin_client, READ_KEY)
    assert reader.status_code == 403


def upload_as(client: TestClient, key: str):
    return client.post(
        "/v1/documents",
        files={"file": ("x.txt", "Sở Nội vụ".encode(), "text/plain")},
        headers={"X-API-Key": key},
    )


def test_document_line_range_for_citation_viewers(client) -> None:
    source = "phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt"
    body = client.get(f"/v1/documents/{source}", params={"start": 903, "end": 907}).json()
    assert [line["n"] for line in body["lines"]] == [903, 904, 905, 906, 907]
    assert body["document"]["line_count"] > 15000
    assert client.get(f"/v1/documents/{source}", params={"start": 0}).status_code == 422
