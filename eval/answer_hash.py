"""Answer every question of some gold files and print one hash of all answers and citations.

Two processes on the same index must print the same hash (ranking ties are broken by
explicit keys, never by float noise or iteration order):

    python -m eval.answer_hash --index-dir var/index eval/dev.jsonl eval/dev-b.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from rag.schemas import Answer


def answer_fingerprint(answer: Answer) -> str:
    cited = [(c.source, c.page, c.line_start, c.line_end) for c in answer.citations]
    return json.dumps([answer.answer, answer.abstained, cited], ensure_ascii=False)


def answers_hash(fingerprints: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for fingerprint in fingerprints:
        digest.update(fingerprint.encode("utf-8") + b"\n")
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", nargs="+", type=Path)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--show", action="store_true", help="print every fingerprint too")
    args = parser.parse_args()

    from rag.assistant import Assistant
    from rag.settings import Settings

    settings = Settings(_env_file=None, index_dir=args.index_dir, llm_provider="none")
    assistant = Assistant.load(settings)
    fingerprints = []
    for path in args.gold:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                question = json.loads(line)["question"]
                fingerprints.append(answer_fingerprint(assistant.ask(question)))
    if args.show:
        print("\n".join(fingerprints))
    print(answers_hash(fingerprints))


if __name__ == "__main__":
    main()
