"""The in-process half of the benchmark scores answers the way the evaluation does."""

from __future__ import annotations

import json
from pathlib import Path

from eval.bench import score
from eval.runner import load_gold


def test_score_counts_right_answers_abstentions_and_latency(assistant, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    rows = [
        # A question written for this test, its answer checked against the corpus by hand.
        {"id": "t1", "question": "Ai chủ trì nhiệm vụ kê khai, nộp thuế trên ứng dụng VNeID?",
         "must_contain": [["Cục Thuế"]], "source": "ke-hoach-de-an-06-tphcm-2024.txt",
         "line": 374},
        {"id": "t2", "question": "Tỉnh Nghệ An đã cấp bao nhiêu căn cước trong năm 2023?",
         "must_contain": [], "source": None},
        {"id": "t3", "question": "Ai chủ trì nhiệm vụ kê khai, nộp thuế trên ứng dụng VNeID?",
         "must_contain": [["một chuỗi không có trong câu trả lời"]],
         "source": "ke-hoach-de-an-06-tphcm-2024.txt", "line": 374},
    ]  # fmt: skip
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = score(load_gold(gold), assistant.ask)
    assert result["answerable_accuracy"] == 0.5
    assert result["accuracy"] == 2 / 3
    assert result["citations"] == 1.0
    assert 0 < result["p50"] <= result["p95"]
