"""Column roles from header words: which column of a table holds the task, the lead unit,
the deadline ... whatever order or spelling the issuing office chose.

The vocabulary lives in ``ingest/data/columns.json``; a header cell gets the role of the
longest phrase of that file found in it ("Kết quả đầu ra" is a product, "Kết quả" a result).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rag.text import fold

COLUMNS_FILE = Path(__file__).parent / "data" / "columns.json"


def header_key(text: str) -> str:
    """Folded words of a header cell, punctuation and line breaks as single spaces."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


@dataclass(frozen=True)
class ColumnVocabulary:
    phrases: tuple[tuple[str, str], ...]  # (folded phrase, role), longest phrase first
    required: tuple[str, ...]
    any_of: tuple[tuple[str, ...], ...]
    min_roles: int

    def role_of(self, header: str) -> str | None:
        key = f" {header_key(header)} "
        for phrase, role in self.phrases:
            if f" {phrase} " in key:
                return role
        return None

    def roles_of(self, header: Sequence[str]) -> tuple[str | None, ...]:
        return tuple(self.role_of(cell) for cell in header)

    def is_task_table(self, roles: Sequence[str | None]) -> bool:
        """Does a header with these roles name enough of a task to read rows as tasks?"""
        named = {role for role in roles if role and role != "row"}
        return (
            all(role in named for role in self.required)
            and all(named.intersection(group) for group in self.any_of)
            and len(named) >= self.min_roles
        )

    def header_score(self, cells: Sequence[str]) -> int:
        """How many distinct roles a row's cells name: a header row names several."""
        return len({role for role in self.roles_of(cells) if role})


def parse_vocabulary(data: dict) -> ColumnVocabulary:
    phrases = [
        (header_key(phrase), role) for role, words in data["roles"].items() for phrase in words
    ]
    phrases.sort(key=lambda item: -len(item[0]))
    rule = data["task_table"]
    return ColumnVocabulary(
        phrases=tuple(phrases),
        required=tuple(rule["required"]),
        any_of=tuple(tuple(group) for group in rule["any_of"]),
        min_roles=int(rule["min_roles"]),
    )


@cache
def column_vocabulary() -> ColumnVocabulary:
    return parse_vocabulary(json.loads(COLUMNS_FILE.read_text(encoding="utf-8")))
