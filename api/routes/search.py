"""``GET /v1/search``: ranked passages with their place in the source document."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from api.deps import current_assistant
from rag.assistant import Assistant, validate_question

router = APIRouter(prefix="/v1", tags=["search"])


@router.get("/search")
def search(
    q: str = Query(..., description="Câu hỏi hoặc từ khóa (có hoặc không dấu)"),
    k: int = Query(5, ge=1, le=50, description="Số đoạn trả về"),
    source: str | None = Query(None, description="Chỉ tìm trong tài liệu này (tên tệp)"),
    kind: str | None = Query(
        None, pattern="^(row|section)$", description="row: dòng bảng; section: đoạn văn"
    ),
    doc_kind: str | None = Query(None, description="Loại tài liệu: plan, report, appendix, letter"),
    assistant: Assistant = Depends(current_assistant),
) -> dict:
    query = validate_question(q, assistant.settings.max_question_chars)
    results = []
    hits = assistant.search(query, k, source=source, kind=kind, doc_kind=doc_kind)
    for rank, hit in enumerate(hits, start=1):
        chunk = hit.chunk
        results.append(
            {
                "rank": rank,
                "score": round(hit.score, 4),
                "chunk_id": chunk.id,
                "source": chunk.source,
                "title": chunk.title,
                "section": chunk.section or None,
                "page": chunk.page,
                "row": chunk.row,
                "line_start": chunk.line_start,
                "line_end": chunk.line_end,
                "text": chunk.text,
            }
        )
    return {"results": results}
