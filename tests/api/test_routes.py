"""Every route and the role it requires: a new route must be added here on purpose, so it
cannot become public by accident."""

from __future__ import annotations

from fastapi.routing import APIRoute

from api.app import ROUTER_ROLES
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
    ("GET", "/v1/tasks/{task_id}"): "read",
    ("GET", "/v1/conflicts"): "read",
    ("GET", "/v1/reports/{template}"): "read",
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


def _roles(route: APIRoute, included_with: str) -> set[str]:
    found = {included_with} if included_with != "public" else set()
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if dependency.call in ROLE_OF:
            found.add(ROLE_OF[dependency.call])
        pending.extend(dependency.dependencies)
    return found


def declared_roles() -> dict[tuple[str, str], str]:
    seen = {}
    for router, role in ROUTER_ROLES:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            roles = _roles(route, role)
            assert len(roles) <= 1, (route.path, roles)  # auth is attached one way, once
            for method in route.methods - {"HEAD"}:
                seen[(method, route.path)] = next(iter(roles), "public")
    return seen


def test_every_route_has_its_expected_role(app) -> None:
    assert declared_roles() == EXPECTED
    # The app serves exactly the declared routers (plus the OpenAPI pages).
    included = [r.original_router for r in app.routes if hasattr(r, "original_router")]
    assert {id(r) for r in included} == {id(router) for router, _ in ROUTER_ROLES}
    others = [r.path for r in app.routes if not hasattr(r, "original_router")]
    assert set(others) <= FRAMEWORK


def test_no_route_answers_without_credentials(make_client) -> None:
    from tests.api.conftest import KEYS

    client = make_client(api_keys=KEYS)
    for (method, path), role in EXPECTED.items():
        concrete = path.replace("{source:path}", "x.txt").replace("{model_id}", "x")
        concrete = concrete.replace("{job_id}", "x").replace("{name:path}", "style.css")
        status = client.request(method, concrete).status_code
        if role == "public":
            assert status != 401, (method, path)
        else:
            assert status == 401, (method, path, status)


def test_admin_routes_refuse_other_roles(make_client) -> None:
    from tests.api.conftest import INTEGRATION_KEY, KEYS, READ_KEY

    client = make_client(api_keys=KEYS)
    for path in ("/v1/jobs", "/v1/jobs/x", "/v1/recovery", "/v1/audit"):
        assert client.get(path).status_code == 401, path
        for key in (READ_KEY, INTEGRATION_KEY):
            assert client.get(path, headers={"X-API-Key": key}).status_code == 403, path
