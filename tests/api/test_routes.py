"""Every route and the role it requires: a new route must be added here on purpose, so it
cannot become public by accident."""

from __future__ import annotations

from fastapi.routing import APIRoute

from api.security import require_admin, require_calendar_read, require_integration, require_read

ROLE_OF = {
    require_read: "read",
    require_calendar_read: "calendar",
    require_integration: "integration",
    require_admin: "admin",
}
EXPECTED = {
    ("GET", "/healthz"): "public",
    ("GET", "/readyz"): "public",
    ("GET", "/"): "public",
    ("GET", "/deadlines"): "public",
    ("GET", "/documents"): "public",
    ("GET", "/widget.js"): "public",
    ("GET", "/static/{name:path}"): "public",
    ("POST", "/v1/ask"): "read",
    ("POST", "/v1/ask/stream"): "read",
    ("GET", "/v1/search"): "read",
    ("GET", "/v1/tasks"): "read",
    ("GET", "/v1/tasks/upcoming"): "read",
    ("GET", "/v1/tasks/overdue"): "read",
    ("GET", "/v1/units"): "read",
    ("GET", "/v1/documents"): "read",
    ("GET", "/v1/documents/{source:path}"): "read",
    ("POST", "/v1/chat/completions"): "read",
    ("GET", "/v1/models"): "read",
    ("GET", "/v1/models/{model_id}"): "read",
    ("GET", "/v1/suggestions"): "read",
    ("GET", "/v1/tasks.ics"): "calendar",
    ("POST", "/v1/widget-tokens"): "integration",
    ("POST", "/v1/calendar-tokens"): "integration",
    ("POST", "/v1/documents"): "admin",
    ("DELETE", "/v1/documents/{source:path}"): "admin",
    ("GET", "/v1/jobs/{job_id}"): "admin",
    ("GET", "/v1/jobs"): "admin",
    ("GET", "/v1/recovery"): "admin",
    ("GET", "/v1/audit"): "admin",
}
FRAMEWORK = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def _roles(route: APIRoute) -> set[str]:
    found = set()
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if dependency.call in ROLE_OF:
            found.add(ROLE_OF[dependency.call])
        pending.extend(dependency.dependencies)
    return found


def test_every_route_has_its_expected_role(app) -> None:
    seen = {}
    for route in app.routes:
        if not isinstance(route, APIRoute):
            assert route.path in FRAMEWORK, route.path
            continue
        roles = _roles(route)
        assert len(roles) <= 1, (route.path, roles)  # auth is attached one way, once
        for method in route.methods - {"HEAD"}:
            seen[(method, route.path)] = roles.pop() if roles else "public"
            roles = _roles(route)
    assert seen == EXPECTED


def test_admin_routes_refuse_other_roles(make_client) -> None:
    from tests.api.conftest import INTEGRATION_KEY, KEYS, READ_KEY

    client = make_client(api_keys=KEYS)
    for path in ("/v1/jobs", "/v1/jobs/x", "/v1/recovery", "/v1/audit"):
        assert client.get(path).status_code == 401, path
        for key in (READ_KEY, INTEGRATION_KEY):
            assert client.get(path, headers={"X-API-Key": key}).status_code == 403, path
