"""Questions respelt in the corpus's own words before they are analysed.

Officials type in a chat box: "bn", "ko", "nv" for bao nhiêu, không, nhiệm vụ; a letter
dropped, doubled or swapped ("ke hoah", "thanh lapp"); two words run together ("chutri");
an accent on a wrong letter ("quyêt"). A word no indexed passage uses cannot be matched
and, weighed as the rarest word there is, makes every passage look as if it missed the
point, so the assistant abstains on a question it could answer. Only such words are
touched: a word the corpus uses is never respelt, and names (capitalized words inside a
question) are left as typed, since a name the documents lack is a reason to abstain.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import OSA

from rag.intents import cue_words
from rag.text import fold, has_diacritics

# Shorter words have too many neighbours one edit away ("hpo": hop, hoa, ho, po…).
MIN_TYPO_LENGTH = 4
# Each half of a run-together word is a real syllable, not a stray letter.
MIN_SPLIT_PART = 2
# Passages that must use a corrected word beside the question's neighbouring word before a
# real syllable the corpus lacks is respelt.
MIN_PHRASE_COUNT = 3
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# A Vietnamese syllable, folded: onset, vowel nucleus, coda. A word that cannot be one
# ("hoah", "lapp", "chutri") is a typo; one that can ("tren") may just be a word this
# corpus never uses, and guessing another word for it would change the question.
_NUCLEI = [
    "a",
    "ai",
    "ao",
    "au",
    "ay",
    "e",
    "eo",
    "i",
    "ia",
    "ie",
    "ieu",
    "iu",
    "o",
    "oa",
    "oai",
    "oao",
    "oay",
    "oe",
    "oeo",
    "oi",
    "oo",
    "u",
    "ua",
    "uai",
    "uay",
    "ue",
    "ui",
    "uo",
    "uoi",
    "uou",
    "uu",
    "uy",
    "uya",
    "uye",
    "uyu",
    "y",
    "ye",
    "yeu",
]
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnrstvx])?"
    rf"(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})"
    r"(?:ch|ng|nh|[cmnpt])?"
)
# "may" typed without accents is "mấy" (how many) unless a noun for a machine follows.
_HOW_MANY = re.compile(r"\bmay\b(?!\s+(?:chu|tinh|moc|in|quet|doc|anh|lanh|bay|do)\b)")


@lru_cache(maxsize=1)
def chat_forms() -> dict[str, str]:
    data = json.loads(resources.files("rag").joinpath("data/chat_forms.json").read_text("utf-8"))
    return dict(data["forms"])


class Speller:
    """Respells a question's unknown words as the indexed words they most likely mean."""

    def __init__(self, document_frequency: Mapping[str, int]) -> None:
        # Folded one-word tokens only: bigrams and accented twins are derived from them.
        self._df = {
            token: count
            for token, count in document_frequency.items()
            if token.isalpha() and "_" not in token and token == fold(token)
        }
        self._accented = frozenset(
            token
            for token in document_frequency
            if token.isalpha() and "_" not in token and token != fold(token)
        )
        self._words = list(self._df)
        self._bigrams = {
            token: count
            for token, count in document_frequency.items()
            if "_" in token and token == fold(token)
        }

    def respell(self, question: str) -> str:
        text = question if has_diacritics(question) else _HOW_MANY.sub("mấy", question)
        matches = list(_WORD.finditer(text))
        folded = [fold(m.group(0)) for m in matches]
        parts: list[str] = []
        end = 0
        for position, match in enumerate(matches):
            before = folded[position - 1] if position else ""
            after = folded[position + 1] if position + 1 < len(folded) else ""
            parts += [text[end : match.start()], self._respelt(match, before, after)]
            end = match.end()
        return "".join([*parts, text[end:]])

    def _respelt(self, match: re.Match[str], before: str, after: str) -> str:
        word = match.group(0)
        folded = fold(word)
        form = chat_forms().get(folded)
        if form is not None:
            return form
        if "j" in folded and folded.replace("j", "i") in self._df:
            return folded.replace("j", "i")  # "j" is no Vietnamese letter: "chi thj", "gjờ"
        if len(folded) < MIN_TYPO_LENGTH:
            return word
        if folded in self._df:
            # A misplaced accent ("quyêt"): the plain spelling is the corpus's word.
            lower = word.lower()
            return folded if lower != folded and lower not in self._accented else word
        if folded in cue_words() or _is_name(word, match.start()):
            return word
        if _SYLLABLE.fullmatch(folded):
            # A real syllable the corpus lacks is respelt only where the corpus's own
            # phrase leaves no doubt ("bao nhiu" -> nhieu, as in "bao nhiêu").
            return self._in_phrase(folded, before, after) or word
        return self._closest(folded, before, after) or word

    def _in_phrase(self, folded: str, before: str, after: str) -> str | None:
        fits = [(self._fit(w, before, after), w) for w in self._near(folded)]
        best = max(fits, default=None)
        return best[1] if best and best[0][0] >= MIN_PHRASE_COUNT else None

    @lru_cache(maxsize=4096)  # noqa: B019 - one speller per loaded index; bounded memo
    def _near(self, folded: str) -> tuple[str, ...]:
        found = process.extract(
            folded, self._words, scorer=OSA.distance, score_cutoff=1, limit=None
        )
        return tuple(w for w, _, _ in found)

    @lru_cache(maxsize=4096)  # noqa: B019 - one speller per loaded index; bounded memo
    def _closest(self, folded: str, before: str, after: str) -> str | None:
        """The indexed word one edit away that the corpus uses beside the neighbouring
        words ("ke hoah" -> hoach, not the commoner hoan), else the most used one; or
        two indexed words run together ("chutri")."""
        near = self._near(folded)
        if near:
            return max(near, key=lambda word: self._fit(word, before, after))
        splits = [
            (min(self._df[left], self._df[right]), f"{left} {right}")
            for cut in range(MIN_SPLIT_PART, len(folded) - MIN_SPLIT_PART + 1)
            for left, right in [(folded[:cut], folded[cut:])]
            if left in self._df and right in self._df
        ]
        return max(splits)[1] if splits else None

    def _fit(self, word: str, before: str, after: str) -> tuple[int, int, str]:
        beside = self._bigrams.get(f"{before}_{word}", 0) + self._bigrams.get(f"{word}_{after}", 0)
        return beside, self._df[word], word


def _is_name(word: str, position: int) -> bool:
    """A capitalized word past the question's first word, or an abbreviation ("LLTP")."""
    return word[:1].isupper() and (position > 0 or word.isupper() and len(word) > 1)
