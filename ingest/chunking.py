"""Blocks -> chunks: one chunk per table row, section-aligned chunks for prose.

Row chunks repeat the document title, section and column labels so that a single
retrieved chunk answers "who owns / when is it due". Budgets are counted with
tiktoken but text is only ever cut at sentence or word boundaries (cutting token
sequences splits multi-byte Vietnamese characters).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from rag.schemas import Block, Chunk, TaskRecord
from rag.tokens import count_tokens

_SENTENCE_END = re.compile(r"(?<=[.;:!?…])\s+|\s+(?=- )|\s+(?=\+ )")
# About 100 word pieces of Vietnamese: the row's key fields first, the rest is lexical-only.
DENSE_CHAR_BUDGET = 300


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def split_to_budget(text: str, max_tokens: int) -> list[str]:
    """Split text at sentence boundaries (then at spaces) so each piece fits the budget."""
    if count_tokens(text) <= max_tokens:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _sentences(text, max_tokens):
        candidate = f"{current} {sentence}".strip()
        if current and count_tokens(candidate) > max_tokens:
            pieces.append(current)
            current = sentence
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def _sentences(text: str, max_tokens: int) -> Iterable[str]:
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        if count_tokens(sentence) <= max_tokens:
            yield sentence
            continue
        words = sentence.split(" ")
        part: list[str] = []
        for word in words:
            if part and count_tokens(" ".join([*part, word])) > max_tokens:
                yield " ".join(part)
                part = []
            part.append(word)
        if part:
            yield " ".join(part)


# (field, label) of a row chunk's key fields, in the order users ask about them.
FIELD_LABELS = (
    ("lead", "Đơn vị chủ trì"),
    ("coordinating", "Đơn vị phối hợp"),
    ("deadline", "Thời gian hoàn thành"),
    ("directives", "Văn bản chỉ đạo"),
    ("product", "Sản phẩm"),
    ("status", "Kết quả"),
)


def task_fields(task: TaskRecord) -> dict[str, str]:
    """A task's key fields as text, empty ones left out."""
    values = {
        "lead": ", ".join(task.lead_units),
        "coordinating": ", ".join(task.coordinating_units),
        "deadline": task.deadline.text,
        "directives": "; ".join(task.directives),
        "product": task.product or "",
        "status": task.status if task.status != "unknown" else "",
    }
    return {name: values[name] for name, _ in FIELD_LABELS if values[name]}


def task_fields_text(task: TaskRecord) -> str:
    """Labelled key fields of a task row, in the order users ask about them."""
    fields = task_fields(task)
    return " | ".join(f"{label}: {fields[name]}" for name, label in FIELD_LABELS if name in fields)


def _row_header(title: str, block: Block) -> str:
    return f"{title} | {block.section} | STT {block.row}"


def row_chunks(
    block: Block, title: str, doc_kind: str, task: TaskRecord | None, max_tokens: int
) -> list[Chunk]:
    header = _row_header(title, block)
    fields = task_fields_text(task) if task else ""
    body = task.text if task and task.text else block.text
    head = f"{header} | Nhiệm vụ: "
    # The budget bounds the task text only: a row is split only when its own text is long,
    # so its unit, deadline and result always sit in the same chunk as the task.
    parts = split_to_budget(body, max_tokens)
    chunks = []
    for index, part in enumerate(parts):
        values = {"task": part, **(task_fields(task) if task else {})}
        text = f"{head}{part}"
        if fields:
            text = f"{text} | {fields}"
        if task and task.result and index == len(parts) - 1:
            text = f"{text} | Kết quả chi tiết: {task.result}"
            values["result"] = task.result
        dense = f"{block.section} | {fields} | {part}" if fields else f"{block.section} | {part}"
        chunk = _make_chunk(block, title, doc_kind, "row", text, dense[:DENSE_CHAR_BUDGET], index)
        chunks.append(replace(chunk, fields=values))
    return chunks


def _make_chunk(
    block: Block, title: str, doc_kind: str, kind: str, text: str, dense: str, part: int
) -> Chunk:
    key = f"{block.source}:{block.page}:{block.line_start}-{block.line_end}:{kind}:{part}"
    return Chunk(
        id=_hash(key),
        source=block.source,
        title=title,
        doc_kind=doc_kind,
        kind=kind,
        section=block.section,
        text=text,
        dense_text=dense,
        line_start=block.line_start,
        line_end=block.line_end,
        content_hash=_hash(text),
        page=block.page,
        row=block.row,
    )


def prose_chunks(
    blocks: Sequence[Block], title: str, doc_kind: str, max_tokens: int
) -> list[Chunk]:
    """Group consecutive prose blocks of one section up to the budget; split long paragraphs."""
    chunks: list[Chunk] = []
    group: list[Block] = []

    def flush() -> None:
        if not group:
            return
        merged = Block(
            source=group[0].source,
            kind="prose",
            section=group[0].section,
            text=" ".join(b.text for b in group),
            line_start=group[0].heading_line or group[0].line_start,
            line_end=group[-1].line_end,
            page=group[0].page,
            section_path=group[0].section_path,
        )
        heading = " > ".join(merged.section_path) or merged.section
        for index, part in enumerate(split_to_budget(merged.text, max_tokens)):
            text = f"{title} | {heading} | {part}" if heading else f"{title} | {part}"
            dense = f"{merged.section} | {part}"[:DENSE_CHAR_BUDGET]
            chunks.append(_make_chunk(merged, title, doc_kind, "section", text, dense, index))
        group.clear()

    for block in blocks:
        same_place = group and block.section == group[0].section and block.page == group[0].page
        fits = group and count_tokens(" ".join(b.text for b in [*group, block])) <= max_tokens
        if not (same_place and fits):
            flush()
        group.append(block)
    flush()
    return chunks


def chunk_document(
    blocks: Sequence[Block],
    title: str,
    doc_kind: str,
    tasks_by_line: dict[tuple[int | None, int], TaskRecord],
    max_tokens: int,
    prose_max_tokens: int | None = None,
) -> list[Chunk]:
    """All chunks of one document, in document order."""
    prose_budget = prose_max_tokens or max_tokens
    chunks: list[Chunk] = []
    prose: list[Block] = []
    for block in blocks:
        if block.kind == "row":
            chunks.extend(prose_chunks(prose, title, doc_kind, prose_budget))
            prose = []
            task = tasks_by_line.get((block.page, block.line_start))
            chunks.extend(row_chunks(block, title, doc_kind, task, max_tokens))
        else:
            prose.append(block)
    chunks.extend(prose_chunks(prose, title, doc_kind, prose_budget))
    return chunks
