"""Registry answers on the shipped corpus: numbers equal SQL counts over tasks.sqlite, the
answer states its filters and cites the rows; comparisons cite both documents; the synthetic
registry set and the hand-checked link sample hold their thresholds."""

from __future__ import annotations

import re
import sqlite3

import pytest

from eval.synthetic_registry import generate, is_right, sample
from eval.task_links import load_sample, precision_recall
from rag.index import TASKS_FILE
from rag.links import LINK_THRESHOLD

PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"
PL1 = "phu-luc-1-ket-qua-nhiem-vu-tphcm-2024.txt"
PL3 = "phu-luc-03-ket-qua-nhiem-vu-de-an-06.txt"


@pytest.fixture(scope="module")
def db(assistant):
    connection = sqlite3.connect(f"file:{assistant.files.path / TASKS_FILE}?mode=ro", uri=True)
    yield connection
    connection.close()


def sql_count(db, sql: str, *params) -> int:
    return db.execute(sql, params).fetchone()[0]


def stated_count(answer: str) -> int:
    return int(re.search(r"(\d+) nhiệm vụ", answer).group(1))


def test_status_count_matches_sql_and_states_filters(assistant, db) -> None:
    answer = assistant.ask("PL1 co bao nhieu nhiem vu dang trien khai?")
    expected = sql_count(
        db, "SELECT COUNT(*) FROM tasks WHERE source=? AND status=?", PL1, "đang triển khai"
    )
    assert stated_count(answer.answer) == expected
    assert "Phụ lục I" in answer.answer and "Đang triển khai" in answer.answer
    assert answer.citations and all(c.source == PL1 for c in answer.citations)
    assert {re.search(r"dòng (\d+)", answer.answer).group(1)} <= {t.row for t in answer.tasks}


def test_part_of_restarted_table(assistant, db) -> None:
    answer = assistant.ask(
        "Phần nhiệm vụ của địa phương trong Phụ lục I có bao nhiêu dòng ghi Đã hoàn thành?"
    )
    expected = sql_count(
        db,
        "SELECT COUNT(*) FROM tasks t JOIN task_groups g ON g.task_id = t.id "
        "WHERE t.source=? AND g.part='local' AND t.status='hoàn thành'",
        PL1,
    )
    assert expected > 0 and stated_count(answer.answer) == expected
    assert "phần nhiệm vụ của địa phương" in answer.answer


def test_group_count_cites_rows_and_the_documents_own_count(assistant) -> None:
    answer = assistant.ask("ke hoach 2024 nhom V co bao nhieu nhiem vu?")
    assert "13 nhiệm vụ" in answer.answer
    assert "nhóm V" in answer.answer
    # 13 rows listed up to the bound, plus the plan's own "(13 nhiệm vụ)" lines.
    assert any("13 nhiệm vụ" in c.quote for c in answer.citations)


def test_overdue_as_of_a_date(assistant, db) -> None:
    answer = assistant.ask(
        "Tính đến ngày 15/8/2024, Công an Thành phố có bao nhiêu nhiệm vụ đã quá hạn?"
    )
    expected = sql_count(
        db,
        "SELECT COUNT(DISTINCT t.id) FROM tasks t JOIN task_units u ON u.task_id=t.id "
        "WHERE u.unit='Công an Thành phố' AND u.role='lead' AND t.status!='hoàn thành' "
        "AND t.deadline_kind IN ('date','range') AND t.deadline_end < '2024-08-15'",
    )
    assert answer.answer.startswith("Tính đến 15/8/2024")
    assert stated_count(answer.answer) == expected
    assert all(t.deadline.end.isoformat() < "2024-08-15" for t in answer.tasks)


def test_deadline_window_list(assistant) -> None:
    answer = assistant.ask("Những nhiệm vụ nào trong Kế hoạch 2024 có hạn trong quý II/2024?")
    assert answer.tasks and all(t.source == PLAN for t in answer.tasks)
    assert all("2024-04-01" <= t.deadline.end.isoformat() <= "2024-06-30" for t in answer.tasks)
    assert "IOC" in answer.answer


def test_compare_cites_both_documents(assistant) -> None:
    answer = assistant.ask(
        "Nhiệm vụ kết nối CSDLQG về dân cư với CSDL công bố bản án, quyết định của Tòa án: "
        "Kế hoạch 2024 và Phụ lục 03 ghi thời hạn có giống nhau không?"
    )
    assert {c.source for c in answer.citations} == {PLAN, PL3}
    assert "thời hạn" in answer.answer
    assert len(answer.tasks) == 2


def test_group_by_status_sums_to_the_document(assistant, db) -> None:
    answer = assistant.ask("Phụ lục 03 có bao nhiêu nhiệm vụ theo từng tình trạng?")
    total = sql_count(db, "SELECT COUNT(*) FROM tasks WHERE source=?", PL3)
    assert f"{total} nhiệm vụ" in answer.answer
    parts = [int(n) for n in re.findall(r": (\d+)", answer.answer.split(";", 1)[1])]
    assert sum(parts) == total


def test_unit_lists_stay_with_the_task_listing(assistant) -> None:
    answer = assistant.ask("Công an Thành phố chủ trì những nhiệm vụ nào trong Kế hoạch 2024?")
    assert answer.answer.startswith("Theo ")  # the existing listing's wording


def test_synthetic_registry_sample(assistant) -> None:
    items = sample(generate(assistant.files.path / TASKS_FILE), 60)
    right = [is_right(assistant.ask(item.question).answer, item) for item in items]
    assert sum(right) / len(right) >= 0.95


def test_task_links_on_hand_checked_pairs(assistant) -> None:
    precision, recall, _ = precision_recall(assistant.tasks.all(), load_sample(), LINK_THRESHOLD)
    assert precision >= 0.9 and recall >= 0.85


def test_task_answer_notes_a_linked_row_that_disagrees(assistant) -> None:
    answer = assistant.ask(
        "Nhiệm vụ triển khai Kho dữ liệu hồ sơ thủ tục hành chính theo Phụ lục I đã hoàn thành chưa?"
    )
    assert "Lưu ý: Phụ lục 03" in answer.answer and "ghi khác" in answer.answer
    assert {c.source for c in answer.citations} >= {PL1, PL3}
    same = assistant.ask("Ai chủ trì xây dựng Trung tâm điều hành thông minh IOC?")
    assert "Lưu ý" not in same.answer


def test_two_units_compared_state_each_count_and_the_larger(assistant, db) -> None:
    answer = assistant.ask("so TTTT hay CA TP chu tri nhieu nhiem vu hon trong KH 2024")

    def leads(unit: str) -> int:
        return sql_count(
            db,
            "SELECT COUNT(DISTINCT t.id) FROM tasks t JOIN task_units u ON u.task_id = t.id "
            "WHERE t.source=? AND u.unit=? AND u.role='lead'",
            PLAN,
            unit,
        )

    first, second = leads("Sở Thông tin và Truyền thông"), leads("Công an Thành phố")
    assert first != second
    assert f"Sở Thông tin và Truyền thông chủ trì {first} nhiệm vụ" in answer.answer
    assert f"Công an Thành phố chủ trì {second} nhiệm vụ" in answer.answer
    larger = "Sở Thông tin và Truyền thông" if first > second else "Công an Thành phố"
    assert f"{larger} nhiều hơn" in answer.answer
    assert answer.citations and all(c.source == PLAN for c in answer.citations)
