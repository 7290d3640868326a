"""The ``da06`` command line: ingest, ask, serve, eval, tasks."""

from __future__ import annotations

import json
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
                label = {"parse": "Phân tích tài liệu", "embed": "Nhúng véc-tơ"}.get(step, step)
                tasks[step] = bar.add_task(label, total=total)
            bar.update(tasks[step], completed=done, total=total)

        try:
            report = ingest_corpus(settings, corpus, progress=progress, force=force)
        except Da06Error as exc:
            fail(str(exc))
    for message in report.errors:
        errors.print(f"[yellow]Bỏ qua / skipped:[/] {message}")
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
        int, typer.Option(help="Số tiến trình (cần Chroma server khi > 1 và có tải lên)")
    ] = 1,
) -> None:
    """Chạy API và trang chat trên http://HOST:PORT."""
    import uvicorn

    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers)


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path, typer.Option(help="Tệp câu hỏi chuẩn (JSONL)")] = Path("eval/dev.jsonl"),
    report: Annotated[Path | None, typer.Option(help="Ghi báo cáo JSON vào tệp này")] = None,
    baseline: Annotated[
        bool, typer.Option(help="Chấm cả hệ thống cơ sở (naive RAG) cùng lúc")
    ] = False,
    index_dir: Annotated[Path | None, typer.Option(help="Thư mục chỉ mục")] = None,
) -> None:
    """Chấm điểm trên tệp câu hỏi chuẩn (cùng đường đi với /v1/ask)."""
    from eval.runner import print_report, run_evaluation

    settings = _settings(index_dir)
    if not gold.is_file():
        fail(f"không thấy tệp {gold} / file not found: {gold}")
    try:
        result = run_evaluation(settings, gold, with_baseline=baseline)
    except Da06Error as exc:
        fail(str(exc))
    print_report(result, console)
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
