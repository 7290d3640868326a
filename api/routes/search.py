"""``GET /v1/search``: ranked passages with their place in the source document."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from api.deps import current_assistant
from api.security import require_read
from rag.assistant import Assistant, validate_question

router = APIRouter(prefix="/v1", tags=["search"], dependencies=[Depends(require_read)])


@router.get("/search")
def search(
    q: str = Query(..., description="Câu hỏi hoặc từ khóa (có hoặc không dấu)"),
    k: int = Query(5, ge=1, le=50, description="Số đoạn trả về"),
    assistant: Assistant = Depends(current_assistant),
) -> dict:
    query = validate_question(q, assistant.settings.max_question_chars)
    results = []
    for rank, hit in enumerate(assistant.search(query, k), start=1):
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
