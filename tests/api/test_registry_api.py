"""Task links, conflicts and 4709 report drafts over HTTP (TestClient on the session index);
the DOCX is opened with python-docx and its rows checked."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document

UNIT = "Công an Thành phố"


def test_task_with_linked_rows(client) -> None:
    conflicts = client.get("/v1/conflicts").json()
    assert conflicts["count"] == len(conflicts["conflicts"]) > 0
    first = conflicts["conflicts"][0]
    assert first["field"] in ("deadline", "lead", "status")
    assert first["task"]["source"] != first["other"]["source"]

    body = client.get(f"/v1/tasks/{first['task']['id']}").json()
    assert body["task"]["id"] == first["task"]["id"]
    linked_ids = {t["id"] for t in body["linked"]}
    assert first["other"]["id"] in linked_ids
    assert {"field": first["field"], "other_id": first["other"]["id"]} in body["conflicts"]


def test_unknown_task_is_404_and_views_keep_their_routes(client) -> None:
    response = client.get("/v1/tasks/khong-co")
    assert response.status_code == 404
    assert "Không có nhiệm vụ" in response.json()["detail"]
    assert client.get("/v1/tasks/upcoming?as_of=2024-06-01").status_code == 200
    assert client.get("/v1/tasks/overdue?as_of=2024-06-01").status_code == 200


def test_report_docx_rows(client) -> None:
    response = client.get("/v1/reports/01", params={"unit": "catp", "as_of": "2024-08-15"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    document = Document(io.BytesIO(response.content))
    table = document.tables[0]
    headers = [c.text for c in table.rows[0].cells]
    assert headers[:5] == [
        "STT",
        "Nội dung, nhiệm vụ",
        "Văn bản chỉ đạo",
        "Đơn vị thực hiện",
        "Thời gian hoàn thành",
    ]
    assert headers[-1] == "Nguy cơ"
    task_rows = [r for r in table.rows[1:] if r.cells[0].text.isdigit()]
    assert len(task_rows) == int(response.headers["x-report-rows"]) > 0
    # Every row involves the unit; overdue rows say so with their deadline.
    tasks = client.get("/v1/tasks", params={"unit": UNIT}).json()["tasks"]
    coordinating = client.get("/v1/tasks", params={"unit": UNIT, "role": "coordinating"}).json()
    texts = {" ".join(t["text"].split()) for t in tasks + coordinating["tasks"]}
    assert all(r.cells[1].text in texts for r in task_rows)
    overdue = client.get("/v1/tasks/overdue", params={"unit": UNIT, "as_of": "2024-08-15"}).json()
    flagged = [r for r in task_rows if r.cells[-1].text.startswith("Quá hạn")]
    assert len(flagged) >= 1 or overdue["count"] == 0
    assert any(UNIT in p.text for p in document.paragraphs)


def test_report_csv_and_nq175_template(client) -> None:
    response = client.get("/v1/reports/2", params={"as_of": "2024-06-30", "format": "csv"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[3][:3] == ["STT", "Đơn vị chủ trì", "Nhiệm vụ"]
    task_rows = [r for r in rows[4:] if r and r[0].isdigit()]
    assert len(task_rows) == int(response.headers["x-report-rows"]) > 0
    assert all("175" in r[4] for r in task_rows)


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/v1/reports/09", {}, 404, "Không có mẫu báo cáo"),
        ("/v1/reports/01", {"unit": "khong co don vi nay"}, 422, "Không nhận ra đơn vị"),
        ("/v1/reports/01", {"as_of": "15/8/2024"}, 422, "as_of"),
        ("/v1/reports/01", {"format": "pdf"}, 422, "docx"),
    ],
)
def test_report_bad_input(client, path, params, status, words) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert words in response.json()["detail"]
