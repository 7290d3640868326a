"""The synthetic question generator over the real index of the shipped corpus, and the
assistant's score on a small fixed-seed sample of it."""

from __future__ import annotations

import pytest

from eval.runner import EvalSet, GoldItem, contains_all, score_sets
from eval.synthetic import (
    CorpusView,
    SeedBank,
    SyntheticItem,
    distinctive_phrase,
    generate,
    load_index,
    sample_questions,
    task_stream,
    words_only,
)
from rag.text import fold

SAMPLE = 150
SEED = 11
# Scores of the extractive assistant on this sample when the generator was written
# (answers 0.675, tasks 0.578, prose 0.967, abstention recall 0.40, source 0.975,
# recall@5 0.992). Set a little below: raise them as the answer path improves.
THRESHOLDS = {
    "answer_accuracy": 0.62,
    "abstention_recall": 0.33,
    "source_accuracy": 0.93,
    "recall_at_5": 0.95,
}
FAMILY_THRESHOLDS = {"task": 0.52, "prose": 0.9}


@pytest.fixture(scope="module")
def index(corpus_settings):
    return load_index(corpus_settings.index_dir)


@pytest.fixture(scope="module")
def bank(index) -> SeedBank:
    return SeedBank.build(*index)


@pytest.fixture(scope="module")
def corpus(bank) -> CorpusView:
    return bank.corpus


@pytest.fixture(scope="module")
def sample(bank) -> list[SyntheticItem]:
    return sample_questions(bank, SAMPLE, SEED)


def test_sample_has_the_requested_size_and_every_family(sample) -> None:
    assert len(sample) == SAMPLE
    assert len({item.id for item in sample}) == SAMPLE
    assert len({item.question for item in sample}) == SAMPLE
    families = {item.family for item in sample}
    assert families == {"task", "prose", "unanswerable"}
    intents = {item.intent for item in sample if item.family == "task"}
    assert {"lead", "coordinator", "deadline", "status", "directive"} <= intents


def test_same_seed_same_questions_other_seed_other_questions(index, bank, sample) -> None:
    files, tasks = index
    # From scratch (a new seed bank): generation depends on nothing but the index and the seed.
    assert [i.to_json() for i in generate(files, tasks, SAMPLE, SEED)] == [
        i.to_json() for i in sample
    ]
    other = sample_questions(bank, SAMPLE, SEED + 1)
    assert [i.question for i in other] != [i.question for i in sample]


def test_surface_forms_vary_like_chat(sample) -> None:
    answerable = [i for i in sample if i.family != "unanswerable"]
    for flag in ("no_diacritics", "abbreviated", "typo", "doc_named"):
        share = sum(getattr(i, flag) for i in answerable) / len(answerable)
        assert 0.05 < share < 0.8, flag
    assert {i.voice for i in sample} == {"formal", "terse", "colloquial"}
    for item in sample:
        if item.no_diacritics:
            assert fold(item.question) == item.question.lower()


def test_expected_answers_are_in_the_cited_source_lines(sample, corpus) -> None:
    """Every must_contain group has a spelling in the record's own lines: the expectation
    comes from the corpus, not from the answering code."""
    for item in sample:
        if item.source is None:
            continue
        start, end = item.lines
        assert start <= item.line <= end
        text = " ".join(corpus.lines[item.source][start - 1 : end])
        for group in item.must_contain:
            # Unit names are checked folded: the row may write "Sở TT&TT" for the canonical name.
            assert contains_all(text, [group]) or any(
                words_only(option) in words_only(text) for option in group
            ), (item.id, group, text[:200])


def test_unanswerable_variants_add_an_entity_the_corpus_never_mentions(sample, corpus) -> None:
    unanswerable = [i for i in sample if i.family == "unanswerable"]
    assert len(unanswerable) >= SAMPLE // 10
    for item in unanswerable:
        assert item.entity and item.source is None and item.must_contain == []
        assert not corpus.mentions(item.entity), item.entity
        assert words_only(item.entity) in words_only(item.question)


def test_task_phrase_names_one_row(index, corpus) -> None:
    _, tasks = index
    rows = task_stream(t.text for t in tasks)
    texts = [f" {words_only(t.text)} " for t in tasks]
    phrases = [p for t in tasks[:80] if (p := distinctive_phrase(t.text, corpus, rows))]
    assert len(phrases) >= 20
    for phrase in phrases:
        assert sum(f" {words_only(phrase)} " in t for t in texts) == 1


def test_duplicate_rows_get_no_phrase(index, corpus) -> None:
    _, tasks = index
    text = tasks[0].text
    assert distinctive_phrase(text, corpus, task_stream([text, text])) is None


def test_assistant_scores_on_a_fixed_seed_sample(corpus_settings, assistant, sample) -> None:
    items = [GoldItem.from_row(i.to_json()) for i in sample]
    result = score_sets(corpus_settings, assistant, [EvalSet("synthetic", items)], False)
    scores = result["sets"]["synthetic"]["ours"]
    for metric, floor in THRESHOLDS.items():
        assert scores[metric] >= floor, (metric, scores[metric])
    for family, floor in FAMILY_THRESHOLDS.items():
        groups = [v for g, v in scores["by_group"].items() if g.startswith(f"{family}/")]
        accuracy = sum(v["correct"] for v in groups) / sum(v["n"] for v in groups)
        assert accuracy >= floor, (family, accuracy)
