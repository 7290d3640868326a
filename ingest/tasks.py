"""Table rows -> task records (who leads, who coordinates, which document, deadline, status).

Two shapes reach this module: rows whose column boundaries survived the export (tab- or
cell-delimited: the 2024 plan's appendix and the 4709 letter's templates) and rows from
PDF exports where every cell fragment sits on its own line (the two results appendices).
For the latter the columns are recovered from the fragments' order and shape: task text,
then directing documents, then units, then the deadline, then the result.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from rag.deadlines import parse_deadline
from rag.schemas import Block, Deadline, LoadedDocument, TaskRecord
from rag.text import fold, normalize
from rag.units import split_units

PLAN_COLUMNS = ("row", "text", "lead", "coordinating", "deadline", "product")

_DIRECTIVE_START = re.compile(
    r"^[-–•+]?\s*(\(\d+\)\s*)?(quyet dinh|qd|thong bao|tb|chi thi|ct|cong van|cv|van ban|nghi quyet|nq|"
    r"nghi dinh|nd|ket luan|ke hoach|to trinh|luat|thong tu|g\d+|chuong trinh|y kien|chi dao|"
    r"bao cao|de an|phien hop|hoi nghi|thu tuong)\b"
)
_UNIT_START = re.compile(
    r"^[-–•+]?\s*(\(\d+\)\s*)?(cac bo|bo |bo,|ubnd|uy ban|so |cong an|van phong|toa an|ngan hang|"
    r"bao hiem|ban co yeu|ban chi dao|to cong tac|cac dia phuong|dia phuong|cac tinh|vpcp|bca|"
    r"thanh tra|dai |vien |tap doan|cuc |tong cuc|cac co quan|cac so|vtv|vov|hoi dong|"
    r"trung tam|buu dien|thanh uy|tong cong ty|cong ty|63 dia phuong)"
)
_STATUS_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bchua hoan thanh\b"), "chưa hoàn thành"),
    (re.compile(r"\bdang (trien khai|thuc hien|xay dung|hoan thien)\b"), "đang triển khai"),
    (re.compile(r"\b(da )?hoan thanh\b"), "hoàn thành"),
    (re.compile(r"\bthuong xuyen\b"), "thường xuyên"),
)
_STATUS_START = re.compile(
    r"^(da hoan thanh|hoan thanh|chua hoan thanh|dang trien khai|dang thuc hien|dang|"
    r"thuc hien thuong xuyen|da trien khai|da ban hanh|da co|chua)\b"
)
_DEADLINE_INSIDE = re.compile(
    r"\b((trong )?(quy [ivx\d]+|thang \d{1,2})(/| nam )\d{4}|\d{1,2}/\d{1,2}/\d{4}|"
    r"(trong )?nam 20\d\d|theo lo trinh|theo tien do|thuong xuyen)"
)


def task_id(source: str, page: int | None, line_start: int) -> str:
    return hashlib.sha256(f"{source}:{page}:{line_start}".encode()).hexdigest()[:12]


def status_of(text: str) -> str:
    folded = fold(text)
    for pattern, status in _STATUS_PATTERNS:
        if pattern.search(folded):
            return status
    return "unknown"


def _is_deadline_fragment(fragment: str) -> bool:
    folded = fold(fragment).strip(" ()")
    if not folded or len(folded) > 60:
        return False
    if folded.startswith(("theo lo trinh", "theo tien do", "trong qua trinh", "truoc ")):
        return True
    parsed = parse_deadline(fragment)
    return parsed.kind != "unspecified" and len(re.sub(r"[\d/\s.,-]", "", folded)) < 30


def _fields_from_cells(block: Block) -> dict[str, str]:
    """Cells whose boundaries are known: classify each by shape (works for any column order)."""
    cells = [normalize(c) for c in block.cells[1:]]
    fields: dict[str, str] = {}
    if len(block.cells) == len(PLAN_COLUMNS):
        return dict(zip(PLAN_COLUMNS[1:], cells, strict=True))
    longest = max(cells, key=len, default="")
    fields["text"] = longest
    for cell in cells:
        if not cell or cell == longest:
            continue
        folded = fold(cell)
        if _DIRECTIVE_START.match(folded) or re.search(r"\b(nq|ct)\s*\d+", folded):
            fields.setdefault("directives", cell)
        elif _UNIT_START.match(folded):
            key = "lead" if "lead" not in fields else "coordinating"
            fields.setdefault(key, cell)
        elif _is_deadline_fragment(cell):
            fields.setdefault("deadline", cell)
        elif status_of(cell) != "unknown":
            fields.setdefault("result", cell)
    return fields


def _row_fragments(doc: LoadedDocument, block: Block) -> list[str]:
    page = next((p for p in doc.pages if p.number == block.page), doc.pages[0])
    lines = page.lines[block.line_start - 1 : block.line_end]
    fragments = [normalize(line) for line in lines]
    fragments = [f for f in fragments if f]
    if fragments and fragments[0].strip() == (block.row or "").strip():
        fragments = fragments[1:]
    return fragments


TEXT, DIRECTIVE, UNIT, DEADLINE, RESULT = range(5)
_FIELD_OF_STATE = {
    TEXT: "text",
    DIRECTIVE: "directives",
    UNIT: "lead",
    DEADLINE: "deadline",
    RESULT: "result",
}


def _split_unit_tail(fragment: str) -> tuple[str, str, str]:
    """'UBND 63 địa phương Tháng 10/2024 Đã hoàn thành …' -> (unit, deadline, result)."""
    folded = fold(fragment)
    deadline_match = _DEADLINE_INSIDE.search(folded)
    status_match = re.search(
        r"\b(da hoan thanh|hoan thanh|chua hoan thanh|dang trien khai)\b", folded
    )
    cut_points = [m.start() for m in (deadline_match, status_match) if m]
    if not cut_points:
        return fragment, "", ""
    unit = fragment[: min(cut_points)].strip()
    deadline = ""
    result = ""
    if deadline_match and (not status_match or deadline_match.start() < status_match.start()):
        end = status_match.start() if status_match else len(fragment)
        deadline = fragment[deadline_match.start() : end].strip()
    if status_match:
        result = fragment[status_match.start() :].strip()
    return unit, deadline, result


def _fields_from_fragments(fragments: Sequence[str]) -> dict[str, str]:
    """Walk the fragments in column order; a column only ever moves forward."""
    parts: dict[int, list[str]] = {s: [] for s in _FIELD_OF_STATE}
    state = TEXT
    for index, fragment in enumerate(fragments):
        folded = fold(fragment)
        if state < RESULT and state >= UNIT and _STATUS_START.match(folded):
            state = RESULT
        elif state < DEADLINE and state >= DIRECTIVE and _is_deadline_fragment(fragment):
            state = DEADLINE
        elif state in (DIRECTIVE, TEXT) and index > 0 and _UNIT_START.match(folded):
            if state == DIRECTIVE or len(fragment) <= 60:
                state = UNIT
        elif state == TEXT and index > 0 and _DIRECTIVE_START.match(folded):
            state = DIRECTIVE
        elif state == DEADLINE and not _is_deadline_fragment(fragment) and index > 0:
            state = RESULT
        if state == UNIT:
            unit, deadline, result = _split_unit_tail(fragment)
            parts[UNIT].append(unit)
            if deadline:
                parts[DEADLINE].append(deadline)
                state = DEADLINE
            if result:
                parts[RESULT].append(result)
                state = RESULT
            continue
        parts[state].append(fragment)
    return {_FIELD_OF_STATE[s]: " ".join(v).strip() for s, v in parts.items() if v}


def _directives(text: str) -> list[str]:
    if not text:
        return []
    pieces = re.split(r"\s*(?:;|\s-\s|^-\s*|\(\d+\))\s*", text)
    return [p.strip(" -;,") for p in pieces if p and p.strip(" -;,")]


def _units(text: str) -> list[str]:
    return split_units(text) if text else []


def extract_tasks(doc: LoadedDocument, blocks: Sequence[Block], title: str) -> list[TaskRecord]:
    tasks = []
    for block in blocks:
        if block.kind != "row":
            continue
        if block.cells:
            fields = _fields_from_cells(block)
        else:
            fields = _fields_from_fragments(_row_fragments(doc, block))
        tasks.append(_record(block, title, fields))
    return tasks


def _record(block: Block, title: str, fields: dict[str, str]) -> TaskRecord:
    lead_text = fields.get("lead", "")
    coordinating = _units(fields.get("coordinating", ""))
    folded_lead = fold(lead_text)
    if " phoi hop " in f" {folded_lead} " and not coordinating:
        # "Bộ Xây dựng phối hợp Bộ Công an, …" puts both roles in one cell.
        cut = folded_lead.index("phoi hop")
        coordinating = _units(lead_text[cut + len("phối hợp") :])
        lead_text = lead_text[:cut]
    result = fields.get("result") or None
    deadline_text = fields.get("deadline", "")
    deadline = parse_deadline(deadline_text) if deadline_text else Deadline(text="")
    status = status_of(result) if result else "unknown"
    if status == "unknown" and deadline.kind == "recurring" and block.cells:
        status = "thường xuyên"
    return TaskRecord(
        id=task_id(block.source, block.page, block.line_start),
        source=block.source,
        title=title,
        section=block.section,
        row=block.row or "",
        text=fields.get("text") or block.text,
        lead_units=_units(lead_text),
        coordinating_units=coordinating,
        directives=_directives(fields.get("directives", "")),
        deadline=deadline,
        product=fields.get("product") or None,
        status=status,
        result=result,
        page=block.page,
        line_start=block.line_start,
        line_end=block.line_end,
    )
