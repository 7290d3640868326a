"""Document jobs and the start-up report (admin): ``GET /v1/jobs/{id}``, ``GET /v1/jobs``,
``GET /v1/recovery`` (what start-up found: failed jobs, pruned versions, stray files)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request

router = APIRouter(prefix="/v1", tags=["jobs"])


@router.get("/jobs/{job_id}")
def job_status(job_id: str, request: Request) -> dict:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, detail=f"Không có công việc {job_id[:40]} / no job {job_id[:40]}")
    if job.state == "done":
        # The worker process records "done" before this process's runner switches versions:
        # a caller who sees "done" must be served the new version already.
        request.app.state.serving.refresh()
    return job.public()


@router.get("/jobs")
def recent_jobs(request: Request, limit: int = Query(20, ge=1, le=200)) -> dict:
    return {"jobs": [job.public() for job in request.app.state.jobs.recent(limit)]}


@router.get("/recovery")
def recovery_report(request: Request) -> dict:
    return request.app.state.recovery.to_dict()
