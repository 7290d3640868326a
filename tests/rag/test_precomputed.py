"""Faster paths give exactly the results of the straightforward ones they replaced."""

from __future__ import annotations

import numpy as np

from rag.retrieve import HybridSearcher, chunk_body
from rag.text import fold, index_tokens
from rag.units import default_gazetteer

QUESTIONS = [
    "Sở Thông tin và Truyền thông phối hợp với Công an Thành phố triển khai những việc gì?",
    "so tt&tt va catp chu tri nhiem vu nao ve dinh danh dien tu",
    "Thông báo 2860/TB-TGV và Chỉ thị 04 giao nhiệm vụ gì cho UBND quận huyện?",
]


def test_bm25_scores_equal_bm25s_own_scoring(assistant) -> None:
    files = assistant.files
    for question in QUESTIONS:
        tokens = list(assistant.analyse(question).tokens)
        expected = np.asarray(files.bm25.get_scores(tokens), dtype=np.float32)
        assert np.array_equal(files.lexical_scores(tokens), expected)


def _window_scan(gazetteer, text: str) -> list[tuple[str, int, int]]:
    """The scan before prefix pruning: every window size at every word, longest first."""
    from rag.text import normalize
    from rag.units import _WORD, _word_key

    text = normalize(text)
    words = [(_word_key(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(text)]
    words = [w for w in words if w[0]]
    found, i = [], 0
    while i < len(words):
        for size in range(min(gazetteer._window, len(words) - i), 0, -1):
            name = gazetteer._exact.get("".join(w[0] for w in words[i : i + size]))
            if name:
                found.append((name, words[i][1], words[i + size - 1][2]))
                i += size
                break
        else:
            i += 1
    return found


def test_unit_scan_with_prefix_pruning_finds_what_the_full_scan_finds(assistant) -> None:
    gazetteer = default_gazetteer()
    texts = QUESTIONS + [c.text for c in assistant.files.chunks[::25]]
    for text in texts:
        pruned = [(m.name, m.start, m.end) for m in gazetteer.matches(text)]
        assert pruned == _window_scan(gazetteer, text)


def test_boosts_are_remembered_and_unchanged(assistant) -> None:
    searcher = HybridSearcher(assistant.files, None)
    analysis = assistant.analyse(QUESTIONS[0])
    first = searcher._boosts(analysis)
    assert searcher._hit_memo  # unit matches remembered for the next question
    again = searcher._boosts(analysis)
    assert np.array_equal(first, again)
    unit = fold(analysis.units[0])
    expected = [
        unit in fold(chunk_body(c) if c.kind == "row" else c.section)
        for c in assistant.files.chunks
    ]
    assert np.array_equal(searcher._hits(("unit", unit), searcher._mentions_unit) > 0, expected)


def test_index_tokens_are_the_same_on_repeat() -> None:
    assert index_tokens(QUESTIONS[1]) == index_tokens(QUESTIONS[1])


def _fold_by_category(text: str) -> str:
    """``fold`` before the translate table: drop every Mn character one by one."""
    import unicodedata

    from rag.text import _SPACES

    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.replace("đ", "d")).strip()


def test_fold_by_table_equals_fold_by_category(assistant) -> None:
    texts = [c.text for c in assistant.files.chunks] + QUESTIONS + ["Hoà ĐẮK LẮK x\u0301 ǅ ﬁ"]
    for text in texts:
        assert fold(text) == _fold_by_category(text)


def test_clause_windows_have_the_tokens_of_their_joined_text(assistant) -> None:
    from rag.evidence import _CLAUSE_SPLIT, _clause_tokens, _joined, split_sentences
    from rag.text import token_set

    checked = 0
    for chunk in assistant.files.chunks[::3]:
        for sentence in split_sentences(chunk_body(chunk)):
            clauses = [c for c in _CLAUSE_SPLIT.split(sentence) if c]
            for start in range(len(clauses)):
                present, last = frozenset(), None
                for end in range(start, min(len(clauses), start + 4)):
                    present, last = _joined(present, last, _clause_tokens(clauses[end]))
                    assert present == token_set(" ".join(clauses[start : end + 1]))
                    checked += 1
    assert checked > 1000


def test_float32_chunk_vectors_keep_the_float64_similarities(assistant) -> None:
    """Vectors kept as float32 and widened per block give the rounded similarities (and so
    the ranking) of unit-length float64 vectors."""
    searcher = assistant.searcher
    matrix, _ = searcher._chunk_vectors()
    assert matrix.dtype == np.float32
    unit64 = matrix.astype(np.float64)
    unit64 /= np.linalg.norm(unit64, axis=1, keepdims=True)
    embeddings = searcher.vectors.embeddings
    for question in QUESTIONS:
        query = assistant.analyse(question).normalized
        vector = np.asarray(embeddings.embed_query(query), dtype=np.float64)
        expected = np.round(unit64 @ (vector / np.linalg.norm(vector)), 3)
        assert np.array_equal(searcher._exact_similarities(query), expected)
        # Asked again: remembered, the same values, and not writable by a caller.
        again = searcher._exact_similarities(query)
        assert np.array_equal(again, expected) and not again.flags.writeable
        assert np.array_equal(searcher.dense_scores(query), searcher.dense_scores(query))


def test_task_at_a_position_is_remembered_and_unchanged(assistant) -> None:
    store = assistant.tasks
    rows = [c for c in assistant.files.chunks if c.kind == "row"][:50]
    for chunk in rows:
        expected = store._task_at(chunk.source, chunk.page, chunk.line_start)
        assert store.at(chunk.source, chunk.page, chunk.line_start) == expected
        assert store.at(chunk.source, chunk.page, chunk.line_start) is store.at(
            chunk.source, chunk.page, chunk.line_start
        )
