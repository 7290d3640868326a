"""What a question asks for (owner, deadline, status, …), scored over many paraphrases.

Officials ask the same thing in many ways ("hạn bao giờ", "phải xong lúc nào", "mốc hoàn
thành"), often without diacritics and with typos. Cue phrases live in ``data/intents.json``
(folded words); a cue matches when its words occur in order with at most ``MAX_GAP`` other
words between them, and a question word one edit away from a cue word counts as that word.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import OSA

MAX_GAP = 2
# "*" in a cue ("da * chua", "giam doc * la ai") lets a whole name stand between its words.
WIDE_GAP = 8
# Longer cue words tolerate one typo; short ones ("han", "ai") would match too much.
TYPO_MIN_LENGTH = 4
_WORD = re.compile(r"[0-9a-z]+")
_CUE_WORD = re.compile(r"[0-9a-z]+|\*")


@dataclass(frozen=True)
class Cue:
    intent: str
    words: tuple[str, ...]
    # The words a question must contain for the cue to match (a cheap set test first).
    needs: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def intent_cues() -> dict[str, list[str]]:
    data = json.loads(resources.files("rag").joinpath("data/intents.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}  # "_comment", "_not_cues"


@lru_cache(maxsize=1)
def _cues() -> tuple[Cue, ...]:
    return tuple(
        Cue(intent, words, frozenset(w for w in words if w != "*"))
        for intent, phrases in intent_cues().items()
        for phrase in phrases
        for words in [tuple(_CUE_WORD.findall(phrase))]
    )


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """Every word of every cue: the words that say what is asked, not about what."""
    return frozenset(w for cue in _cues() for w in cue.words if w != "*")


@lru_cache(maxsize=4096)
def _as_cue_word(word: str) -> str:
    """A question word, or the cue word it is a one-letter typo of ("hoan thnah" -> thanh)."""
    vocabulary = cue_words()
    if word in vocabulary or len(word) < TYPO_MIN_LENGTH:
        return word
    close = [w for w in vocabulary if len(w) >= TYPO_MIN_LENGTH and OSA.distance(word, w) == 1]
    return close[0] if len(close) == 1 else word


@lru_cache(maxsize=1)
def _not_cues() -> tuple[tuple[str, str], ...]:
    """Compounds whose words are cue words but mean something else ("hạn chế" is a
    limitation, not a deadline): joined into one word before matching."""
    data = json.loads(resources.files("rag").joinpath("data/intents.json").read_text("utf-8"))
    return tuple((phrase, phrase.replace(" ", "")) for phrase in data.get("_not_cues", []))


def question_words(folded_question: str) -> list[str]:
    text = f" {' '.join(_WORD.findall(folded_question))} "
    for phrase, joined in _not_cues():
        text = text.replace(f" {phrase} ", f" {joined} ")
    return [_as_cue_word(w) for w in text.split()]


def _matches(cue: tuple[str, ...], words: list[str]) -> bool:
    for start, word in enumerate(words):
        if word != cue[0]:
            continue
        position, gap = start, MAX_GAP
        for wanted in cue[1:]:
            if wanted == "*":
                gap = WIDE_GAP
                continue
            window = words[position + 1 : position + 2 + gap]
            if wanted not in window:
                break
            position, gap = position + 1 + window.index(wanted), MAX_GAP
        else:
            return True
    return False


def detect_intents(folded_question: str) -> tuple[str, ...]:
    """Intents whose cues match, most specific first: more cue words matched ranks higher;
    equal scores keep the priority order of the data file."""
    words = question_words(folded_question)
    present = frozenset(words)
    scores: dict[str, int] = {}
    for cue in _cues():
        # A cue matches only if the question has all its words: most cues fail this set test.
        if cue.needs <= present and _matches(cue.words, words):
            scores[cue.intent] = max(scores.get(cue.intent, 0), len(cue.words))
    if not scores:
        return ("general",)
    found = [i for i in intent_cues() if i in scores]
    # Task fields trade places by match strength; the other intents keep file priority
    # (a registry listing must stay ahead of the owner cue in "nhiệm vụ nào … chủ trì").
    slots = [n for n, i in enumerate(found) if i in TASK_FIELDS]
    by_strength = sorted((found[n] for n in slots), key=lambda i: -scores[i])
    for slot, intent in zip(slots, by_strength, strict=True):
        found[slot] = intent
    return tuple(found)


TASK_FIELDS = frozenset(["owner", "coordinator", "deadline", "status", "directive", "product"])
