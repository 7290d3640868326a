"""Start-up reconciliation of corpus, job staging area and index.

A server killed mid-job leaves traces: a job still marked running, its staging folder, a
half-written version folder, perhaps a switched version whose corpus change never
happened. At start, under the job lock (so no job is running anywhere), each running job
is settled (finished if its version is current, else failed and cleaned), staging folders
of finished jobs are removed, partial versions pruned, and corpus files that the current
index does not hold are reported (``GET /v1/recovery``; ``DELETE /v1/documents/{source}``
removes one).
"""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass, field

from api.job_runner import exclusive, prune_partial_versions, settle
from api.jobs import QUEUED, RUNNING, JobStore
from api.staging import jobs_dir
from ingest.loaders import MANIFEST_NAME
from rag.index import current_version, read_manifest
from rag.settings import Settings

INTERRUPTED = (
    "Máy chủ khởi động lại khi công việc đang chạy; không có gì thay đổi / "
    "the server restarted while the job was running; nothing was changed"
)


@dataclass
class RecoveryReport:
    ran: bool = False
    settled_jobs: list[dict] = field(default_factory=list)
    removed_staging: list[str] = field(default_factory=list)
    pruned_versions: list[str] = field(default_factory=list)
    not_indexed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def files_not_indexed(settings: Settings) -> list[str]:
    version = current_version(settings.index_dir)
    if version is None or not settings.corpus_dir.is_dir():
        return []
    indexed = read_manifest(settings.index_dir / version).get("files", {})
    stray = []
    for path in sorted(settings.corpus_dir.rglob("*")):
        relative = path.relative_to(settings.corpus_dir)
        if any(p.startswith(".") for p in relative.parts) or not path.is_file():
            continue
        name = relative.as_posix()
        if name != MANIFEST_NAME and name not in indexed:
            stray.append(name)
    return stray


def recover(settings: Settings, jobs: JobStore) -> RecoveryReport:
    report = RecoveryReport()
    with exclusive(settings, blocking=False) as mine:
        if not mine:  # a job is running in another worker process: nothing is stale
            report.not_indexed = files_not_indexed(settings)
            return report
        report.ran = True
        for job in jobs.unfinished():
            if job.state == RUNNING:
                settle(settings, jobs, job, INTERRUPTED)
                settled = jobs.get(job.id)
                report.settled_jobs.append(settled.public() if settled else {"job_id": job.id})
        live = {job.id for job in jobs.unfinished() if job.state == QUEUED}
        folder = jobs_dir(settings)
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path.is_dir() and path.name not in live:
                shutil.rmtree(path, ignore_errors=True)
                report.removed_staging.append(path.name)
        report.pruned_versions = prune_partial_versions(settings)
        jobs.sweep()
    report.not_indexed = files_not_indexed(settings)
    return report
