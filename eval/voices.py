"""Rewrite gold questions in the voices users type in: without diacritics, with the usual
abbreviations, terse, with a small typo. The expected answers stay those of the gold item,
so a gold file becomes several test sets that measure robustness, not recall of wording.

    python -m eval.voices eval/dev.jsonl --voice all --out var/voices-dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from rag.text import fold

# Long forms officials shorten when they type (applied longest first, case-insensitive).
ABBREVIATIONS = {
    "Sở Thông tin và Truyền thông": "STTTT",
    "Công an Thành phố": "CATP",
    "Ủy ban nhân dân": "UBND",
    "Văn phòng Chính phủ": "VPCP",
    "Kế hoạch 2024": "KH 2024",
    "Kế hoạch năm 2024": "KH 2024",
    "Phụ lục I": "PL1",
    "Phụ lục 03": "PL 03",
    "Công văn": "cv",
    "dịch vụ công": "DVC",
    "thủ tục hành chính": "TTHC",
    "cơ sở dữ liệu": "CSDL",
    "căn cước công dân": "CCCD",
    "Thành phố Hồ Chí Minh": "TPHCM",
    "TP.HCM": "TPHCM",
    "Thành phố": "TP",
    "định danh điện tử": "ĐDĐT",
    "Đề án 06": "DA06",
}
# Polite or framing words a terse user leaves out.
FILLERS = (
    r"\bxin (?:cho )?(?:hỏi|biết)\b",
    r"\bcho (?:tôi|em) (?:hỏi|biết)\b",
    r"\bvui lòng\b",
    r"\bhiện nay\b",
    r"\bcụ thể\b",
    r"\bđã được\b",
    r"\bđược\b",
    r"\bthì\b",
)
# Question endings and how a terse user asks the same.
TERSE_ENDINGS = (
    (r"\bcó thời hạn (?:hoàn thành )?(?:thế nào|ra sao|là khi nào|khi nào)\b", "hạn bao giờ"),
    (r"\bphải hoàn thành (?:trong thời hạn nào|khi nào|trước khi nào)\b", "hạn khi nào"),
    (r"\b(?:đơn vị|cơ quan) nào (?:được giao )?chủ trì\b", "ai chủ trì"),
    (r"\b(?:là )?bao nhiêu\?", "bn?"),
    (r"\blà gì\?", "?"),
)


def no_diacritics(question: str, rng: random.Random) -> str:
    return fold(question) if question else question


def abbreviated(question: str, rng: random.Random) -> str:
    text = question
    for long, short in sorted(ABBREVIATIONS.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(re.escape(long), short, text, flags=re.IGNORECASE)
    return text


def terse(question: str, rng: random.Random) -> str:
    text = abbreviated(question, rng)
    for pattern, short in TERSE_ENDINGS:
        text = re.sub(pattern, short, text, flags=re.IGNORECASE)
    for pattern in FILLERS:
        text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+([?,.])", r"\1", re.sub(r"\s+", " ", text)).strip()
    # Sentence case only: "DA06" at the start stays as typed.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def with_typo(question: str, rng: random.Random) -> str:
    """Swap two neighbouring letters, or drop one, inside one longer plain word."""
    words = question.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return question
    index = rng.choice(candidates)
    word = words[index]
    position = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        word = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    else:
        word = word[:position] + word[position + 1 :]
    words[index] = word
    return " ".join(words)


def user_voice(question: str, rng: random.Random) -> str:
    """The mix the hidden sets describe: terse, often without diacritics, sometimes a typo."""
    text = terse(question, rng)
    if rng.random() < 0.4:
        text = fold(text)
    if rng.random() < 0.3:
        text = with_typo(text, rng)
    return text


VOICES: dict[str, Callable[[str, random.Random], str]] = {
    "no_diacritics": no_diacritics,
    "abbreviated": abbreviated,
    "terse": terse,
    "typo": with_typo,
    "user": user_voice,
}


def rewrite(rows: list[dict], voice: str, seed: int = 6) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for row in rows:
        text = VOICES[voice](row["question"], rng)
        out.append({**row, "id": f"{row['id']}-{voice}", "question": text, "voice": voice})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--voice", default="user", choices=[*VOICES, "all"])
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.gold.read_text("utf-8").splitlines() if line.strip()]
    voices = list(VOICES) if args.voice == "all" else [args.voice]
    result = [r for voice in voices for r in rewrite(rows, voice, args.seed)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in result), encoding="utf-8"
    )
    print(f"{len(result)} questions written to {args.out}")


if __name__ == "__main__":
    main()
