"""Does the evidence meet what the question constrains? Places, years, periods, document
numbers and money must be present in the passages an answer cites; otherwise the nearest
sentence answers a different question and the assistant should say it does not know.

Pure functions over folded text ("words only": lower case, no diacritics, single spaces).
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rag.query import expansions, home_place_names
from rag.text import fold, has_diacritics

_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d\d)(?![\d/])")
# "Đến 31/12/2024": the year of a full date the question is as of.
_DATED_YEAR = re.compile(r"(?<!\d)\d{1,2}/\d{1,2}/((?:19|20)\d\d)(?!\d)")
_PERIOD = re.compile(r"\b(\d{1,2}|sau|chin|ba|muoi hai) thang\b(?! \d)(?! nam \d)")
_PERIOD_WORDS = {"sau": "6", "chin": "9", "ba": "3", "muoi hai": "12"}
_MONEY_QUESTION = re.compile(
    r"\b(?:bao nhieu|may) (?:tien|ty|trieu|dong)\b|\b(?:kinh phi|ngan sach|phu cap|muc luong|"
    r"chi phi|gia tri hop dong|gia goi thau|tong muc dau tu)\b.*\b(?:bao nhieu|(?<!thang )"
    r"(?<!quy )(?<!ngay )(?<!nam )(?<!gio )(?<!lan )may)\b"
)
_MONEY_EVIDENCE = re.compile(r"\d[\d.,]*\s*(?:ty|trieu|nghin|dong|vnd)\b")
_NAMED_NUMBER = re.compile(
    r"\b(chi thi|nghi quyet|thong bao|quyet dinh|cong van|nghi dinh|thong tu|ke hoach)"
    r" (?:so )?0*(\d{1,5})\b(?! nam)"
)


@dataclass(frozen=True)
class Constraint:
    kind: str  # place, year, period, money, document, role, actual
    label: str  # how the answer names it
    keys: tuple[str, ...]  # folded forms; the evidence must hold one of them


def words_only(text: str) -> str:
    return " " + re.sub(r"[^0-9a-z]+", " ", fold(text)).strip() + " "


@lru_cache(maxsize=1)
def _provinces() -> tuple[tuple[str, str], ...]:
    data = json.loads(resources.files("rag").joinpath("data/places.json").read_text("utf-8"))
    return tuple((name, words_only(name).strip()) for name in data["provinces"])


@lru_cache(maxsize=1)
def _home_keys() -> frozenset[str]:
    """The city every document is about: naming it constrains nothing."""
    return frozenset(words_only(name).strip() for name in home_place_names())


@lru_cache(maxsize=1)
def _districts() -> tuple[tuple[str, str], ...]:
    data = json.loads(resources.files("rag").joinpath("data/places.json").read_text("utf-8"))
    return tuple((name, words_only(name).strip()) for name in data.get("districts", []))


def place_constraints(folded_question: str) -> list[Constraint]:
    padded = words_only(folded_question)
    home = _home_keys()
    found = []
    for name, key in _provinces():
        if f" {key} " in padded and key not in home:
            found.append(Constraint("place", name, (key,)))
    for name, key in _districts():
        if f" {key} " in padded:
            found.append(Constraint("district", name, (key,)))
    return found


_DAY_ASKED = re.compile(r"\b(?:ngay nao|ngay may|ngay bao nhieu|hom nao)\b")
_DAY_GIVEN = re.compile(r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\bngày\s+\d{1,2}\b", re.IGNORECASE)


def day_constraints(folded_question: str) -> list[Constraint]:
    """ "Tổ chức ngày nào": a month ("Tháng 6/2024") does not say which day."""
    if _DAY_ASKED.search(words_only(folded_question)):
        return [Constraint("day", "ngày cụ thể", ())]
    return []


def year_constraints(folded_question: str) -> list[Constraint]:
    years = [*_YEAR.findall(folded_question), *_DATED_YEAR.findall(folded_question)]
    return [Constraint("year", f"năm {y}", (y,)) for y in dict.fromkeys(years)]


def period_constraints(folded_question: str) -> list[Constraint]:
    found = []
    for match in _PERIOD.finditer(words_only(folded_question)):
        number = _PERIOD_WORDS.get(match.group(1), match.group(1)).lstrip("0")
        words = [w for w, n in _PERIOD_WORDS.items() if n == number]
        keys = (f"{number} thang", f"0{number} thang", *(f"{w} thang" for w in words))
        found.append(Constraint("period", f"{number} tháng", keys))
    return found


def money_constraints(folded_question: str, typed: str = "") -> list[Constraint]:
    """ "Bao nhiêu tiền/tỷ/đồng", "kinh phí … bao nhiêu"; typed with accents, "bao nhiêu
    dòng" counts rows ("đồng" and "dòng" fold alike)."""
    match = _MONEY_QUESTION.search(words_only(folded_question))
    if not match:
        return []
    if match.group(0).endswith(" dong") and has_diacritics(typed) and "đồng" not in typed.lower():
        return []
    return [Constraint("money", "số tiền", ())]


_ACTUAL_QUESTION = re.compile(r"\b(?:thuc te|da dat|dat duoc|thuc dat)\b")
_TARGET_EVIDENCE = re.compile(r"\b(?:chi tieu|muc tieu|phan dau)\b")
_ACTUAL_EVIDENCE = re.compile(
    r"\bda (?:dat|cap|thuc hien|hoan thanh|trien khai|kich hoat|thu nhan|tiep nhan|co)\b"
    r"|\bdat duoc\b|\bket qua thuc hien\b"
)


def actual_constraints(folded_question: str) -> list[Constraint]:
    """ "Thực tế đã đạt bao nhiêu": a plan's target ("chỉ tiêu 80%") is not what was achieved."""
    if _ACTUAL_QUESTION.search(words_only(folded_question)):
        return [Constraint("actual", "số liệu thực tế (chỉ có chỉ tiêu, mục tiêu)", ())]
    return []


# The code a document number carries for its kind ("1948/KH-UBND" is a plan, not a
# decision); a công văn's number often carries its issuer's code instead ("1867/UBND-KSTT").
_KIND_CODES = {
    "chi thi": "ct",
    "nghi quyet": "nq",
    "thong bao": "tb",
    "quyet dinh": "qd",
    "nghi dinh": "nd",
    "thong tu": "tt",
    "ke hoach": "kh",
}


def document_constraints(folded_question: str) -> list[Constraint]:
    found = []
    for match in _NAMED_NUMBER.finditer(words_only(folded_question)):
        kind, number = match.groups()
        code = _KIND_CODES.get(kind, "")
        keys = (f"{kind} {number}", f"{kind} so {number}", f"{kind} 0{number}")
        if code:
            keys = (*keys, f"{code} {number}", f"{code} so {number}", f"{code} 0{number}")
        found.append(Constraint("document", f"{kind} {number}", (*keys, code, f"{number} ")))
    return found


_ROLE_LABELS = {
    "chu tich": "chủ tịch",
    "giam doc": "giám đốc",
    "truong ban": "trưởng ban",
    "truong phong": "trưởng phòng",
    "bo truong": "bộ trưởng",
    "thu truong": "thứ trưởng",
    "cuc truong": "cục trưởng",
    "chanh van phong": "chánh văn phòng",
    "bi thu": "bí thư",
}
_ROLE = re.compile(rf"\b(pho )?({'|'.join(_ROLE_LABELS)})\b")
_ASKS_PERSON = re.compile(r"\b(?:la ai|ten gi|ten la|ho ten|ai dang|ai hien|ai giu)\b")


def role_constraints(folded_question: str) -> list[Constraint]:
    """ "Chủ tịch UBND TP tên gì": a name printed beside another title ("Phó Chủ tịch")
    answers a different question."""
    padded = words_only(folded_question)
    if not _ASKS_PERSON.search(padded):
        return []
    found = []
    for match in _ROLE.finditer(padded):
        deputy, role = match.groups()
        label = f"{'phó ' if deputy else ''}{_ROLE_LABELS[role]}"
        organization = _ORGANIZATION.match(padded[match.end() :])
        keys: tuple[str, ...] = (f"{deputy or ''}{role}",)
        words = organization.group(0).split() if organization else []
        name = list(itertools.takewhile(lambda w: w not in _NOT_A_NAME, words[1:]))
        if name:
            label = f"{label} {' '.join(words[: len(name) + 1])}"
            keys = (*keys, " ".join(name), *expansions(" ".join(name)))
        found.append(Constraint("role", label, keys))
    return found


_NOT_A_NAME = frozenset(
    ["ten", "la", "gi", "ai", "nao", "ho", "hien", "dang", "giu", "cua", "phu", "trach", "nam"]
)
# The body a title belongs to, named right after it: "giám đốc sở tư pháp", "chủ tịch ubnd".
_ORGANIZATION = re.compile(
    r" ?(?:so|bo|cuc|ubnd|uy ban|trung tam|van phong|ban|cong an|thanh tra) (?:[a-z0-9]+ ?){1,2}"
)


def question_constraints(searchable_question: str) -> list[Constraint]:
    """Constraints of a question whose document names ("Kế hoạch 2024") are blanked out."""
    folded = fold(searchable_question)
    return [
        *place_constraints(folded),
        *year_constraints(folded),
        *period_constraints(folded),
        *money_constraints(folded, searchable_question),
        *document_constraints(folded),
        *role_constraints(folded),
        *actual_constraints(folded),
        *day_constraints(folded),
    ]


def answer_states_day(answer: str) -> bool:
    return bool(_DAY_GIVEN.search(answer))


def is_met(constraint: Constraint, evidence_words: str) -> bool:
    if constraint.kind == "money":
        return bool(_MONEY_EVIDENCE.search(evidence_words))
    if constraint.kind == "day":
        return True  # judged on the answer itself (answer_states_day), not on the passage
    if constraint.kind == "district":
        # "Quận 12" is also named inside a list: "Quận 5, 10, 12".
        head, _, number = constraint.keys[0].partition(" ")
        if number.isdigit():
            return bool(re.search(rf" {head} (?:\d+ ){{0,8}}{number} ", evidence_words))
        return f" {constraint.keys[0]} " in evidence_words
    if constraint.kind == "actual":
        return not _TARGET_EVIDENCE.search(evidence_words) or bool(
            _ACTUAL_EVIDENCE.search(evidence_words)
        )
    if constraint.kind == "document":
        # "Chỉ thị 04" is met by "04/CT-TTg", "CT 04" and "Chỉ thị số 04"; "Quyết định 1948"
        # is not met by "1948/KH-UBND".
        number, code = constraint.keys[-1].strip(), constraint.keys[-2]
        codes = code or r"[a-z]+"
        return any(f" {k}" in evidence_words for k in constraint.keys[:-2]) or bool(
            re.search(rf" 0*{number} (?:\d{{4}} )?(?:{codes})\b", evidence_words)
        )
    if constraint.kind == "role":
        # The title itself, not only as part of a deputy's ("phó chủ tịch"), and of the body
        # the question names when it names one (not another body's "Phó Giám đốc").
        role, bodies = constraint.keys[0], constraint.keys[1:]
        before = "" if role.startswith("pho ") else "(?<! pho)"
        after = rf"(?:[a-z0-9]+ ){{0,3}}(?:{'|'.join(map(re.escape, bodies))}) " if bodies else ""
        return bool(re.search(rf"{before} {role} {after}", evidence_words))
    return any(f" {k} " in evidence_words for k in constraint.keys)


def unmet(constraints: list[Constraint], evidence: str) -> list[Constraint]:
    words = words_only(evidence)
    return [c for c in constraints if not is_met(c, words)]
