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
