"""Pages send CSP without inline script, nosniff and frame-ancestors from the CORS list;
/readyz shows details only to keys; every write is in the append-only audit log."""

from __future__ import annotations

import re
import sqlite3

import pytest

from api.routes.pages import STATIC_DIR
from tests.api.conftest import ADMIN_KEY, INTEGRATION_KEY, KEYS, READ_KEY

PORTAL = "https://cong.hcm.gov.vn"


@pytest.mark.parametrize("path", ["/", "/deadlines", "/documents", "/widget.js", "/healthz"])
def test_security_headers(make_client, path: str) -> None:
    client = make_client(cors_origins=PORTAL)
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    assert re.search(rf"frame-ancestors 'self' {re.escape(PORTAL)}(;|$)", csp)


def test_pages_have_no_inline_script() -> None:
    """What the CSP forbids must not be needed: no script body, no on* handler attribute."""
    for page in STATIC_DIR.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S):
            assert not tag.strip(), page.name
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), page.name
        assert "javascript:" not in html, page.name


def test_readyz_details_only_for_keys(make_client) -> None:
    client = make_client(api_keys=KEYS)
    anonymous = client.get("/readyz").json()
    assert anonymous["status"] == "ready" and "documents" not in anonymous
    keyed = client.get("/readyz", headers={"X-API-Key": READ_KEY}).json()
    assert keyed["documents"] == 5 and keyed["tasks"] > 0


def test_writes_are_audited_append_only(make_client, corpus_settings) -> None:
    client = make_client(api_keys=KEYS, widget_secret="bi-mat")
    assert (
        client.post("/v1/widget-tokens", headers={"X-API-Key": INTEGRATION_KEY}).status_code == 200
    )
    entries = client.get("/v1/audit", headers={"X-API-Key": ADMIN_KEY}).json()["entries"]
    latest = entries[0]
    assert latest["action"] == "widget-token.issue" and latest["outcome"] == "ok"
    assert latest["who"].startswith("integration:") and latest["at"].endswith("+00:00")
    db = sqlite3.connect(corpus_settings.index_dir.parent / "audit.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit SET outcome = 'x'")
    db.close()
