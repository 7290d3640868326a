"""Cross-document task links: similarity on normalized text, storage, disagreements."""

from __future__ import annotations

import sqlite3
from datetime import date

from rag.links import conflicts, disagreements, link_tasks, read_links, write_links
from rag.schemas import Deadline, TaskRecord
from rag.taskstore import TaskStore

PLAN, PL3 = "ke-hoach.txt", "phu-luc-03.txt"


def task(source, line, text, lead=(), deadline="", end=None, kind="unspecified", status="unknown"):
    return TaskRecord(
        id=f"{source}:{line}", source=source, section="", row=str(line), text=text,
        lead_units=list(lead), directives=["Chỉ thị 04/CT-TTg ngày 11/02/2024"],
        deadline=Deadline(text=deadline, end=end, kind=kind), status=status,
        line_start=line, line_end=line,
    )  # fmt: skip


ROWS = [
    # Strings from the shipped plan and Phụ lục 03: the same task, punctuated differently.
    task(PLAN, 1, "Kết nối, chia sẻ dữ liệu giữa CSDLQG về dân cư với CSDL công bố bản án, quyết định của Tòa án",
         ["Tòa án nhân dân Thành phố"], "Quý II/2024", date(2024, 6, 30), "range", "unknown"),
    task(PL3, 1, "Kết nối, chia sẻ dữ liệu giữa CSDLQG về dân cư với CSDL công bố bản án, quyết định của Tòa án.",
         ["Tòa án nhân dân tối cao"], "Tháng 12/2024", date(2024, 12, 31), "range", "đang triển khai"),
    task(PLAN, 2, "Bố trí kinh phí để triển khai Đề án 06 đảm bảo hiệu quả, đồng bộ", ["Sở Tài chính"]),
    task(PL3, 2, "Bố trí kinh phí triển khai Đề án 06 đảm bảo hiệu quả, đồng bộ", ["Sở Tài chính"]),
    task(PL3, 3, "Hướng dẫn các trường học thực hiện thu phí không dùng tiền mặt", ["UBND các địa phương"]),
]  # fmt: skip


def test_same_task_links_and_different_tasks_do_not() -> None:
    pairs = {(link.task_id, link.other_id) for link in link_tasks(ROWS)}
    assert (f"{PLAN}:1", f"{PL3}:1") in pairs and (f"{PL3}:1", f"{PLAN}:1") in pairs
    assert (f"{PLAN}:2", f"{PL3}:2") in pairs
    assert not any(f"{PL3}:3" in pair for pair in pairs)


def test_disagreements_name_the_fields() -> None:
    assert disagreements(ROWS[0], ROWS[1]) == ["deadline", "lead"]
    assert disagreements(ROWS[2], ROWS[3]) == []  # blank deadlines and statuses are no conflict
    recurring = task(PL3, 9, "x", deadline="Thường xuyên", kind="recurring")
    assert disagreements(ROWS[0], recurring) == ["deadline"]


def test_links_stored_and_conflicts_listed_once(tmp_path) -> None:
    path = tmp_path / "tasks.sqlite"
    assert write_links(path, ROWS) == 4  # two pairs, both directions
    store = TaskStore(path)
    links = read_links(store)
    store.close()
    found = conflicts({t.id: t for t in ROWS}, links)
    assert [(c.field, c.task.source, c.other.source) for c in found] == [
        ("deadline", PLAN, PL3),
        ("lead", PLAN, PL3),
    ]


def test_index_without_links_reads_empty(tmp_path) -> None:
    sqlite3.connect(tmp_path / "old.sqlite").close()
    store = TaskStore(tmp_path / "old.sqlite")
    assert read_links(store) == {}
    store.close()
