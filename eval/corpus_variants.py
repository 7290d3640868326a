"""Synthetic look-alike documents for the scale test: the shipped documents with their place,
units, years, figures and task verbs varied, so every copy keeps the same shapes (headings,
tab-delimited and one-cell-per-line tables, numbered rows) while its rows are distinct.

Pure text functions; ``eval/scale.py`` writes the copies and measures the index built on them.
"""

from __future__ import annotations

import re

# Other provinces: each copy is "the same programme, another province's documents".
PLACES = (
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Nghệ An", "Thanh Hóa", "Bình Dương",
    "Đồng Nai", "Khánh Hòa", "Lâm Đồng", "Quảng Ninh", "Bắc Ninh", "Hải Dương", "Nam Định",
    "Thái Bình", "Ninh Bình", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế",
    "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên", "Ninh Thuận", "Bình Thuận", "Kon Tum",
    "Gia Lai", "Đắk Lắk", "Đắk Nông", "Bình Phước", "Tây Ninh", "Long An", "Tiền Giang",
    "Bến Tre", "Vĩnh Long", "Trà Vinh", "Đồng Tháp", "An Giang", "Kiên Giang", "Hậu Giang",
    "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Lào Cai", "Yên Bái", "Sơn La", "Điện Biên", "Lai Châu",
)  # fmt: skip

# City departments rotate among each other in each copy (who leads a task changes).
DEPARTMENTS = (
    "Sở Thông tin và Truyền thông", "Sở Nội vụ", "Sở Tư pháp", "Sở Y tế",
    "Sở Giáo dục và Đào tạo", "Sở Kế hoạch và Đầu tư", "Sở Tài chính",
    "Sở Tài nguyên và Môi trường", "Sở Xây dựng", "Sở Giao thông vận tải", "Sở Công Thương",
    "Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Phát triển nông thôn",
)  # fmt: skip

# Task verbs and their stand-ins; bit i of the copy number switches pair i on.
VERB_VARIANTS = (
    ("Triển khai", "Tổ chức thực hiện"),
    ("Xây dựng", "Hoàn thiện"),
    ("Tiếp tục", "Duy trì"),
    ("Đẩy mạnh", "Tăng cường"),
    ("Hướng dẫn", "Chỉ đạo"),
    ("Phối hợp", "Cùng"),
)

_CITY_NAMES = re.compile(r"Thành phố Hồ Chí Minh|TP\.\s?HCM|TPHCM|TP Hồ Chí Minh|Hồ Chí Minh")
_CITY_WORD = re.compile(r"\b(Thành phố|thành phố)\b")
_YEAR = re.compile(r"(?<!\d)(20[0-3]\d)(?!\d)")
_FIGURE = re.compile(r"(?<![\d/.,])([1-9]\d{1,2})(?![\d/])")
YEAR_SHIFT = 30
# Row numbers from 10 up move with the figures while 1-9 stay; a shift above 20 would put a
# jump of more than MAX_ROW_GAP (25, ingest/structure.py) after row 9 and lose the rest of the
# table from copy 25 on (50x had 29,788 task rows instead of 44,050). Copies 21+ repeat the
# figures of copies 1+; their years still differ.
FIGURE_SHIFTS = 20


def place_of(copy: int) -> str:
    return PLACES[(copy - 1) % len(PLACES)]


def vary_place(text: str, copy: int) -> str:
    """Ho Chi Minh City becomes another province; "Thành phố" its "Tỉnh"."""
    place = place_of(copy)
    text = _CITY_NAMES.sub(f"tỉnh {place}", text)
    return _CITY_WORD.sub(lambda m: "Tỉnh" if m.group(1)[0] == "T" else "tỉnh", text)


def vary_departments(text: str, copy: int) -> str:
    """Each department name is replaced by another one, the same permutation in the whole copy."""
    shift = copy % len(DEPARTMENTS) or 1
    mapping = {
        name: DEPARTMENTS[(i + shift) % len(DEPARTMENTS)] for i, name in enumerate(DEPARTMENTS)
    }
    pattern = re.compile("|".join(re.escape(n) for n in sorted(mapping, key=len, reverse=True)))
    return pattern.sub(lambda m: mapping[m.group(0)], text)


def vary_years(text: str, copy: int) -> str:
    """Years move past any year the shipped documents mention, by a different amount per copy."""
    return _YEAR.sub(lambda m: str(int(m.group(1)) + YEAR_SHIFT + copy), text)


def vary_figures(text: str, copy: int) -> str:
    """Two- and three-digit figures change; row numbers below 10 and "06" (the programme) stay."""
    return shift_figures(text, (copy - 1) % FIGURE_SHIFTS + 1)


def shift_figures(text: str, shift: int) -> str:
    return _FIGURE.sub(lambda m: str(int(m.group(1)) + shift), text)


def vary_verbs(text: str, copy: int) -> str:
    for bit, (verb, other) in enumerate(VERB_VARIANTS):
        if copy >> bit & 1:
            text = re.sub(rf"\b{verb}\b", other, text)
    return text


def vary_text(text: str, copy: int) -> str:
    """A whole document's text for copy number ``copy`` (1-based)."""
    for step in (vary_years, vary_figures, vary_place, vary_departments, vary_verbs):
        text = step(text, copy)
    return text


def vary_manifest_entry(entry: dict, copy: int) -> dict:
    """Titles and aliases name the copy's province, so a question naming a shipped document
    ("Kế hoạch 2024", "Phụ lục 03") still names only that one."""
    place = place_of(copy)
    varied = dict(entry)
    for key in ("title", "short_title", "issuer"):
        if varied.get(key):
            text = vary_text(varied[key], copy)
            varied[key] = text if place in text else f"{text} ({place})"
    if varied.get("date"):
        varied["date"] = vary_years(varied["date"], copy)
    if varied.get("number"):
        varied["number"] = shift_figures(varied["number"], copy + 100)
    varied["aliases"] = [f"{vary_text(a, copy)} {place}" for a in entry.get("aliases", [])]
    return varied


def copy_name(source: str, copy: int) -> str:
    stem, _, suffix = source.rpartition(".")
    return f"{stem}-ban-{copy:02d}.{suffix}"
