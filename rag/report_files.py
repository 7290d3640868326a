"""Report drafts as files: DOCX (python-docx, a ruled table as in the 4709 templates) and CSV
(UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese correctly)."""

from __future__ import annotations

import csv
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from rag.report_drafts import ReportDraft

BODY_FONT_PT = 9


def _heading_lines(draft: ReportDraft) -> list[str]:
    who = draft.unit or "Tất cả đơn vị"
    day = f"{draft.as_of.day:02d}/{draft.as_of.month:02d}/{draft.as_of.year}"
    return [f"Đơn vị: {who}", f"Số liệu tính đến ngày {day} (bản nháp lập từ sổ nhiệm vụ)"]


def draft_csv(draft: ReportDraft) -> bytes:
    """One header row, then a row per group heading (label, title) and per task."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([draft.template.title])
    for line in _heading_lines(draft):
        writer.writerow([line])
    writer.writerow(draft.headers)
    for group in draft.groups:
        writer.writerow([group.label, group.title])
        writer.writerows(group.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def draft_docx(draft: ReportDraft) -> bytes:
    document = Document()
    section = document.sections[0]
    # The templates are wide tables; the letter issues them in landscape.
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading(draft.template.title, level=1)
    for line in _heading_lines(draft):
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=len(draft.headers))
    table.style = "Table Grid"
    for position, header in enumerate(draft.headers):
        table.rows[0].cells[position].text = header
    for group in draft.groups:
        heading = table.add_row().cells
        heading[0].text = group.label
        merged = heading[1].merge(heading[-1])
        merged.text = group.title
        for values in group.rows:
            cells = table.add_row().cells
            for position, value in enumerate(values):
                cells[position].text = value
    for row in table.rows:
        for table_cell in row.cells:
            for paragraph in table_cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(BODY_FONT_PT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
