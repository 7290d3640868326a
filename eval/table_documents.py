"""Rebuild the shipped task tables as documents users upload: PDF (ruled or unruled,
landscape, header repeated on every page, rows split across page breaks, page numbers in
the footer) and DOCX (a Word table with merged group rows).

Used by ``eval/table_uploads.py`` and by the ingest tests. The rows come from the text
exports through the real pipeline, so the rebuilt tables hold what the exports hold.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.shared import Cm
from fpdf import FPDF

from rag.schemas import TaskRecord

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PLAN_HEADER = (
    "TT",
    "Nội dung, nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm",
)
RESULTS_HEADER = (
    "STT",
    "Nội dung, nhiệm vụ",
    "Văn bản chỉ đạo",
    "Đơn vị thực hiện",
    "Thời gian hoàn thành",
    "Kết quả thực hiện",
)
# Column widths in mm on landscape A4 (277 mm between margins).
WIDTHS = (12.0, 95.0, 45.0, 50.0, 32.0, 43.0)
LINE_HEIGHT = 4.6
FONT_SIZE = 8.5
PAGE_BOTTOM = 190.0  # landscape A4 is 210 mm tall; the footer sits below


@dataclass(frozen=True)
class SourceTable:
    """Title, header and rows (group rows hold one cell) of a table to rebuild."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _with_groups(tasks: Sequence[TaskRecord], cells_of) -> tuple[tuple[str, ...], ...]:
    rows: list[tuple[str, ...]] = []
    section = None
    for task in tasks:
        if task.section and task.section != section:
            rows.append((task.section,))
        section = task.section
        rows.append(cells_of(task))
    return tuple(rows)


def plan_table(title: str, tasks: Sequence[TaskRecord]) -> SourceTable:
    """The 2024 plan's appendix: one column per role."""

    def cells(task: TaskRecord) -> tuple[str, ...]:
        return (
            task.row,
            task.text,
            ", ".join(task.lead_units),
            ", ".join(task.coordinating_units),
            task.deadline.text,
            task.product or "",
        )

    return SourceTable(title, PLAN_HEADER, _with_groups(tasks, cells))


def results_table(title: str, tasks: Sequence[TaskRecord]) -> SourceTable:
    """A results appendix: units in one column, "phối hợp" before the coordinating ones."""

    def cells(task: TaskRecord) -> tuple[str, ...]:
        units = ", ".join(task.lead_units)
        if task.coordinating_units:
            units += " phối hợp " + ", ".join(task.coordinating_units)
        return (
            task.row,
            task.text,
            "; ".join(task.directives),
            units,
            task.deadline.text,
            task.result or "",
        )

    return SourceTable(title, RESULTS_HEADER, _with_groups(tasks, cells))


# --- PDF ---------------------------------------------------------------------------------


class _NumberedPdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=9)
        self.cell(0, 6, str(self.page_no()), align="C")


def _new_pdf() -> _NumberedPdf:
    pdf = _NumberedPdf(orientation="L", format="A4")
    pdf.add_font("DejaVu", fname=str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    pdf.set_margins(10, 12, 10)
    pdf.add_page()
    return pdf


def _wrapped(pdf: FPDF, text: str, width: float) -> list[str]:
    if not text:
        return [""]
    return pdf.multi_cell(width - 2, LINE_HEIGHT, text, dry_run=True, output="LINES")


def _draw_lines(pdf: FPDF, columns: Sequence[list[str]], widths, ruled: bool) -> None:
    top = pdf.get_y()
    height = max(len(c) for c in columns) * LINE_HEIGHT + 1.5
    x = pdf.l_margin
    for lines, width in zip(columns, widths, strict=True):
        for index, line in enumerate(lines):
            pdf.set_xy(x + 1, top + 0.75 + index * LINE_HEIGHT)
            pdf.cell(width - 2, LINE_HEIGHT, line)
        if ruled:
            pdf.rect(x, top, width, height)
        x += width
    pdf.set_xy(pdf.l_margin, top + height)


def _header(pdf: FPDF, table: SourceTable, ruled: bool) -> None:
    pdf.set_font("DejaVu", style="B", size=FONT_SIZE)
    columns = [_wrapped(pdf, cell, w) for cell, w in zip(table.header, WIDTHS, strict=True)]
    _draw_lines(pdf, columns, WIDTHS, ruled)
    pdf.set_font("DejaVu", size=FONT_SIZE)


def _row(
    pdf: FPDF, table: SourceTable, cells: tuple[str, ...], ruled: bool, repeat_header: bool
) -> None:
    if len(cells) == 1:  # a group row spans the table
        widths = (sum(WIDTHS),)
        pdf.set_font("DejaVu", style="B", size=FONT_SIZE)
        columns = [_wrapped(pdf, cells[0], widths[0])]
    else:
        widths = WIDTHS
        columns = [_wrapped(pdf, cell, w) for cell, w in zip(cells, WIDTHS, strict=True)]
    while True:
        room = int((PAGE_BOTTOM - pdf.get_y() - 1.5) // LINE_HEIGHT)
        needed = max(len(c) for c in columns)
        if needed <= room:
            _draw_lines(pdf, columns, widths, ruled)
            break
        if room >= 2 and len(cells) > 1:
            # Long rows run on over the page break, as word processors print them.
            _draw_lines(pdf, [c[:room] for c in columns], widths, ruled)
            columns = [c[room:] or [""] for c in columns]
        pdf.add_page()
        if repeat_header:
            _header(pdf, table, ruled)
        if len(cells) == 1:
            pdf.set_font("DejaVu", style="B", size=FONT_SIZE)
    pdf.set_font("DejaVu", size=FONT_SIZE)


def table_pdf(
    table: SourceTable,
    *,
    ruled: bool = True,
    repeat_header: bool = True,
    prose: Sequence[str] = (),
) -> bytes:
    """A landscape PDF: title, optional prose paragraphs, then the table (its header
    printed again on every page unless ``repeat_header`` is off)."""
    pdf = _new_pdf()
    pdf.set_font("DejaVu", style="B", size=11)
    pdf.multi_cell(0, 6, table.title, align="C")
    pdf.ln(2)
    pdf.set_font("DejaVu", size=10)
    for paragraph in prose:
        pdf.multi_cell(0, 5, paragraph)
        pdf.ln(1)
    pdf.ln(2)
    _header(pdf, table, ruled)
    for cells in table.rows:
        _row(pdf, table, cells, ruled, repeat_header)
    return bytes(pdf.output())


def prose_pdf(paragraphs: Sequence[str], pages: int) -> bytes:
    """Portrait pages of prose only, numbered in the footer."""
    pdf = _NumberedPdf(format="A4")
    pdf.add_font("DejaVu", fname=str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=11)
    for _ in range(pages):
        pdf.add_page()
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(2)
    return bytes(pdf.output())


# --- DOCX --------------------------------------------------------------------------------


def table_docx(table: SourceTable, *, prose: Sequence[str] = ()) -> bytes:
    """A Word document: title, prose, then the table with group rows merged across it."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_paragraph(table.title)
    for paragraph in prose:
        document.add_paragraph(paragraph)
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = text
    for cells in table.rows:
        row = grid.add_row()
        if len(cells) == 1:
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = cells[0]
            continue
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    for column, width in zip(grid.columns, WIDTHS, strict=True):
        column.width = Cm(width / 10)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
