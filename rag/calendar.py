"""Task deadlines as an RFC 5545 calendar (one all-day event per dated task)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from rag.schemas import TaskRecord

PRODUCT_ID = "-//Tro ly De an 06//Han nhiem vu//VI"


def task_event(task: TaskRecord, stamp: datetime) -> Event | None:
    if task.deadline.end is None or task.deadline.kind not in ("date", "range"):
        return None
    event = Event()
    event.add("uid", f"{task.id}@da06")
    event.add("dtstamp", stamp)
    event.add("dtstart", task.deadline.end)
    event.add("dtend", task.deadline.end + timedelta(days=1))
    event.add("summary", f"Hạn: {task.text[:120]}")
    lines = [
        task.text,
        f"Chủ trì: {', '.join(task.lead_units) or 'không rõ'}",
        f"Phối hợp: {', '.join(task.coordinating_units) or 'không rõ'}",
        f"Thời hạn: {task.deadline.text}",
        f"Văn bản chỉ đạo: {'; '.join(task.directives) or 'không rõ'}",
        f"Tình trạng: {task.status}",
        f"Nguồn: {task.title} ({task.source}), STT {task.row}, dòng {task.line_start}–{task.line_end}",
    ]
    event.add("description", "\n".join(lines))
    event.add("categories", [task.status])
    return event


def tasks_calendar(tasks: Iterable[TaskRecord], name: str = "Hạn nhiệm vụ Đề án 06") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for task in tasks:
        event = task_event(task, stamp)
        if event is not None:
            calendar.add_component(event)
    return calendar.to_ical()
