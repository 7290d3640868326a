"""Cross-document task links: similarity on normalized text, storage, disagreements."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from rag import links
from rag.links import conflicts, disagreements, link_tasks, read_links, write_links
from rag.schemas import Deadline, TaskRecord
from rag.taskstore import TaskStore

PLAN, PL3 = "ke-hoach.txt", "phu-luc-03.txt"


def task(source, line, text, lead=(), deadline="", end=None, kind="unspecified", status="unknown"):
    return TaskRecord(
        id=f"{source}:{line}", source=source, section="", row=str(line), text=text,
        lead_units=list(lead), directives=["Chỉ thị 04/CT-TTg ngày 11/02/2024"],
        deadline=Deadline(text=deadline, end=end, kind=kind), status=status,
        line_start=line, line_end=line,
    )  # fmt: skip


ROWS = [
    # Strings from the shipped plan and Phụ lục 03: the same task, punctuated differently.
    task(PLAN, 1, "Kết nối, chia sẻ dữ liệu giữa CSDLQG về dân cư với CSDL công bố bản án, quyết định của Tòa án",
         ["Tòa án nhân dân Thành phố"], "Quý II/2024", date(2024, 6, 30), "range", "unknown"),
    task(PL3, 1, "Kết nối, chia sẻ dữ liệu giữa CSDLQG về dân cư với CSDL công bố bản án, quyết định của Tòa án.",
         ["Tòa án nhân dân tối cao"], "Tháng 12/2024", date(2024, 12, 31), "range", "đang triển khai"),
    task(PLAN, 2, "Bố trí kinh phí để triển khai Đề án 06 đảm bảo hiệu quả, đồng bộ", ["Sở Tài chính"]),
    task(PL3, 2, "Bố trí kinh phí triển khai Đề án 06 đảm bảo hiệu quả, đồng bộ", ["Sở Tài chính"]),
    task(PL3, 3, "Hướng dẫn các trường học thực hiện thu phí không dùng tiền mặt", ["UBND các địa phương"]),
]  # fmt: skip


def test_same_task_links_and_different_tasks_do_not() -> None:
    pairs = {(link.task_id, link.other_id) for link in link_tasks(ROWS)}
    assert (f"{PLAN}:1", f"{PL3}:1") in pairs and (f"{PL3}:1", f"{PLAN}:1") in pairs
    assert (f"{PLAN}:2", f"{PL3}:2") in pairs
    assert not any(f"{PL3}:3" in pair for pair in pairs)


def test_disagreements_name_the_fields() -> None:
    assert disagreements(ROWS[0], ROWS[1]) == ["deadline", "lead"]
    assert disagreements(ROWS[2], ROWS[3]) == []  # blank deadlines and statuses are no conflict
    recurring = task(PL3, 9, "x", deadline="Thường xuyên", kind="recurring")
    assert disagreements(ROWS[0], recurring) == ["deadline"]


def test_links_stored_and_conflicts_listed_once(tmp_path) -> None:
    path = tmp_path / "tasks.sqlite"
    assert write_links(path, ROWS) == 4  # two pairs, both directions
    store = TaskStore(path)
    links = read_links(store)
    store.close()
    found = conflicts({t.id: t for t in ROWS}, links)
    assert [(c.field, c.task.source, c.other.source) for c in found] == [
        ("deadline", PLAN, PL3),
        ("lead", PLAN, PL3),
    ]


def test_index_without_links_reads_empty(tmp_path) -> None:
    sqlite3.connect(tmp_path / "old.sqlite").close()
    store = TaskStore(tmp_path / "old.sqlite")
    assert read_links(store) == {}
    store.close()


# Words of the shipped task rows, for generated look-alike rows: the same task in several
# documents, trimmed, extended or with a word changed, beside other tasks that share words.
WORDS = (
    "kết nối chia sẻ dữ liệu dân cư công bố bản án quyết định tòa án bố trí kinh phí triển "
    "khai đề án hiệu quả đồng bộ hướng dẫn trường học thu phí không dùng tiền mặt cấp căn "
    "cước định danh điện tử tài khoản ứng dụng vneid dịch vụ công trực tuyến hồ sơ thủ tục "
    "hành chính số hóa kết quả giải quyết y tế bảo hiểm xã hội thuế đất đai giao thông "
    "tuyên truyền phổ biến người dân doanh nghiệp an ninh mạng hạ tầng trung tâm"
)
VOCABULARY = WORDS.split()


def generated_rows(seed: int, tasks: int = 40, sources: int = 4) -> list[TaskRecord]:
    import random

    rng = random.Random(seed)
    rows = []
    for n in range(tasks):
        words = rng.sample(VOCABULARY, rng.randint(5, 14))
        for s in rng.sample(range(sources), rng.randint(1, sources)):
            variant = list(words)
            for _ in range(rng.randint(0, 3)):
                edit = rng.random()
                if edit < 0.4 and len(variant) > 4:
                    variant.pop(rng.randrange(len(variant)))
                elif edit < 0.8:
                    variant.insert(rng.randrange(len(variant) + 1), rng.choice(VOCABULARY))
                else:
                    variant[rng.randrange(len(variant))] = rng.choice(VOCABULARY)
            lead = [rng.choice(["Sở Y tế", "Sở Tư pháp", "Công an Thành phố"])]
            rows.append(task(f"doc-{s}.txt", n, " ".join(variant).capitalize() + ".", lead))
    return rows


def all_pairs_best(tasks):
    """The comparison blocking replaced: every row against every row of every other document."""
    from rag.links import (
        MIN_WORDS,
        TaskLink,
        link_text,
        pair_score,
        similarity_matrix,
    )

    texts = [link_text(t) for t in tasks]
    usable = [i for i, text in enumerate(texts) if len(text.split()) >= MIN_WORDS]
    sources = sorted({tasks[i].source for i in usable})
    by_source = {s: [i for i in usable if tasks[i].source == s] for s in sources}
    pairs = []
    for position, source in enumerate(sources):
        for other_source in sources[position + 1 :]:
            mine, theirs = by_source[source], by_source[other_source]
            scores = similarity_matrix([texts[i] for i in mine], [texts[j] for j in theirs])
            for rows, cols, matrix in ((mine, theirs, scores), (theirs, mine, scores.T)):
                best = matrix.argmax(axis=1)
                for k, i in enumerate(rows):
                    j = cols[int(best[k])]
                    score = pair_score(tasks[i], tasks[j], float(matrix[k][best[k]]))
                    pairs.append(TaskLink(tasks[i].id, tasks[j].id, round(score, 1)))
    return pairs


@pytest.mark.parametrize("seed", range(6))
def test_blocking_finds_the_links_of_the_all_pairs_comparison(seed, monkeypatch) -> None:
    rows = generated_rows(seed)
    blocked = link_tasks(rows)
    monkeypatch.setattr(links, "best_pairs", all_pairs_best)
    expected = link_tasks(rows)
    assert len(expected) > 20  # the generated rows do link
    assert blocked == expected  # same links, scores and order
