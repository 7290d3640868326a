"""Schemathesis against ``/openapi.json`` (in-process ASGI, no network): generated requests
to every operation must never get a 5xx, and documented bodies must match their schema.
Bounded to a few examples per operation so the run stays in seconds."""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import create_app

EXAMPLES_PER_OPERATION = 2


def test_no_server_errors_on_generated_requests(corpus_settings) -> None:
    # An app of its own: schemathesis runs the app's lifespan, whose shutdown would close the
    # session app's stores under the tests that follow.
    with TestClient(create_app(corpus_settings)) as client:
        _fuzz(client.app)


def _fuzz(app) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case) -> None:
            # A generous timeout: this checks status codes and bodies, not speed on a busy CI box.
            case.call_and_validate(
                checks=[not_a_server_error, response_schema_conformance], timeout=120
            )

        check()
