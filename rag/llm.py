"""Optional LLM answers: the retrieved passages, numbered [1]..[n], go to a chat model
through LangChain (prompt | model | parser); its citations are checked against what was
retrieved, and any failure falls back to the extractive answer with a note.

The extractive composer stays in charge of abstaining: when it finds no answer in the
corpus the model is not asked, so the model cannot answer from outside knowledge.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from rag.assistant import Assistant, PreviousTurn, validate_question
from rag.compose import CitationList, Composition
from rag.index import StoredDocument
from rag.retrieve import ScoredChunk
from rag.schemas import Answer, Chunk, Citation
from rag.settings import Settings

log = logging.getLogger(__name__)

NOTE_MODEL_DOWN = "Mô hình ngôn ngữ không phản hồi; trả lời trích xuất."
NOTE_NO_CITATION = "Mô hình ngôn ngữ không dẫn nguồn hợp lệ; trả lời trích xuất."
MAX_PASSAGES = 6
PASSAGE_CHARS = 1500
_MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")

ChatModelFactory = Callable[[Settings], BaseChatModel]


def _openai(settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.llm_model or "gpt-4o-mini",
        base_url=settings.llm_base_url,
        # Local OpenAI-compatible servers (vLLM, llama.cpp) accept any key, but the client needs one.
        api_key=settings.llm_api_key or "not-needed",
        timeout=settings.llm_timeout_s,
        max_retries=0,
        temperature=0,
    )


def _ollama(settings: Settings) -> BaseChatModel:
    from langchain_ollama import ChatOllama

    return ChatOllama(
        model=settings.llm_model or "qwen2.5:7b-instruct",
        base_url=settings.llm_base_url or "http://127.0.0.1:11434",
        temperature=0,
        client_kwargs={"timeout": settings.llm_timeout_s},
    )


PROVIDERS: dict[str, ChatModelFactory] = {"openai": _openai, "ollama": _ollama}


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model ``DA06_LLM_PROVIDER`` names, or None for ``none`` (extractive only)."""
    provider = settings.llm_provider.strip().lower()
    if provider in ("", "none"):
        return None
    factory = PROVIDERS.get(provider)
    if factory is None:
        known = ", ".join(["none", *PROVIDERS])
        raise ValueError(f"DA06_LLM_PROVIDER={provider!r} is not one of: {known}")
    return factory(settings)


@lru_cache(maxsize=4)
def load_prompt(name: str = "answer.txt") -> str:
    return resources.files("prompts").joinpath(name).read_text(encoding="utf-8")


def check_citations(text: str, available: int) -> tuple[str, list[int]]:
    """Drop ``[n]`` markers that point at no retrieved passage; renumber the rest 1..m.

    Returns the cleaned text and the original passage numbers in their new order, so
    ``result[1][i]`` is the passage behind the new marker ``[i + 1]``.
    """
    order: list[int] = []

    def renumber(match: re.Match[str]) -> str:
        kept: list[int] = []
        for number in (int(n) for n in re.findall(r"\d+", match.group(1))):
            if not 1 <= number <= available:
                continue
            if number not in order:
                order.append(number)
            new = order.index(number) + 1
            if new not in kept:
                kept.append(new)
        return "".join(f"[{n}]" for n in kept)

    cleaned = _MARKER.sub(renumber, text)
    # A removed marker leaves its leading space before the punctuation that followed it.
    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", cleaned)
    cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
    return cleaned.strip(), order


@dataclass(frozen=True)
class Passage:
    citation: Citation  # ``citation.id`` is the passage's number in the prompt
    text: str


def _overlaps(citation: Citation, chunk: Chunk) -> bool:
    return (
        citation.source == chunk.source
        and citation.page == chunk.page
        and citation.line_start <= chunk.line_end
        and chunk.line_start <= citation.line_end
    )


def gather_passages(
    composition: Composition,
    hits: Sequence[ScoredChunk],
    documents: dict[str, StoredDocument],
    limit: int = MAX_PASSAGES,
) -> list[Passage]:
    """The extractive answer's evidence first (it may come from the task registry rather
    than from ``hits``), then the other retrieved chunks, one passage per place."""
    passages: list[Passage] = []
    for citation in composition.citations[:limit]:
        chunk = next((h.chunk for h in hits if _overlaps(citation, h.chunk)), None)
        number = len(passages) + 1
        passages.append(
            Passage(
                citation.model_copy(update={"id": number}), chunk.text if chunk else citation.quote
            )
        )
    quotes = CitationList(documents)
    for hit in hits:
        if len(passages) >= limit:
            break
        chunk = hit.chunk
        if any(_overlaps(p.citation, chunk) for p in passages):
            continue
        citation = Citation(
            id=len(passages) + 1,
            source=chunk.source,
            title=chunk.title,
            section=chunk.section or None,
            page=chunk.page,
            line_start=chunk.line_start,
            line_end=chunk.line_end,
            quote=quotes.original_text(chunk.source, chunk.page, chunk.line_start, chunk.line_end),
            ocr=chunk.ocr_confidence is not None,
            ocr_confidence=chunk.ocr_confidence,
        )
        passages.append(Passage(citation, chunk.text))
    return passages


def format_passages(passages: Sequence[Passage]) -> str:
    blocks = []
    for passage in passages:
        c = passage.citation
        where = f"{c.source}, " + (f"trang {c.page}, " if c.page is not None else "")
        head = f"[{c.id}] {c.title}" + (f" — {c.section}" if c.section else "")
        text = passage.text[:PASSAGE_CHARS]
        blocks.append(f"{head} ({where}dòng {c.line_start}–{c.line_end})\n{text}")
    return "\n\n".join(blocks)


class LlmAnswerer:
    """Writes the answer with a chat model over the retrieved passages, citations checked."""

    def __init__(self, model: BaseChatModel, template: str | None = None) -> None:
        prompt = ChatPromptTemplate.from_template(template or load_prompt())
        self.chain = prompt | model | StrOutputParser()

    @classmethod
    def from_settings(cls, settings: Settings) -> LlmAnswerer | None:
        model = build_chat_model(settings)
        return cls(model) if model is not None else None

    def rewrite(
        self,
        question: str,
        composition: Composition,
        hits: Sequence[ScoredChunk],
        documents: dict[str, StoredDocument],
        previous_question: str | None = None,
    ) -> tuple[Composition, str | None]:
        """The model's answer as a composition, or the extractive one and a note saying why."""
        passages = gather_passages(composition, hits, documents)
        history = (
            f"\nCâu hỏi trước trong cuộc trò chuyện: {previous_question}\n"
            if previous_question
            else ""
        )
        try:
            raw = self.chain.invoke(
                {"question": question, "passages": format_passages(passages), "history": history}
            )
        except Exception as exc:  # connection refused, timeout, HTTP errors: providers differ
            log.warning("LLM call failed (%s: %s); extractive answer used", type(exc).__name__, exc)
            return composition, NOTE_MODEL_DOWN
        text, used = check_citations(raw, len(passages))
        if not used:
            return composition, NOTE_NO_CITATION
        citations = [
            passages[number - 1].citation.model_copy(update={"id": new})
            for new, number in enumerate(used, start=1)
        ]
        return (
            Composition(text=text, abstained=False, citations=citations, tasks=composition.tasks),
            None,
        )


def ask_with_llm(
    assistant: Assistant,
    question: str,
    previous: PreviousTurn | None = None,
    llm: LlmAnswerer | None = None,
) -> Answer:
    """Like ``Assistant.ask``; with a model, the non-abstaining answer is written by it."""
    question = validate_question(question, assistant.settings.max_question_chars)
    hits, composition, timing = assistant.compose(question, previous)
    note = None
    if llm is not None and not composition.abstained:
        started = time.perf_counter()
        composition, note = llm.rewrite(
            question,
            composition,
            hits,
            assistant.files.documents,
            previous.question if previous else None,
        )
        timing["generate"] = round((time.perf_counter() - started) * 1000, 2)
        timing["total"] = round(timing["total"] + timing["generate"], 2)
    return composition.to_answer(timing, note)
