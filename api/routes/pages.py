"""The web pages and assets in ``api/static/``: demo portal with the widget, deadlines,
documents, ``/widget.js`` (for embedding on other portals) and ``/static/<name>``.

Pages carry no data themselves; their scripts call the ``/v1`` API, which does the auth.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
PAGES = {"/": "index.html", "/deadlines": "deadlines.html", "/documents": "documents.html"}

router = APIRouter(tags=["pages"], include_in_schema=False)


def static_file(name: str) -> FileResponse:
    path = (STATIC_DIR / name).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        raise HTTPException(404, detail=f"Không có tệp {name} / not found: {name}")
    media_type = "text/javascript; charset=utf-8" if path.suffix == ".js" else None
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})


def _page_route(file_name: str):
    def page() -> FileResponse:
        return static_file(file_name)

    return page


for _path, _file in PAGES.items():
    router.add_api_route(_path, _page_route(_file), methods=["GET"])


@router.get("/widget.js")
def widget_script() -> FileResponse:
    return static_file("widget.js")


@router.get("/static/{name:path}")
def static_asset(name: str) -> FileResponse:
    return static_file(name)
