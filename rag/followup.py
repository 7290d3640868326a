"""What a conversation carries from one turn to the next, and how a follow-up refers back:
"còn thời hạn thì sao?" (the previous task), "nhiệm vụ thứ 2" (an item of the previous
list), "gửi bản điện tử qua đâu?" (the previous answer's document).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from rag.schemas import Answer

_ORDINAL_WORDS = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7}
_ORDINAL = re.compile(
    r"\b(?:nhiem vu|viec|muc|y|cai|dong|noi dung|so)\s+(?:thu\s+)?(\d{1,2}|nhat|hai|ba|tu|nam|sau|bay)\b"
    r"|\bthu\s+(\d{1,2}|nhat|hai|ba|tu|nam|sau|bay)\b"
)


@dataclass(frozen=True)
class PreviousTurn:
    """What a conversation remembers of its last answered question."""

    question: str
    task_id: str | None = None
    task_ids: tuple[str, ...] = field(default=())
    source: str | None = None

    def context_json(self) -> str:
        return json.dumps({"task_ids": list(self.task_ids), "source": self.source})

    @classmethod
    def restore(cls, question: str, task_id: str | None, context: str | None) -> PreviousTurn:
        data = json.loads(context) if context else {}
        return cls(
            question=question,
            task_id=task_id,
            task_ids=tuple(data.get("task_ids") or ()),
            source=data.get("source"),
        )


def next_turn(question: str, answer: Answer, previous: PreviousTurn | None) -> PreviousTurn:
    """This turn as the next one sees it: the task it resolved to (else the last one), the
    tasks it listed, and the document it answered from."""
    task_id = previous.task_id if previous else None
    task_ids = previous.task_ids if previous else ()
    source = previous.source if previous else None
    if not answer.abstained:
        if len(answer.tasks) == 1:
            task_id = answer.tasks[0].id
        elif answer.tasks:
            task_ids = tuple(t.id for t in answer.tasks)
        if answer.citations:
            source = answer.citations[0].source
    return PreviousTurn(question=question, task_id=task_id, task_ids=task_ids, source=source)


def ordinal_reference(folded_question: str) -> int | None:
    """ "nhiệm vụ thứ 2", "cái thứ hai", "mục 3" -> 2, 2, 3."""
    match = _ORDINAL.search(folded_question)
    if not match:
        return None
    word = match.group(1) or match.group(2)
    return int(word) if word.isdigit() else _ORDINAL_WORDS[word]
