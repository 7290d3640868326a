"""One exception type per failure a user can meet; mapped once to HTTP status and CLI exit code."""


class Da06Error(Exception):
    """Base class; ``http_status`` is what the API answers with."""

    http_status = 400


class UnsupportedFileType(Da06Error):
    http_status = 415


class CorruptDocument(Da06Error):
    http_status = 422


class EmptyDocument(Da06Error):
    http_status = 422


class EncodingError(Da06Error):
    http_status = 422


class DuplicateDocument(Da06Error):
    http_status = 409


class DocumentNotFound(Da06Error):
    http_status = 404


class IndexNotFound(Da06Error):
    http_status = 503


class NothingIngested(Da06Error):
    http_status = 422


class InvalidQuestion(Da06Error):
    http_status = 422


class OcrFailed(Da06Error):
    """A scanned page could not be read (Tesseract missing or failing)."""

    http_status = 422


class OcrTimeout(OcrFailed):
    """One scanned page took longer than ``DA06_OCR_PAGE_TIMEOUT_S``."""


class TooManyPages(Da06Error):
    """A scan has more pages than ``DA06_OCR_MAX_PAGES``: refused before any OCR runs."""

    http_status = 413


class TaskNotFound(Da06Error):
    http_status = 404


class UnknownReportTemplate(Da06Error):
    http_status = 404


class DatabaseUnavailable(Da06Error):
    """The shared database (``DA06_DATABASE_URL``) cannot be reached."""

    http_status = 503
