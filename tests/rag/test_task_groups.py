"""Groups and parts of task tables, from section headings and restarted numbering."""

from __future__ import annotations

import pytest

from rag.schemas import Deadline, TaskRecord
from rag.task_groups import derive_groups, heading_of, part_from_units, read_groups, write_groups
from rag.taskstore import TaskStore


def task(source: str, section: str, row: str, lead: list[str], line: int) -> TaskRecord:
    return TaskRecord(
        id=f"{source}:{line}", source=source, section=section, row=row, text=f"Nhiệm vụ {row}",
        lead_units=lead, deadline=Deadline(text=""), line_start=line, line_end=line,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        (
            "V. HOÀN THIỆN HỆ SINH THÁI PHỤC VỤ KẾT NỐI, KHAI THÁC, BỔ SUNG LÀM GIÀU DỮ LIỆU DÂN CƯ (13 NHIỆM VỤ)",
            ("V", "HOÀN THIỆN HỆ SINH THÁI PHỤC VỤ KẾT NỐI, KHAI THÁC, BỔ SUNG LÀM GIÀU DỮ LIỆU DÂN CƯ"),
        ),
        ("C Nhiệm vụ của các địa phương", ("C", "Nhiệm vụ của các địa phương")),
        ("II. Nhiệm vụ cụ thể của các Bộ, ngành", ("II", "Nhiệm vụ cụ thể của các Bộ, ngành")),
        ("PHỤ LỤC I", None),
        ("ĐÁNH GIÁ 25 DỊCH VỤ CÔNG THIẾT YÊU THEO ĐỀ ÁN 06", None),
    ],
)  # fmt: skip
def test_heading_of(section: str, expected) -> None:
    assert heading_of(section) == expected


@pytest.mark.parametrize(
    ("units", "part"),
    [
        (["Các bộ, ngành, địa phương"], "common"),
        (["UBND 63 địa phương"], "local"),
        (["UBND thành phố Hà Nội", "TP Hồ Chí Minh"], "local"),
        (["Bộ Tư pháp"], "ministries"),
        (["UBND các tỉnh, thành phố", "Bộ Tư pháp"], "ministries"),
    ],
)
def test_part_from_units(units: list[str], part: str) -> None:
    assert part_from_units(units) == part


def test_restarted_numbering_without_heading_makes_parts() -> None:
    source = "phu-luc-1.txt"
    rows = [
        task(source, "PHỤ LỤC I", "1", ["Các bộ, ngành, địa phương"], 10),
        task(source, "PHỤ LỤC I", "2", ["Các bộ, ngành, địa phương"], 20),
        task(source, "PHỤ LỤC I", "1", ["UBND 63 địa phương"], 30),
        task(source, "PHỤ LỤC I", "2", ["UBND 63 địa phương"], 40),
    ]
    groups = derive_groups(rows)
    assert [groups[r.id].part_number for r in rows] == ["1", "1", "2", "2"]
    assert [groups[r.id].part for r in rows] == ["common", "common", "local", "local"]


def test_headed_groups_and_storage(tmp_path) -> None:
    source = "phu-luc-03.txt"
    rows = [
        task(source, "A Nhiệm vụ chung của các bộ, ngành, địa phương", "1", ["Các bộ, ngành"], 5),
        task(source, "B Nhiệm vụ cụ thể của các bộ, ngành", "1", ["Bộ Công an"], 15),
        task(source, "C Nhiệm vụ của các địa phương", "1", ["UBND các địa phương"], 25),
        task("plain.txt", "PHỤ LỤC", "1", [], 1),  # one unheaded segment: no group
    ]
    path = tmp_path / "tasks.sqlite"
    write_groups(path, rows)
    store = TaskStore(path)
    stored = read_groups(store, {r.id: r.source for r in rows})
    store.close()
    assert [stored[r.id].key for r in rows[:3]] == ["A", "B", "C"]
    assert [stored[r.id].part for r in rows[:3]] == ["common", "ministries", "local"]
    assert rows[3].id not in stored
