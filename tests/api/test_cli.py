"""The da06 command line over a real index."""

import json
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()


def env_for(settings) -> dict[str, str]:
    return {"DA06_INDEX_DIR": str(settings.index_dir), "DA06_CORPUS_DIR": str(settings.corpus_dir)}


def invoke(settings, *args: str):
    from rag.settings import get_settings

    get_settings.cache_clear()
    try:
        return runner.invoke(app, list(args), env=env_for(settings))
    finally:
        get_settings.cache_clear()


def test_ask_json_has_the_api_shape(corpus_settings) -> None:
    result = invoke(
        corpus_settings,
        "ask",
        "Theo kế hoạch năm 2024, hóa đơn điện tử khởi tạo từ máy tính tiền do ai triển khai?",
        "--json",
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) >= {"answer", "abstained", "citations", "tasks", "timing_ms"}
    assert "Cục Thuế" in body["answer"] and body["citations"]


def test_ask_prints_answer_and_citations(corpus_settings) -> None:
    result = invoke(
        corpus_settings,
        "ask",
        "Theo kế hoạch năm 2024, hóa đơn điện tử khởi tạo từ máy tính tiền do ai triển khai?",
    )
    assert result.exit_code == 0
    assert "[1]" in result.output and "ke-hoach-de-an-06-tphcm-2024.txt" in result.output


def test_ask_rejects_empty_and_too_long_questions(corpus_settings) -> None:
    for question in ("   ", "x" * 2001):
        result = invoke(corpus_settings, "ask", question)
        assert result.exit_code != 0
        assert "Câu hỏi" in result.output


def test_tasks_command_filters_by_unit(corpus_settings) -> None:
    result = invoke(corpus_settings, "tasks", "--unit", "cuc thue thanh pho", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["count"] >= 2
    table = invoke(
        corpus_settings, "tasks", "--unit", "Cục Thuế Thành phố", "--due-before", "2024-12-31"
    )
    assert table.exit_code == 0 and "nhiệm vụ" in table.output


def test_tasks_command_rejects_malformed_dates(corpus_settings) -> None:
    result = invoke(corpus_settings, "tasks", "--due-before", "31/12/2024")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_ingest_of_missing_directory_fails_clearly(corpus_settings, tmp_path) -> None:
    result = invoke(corpus_settings, "ingest", str(tmp_path / "khong-co"))
    assert result.exit_code != 0
    assert "khong-co" in result.output


def test_ingest_of_unchanged_corpus_reports_no_embedding(tmp_path, small_corpus) -> None:
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, small_corpus)
    first = invoke(settings, "ingest", str(small_corpus))
    assert first.exit_code == 0, first.output
    second = invoke(settings, "ingest", str(small_corpus))
    assert second.exit_code == 0 and "nhúng mới 0" in second.output


def test_eval_reports_gold_and_synthetic_sets_side_by_side(corpus_settings, tmp_path) -> None:
    gold = tmp_path / "mini.jsonl"
    lines = Path("eval/dev.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    rows = [json.loads(line) for line in lines]
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    report = tmp_path / "report.json"
    questions = tmp_path / "synthetic.jsonl"
    result = invoke(
        corpus_settings, "eval", "--gold", str(gold), "--synthetic", "12", "--seed", "3",
        "--synthetic-out", str(questions), "--report", str(report),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    body = json.loads(report.read_text(encoding="utf-8"))
    assert list(body["sets"]) == ["mini", "synthetic-12-s3"]
    synthetic = body["sets"]["synthetic-12-s3"]["ours"]
    assert synthetic["n"] == 12 and len(synthetic["answers_sha256"]) == 64
    assert any(group.startswith("unanswerable/") for group in synthetic["by_group"])
    assert len(questions.read_text(encoding="utf-8").splitlines()) == 12
    assert "Abstention precision" in result.output


def test_eval_of_missing_or_malformed_gold_file_fails_clearly(corpus_settings, tmp_path) -> None:
    missing = invoke(corpus_settings, "eval", "--gold", str(tmp_path / "none.jsonl"))
    assert missing.exit_code != 0 and "not found" in missing.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"question": "thiếu id"}\n', encoding="utf-8")
    malformed = invoke(corpus_settings, "eval", "--gold", str(broken), "--synthetic", "0")
    assert malformed.exit_code == 2 and "malformed" in malformed.output
