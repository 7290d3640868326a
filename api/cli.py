"""The ``da06`` command line: ingest, ask, serve, eval, tasks."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from rag.errors import Da06Error
from rag.settings import Settings, get_settings

app = typer.Typer(
    help="Trợ lý Đề án 06 — hỏi đáp có trích dẫn trên văn bản Đề án 06.", no_args_is_help=True
)
console = Console()
errors = Console(stderr=True)
WORKER_HEALTHCHECK_S = 120


def fail(message: str, code: int = 1) -> None:
    errors.print(f"[bold red]Lỗi / error:[/] {message}")
    raise typer.Exit(code)


def _settings(index_dir: Path | None = None) -> Settings:
    settings = get_settings()
    if index_dir is not None:
        settings = settings.model_copy(update={"index_dir": index_dir})
    return settings


@app.command()
def ingest(
    corpus_dir: Annotated[
        Path | None, typer.Argument(help="Thư mục tài liệu (mặc định: DA06_CORPUS_DIR)")
    ] = None,
    force: Annotated[bool, typer.Option(help="Dựng lại kể cả khi tài liệu không đổi")] = False,
    index_dir: Annotated[Path | None, typer.Option(help="Thư mục chỉ mục")] = None,
) -> None:
    """Nạp tài liệu, dựng chỉ mục mới và chuyển sang dùng nó (nguyên tử)."""
    from ingest.build import ingest_corpus
    from ingest.document_report import report_lines

    settings = _settings(index_dir)
    corpus = corpus_dir or settings.corpus_dir
    if not corpus.is_dir():
        fail(f"không thấy thư mục {corpus} / directory not found: {corpus}")
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), console=console
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                label = {
                    "ocr": "OCR bản quét",
                    "parse": "Phân tích tài liệu",
                    "embed": "Nhúng véc-tơ",
                }.get(step, step)
                tasks[step] = bar.add_task(label, total=total)
            bar.update(tasks[step], completed=done, total=total)

        try:
            report = ingest_corpus(settings, corpus, progress=progress, force=force)
        except Da06Error as exc:
            fail(str(exc))
    for message in report.errors:
        errors.print(f"[yellow]Bỏ qua / skipped:[/] {message}")
    for message in report.warnings:
        errors.print(f"[yellow]Lưu ý / note:[/] {message}")
    for line in report_lines(report.document_reports):
        console.print(line, markup=False, highlight=False)
    state = "không đổi, giữ nguyên / unchanged" if report.skipped else "đã dựng / built"
    console.print(
        f"Chỉ mục {report.version} ({state}): {len(report.documents)} tài liệu, "
        f"{report.chunks} đoạn, {report.tasks} nhiệm vụ; nhúng mới {report.embedded}, "
        f"dùng lại {report.reused}; {report.seconds:.1f} s"
    )


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Câu hỏi")],
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON")] = False,
    index_dir: Annotated[Path | None, typer.Option(help="Thư mục chỉ mục")] = None,
) -> None:
    """Hỏi một câu và in câu trả lời kèm trích dẫn."""
    from rag.assistant import Assistant, validate_question

    settings = _settings(index_dir)
    try:
        validate_question(question, settings.max_question_chars)
        assistant = Assistant.load(settings)
        answer = assistant.ask(question)
    except Da06Error as exc:
        fail(str(exc))
    if as_json:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    console.print(answer.answer)
    for citation in answer.citations:
        where = f"trang {citation.page}, " if citation.page else ""
        console.print(
            f"  [{citation.id}] {citation.title} — {citation.section or ''} "
            f"({citation.source}, {where}dòng {citation.line_start}–{citation.line_end})",
            style="dim",
        )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Địa chỉ lắng nghe")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Cổng")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Số tiến trình (mặc định: một mỗi lõi CPU; cần Chroma server khi > 1 và có tải lên)",
        ),
    ] = None,
    access_log: Annotated[bool, typer.Option(help="Ghi nhật ký từng yêu cầu")] = True,
) -> None:
    """Chạy API và trang chat trên http://HOST:PORT."""
    import uvicorn

    workers = workers or default_workers()
    if workers > 1:
        # One torch thread per worker: N workers each spinning N threads oversubscribe the
        # cores, and a question embeds one short text, which gains nothing from threads.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
    # An import string and a factory: each worker process builds (and warms up) its own state.
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        # Warm-up (model load, first answers) keeps a worker busy at startup; on a loaded
        # machine that outlasts uvicorn's 5 s default and the worker would be killed.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
    )


def default_workers() -> int:
    """One worker per core this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


@app.command(name="eval")
def evaluate(
    gold: Annotated[
        list[Path] | None,
        typer.Option(
            help="Tệp câu hỏi chuẩn (JSONL) hoặc hội thoại (mỗi dòng có turns), lặp lại được; "
            "mặc định dev và dev-b"
        ),
    ] = None,
    synthetic: Annotated[
        int, typer.Option(help="Số câu hỏi tổng hợp sinh từ chỉ mục (0: bỏ qua)", min=0)
    ] = 1000,
    seed: Annotated[int, typer.Option(help="Hạt giống ngẫu nhiên của bộ câu hỏi tổng hợp")] = 6,
    synthetic_out: Annotated[
        Path | None, typer.Option(help="Ghi bộ câu hỏi tổng hợp (JSONL) vào tệp này")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Ghi báo cáo JSON vào tệp này")] = None,
    baseline: Annotated[
        bool, typer.Option(help="Chấm cả hệ thống cơ sở (naive RAG) cùng lúc")
    ] = False,
    index_dir: Annotated[Path | None, typer.Option(help="Thư mục chỉ mục")] = None,
) -> None:
    """Chấm điểm dev, dev-b và bộ tổng hợp cạnh nhau (cùng đường đi với /v1/ask)."""
    from eval.runner import gold_set, print_sets_report, run_sets, synthetic_set

    settings = _settings(index_dir)
    files = gold if gold is not None else [Path("eval/dev.jsonl"), Path("eval/dev-b.jsonl")]
    for path in files:
        if not path.is_file():
            fail(f"không thấy tệp {path} / file not found: {path}")
    try:
        sets = [gold_set(path) for path in files]
        if synthetic:
            sets.append(synthetic_set(settings, synthetic, seed, synthetic_out))
        result = run_sets(settings, sets, with_baseline=baseline)
    except (ValueError, KeyError) as exc:
        fail(f"tệp câu hỏi không hợp lệ / malformed question file: {exc}", 2)
    except Da06Error as exc:
        fail(str(exc))
    print_sets_report(result, console)
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"Đã ghi báo cáo: {report}")


@app.command()
def tasks(
    unit: Annotated[
        str | None, typer.Option(help="Đơn vị (tên, viết tắt, không dấu đều được)")
    ] = None,
    role: Annotated[str | None, typer.Option(help="lead hoặc coordinating")] = None,
    status: Annotated[str | None, typer.Option(help="Tình trạng")] = None,
    due_before: Annotated[str | None, typer.Option(help="Hạn trước ngày YYYY-MM-DD")] = None,
    due_after: Annotated[str | None, typer.Option(help="Hạn sau ngày YYYY-MM-DD")] = None,
    text: Annotated[str | None, typer.Option(help="Tìm trong nội dung")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON")] = False,
    index_dir: Annotated[Path | None, typer.Option(help="Thư mục chỉ mục")] = None,
) -> None:
    """Tra cứu sổ nhiệm vụ: ai chủ trì, hạn khi nào."""
    from rag.deadlines import parse_iso_date
    from rag.registry import TaskQuery, query_tasks

    settings = _settings(index_dir)
    try:
        query = TaskQuery(
            unit=unit,
            role=role,
            status=status,
            due_from=parse_iso_date(due_after) if due_after else None,
            due_to=parse_iso_date(due_before) if due_before else None,
            text=text,
        )
        result = query_tasks(settings, query)
    except ValueError as exc:
        fail(str(exc), 2)
    except Da06Error as exc:
        fail(str(exc))
    if as_json:
        sys.stdout.write(
            json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
        )
        return
    if result.unknown_unit:
        errors.print(f"Không biết đơn vị '{unit}'. Gợi ý: {', '.join(result.suggestions)}")
    table = Table(title=f"{len(result.tasks)} nhiệm vụ")
    for column in ("Tài liệu", "STT", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Tình trạng"):
        table.add_column(column, overflow="fold")
    for task in result.tasks:
        table.add_row(
            task.source.split(".")[0][:24],
            task.row,
            task.text[:90],
            ", ".join(task.lead_units)[:60],
            task.deadline.text,
            task.status,
        )
    console.print(table)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
