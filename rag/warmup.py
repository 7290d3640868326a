"""Warm start: pay every first-use cost before the first real question arrives.

Loading the embedding model alone takes seconds, and the first answer also fills the text
caches, opens the task registry and Chroma's index files. A server runs this at startup and
reports ready only afterwards, so its first user waits no longer than its hundredth.
"""

from __future__ import annotations

import time
from typing import Protocol

# Generic questions written for warm-up (not from any evaluation set): one task question and
# one figure question, so both the row path and the sentence path of composition run.
WARM_UP_QUESTIONS = (
    "Đơn vị nào chủ trì nhiệm vụ kết nối dữ liệu dân cư và thời hạn khi nào?",
    "Bao nhiêu hồ sơ dịch vụ công trực tuyến đã được tiếp nhận?",
)


class Answers(Protocol):
    def ask(self, question: str) -> object: ...


class DenseSearch(Protocol):
    def dense_scores(self, query: str) -> object: ...


def warm_up(assistant: Answers, searcher: DenseSearch) -> float:
    """Load the model (one query embedding, even when the gate would skip it) and answer the
    warm-up questions; returns the milliseconds it took."""
    started = time.perf_counter()
    searcher.dense_scores(WARM_UP_QUESTIONS[0])
    for question in WARM_UP_QUESTIONS:
        assistant.ask(question)
    return (time.perf_counter() - started) * 1000
