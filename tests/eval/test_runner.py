"""Scoring rules of the evaluation runner, for single questions and for conversations."""

import json
import unicodedata
from pathlib import Path

from eval.runner import (
    ConversationSet,
    GoldItem,
    Span,
    contains_all,
    covers,
    gold_set,
    load_gold,
    score_conversations,
    score_sets,
    score_system,
)
from rag.schemas import Answer, Citation

PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
# Row 04 of the 2024 plan's appendix (lines 223-228): the IOC, its lead unit, its deadline.
IOC_QUESTION = "PL KH 2024 ai chủ trì xây dựng IOC vậy?"
DEADLINE_FOLLOW_UP = "con han thi sao?"


def test_contains_all_is_case_nfc_and_whitespace_insensitive() -> None:
    answer = unicodedata.normalize("NFD", "SỞ THÔNG TIN   và Truyền thông chủ trì; hạn Quý II/2024")
    assert contains_all(answer, [["Sở Thông tin và Truyền thông", "STTTT"], ["quý II/2024"]])
    assert not contains_all(answer, [["Sở Nội vụ"]])
    assert contains_all("bất kỳ", [])


def test_covers_needs_same_source_and_line_inside_span() -> None:
    item = GoldItem("x", "q", "owner", [["a"]], "doc.txt", 10, "a")
    assert covers(Span("doc.txt", 8, 12), item)
    assert not covers(Span("doc.txt", 11, 12), item)
    assert not covers(Span("other.txt", 1, 100), item)


def test_score_system_counts_answers_citations_recall_and_abstentions() -> None:
    items = [
        GoldItem("a1", "q1", "owner", [["Sở Y tế"]], "doc.txt", 5, "Sở Y tế"),
        GoldItem("a2", "q2", "deadline", [["2024"]], "doc.txt", 50, "2024"),
        GoldItem("u1", "q3", "unanswerable", [], None, None, ""),
    ]
    cite = Citation(id=1, source="doc.txt", title="t", line_start=4, line_end=6, quote="…")
    answers = {
        "q1": Answer(
            answer="Sở Y tế chủ trì [1].",
            abstained=False,
            citations=[cite],
            timing_ms={"total": 10},
        ),
        "q2": Answer(answer="Không rõ", abstained=False, citations=[cite], timing_ms={"total": 30}),
        "q3": Answer(answer="Không tìm thấy", abstained=True, timing_ms={"total": 20}),
    }
    result = score_system(items, answers.__getitem__, lambda q, k: [Span("doc.txt", 1, 10)])
    assert result["answer_accuracy"] == 0.5
    assert result["citation_accuracy"] == 0.5
    assert result["recall_at_5"] == 0.5
    assert result["abstention_accuracy"] == 1.0
    assert result["latency_ms_p50"] == 20
    assert [f["id"] for f in result["failures"]] == ["a2"]


def test_load_gold_reads_the_shipped_dev_file() -> None:
    items = load_gold(Path("eval/dev.jsonl"))
    assert items and all(i.question for i in items)
    assert any(not i.answerable for i in items)
    rows = [json.loads(line) for line in Path("eval/dev.jsonl").read_text().splitlines() if line]
    assert len(rows) == len(items)


def _answer(text: str, abstained: bool = False) -> Answer:
    return Answer(answer=text, abstained=abstained, timing_ms={"total": 5})


def test_abstention_precision_and_recall_are_reported_separately() -> None:
    items = [
        GoldItem("a1", "q1", "owner", [["Sở Y tế"]], "doc.txt", 5, "Sở Y tế"),
        GoldItem("u1", "q2", "unanswerable", [], None, None, ""),
        GoldItem("u2", "q3", "unanswerable", [], None, None, ""),
    ]
    # Abstains on a1 (wrongly) and u1 (rightly), answers u2 (wrongly).
    answers = {"q1": _answer("", True), "q2": _answer("", True), "q3": _answer("Sở Y tế")}
    result = score_system(items, answers.__getitem__, lambda q, k: [])
    assert result["abstention_precision"] == 0.5
    assert result["abstention_recall"] == 0.5
    assert result["false_abstentions"] == 1


def test_must_not_contain_fails_an_answer_that_holds_the_wrong_status() -> None:
    item = GoldItem.from_row(
        {
            "id": "s1", "question": "q", "type": "status", "answer": "hoàn thành",
            "must_contain": [["hoàn thành"]], "must_not_contain": ["chưa hoàn thành"],
            "source": "doc.txt", "line": 3, "family": "task", "intent": "status",
        }
    )  # fmt: skip
    assert item.group == "task/status"
    wrong = score_system([item], lambda q: _answer("Chưa hoàn thành [1]."), lambda q, k: [])
    right = score_system([item], lambda q: _answer("Đã hoàn thành [1]."), lambda q, k: [])
    assert wrong["answer_accuracy"] == 0.0 and right["answer_accuracy"] == 1.0
    assert right["by_group"]["task/status"]["accuracy"] == 1.0


def test_answers_hash_changes_only_when_an_answer_changes() -> None:
    items = [GoldItem("a1", "q1", "owner", [["x"]], "doc.txt", 1, "x")]
    first = score_system(items, lambda q: _answer("x"), lambda q, k: [])
    again = score_system(items, lambda q: _answer("x"), lambda q, k: [])
    other = score_system(items, lambda q: _answer("y"), lambda q, k: [])
    assert first["answers_sha256"] == again["answers_sha256"] != other["answers_sha256"]
    assert len(first["answers_sha256"]) == 64


def test_cites_gold_source_is_counted_apart_from_the_gold_line() -> None:
    items = [GoldItem("a1", "q1", "owner", [["x"]], "doc.txt", 50, "x")]
    cite = Citation(id=1, source="doc.txt", title="t", line_start=1, line_end=3, quote="…")
    answer = Answer(answer="x [1]", abstained=False, citations=[cite], timing_ms={"total": 1})
    result = score_system(items, lambda q: answer, lambda q, k: [])
    assert result["source_accuracy"] == 1.0
    assert result["citation_accuracy"] == 0.0


def _turn(question: str, must_contain: list[list[str]], line: int | None) -> dict:
    source = PLAN if line is not None else None
    return {"question": question, "must_contain": must_contain, "source": source, "line": line}


def _write_conversations(path: Path, conversations: dict[str, list[dict]]) -> Path:
    lines = [
        json.dumps({"id": i, "turns": t}, ensure_ascii=False) for i, t in conversations.items()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_file_of_turns_is_a_conversation_set(tmp_path) -> None:
    path = _write_conversations(
        tmp_path / "talks.jsonl",
        {"c1": [_turn("q1", [["a"]], 1), _turn("q2", [], None)], "c2": [_turn("q3", [["b"]], 2)]},
    )
    loaded = gold_set(path)
    assert isinstance(loaded, ConversationSet) and loaded.name == "talks"
    assert [c.id for c in loaded.conversations] == ["c1", "c2"]
    first, follow_up = loaded.conversations[0].turns
    assert (first.type, follow_up.type) == ("first-turn", "follow-up")
    assert follow_up.id == "c1#1" and not follow_up.answerable


def test_each_turn_continues_the_conversation_the_previous_turn_returned(tmp_path) -> None:
    conversations = gold_set(
        _write_conversations(
            tmp_path / "talks.jsonl",
            {
                "c1": [_turn("q1", [["Sở Y tế"]], 5), _turn("hạn?", [["Quý II/2024"]], 6)],
                "c2": [_turn("q2", [["x"]], 5), _turn("còn gì?", [], None)],
            },
        )
    ).conversations
    started: list[str] = []

    def converse(question: str, conversation_id: str | None) -> Answer:
        # Answers a follow-up only inside the conversation its first turn started.
        if conversation_id is None:
            started.append(f"id-{len(started)}")
            text = "Sở Y tế chủ trì [1]." if question == "q1" else "y [1]."
            return Answer(answer=text, abstained=False, conversation_id=started[-1])
        if conversation_id == "id-0":
            return Answer(answer="Quý II/2024 [1].", abstained=False, conversation_id="id-0")
        return Answer(answer="Không tìm thấy.", abstained=True, conversation_id=conversation_id)

    result = score_conversations(conversations, converse, lambda q, k: [])
    assert result["conversations"] == 2
    assert (result["first_turns_correct"], result["first_turns_n"]) == (1, 2)
    assert (result["follow_ups_correct"], result["follow_ups_n"]) == (2, 2)
    assert result["turns_accuracy"] == 0.75 and result["conversations_all_correct"] == 1
    assert result["by_type"]["follow-up"]["accuracy"] == 1.0
    wrong = [f for f in result["failures"] if not f["correct"]]
    assert [(f["conversation"], f["turn_index"], f["question"], f["answer"]) for f in wrong] == [
        ("c2", 0, "q2", "y [1].")
    ]


def test_follow_up_scored_through_the_previous_turn_of_the_real_assistant(
    corpus_settings, assistant, tmp_path
) -> None:
    """The deadline follow-up names no task: alone it is answered from another row, after
    the IOC question it is row 04's deadline. A wrong expected phrase is counted wrong."""
    alone = assistant.ask(DEADLINE_FOLLOW_UP)
    assert not contains_all(alone.answer, [["Quý II/2024"]])
    first = _turn(IOC_QUESTION, [["Sở Thông tin và Truyền thông"]], 225)
    path = _write_conversations(
        tmp_path / "ioc.jsonl",
        {
            "right": [first, _turn(DEADLINE_FOLLOW_UP, [["Quý II/2024"]], 227)],
            "wrong": [first, _turn(DEADLINE_FOLLOW_UP, [["Quý IV/2030"]], 227)],
        },
    )
    result = score_sets(corpus_settings, assistant, [gold_set(path)], False)
    scores = result["sets"]["ioc"]["ours"]
    assert (scores["first_turns_correct"], scores["first_turns_n"]) == (2, 2)
    assert (scores["follow_ups_correct"], scores["follow_ups_n"]) == (1, 2)
    assert scores["citation_accuracy"] == 1.0
    wrong = [f for f in scores["failures"] if not f["correct"]]
    assert [(f["conversation"], f["turn_index"]) for f in wrong] == [("wrong", 1)]
    assert "Quý II/2024" in wrong[0]["answer"]
