"""Tables -> blocks: task rows with their fields by column role, or labelled text rows.

A table whose header names a task (see ``ingest/data/columns.json``) yields one ``row``
block per data row, its cells keyed by role so task extraction needs no guessing by
position; any other table stays searchable as prose, one block per row, each cell led
by its column name. Group rows become the section of the rows under them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.columns import ColumnVocabulary
from ingest.tables import group_title, row_label
from rag.schemas import Block, Table, TableRow


@dataclass(frozen=True)
class TableSummary:
    """What ingest says about one table: where it is and whether it became tasks."""

    name: str
    rows: int
    tasks: bool


def table_name(table: Table, position: int) -> str:
    """'bảng 2 (trang 3, dòng 5): TT | Dịch vụ | Tổng số hồ sơ' — how reports name a table."""
    place = (
        f"trang {table.page}, dòng {table.line_start}" if table.page else f"dòng {table.line_start}"
    )
    header = " | ".join(cell for cell in table.header if cell)[:120]
    return f"bảng {position} ({place})" + (f": {header}" if header else "")


def role_fields(cells: Sequence[str], roles: Sequence[str | None]) -> dict[str, str]:
    """Cells keyed by column role; columns sharing a role are joined in column order."""
    fields: dict[str, str] = {}
    for cell, role in zip(cells, roles, strict=False):
        if role and role != "row" and cell:
            fields[role] = f"{fields[role]} {cell}".strip() if role in fields else cell
    return fields


def labelled_text(cells: Sequence[str], header: Sequence[str]) -> str:
    pairs = []
    for index, cell in enumerate(cells):
        if not cell:
            continue
        name = header[index] if index < len(header) else ""
        pairs.append(f"{name}: {cell}" if name else cell)
    return "; ".join(pairs)


def _block(
    source: str, printed: TableRow, kind: str, path: tuple[str, ...], text: str, **extra
) -> Block:
    return Block(
        source=source,
        kind=kind,
        section=path[-1] if path else "",
        text=text,
        line_start=printed.line_start,
        line_end=printed.line_end,
        page=printed.page,
        section_path=path,
        **extra,
    )


def table_blocks(
    source: str,
    table: Table,
    base_path: tuple[str, ...],
    vocabulary: ColumnVocabulary,
    name: str,
) -> list[Block]:
    roles = vocabulary.roles_of(table.header)
    is_tasks = vocabulary.is_task_table(roles)
    blocks: list[Block] = []
    path = base_path
    for row in table.rows:
        if row.group:
            path = (*base_path, group_title(row))
            blocks.append(_block(source, row, "prose", path, group_title(row)))
            continue
        text = labelled_text(row.cells, table.header)
        if not is_tasks:
            blocks.append(_block(source, row, "prose", path, text))
            continue
        blocks.append(
            _block(
                source,
                row,
                "row",
                path,
                text,
                row=row_label(row, roles) or None,
                table=name,
                cells=row.cells,
                fields=role_fields(row.cells, roles),
            )
        )
    return blocks
