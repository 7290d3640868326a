"""The task registry over a ``tasks.sqlite`` file written in the test: lookups by chunk
position and what a closed store answers."""

from __future__ import annotations

from datetime import date

import pytest

from rag.schemas import Deadline, TaskRecord
from rag.taskstore import RegistryClosed, TaskStore, write_tasks

PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
# Row 04 of the shipped 2024 plan's appendix (lines 223-228).
IOC = TaskRecord(
    id=f"{PLAN}:223", source=PLAN, section="I. VỀ CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", row="04",
    text="Xây dựng, triển khai Trung tâm điều hành thông minh Thành phố (IOC)",
    lead_units=["Sở Thông tin và Truyền thông"],
    coordinating_units=["Các sở, ban, ngành, địa phương"],
    deadline=Deadline(
        text="Quý II/2024", start=date(2024, 4, 1), end=date(2024, 6, 30), kind="range"
    ),
    line_start=223, line_end=228,
)  # fmt: skip


@pytest.fixture()
def store(tmp_path):
    path = tmp_path / "tasks.sqlite"
    write_tasks(path, [IOC])
    opened = TaskStore(path)
    yield opened
    opened.close()


def test_task_at_a_position_inside_its_row(store: TaskStore) -> None:
    assert store.at(PLAN, None, 225) == IOC
    assert store.at(PLAN, None, 225) == IOC  # answered again from the memo
    assert store.at(PLAN, None, 229) is None


def test_every_lookup_after_close_raises_remembered_positions_too(store: TaskStore) -> None:
    assert store.at(PLAN, None, 225) == IOC  # remembered before the close
    assert store.at(PLAN, None, 229) is None  # a remembered miss
    store.close()
    for lookup in (
        lambda: store.at(PLAN, None, 225),
        lambda: store.at(PLAN, None, 229),
        lambda: store.at(PLAN, None, 300),
        lambda: store.get(IOC.id),
        lambda: store.count(),
    ):
        with pytest.raises(RegistryClosed):
            lookup()
    assert not store._at  # the memo does not keep a retired version's rows alive
