"""schemathesis against the API's own OpenAPI document, in-process over ASGI with a
valid key (so the calls get past authentication into the services): no server error
and no answer the document does not declare (status, content type, body, headers).
Bounded to a few examples per operation so it stays well under a minute."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi import checks as openapi_checks

from app.api.server import create_app
from tests.api.conftest import shop_data

CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
]


def test_the_api_keeps_its_own_document(database, admin):
    key, _reader = shop_data(database, admin)
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(database))
    headers = {"Authorization": f"Bearer {key}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6  # orders (2), stock, products, two webhooks

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def conforms(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        conforms()
