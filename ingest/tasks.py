"""Table rows -> task records (who leads, who coordinates, which document, deadline, status).

Two shapes reach this module:

* rows whose column boundaries survived the export: the 2024 plan's appendix (six known
  cells) and the 4709 letter's templates (tab-delimited, with cells dropped or merged, so
  each cell is classified by its shape);
* rows of the PDF-exported results appendices, one text fragment per line with the columns
  lost. Their columns always come in the same order (task text, directing documents,
  units, deadline, result), so :func:`split_columns` walks the fragments forward through
  that order, deciding at each line whether the next column has started and cutting lines
  where the export glued neighbouring cells together ("Bộ Công an Tháng 5/2022").

Status follows the results columns ("Hoàn thành, sản phẩm", "Chưa hoàn thành", "Đang
triển khai", "Thực hiện thường xuyên"); see :func:`status_of`.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from rag.deadlines import parse_deadline
from rag.schemas import Block, Deadline, LoadedDocument, TaskRecord
from rag.text import fold, normalize
from rag.units import default_gazetteer, split_units

PLAN_COLUMNS = ("row", "text", "lead", "coordinating", "deadline", "product")
TEXT, DIRECTIVE, UNIT, DEADLINE, RESULT = range(5)
COLUMN_FIELDS = ("text", "directives", "units", "deadline", "result")

# Line widths relative to the task-text column (the widest), measured on the two PDF
# appendices: a text line at least this wide wraps into the next line; directive and unit
# cells are narrower columns.
FULL_LINE = 0.85
DIRECTIVE_LINE = 0.65
UNIT_LINE = 0.5
DEFAULT_TEXT_WIDTH = 60.0

_DIRECTIVE_WORDS = (
    r"nghi quyet|nghi dinh|thong bao|van ban|cong van|chi thi|quyet dinh|ket luan|cong dien|"
    r"thong tu|to trinh|ke hoach|bao cao|chuong trinh|luat|nq|nd|qd|tb|ct|cv|kl|g\d+"
)
# Quotes and bullets the export leaves before a directive: "'-Nghị quyết", "- Chỉ thị".
_BULLET = r"^['‘’\"]?\s*(?:[-–•+]\s*)?(?:\(\d+\)\s*)?"
_DIRECTIVE_START = re.compile(_BULLET + rf"(?:{_DIRECTIVE_WORDS})\b")
_HAS_BULLET = re.compile(r"^['‘’\"]?\s*[-–•+(]")
_UNIT_START = re.compile(
    r"^(?:cac bo|bo\b|ubnd|uy ban|so\b|cong an|van phong|toa an|ngan hang|bao hiem|ban co yeu|"
    r"ban chi dao|to cong tac|cac dia phuong|dia phuong|cac tinh|vpcp|bca|thanh tra|dai\b|vien\b|"
    r"tap doan|cuc\b|tong cuc|cac co quan|cac so|vtv|vov|hoi dong|trung tam|buu dien|"
    r"thanh uy|tong cong ty|cong ty|63 dia phuong|thong tan xa)"
)
# A directive line that stops here continues on the next one ("... của", "số").
_DIRECTIVE_OPEN_END = re.compile(r"(?:\bcua|\bthu|\btuong|\bso|\btai|\btheo|\(|:)$")
# "... ngày" waits for its date ("ngaày", "CPngày": the export's typos and glue).
_DIRECTIVE_AWAITS_DATE = re.compile(r"nga*y$")
_DIRECTIVE_ITEM = re.compile(r"\bngay\s*\d|\d+/[a-z]|\d{1,2}/\d{1,2}/\d{4}")
_DIRECTIVE_TAIL = re.compile(r"^\S*\s*(?:ngay\s*\d|\d+/[a-z])")
_DIRECTIVE_DATE = re.compile(r"(?:\bngay\s*|^)\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}(?!\d)")
_DIRECTIVE_NUMBER = re.compile(r"\d+/[a-z][\w-]*")

_YEAR = r"(?:19|20)\d\d"
_DEADLINE_CORE = (
    rf"(?:ngay\s*)?\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*{_YEAR}|\d{{1,2}}\s*/\s*{_YEAR}|"
    rf"thang\s*\d{{1,2}}(?:\s*[/-]\s*{_YEAR})?|thang$|quy\s*(?:iv|i{{1,3}}|[1-4])\b(?:\s*/\s*{_YEAR})?|"
    rf"quy$|nam\s*{_YEAR}|{_YEAR}\b|thuong xuyen|theo lo trinh|theo tien do|lo trinh|qua trinh|"
    r"dinh ky|hang (?:nam|quy|thang)|(?:6|06|sau) thang"
)
# Where a deadline cell starts: "Tháng 6/2024", "Trước ngày 20/9/2022", "Hoàn thành trước
# tháng 6/2024", "Thực hiện thường xuyên", "2022- Thường xuyên".
_DEADLINE_START = re.compile(
    r"^(?:(?:trong|truoc|tu|den|het|ban hanh truoc|hoan thanh truoc|thuc hien|cham nhat)\s+)*"
    rf"(?:{_DEADLINE_CORE})"
)
# Where a result cell starts. Folded "da" also spells "đà"/"đa", so "đã" is checked on the
# accented text (see _is_status_start).
_STATUS_START = re.compile(
    r"^(?:(?:da\s+)?hoan\s+thanh\b(?!\s+truoc)|chua\s+(?:hoan\s+thanh|thuc\s+hien|trien\s+khai|co)\b|"
    r"dang\s+(?:trien|thuc\s+hien|xay\s+dung|hoan\s+thien|trinh|soan|nghien\s+cuu|phoi\s+hop)|"
    r"dang$|thuc\s+hien\s+thuong\s+xuyen|thuong\s+xuyen)"
)
_RECURRING_START = re.compile(r"^(?:thuc\s+hien\s+)?thuong\s+xuyen")
_DONE_VERB = re.compile(r"^(?:đã|đaã)\s", re.IGNORECASE)
# A deadline cell may not end here ("Thực hiện", "Hoàn thành trước", "(lộ").
_DEADLINE_OPEN_END = re.compile(r"(?:\bthuc hien|\btruoc|\btai|\bcua|\bva|\btheo|\bthang|[-(,])$")
# "phối hợp", OCR "Ihối hợp", glued "thôngphối hợp".
_PHOI_HOP = re.compile(r"(?:\b[pi]|\Bp)hoi\s+hop\b")
# "Các Bộ: Công an, Tư pháp" names several ministries after one head word.
_SHARED_HEAD = re.compile(r"^(?:các\s+)?(bộ|sở)\s*(?:,\s*cơ quan\s*)?:\s*(.+)$", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^\d{1,3}$")


def task_id(source: str, page: int | None, line_start: int) -> str:
    return hashlib.sha256(f"{source}:{page}:{line_start}".encode()).hexdigest()[:12]


# --- status ----------------------------------------------------------------------------

# Checked in order on the folded result text; the first hit decides.
_STATUS_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # The last results column ("Thực hiện thường xuyên") closes the row.
    (re.compile(r"\bthuong xuyen\W*$"), "thường xuyên"),
    (re.compile(r"\bchua (?:hoan thanh|thuc hien|trien khai)\b"), "chưa hoàn thành"),
    (re.compile(r"^\W*dang\b|\bdang trien khai\W*$"), "đang triển khai"),
    (re.compile(r"^\W*(?:thuc hien )?thuong xuyen\b"), "thường xuyên"),
    (re.compile(r"\bhoan thanh\b"), "hoàn thành"),
)
# A result naming an issued document is the "Hoàn thành, sản phẩm" column.
_PRODUCT_START = re.compile(
    rf"^\W*(?:co\s+(?:van ban|huong dan|cong van|bao cao|ke hoach|quyet dinh|to trinh)\b|"
    rf"(?:{_DIRECTIVE_WORDS}|ban hanh|thong tu|quy trinh|quy che|huong dan)\b)"
)


def status_of(result: str, deadline: Deadline | None = None) -> str:
    """Status of a row from its result cell(s) and, when there is no result, its deadline.

    Result columns are lost in the PDF export, so the wording decides: an explicit status
    phrase ("Đang triển khai", "Chưa hoàn thành", "Thường xuyên", "Hoàn thành ..."), then
    "đã ..." or a named document (a product: done). A row whose result says none of these
    and whose deadline is only "Thường xuyên" is a recurring task.
    """
    text = normalize(result or "")
    folded = fold(text)
    if folded.strip(" -.,;:"):
        for pattern, status in _STATUS_RULES:
            if pattern.search(folded):
                return status
        if re.search(r"(?:^|\s)(?:đã|đaã)\s", text.lower()) or _PRODUCT_START.match(folded):
            return "hoàn thành"
    if deadline is not None and deadline.kind == "recurring":
        return "thường xuyên"
    return "unknown"


# --- fragments of a PDF row ---------------------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    """One line of a PDF table row. ``closed``: the export shows the cell ends here (no
    trailing space where wrapped lines keep one, or a run of spaces for empty columns)."""

    text: str
    closed: bool = False


# A line ending like this continues on the next one, whatever its trailing spaces say.
_OPEN_END = re.compile(r"(?:[\w][-/]|[,;:(&-]|\b(?:phối hợp|và|của|với|các|tại|theo|ngày|số|thủ))$")


def row_fragments(lines: Sequence[str], row: str | None) -> list[Fragment]:
    """Non-empty lines of a row, without its number and the page numbers printed inside it."""
    fragments: list[Fragment] = []
    for index, raw in enumerate(lines):
        text = normalize(raw)
        if not text:
            if raw.strip() == "" and raw and fragments:
                # A line of spaces stands for empty cells: the cell above is complete.
                last = fragments[-1].text
                fragments[-1] = Fragment(last, not _OPEN_END.search(last.lower()))
            continue
        if _NUMBER_ONLY.match(text):
            continue
        if index == 0 or not fragments:
            text = _strip_row_number(text, row)
            if not text:
                continue
        closed = not raw.endswith(" ") or raw.endswith("  ")
        fragments.append(Fragment(text, closed and not _OPEN_END.search(text.lower())))
    return fragments


def _strip_row_number(text: str, row: str | None) -> str:
    """'106 Kết nối CSDL …' -> 'Kết nối CSDL …' when 106 is the row's number."""
    if row and text.startswith(f"{row} "):
        return text[len(row) :].strip()
    return text


def text_width(rows: Sequence[Sequence[Fragment]]) -> float:
    """Typical width of the task-text column: the first line of a row is a text line."""
    widths = [len(fragments[0].text) for fragments in rows if fragments]
    return float(statistics.median(widths)) if widths else DEFAULT_TEXT_WIDTH


# --- recognising where a column starts ------------------------------------------------------


def _is_directive_start(text: str) -> bool:
    if re.match(r"\d+/[A-ZĐ]", text.strip()):
        return True  # a bare number: "121/NQ-CP ngày 11/9/2022"
    if not _DIRECTIVE_START.match(fold(text)):
        return False
    letters = [c for c in text if c.isalpha()]
    # "văn bản pháp luật phục vụ …" inside the task text is not a directive cell.
    return bool(letters) and (letters[0].isupper() or bool(_HAS_BULLET.match(text)))


def _is_unit_start(text: str) -> bool:
    if _UNIT_START.match(fold(text)):
        return True
    found = default_gazetteer().matches(text)
    return bool(found) and found[0].start == 0


def _is_deadline_start(ahead: str) -> bool:
    match = _DEADLINE_START.match(fold(ahead))
    # Folding reads "Việt Nam 2022" as "năm 2022".
    return bool(match) and not ahead.lstrip().startswith("Nam")


def _is_status_start(ahead: str, recurring: bool = True) -> bool:
    """A result cell starts here; ``recurring=False`` leaves "Thường xuyên" to the deadline
    column (before any deadline it is one)."""
    folded = fold(ahead)
    if not recurring and _RECURRING_START.match(folded):
        return False
    return bool(_STATUS_START.match(folded) or _DONE_VERB.match(ahead))


def _starts_lower(text: str) -> bool:
    """Starts with a lower-case word (a wrapped line); "09 bộ ngành" starts with a number."""
    stripped = text.lstrip(" \t-–+•'‘’\"“(")
    return bool(stripped) and stripped[0].isalpha() and stripped[0].islower()


def _deadline_complete(text: str) -> bool:
    folded = fold(text).strip()
    if not folded or _DEADLINE_OPEN_END.search(folded) or folded.count("(") > folded.count(")"):
        return False
    return parse_deadline(text).kind != "unspecified"


# --- cutting lines that hold several cells --------------------------------------------------

_WORD_START = re.compile(r"(?<!\S)\S")


def _cut_positions(text: str) -> list[int]:
    return [m.start() for m in _WORD_START.finditer(text) if m.start() > 0]


def _cut_directive(text: str) -> tuple[str, str]:
    """'Chỉ thị 27 ngày 27/10/2023 Bộ, ngành …' -> directive, rest (the next columns)."""
    folded = fold(text)
    match = _DIRECTIVE_DATE.search(folded)
    if not match:
        # "Nghị quyết 124/NQ-CP Bộ Y tế Đang triển khai": no date, the number ends it.
        match = _DIRECTIVE_NUMBER.search(folded)
        rest = text[match.end() :].strip() if match else ""
        if not match or not (_is_unit_start(rest) or _is_status_start(rest)):
            return text, ""
    rest = text[match.end() :].strip()
    if not rest or not rest[0].isalnum() or _starts_lower(rest) or _is_directive_start(rest):
        return text, ""
    return text[: match.end()].strip(), rest


def _cut_unit(text: str, tail: str = "") -> tuple[str, str]:
    """'Bộ Công an Tháng 5/2022' -> 'Bộ Công an', 'Tháng 5/2022'; ``tail`` (the next lines)
    completes a phrase cut by the line end ("bộ  Trước ngày" + "20/9/2022")."""
    for position in _cut_positions(text):
        rest = text[position:]
        ahead = f"{rest} {tail}"
        if _is_deadline_start(ahead) or _is_status_start(ahead, recurring=False):
            return text[:position].strip(), rest
    return text, ""


def _cut_deadline(text: str, before: str, tail: str = "") -> tuple[str, str]:
    """'30/9/2022 Hoàn thành báo cáo …' -> '30/9/2022', 'Hoàn thành báo cáo …'.

    ``before`` is the deadline text gathered from earlier lines: a second "Thường xuyên"
    after a complete deadline is the status column ("Thường xuyên Thường xuyên").
    """
    for position in _cut_positions(text):
        head, rest = text[:position].strip(), text[position:]
        so_far = f"{before} {head}".strip()
        ahead = f"{rest} {tail}"
        if re.match(r"[-–(/,]", rest):
            continue
        if _is_status_start(ahead, recurring=False):
            # "an đề xuất Đang triển khai": a status word ends even an open deadline.
            return head, rest
        if not _deadline_complete(so_far):
            continue
        if _is_status_start(ahead) or not (_starts_lower(rest) or _is_deadline_start(ahead)):
            return head, rest
    return text, ""


# --- walking the columns ---------------------------------------------------------------------


@dataclass
class _Walk:
    width: float
    state: int = TEXT
    parts: tuple[list[str], ...] = field(default_factory=lambda: tuple([] for _ in COLUMN_FIELDS))
    closed: bool = False  # the last piece ended its cell

    def last(self, state: int) -> str:
        return self.parts[state][-1] if self.parts[state] else ""

    def joined(self, state: int) -> str:
        return join_pieces(self.parts[state])


def _after_text(walk: _Walk, text: str) -> int:
    previous = walk.last(TEXT)
    wrapped = len(previous) >= FULL_LINE * walk.width and not re.search(r"[.;:]$", previous)
    if _is_directive_start(text):
        # The directive column is narrow: a text-wide line starting "Báo cáo …" is task text.
        head = len(_cut_directive(text)[0])
        if head <= DIRECTIVE_LINE * walk.width or not wrapped and head < FULL_LINE * walk.width:
            return DIRECTIVE
    if _is_unit_start(text) and not wrapped and len(text) <= UNIT_LINE * walk.width:
        return UNIT
    return TEXT


def _directive_continues(walk: _Walk, text: str) -> bool:
    previous = fold(walk.last(DIRECTIVE)).strip()
    folded = fold(text)
    # "VPCP ngày 06/5/2024", "2513/TCTTKĐA ngày": the number or date opens the line.
    tail = bool(_DIRECTIVE_TAIL.match(folded))
    if _is_directive_start(text) or _starts_lower(text) or tail:
        return True
    if _DIRECTIVE_AWAITS_DATE.search(previous):
        return folded[:1].isdigit()
    if re.search(r"\w[-/]$", previous):
        # The number goes on with an acronym ("836/TB-" + "TCTTKĐA ngày"); a unit name
        # there means the number lost its tail ("Chỉ thị 04/CT-" + "Văn phòng Chính phủ").
        return bool(re.match(r"[A-ZĐ]{2,}\w*\b", text)) or not _is_unit_start(text)
    if _DIRECTIVE_OPEN_END.search(previous) or not _DIRECTIVE_ITEM.search(previous):
        return not walk.closed
    return False


def _first_column(text: str, ahead: str, lowest: int) -> int:
    if lowest <= UNIT and _is_unit_start(text):
        return UNIT
    if (
        lowest <= DEADLINE
        and _is_deadline_start(ahead)
        and not _is_status_start(ahead, recurring=False)
    ):
        return DEADLINE
    if _is_status_start(ahead):
        return RESULT
    return UNIT if lowest <= UNIT else RESULT


def _after_unit(walk: _Walk, text: str, ahead: str) -> int:
    if _is_status_start(ahead, recurring=False):
        return RESULT
    if _is_deadline_start(ahead):
        return DEADLINE
    if walk.closed and not _starts_lower(text):
        return RESULT
    if re.search(r"(?:^|\s)(?:đã|đang)\s", text.lower()):
        return RESULT
    return UNIT


def _after_deadline(walk: _Walk, text: str, ahead: str) -> int:
    so_far = walk.joined(DEADLINE)
    if _is_status_start(ahead) and (walk.closed or _deadline_complete(so_far)):
        return RESULT
    if _starts_lower(text) or _is_deadline_start(ahead):
        return DEADLINE
    if walk.closed or _deadline_complete(so_far):
        return RESULT
    return DEADLINE


def _next_state(walk: _Walk, text: str, ahead: str) -> int:
    state = walk.state
    if state == TEXT:
        return _after_text(walk, text) if walk.parts[TEXT] else TEXT
    if state == RESULT or state != DIRECTIVE and re.search(r"[\wĐđ][-/]$", walk.last(state)):
        return state
    if state == DIRECTIVE:
        if _directive_continues(walk, text):
            return DIRECTIVE
        return _first_column(text, ahead, UNIT)
    if (_starts_lower(text) or text.startswith("(")) and not _is_status_start(ahead):
        return state
    if state == UNIT:
        return _after_unit(walk, text, ahead)
    return _after_deadline(walk, text, ahead)


def _cut(walk: _Walk, state: int, text: str, tail: str) -> tuple[str, str]:
    if state == DIRECTIVE:
        return _cut_directive(text)
    if state == UNIT:
        return _cut_unit(text, tail)
    if state == DEADLINE:
        return _cut_deadline(text, walk.joined(DEADLINE), tail)
    return text, ""


def split_columns(fragments: Sequence[Fragment], width: float) -> dict[str, str]:
    """Column texts of a PDF row: text, directives, units, deadline, result.

    Columns only move forward. A line belongs to the current column unless it starts the
    next one (a directive, a unit, a deadline or a status phrase, recognised with the two
    lines after it because cells wrap: "Đang / triển / khai"); a line holding several cells
    is cut and its rest read again from the new column.
    """
    walk = _Walk(width=width)
    queue = [(f.text, f.closed) for f in fragments]
    index = 0
    while index < len(queue):
        text, closed = queue[index]
        tail = " ".join(t for t, _ in queue[index + 1 : index + 3])
        ahead = f"{text} {tail}"
        state = _next_state(walk, text, ahead)
        head, rest = _cut(walk, state, text, tail)
        if rest:
            queue.insert(index + 1, (rest, closed))
        walk.state = state
        walk.parts[state].append(head)
        # A cut line's head is a whole cell: the rest starts the next column.
        walk.closed = bool(rest) or closed
        index += 1
    return {
        field: walk.joined(state) for state, field in enumerate(COLUMN_FIELDS) if walk.parts[state]
    }


def join_pieces(pieces: Sequence[str]) -> str:
    """Join wrapped pieces; a number cut after its dash or slash is glued back ("203/TB-VPCP")."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if re.search(r"[\wĐđ][-/]$", out):
            out += piece
        else:
            out = f"{out} {piece}".strip()
    return out


# --- cells that kept their boundaries ------------------------------------------------------


def _plan_fields(cells: Sequence[str]) -> dict[str, str]:
    return {name: normalize(cell) for name, cell in zip(PLAN_COLUMNS[1:], cells[1:], strict=True)}


# A tab cell this long is task text whatever word it starts with.
TEXT_CELL = 80


def _names_document(text: str) -> bool:
    """A directive with its number near the start ("NQ 175", "Thông báo 06/TB-VPCP")."""
    return _is_directive_start(text) and bool(re.search(r"\d", text[:30]))


def _cell_kind(cell: str) -> int:
    if _names_document(cell):
        return DIRECTIVE
    if len(cell) > TEXT_CELL:
        return TEXT
    if _is_status_start(cell, recurring=False):
        return RESULT
    if _is_deadline_start(cell):
        return DEADLINE
    if _is_unit_start(re.sub(r"^\(\d+\)\s*", "", cell)):
        return UNIT
    return TEXT


def _cell_pieces(cell: str) -> list[tuple[int, str]]:
    """One tab cell as (column, text) pieces: the export merges neighbouring cells
    ("NQ 175 Quý IV/2023", "(1) Văn phòng Chính phủ (2) Bộ Công an NQ 175")."""
    kind = _cell_kind(cell)
    for position in _cut_positions(cell) if kind in (UNIT, DIRECTIVE) else []:
        head, rest = cell[:position].strip(), cell[position:]
        if not head or re.match(r"nga*y\b", fold(rest)) or fold(head).endswith("ngay"):
            continue
        starts_next = _is_deadline_start(rest) or _is_status_start(rest, recurring=False)
        if kind == UNIT:
            starts_next = starts_next or _names_document(rest)
        elif not re.search(r"\d", head) or re.match(r"\d+/[A-ZĐa-z]", rest):
            starts_next = False
        if starts_next:
            return [(kind, head), *_cell_pieces(rest)]
    return [(kind, cell)]


def _cell_fields(cells: Sequence[str]) -> dict[str, str]:
    """Tab-delimited cells in a varying layout (the 4709 letter's appendices, where empty
    cells are dropped): classify each by shape. The longest plain cell is the task; unit
    cells before it lead ("STT | Đơn vị chủ trì | Nhiệm vụ | Đơn vị phối hợp"), else the
    first unit cell after it does ("STT | Nội dung | Văn bản | Đơn vị thực hiện")."""
    pieces = [p for c in cells[1:] if normalize(c) for p in _cell_pieces(normalize(c))]
    task = max((text for kind, text in pieces if kind == TEXT), key=len, default="")
    task_at = next((i for i, (kind, text) in enumerate(pieces) if text == task), 0)
    before = [text for kind, text in pieces[:task_at] if kind == UNIT]
    after = [text for kind, text in pieces[task_at:] if kind == UNIT]
    lead, coordinating = (before, after) if before else (after[:1], after[1:])
    fields = {"text": task, "lead": ", ".join(lead), "coordinating": ", ".join(coordinating)}
    for kind in (DIRECTIVE, DEADLINE, RESULT):
        fields[COLUMN_FIELDS[kind]] = " ".join(text for k, text in pieces if k == kind)
    return {key: value for key, value in fields.items() if value}


# --- fields -> record ----------------------------------------------------------------------


def split_directives(text: str) -> list[str]:
    """'- Chỉ thị 05, ngày 23/2/2023 - Thông báo 238/TB-VPCP …' -> one string per document."""
    if not text:
        return []
    # The export glues a date to the next document: "15/8/2024Thông báo".
    text = re.sub(r"(\d)(?=[A-ZĐ][a-zà-ỹđ])", r"\1 ", text)
    pieces = re.split(r"\s*(?:;|(?:^|\s)[-–+]\s*|\(\d+\))\s*", text)
    out: list[str] = []
    for piece in pieces:
        out.extend(_split_glued_directives(piece.strip(" -;,.'‘’\"")))
    return [p for p in out if p]


def _split_glued_directives(text: str) -> list[str]:
    """'Quyết định 206/QĐ-TTg ngày 28/2/2024 Thông báo 2513/TCTTKĐA …' -> two documents."""
    starts = [0]
    for position in _cut_positions(text):
        rest = text[position:]
        if _is_directive_start(rest) and re.search(r"\d", text[starts[-1] : position]):
            starts.append(position)
    bounds = [*starts, len(text)]
    return [text[a:b].strip(" -;,.'‘’\"") for a, b in zip(bounds, bounds[1:], strict=False)]


def _expand_shared_head(text: str) -> str:
    """'Các Bộ: Công an, Tư pháp' -> 'Bộ Công an, Bộ Tư pháp'. The head word stops at the
    first item that names a unit itself ("…, BHXH Việt Nam và UBND các tỉnh, thành phố")."""
    match = _SHARED_HEAD.match(text.strip())
    if not match:
        return text
    head = match.group(1).capitalize()
    items = [item.strip() for item in match.group(2).split(",") if item.strip()]
    for index, item in enumerate(items):
        named = default_gazetteer().canonical(f"{head} {item}") or ""
        if not fold(named).startswith(fold(head)) and _is_unit_start(item):
            return ", ".join([*(f"{head} {i}" for i in items[:index]), *items[index:]])
    return ", ".join(f"{head} {item}" for item in items)


def units_of(text: str) -> list[str]:
    return split_units(_expand_shared_head(text)) if text else []


def lead_and_coordinating(units: str, coordinating: str = "") -> tuple[list[str], list[str]]:
    """'Bộ Xây dựng phối hợp Bộ Công an' puts both roles in one cell: lead before the first
    "phối hợp", coordinating after it (repeated lead names are dropped)."""
    match = _PHOI_HOP.search(fold(units))
    lead_text, coordinating_text = units, coordinating
    if match and not coordinating:
        lead_text, coordinating_text = units[: match.start()], units[match.end() :]
    lead = units_of(lead_text)
    others = [u for u in units_of(coordinating_text) if u not in lead]
    return lead, others


def extract_tasks(doc: LoadedDocument, blocks: Sequence[Block], title: str) -> list[TaskRecord]:
    rows = [block for block in blocks if block.kind == "row"]
    fragment_rows = {
        id(block): row_fragments(_block_lines(doc, block), block.row)
        for block in rows
        if not block.cells and not block.fields
    }
    width = text_width(list(fragment_rows.values()))
    tasks = []
    for block in rows:
        if block.fields:
            fields = dict(block.fields)  # a table whose header named its columns
        elif len(block.cells) == len(PLAN_COLUMNS) and _cell_per_line(doc, block):
            fields = _plan_fields(block.cells)
        elif block.cells:
            fields = _cell_fields(block.cells)
        else:
            fields = split_columns(fragment_rows[id(block)], width)
        tasks.append(_record(block, title, fields))
    return tasks


def _cell_per_line(doc: LoadedDocument, block: Block) -> bool:
    """The plan's DOCX export puts each cell on its own line; tab rows hold several cells
    on one line and may have six cells too."""
    lines = _block_lines(doc, block)
    return bool(lines) and lines[0].count("\t") <= 1


def _block_lines(doc: LoadedDocument, block: Block) -> list[str]:
    page = next((p for p in doc.pages if p.number == block.page), doc.pages[0])
    return list(page.lines[block.line_start - 1 : block.line_end])


def _record(block: Block, title: str, fields: dict[str, str]) -> TaskRecord:
    lead, coordinating = lead_and_coordinating(
        fields.get("lead") or fields.get("units", ""), fields.get("coordinating", "")
    )
    deadline_text = fields.get("deadline", "")
    deadline = parse_deadline(deadline_text) if deadline_text else Deadline(text="")
    result = fields.get("result") or None
    return TaskRecord(
        id=task_id(block.source, block.page, block.line_start),
        source=block.source,
        title=title,
        section=block.section,
        row=block.row or "",
        text=fields.get("text") or block.text,
        lead_units=lead,
        coordinating_units=coordinating,
        directives=split_directives(fields.get("directives", "")),
        deadline=deadline,
        product=fields.get("product") or None,
        status=status_of(result or "", deadline),
        result=result,
        page=block.page,
        line_start=block.line_start,
        line_end=block.line_end,
    )
