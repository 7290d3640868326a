"""Checks on text that arrives from outside: valid Unicode, one line, bounded dates.

JSON may carry escapes such as ``"\\ud800"`` that decode to a lone surrogate: a Python
string, but not text, and the first ``encode("utf-8")`` deep in a library turns it into a
500. These checks run where the request is parsed, so the caller gets a 422 that names
the field instead.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator

# Tasks span years 2020-2030; anything far outside is a typo or a probe, and date
# arithmetic near year 9999 overflows.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")

INVALID_UNICODE = (
    "Chuỗi chứa ký tự Unicode không hợp lệ (surrogate đơn lẻ) / "
    "the text contains invalid Unicode (a lone surrogate)"
)


def is_valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def valid_unicode(text: str) -> str:
    if not is_valid_unicode(text):
        raise ValueError(INVALID_UNICODE)
    return text


# A request-model field type: ``question: UnicodeText``.
UnicodeText = Annotated[str, AfterValidator(valid_unicode)]


def single_line(text: str, max_chars: int = 200) -> str:
    """Text for a one-line header or property (calendar name): control characters (CR, LF,
    TAB ...) become spaces so a value can never start a new line of its own."""
    return _CONTROL.sub(" ", text).strip()[:max_chars]


def bounded_date(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(
            f"ngày phải trong khoảng {EARLIEST_DATE.isoformat()}–{LATEST_DATE.isoformat()}"
            f" / date must be between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"
        )
    return value
