"""Unit names (sở, bộ, UBND …): canonical names, aliases, finding and splitting them in text.

The curated list lives in ``rag/data/units.json``. Names compare on a squashed key (folded,
no spaces or punctuation), so ``Sở TT&TT``, ``Sở TT-TT``, ``so tttt`` and ``Sở TTTT`` are one
alias, and ``Lao động - Thương binh`` equals ``Lao động – Thương binh``. Typos go through
rapidfuzz with a threshold, only in :meth:`Gazetteer.canonical` and :meth:`Gazetteer.suggest`:
scanning free text stays exact so that prose never yields a unit by accident.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from rag.text import fold, normalize, squash

DEFAULT_PATH = Path(__file__).parent / "data" / "units.json"
FUZZY_THRESHOLD = 90.0
FUZZY_MIN_LENGTH = 5
SUGGEST_CUTOFF = 50.0

_WORD = re.compile(r"[^\W_]+")
# Cell separators between units; "(1) Bộ Công an (2) Văn phòng Chính phủ" numbers them.
_SEPARATORS = re.compile(r"[,;\n]|\(\s*\d+\s*\)|(?:^|\s)\d+[.)]\s")
# Words around unit names in cells that are not units themselves.
_EDGE_FILLER = re.compile(
    r"^(?:(?:và|cùng|với|các|phối hợp)\s+)+|(?:\s+(?:và|có liên quan|liên quan))+$",
    re.IGNORECASE,
)
# A leftover phrase counts as a unit when it names an organisation, or is capitalised
# ("Hòa Bình", "VNPost"); anything else is a fragment (a PDF line cut mid-word: "triển").
_HEAD_WORDS = re.compile(
    r"\b(?:sở|bộ|ban|ngành|ubnd|ủy ban|công an|cục|văn phòng|viện|tòa án|trung tâm|ngân hàng|"
    r"bảo hiểm|bưu điện|thanh tra|hải quan|đài|tổ|cơ quan|đơn vị|tổ chức|doanh nghiệp|hội|"
    r"địa phương|tập đoàn|tổng công ty)\b",
    re.IGNORECASE,
)
# Another province named in a list of localities, lower-case: "tỉnh Bình Dương", "thành phố
# Cần Thơ". The place name must be capitalised, so a cut-off "tỉnh" or "các tỉnh" stays out.
_PLACE = re.compile(r"^(?:tỉnh|thành phố|tp\.?)\s+[^\W\d_]", re.IGNORECASE)
# A counted group ("UBND 8 địa phương", "UBND 06 địa phương") is one unit; word by word it
# would read as "UBND 8" plus the loose "địa phương".
_COUNTED_GROUP = re.compile(
    r"\b(?:UBND|Ủy ban nhân dân)\s+(?:các\s+)?\d+\s+(?:địa phương|tỉnh,\s*thành(?:\s+phố)?|tỉnh)\b",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
# Head words of the two levels that share field names (Sở Y tế, Bộ Y tế).
_LEVEL_HEADS = {"so": "Sở", "bo": "Bộ"}


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str  # so, city, district, commune, province, bo, national, group
    aliases: tuple[str, ...] = ()
    loose: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """A unit found in text; ``start``/``end`` index the normalized text."""

    name: str
    start: int
    end: int


# Folding merges "Sở" (department) with "số" ("chuyển đổi số y tế"); "số" keeps its accent
# in keys so it never reads as "Sở". Unaccented "so" still matches "Sở".
_KEEP_ACCENTED = {"số"}


def _word_key(word: str) -> str:
    low = word.lower()
    return low if low in _KEEP_ACCENTED else squash(word)


def _key(text: str) -> str:
    """Comparison key: folded words without spaces or punctuation ("Sở TT&TT" -> "sotttt")."""
    return "".join(_word_key(w) for w in _WORD.findall(normalize(text)))


def _spaced(text: str) -> str:
    """Folded words separated by single spaces: the form fuzzy matching compares."""
    return " ".join(_WORD.findall(fold(normalize(text))))


def _swap_terms(alias: str, groups: list[list[str]]) -> set[str]:
    variants = {alias}
    for group in groups:
        for variant in list(variants):
            for term in group:
                pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
                if pattern.search(variant):
                    variants.update(pattern.sub(other, variant) for other in group if other != term)
    return variants


def _swap_suffix(alias: str, suffixes: list[str]) -> set[str]:
    variants = {alias}
    for suffix in suffixes:
        if re.search(rf"(?<!\w){re.escape(suffix)}$", alias, re.IGNORECASE):
            stem = alias[: len(alias) - len(suffix)]
            variants.update(stem + other for other in suffixes)
    return variants


class Gazetteer:
    """Curated units with their aliases; build with :meth:`load` or :func:`default_gazetteer`."""

    def __init__(
        self,
        units: list[Unit],
        equivalents: list[list[str]] | None = None,
        city_suffixes: list[str] | None = None,
    ) -> None:
        self.units = {u.name: u for u in units}
        self._exact: dict[str, str] = {}
        self._loose: dict[str, str] = {}
        self._spellings: dict[str, set[str]] = {}
        for unit in units:
            for spelling in (unit.name, *unit.aliases):
                for variant in self._variants(
                    unit, spelling, equivalents or [], city_suffixes or []
                ):
                    self._exact.setdefault(_key(variant), unit.name)
                    self._spellings.setdefault(unit.name, set()).add(variant)
            for spelling in unit.loose:
                self._loose.setdefault(_key(spelling), unit.name)
        self._exact.pop("", None)
        # Every leading part of every key: scanning text stops extending a window as soon as
        # its words cannot begin any name, instead of trying every window size at every word.
        self._key_prefixes = {
            key[:end] for key in (*self._exact, *self._loose) for end in range(1, len(key) + 1)
        }
        # Free text is scanned in windows of words; an alias may span a few more words
        # in text than in the list ("TT&TT" is two words, "TTTT" one).
        longest = max(
            (len(_WORD.findall(s)) for v in self._spellings.values() for s in v), default=1
        )
        self._window = longest + 3
        self._choices = {
            spelling: name
            for name, spellings in self._spellings.items()
            for spelling in {_spaced(s) for s in spellings}
        }
        # Typo correction compares a name only with spellings that start with the same word:
        # "Giáo dục và Đào tạo" is a field that both a Sở and a Bộ cover, and adding the
        # missing head word would pick one of them at random.
        self._choices_by_head: dict[str, list[str]] = {}
        for spelling in self._choices:
            self._choices_by_head.setdefault(spelling.split()[0], []).append(spelling)

    @staticmethod
    def _variants(
        unit: Unit, spelling: str, equivalents: list[list[str]], suffixes: list[str]
    ) -> set[str]:
        variants = _swap_terms(spelling, equivalents)
        if unit.kind in ("so", "city"):
            if unit.kind == "so" and spelling == unit.name:
                variants.add(f"{spelling} Thành phố")
            for variant in list(variants):
                variants |= _swap_suffix(variant, suffixes)
        return variants

    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        data = json.loads(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
        units = [
            Unit(
                name=normalize(u["name"]),
                kind=u["kind"],
                aliases=tuple(normalize(a) for a in u.get("aliases", [])),
                loose=tuple(normalize(a) for a in u.get("loose", [])),
            )
            for u in data["units"]
        ]
        return cls(units, data.get("equivalents"), data.get("city_suffixes"))

    def kind(self, name: str) -> str | None:
        canonical = self.canonical(name)
        return self.units[canonical].kind if canonical else None

    def aliases_of(self, name: str) -> list[str]:
        """Curated aliases of a unit (given by its canonical name or any exact alias)."""
        canonical = self._exact.get(_key(name)) or self._loose.get(_key(name))
        if canonical is None:
            return []
        unit = self.units[canonical]
        return list(unit.aliases + unit.loose)

    def canonical(self, name: str) -> str | None:
        """Canonical unit for a name: exact alias (accents, case, punctuation ignored), then a
        name that contains exactly one known unit, then a close spelling (typos)."""
        key = _key(name or "")
        if not key:
            return None
        if key in self._exact:
            return self._exact[key]
        if key in self._loose:
            return self._loose[key]
        found = set(self.find_in_text(name))
        if len(found) == 1:
            return found.pop()
        return self._close_spelling(_spaced(name))

    def _close_spelling(self, query: str) -> str | None:
        """Unit of the closest curated spelling with the same head word and the same numbers
        ("UBND 8 địa phương" is not a typo of "UBND 63 địa phương")."""
        if len(query) < FUZZY_MIN_LENGTH:
            return None
        numbers = _DIGITS.findall(query)
        choices = [
            spelling
            for spelling in self._choices_by_head.get(query.split()[0], [])
            if _DIGITS.findall(spelling) == numbers
        ]
        best = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        return self._choices[best[0]] if best else None

    def suggest(self, name: str, limit: int = 5) -> list[str]:
        """Closest canonical units to a name, best first (for "unknown unit" answers)."""
        query = _spaced(name or "")
        if not query:
            return []
        # Shared words first ("so thong tin" lies inside "so thong tin va truyen thong"), then
        # overall likeness to order names that share the same words.
        scored = [
            (fuzz.token_set_ratio(query, spelling), fuzz.ratio(query, spelling), spelling)
            for spelling in self._choices
        ]
        ranked = sorted((s for s in scored if s[0] >= SUGGEST_CUTOFF), reverse=True)
        names: list[str] = []
        for _, _, spelling in ranked:
            canonical = self._choices[spelling]
            if canonical not in names:
                names.append(canonical)
            if len(names) == limit:
                break
        return names

    def matches(self, text: str, loose: bool = False) -> list[Match]:
        """Units in normalized ``text``, leftmost-longest, never overlapping."""
        text = normalize(text or "")
        words = [(_word_key(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(text)]
        words = [w for w in words if w[0]]
        found: list[Match] = []
        i = 0
        while i < len(words):
            key, longest = "", None
            for size in range(1, min(self._window, len(words) - i) + 1):
                key += words[i + size - 1][0]
                if key not in self._key_prefixes:
                    break
                name = self._exact.get(key) or (self._loose.get(key) if loose else None)
                if name:
                    longest = (name, size)
            if longest is None:
                i += 1
                continue
            name, size = longest
            found.append(Match(name, words[i][1], words[i + size - 1][2]))
            i += size
        return found

    def find_in_text(self, text: str) -> list[str]:
        """Canonical units mentioned in a text, in order of first mention, each once."""
        return list(dict.fromkeys(m.name for m in self.matches(text)))

    def split(self, cell: str) -> list[str]:
        """Units of a table cell, in order: canonical names where known, else the cleaned phrase.

        Group phrases with commas inside ("Các sở, ban, ngành", "UBND phường, xã, thị trấn")
        are aliases, so they are matched before the cell is cut at its commas. A bare field
        name ("Tài nguyên và Môi trường") takes the head word of the Sở or Bộ named beside it.
        """
        text = normalize(cell or "")
        found = self._cell_matches(text)
        pieces: list[tuple[int, str]] = [(m.start, m.name) for m in found]
        phrases: list[tuple[int, str]] = []
        edges = [0, *(edge for m in found for edge in (m.start, m.end)), len(text)]
        for gap_start, gap_end in zip(edges[::2], edges[1::2], strict=True):
            for offset, part in _segments(text, gap_start, gap_end):
                phrase = _clean_phrase(part)
                if not phrase:
                    continue
                name = self.canonical(phrase)
                (pieces if name else phrases).append((offset, name or phrase))
        level = self._sibling_level(name for _, name in pieces)
        pieces += [(offset, self._with_head(phrase, level)) for offset, phrase in phrases]
        pieces.sort(key=lambda piece: piece[0])
        return list(dict.fromkeys(name for _, name in pieces))

    def _sibling_level(self, names: Iterable[str]) -> str | None:
        """The one level (so/bo) of the departments or ministries named in a cell, if any."""
        units = [self.units[n] for n in names if n in self.units]
        levels = {u.kind for u in units if u.kind in _LEVEL_HEADS}
        return levels.pop() if len(levels) == 1 else None

    def _with_head(self, phrase: str, level: str | None) -> str:
        # The plan writes "Tài nguyên và Môi trường, Sở Thông tin và Truyền thông": the Sở
        # beside it says which level the bare field name means; alone it stays as written.
        if level is None:
            return phrase
        name = self.canonical(f"{_LEVEL_HEADS[level]} {phrase}")
        return name if name and self.units[name].kind == level else phrase

    def _cell_matches(self, text: str) -> list[Match]:
        """Units of a whole cell: counted groups first, then curated names around them."""
        counted = [
            Match(self.canonical(m.group(0)) or " ".join(m.group(0).split()), m.start(), m.end())
            for m in _COUNTED_GROUP.finditer(text)
        ]
        named = [
            m
            for m in self.matches(text, loose=True)
            if not any(m.start < c.end and c.start < m.end for c in counted)
        ]
        return sorted(counted + named, key=lambda m: m.start)


def _segments(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Parts of ``text[start:end]`` between separators, with their offsets."""
    parts, position = [], start
    for sep in _SEPARATORS.finditer(text, start, end):
        parts.append((position, text[position : sep.start()]))
        position = sep.end()
    parts.append((position, text[position:end]))
    return parts


def _clean_phrase(part: str) -> str | None:
    phrase = " ".join(part.split()).strip(" .:-–")
    previous = None
    while phrase != previous:
        previous = phrase
        phrase = _EDGE_FILLER.sub("", phrase).strip(" .:-–")
    if not phrase or not (phrase[0].isupper() or _HEAD_WORDS.search(phrase) or _is_place(phrase)):
        return None
    return phrase


def _is_place(phrase: str) -> bool:
    match = _PLACE.match(phrase)
    return bool(match) and match.group(0)[-1].isupper()


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.load()


def split_units(cell: str, gazetteer: Gazetteer | None = None) -> list[str]:
    """Units of a multi-unit cell ("Sở Tài chính, Sở Kế hoạch và Đầu tư" -> two units)."""
    return (gazetteer or default_gazetteer()).split(cell)
