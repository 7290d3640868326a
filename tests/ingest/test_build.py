"""Index build: atomic version swap, no embedding work for an unchanged corpus, bad files."""

import json
import shutil
from pathlib import Path

import pytest

from ingest import build
from ingest.build import ingest_corpus
from rag.errors import NothingIngested
from rag.index import IndexFiles, current_version
from tests.conftest import make_settings


def write(path: Path, data: bytes | str) -> None:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def test_reingest_of_unchanged_corpus_embeds_nothing(tmp_path: Path, small_corpus: Path) -> None:
    settings = make_settings(tmp_path, small_corpus, embedding_cache=tmp_path / "cache.sqlite")
    first = ingest_corpus(settings)
    assert not first.skipped and first.chunks > 0 and first.embedded + first.reused == first.chunks
    second = ingest_corpus(settings)
    assert second.skipped and second.embedded == 0
    assert second.version == first.version == current_version(settings.index_dir)


def test_changed_document_only_embeds_new_chunks(tmp_path: Path, small_corpus: Path) -> None:
    settings = make_settings(tmp_path, small_corpus, embedding_cache=tmp_path / "cache.sqlite")
    first = ingest_corpus(settings)
    assert first.embedded > 0
    write(
        small_corpus / "ghi-chu.txt",
        "Sở Nội vụ chủ trì rà soát bộ phận một cửa trong quý III/2024.\n",
    )
    report = ingest_corpus(settings)
    assert not report.skipped
    assert 0 < report.embedded <= 2
    assert "ghi-chu.txt" in IndexFiles.load(settings.index_dir).documents


def test_failed_ingest_leaves_previous_index_serving(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path, small_corpus)
    before = ingest_corpus(settings)
    write(small_corpus / "moi.txt", "Tài liệu mới về Đề án 06.\n")

    def explode(*args, **kwargs):
        raise RuntimeError("ingest killed midway")

    monkeypatch.setattr(build, "_write_vectors", explode)
    with pytest.raises(RuntimeError):
        ingest_corpus(settings)
    assert current_version(settings.index_dir) == before.version
    files = IndexFiles.load(settings.index_dir)
    assert "moi.txt" not in files.documents
    assert len(files.chunks) == before.chunks
    leftovers = [p.name for p in settings.index_dir.iterdir() if p.is_dir()]
    assert leftovers == [before.version]


def test_bad_files_are_reported_and_the_rest_ingests(tmp_path: Path, small_corpus: Path) -> None:
    write(small_corpus / "rong.txt", "")
    write(small_corpus / "latin1.txt", "Bộ phận một cửa".encode("utf-16"))
    write(small_corpus / "hong.pdf", b"%PDF-1.4 not really a pdf")
    write(small_corpus / "bang.xlsx", b"PK\x03\x04")
    settings = make_settings(tmp_path, small_corpus)
    report = ingest_corpus(settings)
    assert sorted(report.documents) == [
        "bao-cao-so-ket-6-thang-2023-tphcm.txt",
        "cong-van-4709-de-cuong-so-ket-6-thang-2024.txt",
    ]
    joined = "\n".join(report.errors)
    for name in ("rong.txt", "latin1.txt", "hong.pdf", "bang.xlsx"):
        assert name in joined


def test_nothing_usable_raises(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus / "rong.txt", "   \n")
    with pytest.raises(NothingIngested) as error:
        ingest_corpus(make_settings(tmp_path, corpus))
    assert "rong.txt" in str(error.value)


def test_manifest_records_files_model_and_counts(tmp_path: Path, small_corpus: Path) -> None:
    settings = make_settings(tmp_path, small_corpus)
    report = ingest_corpus(settings)
    manifest = json.loads((settings.index_dir / report.version / "manifest.json").read_text())
    assert set(manifest["files"]) == set(report.documents)
    assert manifest["embedding_model"] == settings.embedding_model
    assert manifest["chunk_count"] == report.chunks and manifest["created"]


def test_old_versions_are_pruned(tmp_path: Path, small_corpus: Path) -> None:
    settings = make_settings(tmp_path, small_corpus)
    for number in range(build.KEEP_VERSIONS + 2):
        write(small_corpus / "them.txt", f"Ghi chú số {number} về Đề án 06.\n")
        ingest_corpus(settings)
    versions = [p for p in settings.index_dir.iterdir() if p.is_dir()]
    assert len(versions) == build.KEEP_VERSIONS
    assert current_version(settings.index_dir) in {p.name for p in versions}
    shutil.rmtree(small_corpus)
