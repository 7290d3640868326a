"""Who signed a document: the signature block at the end of an official document
("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Dương Anh Đức"), and questions that ask for it.

Pure functions over a document's lines and the folded question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text import normalize

# Signing titles as printed in capitals: on behalf of (KT./TM./TL./Q.) and the office itself.
_TITLE = re.compile(
    r"^(?:(?:KT|TM|TL|Q|TUQ)\.\s*)?(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|TỔ TRƯỞNG|"
    r"BỘ TRƯỞNG|THỨ TRƯỞNG|CỤC TRƯỞNG|CHÁNH VĂN PHÒNG|TRƯỞNG PHÒNG|BÍ THƯ|THỦ TRƯỞNG|"
    r"TỔ PHÓ(?: THƯỜNG TRỰC)?|ỦY BAN NHÂN DÂN|BAN CHỈ ĐẠO|TỔ CÔNG TÁC)(?:\s.*)?$"
)
# A person's name: two to five capitalised syllables, after a police or army rank if any.
_NAME = re.compile(
    r"^(?:(?:Thượng|Trung|Thiếu|Đại)\s+(?:tướng|tá|úy|uý)\s+)?"
    r"(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\s+){1,4}[A-ZĐÀ-Ỹ][a-zà-ỹđ]+$"
)
# How far below the last title line the name may stand (blank lines and the stamp between).
NAME_WINDOW = 6
# "ai ký", "người ký", "ký bởi ai", "ký tên"; folded "ky" alone is also "kỳ" (a period).
_ASKS_SIGNER = re.compile(
    r"\b(?:ai|nguoi|dong chi nao|lanh dao nao|ong nao|ba nao)\s+(?:da\s+)?ky\b"
    r"|\bky\s+(?:boi|ten|thay)\b|\bnguoi\s+ky\b|\bky\b.*\b(?:la ai|ai vay|ai the|ai a)\b"
)


@dataclass(frozen=True)
class Signature:
    titles: tuple[str, ...]  # e.g. ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    name: str
    line_start: int  # 1-based, first title line
    line_end: int  # the name line

    @property
    def role(self) -> str:
        return self.titles[-1].capitalize() if self.titles else ""


def asks_signer(folded_question: str) -> bool:
    return bool(_ASKS_SIGNER.search(folded_question))


def find_signature(lines: list[str]) -> Signature | None:
    """The last signature block of a page: capital title lines, then a name below them."""
    found: Signature | None = None
    index = 0
    while index < len(lines):
        titles, start = [], index
        while index < len(lines) and (
            _TITLE.match(normalize(lines[index]).strip()) or (titles and not lines[index].strip())
        ):
            if lines[index].strip():
                titles.append(normalize(lines[index]).strip())
            index += 1
        if titles:
            name = _name_below(lines, index)
            if name is not None:
                found = Signature(tuple(titles), name[1], start + 1, name[0] + 1)
        index = max(index, start + 1)
    return found


def _name_below(lines: list[str], start: int) -> tuple[int, str] | None:
    for position in range(start, min(start + NAME_WINDOW, len(lines))):
        text = normalize(lines[position]).strip()
        if not text:
            continue
        return (position, text) if _NAME.match(text) else None
    return None
