"""Pages and static assets are served from api/static/, and nothing outside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

STATIC = Path(__file__).resolve().parents[2] / "api" / "static"


@pytest.mark.parametrize(
    ("path", "file", "media"),
    [
        ("/", "index.html", "text/html"),
        ("/deadlines", "deadlines.html", "text/html"),
        (
            "/documents?source=ke-hoach-de-an-06-tphcm-2024.txt&line=224",
            "documents.html",
            "text/html",
        ),
        ("/widget.js", "widget.js", "text/javascript"),
        ("/static/widget.js", "widget.js", "text/javascript"),
        ("/static/style.css", "style.css", "text/css"),
        ("/static/deadlines.js", "deadlines.js", "text/javascript"),
        ("/static/common.js", "common.js", "text/javascript"),
    ],
)
def test_pages_and_assets(client: TestClient, path: str, file: str, media: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.content == (STATIC / file).read_bytes()


def test_demo_page_hosts_the_widget(client: TestClient) -> None:
    page = client.get("/").text
    assert '<script src="/widget.js"' in page and "<da06-chat" in page


@pytest.mark.parametrize(
    "path",
    ["/static/%2e%2e/app.py", "/static/..%2fsecurity.py", "/static/khong-co.css", "/static/"],
)
def test_nothing_outside_static_is_served(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "import" not in response.text
