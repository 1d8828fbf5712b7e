"""Schemathesis against the served OpenAPI document: no 5xx and responses as documented.

Each operation gets a bounded number of generated requests (valid and invalid), each sent with a
patient's token and with a staff token; half the generated patient ids are swapped for Alice's so
that successful reads are checked against their schemas too.
"""

import itertools
import uuid

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from aftercare.api import tokens
from aftercare.api.tests.conftest import records_of

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
_swap = itertools.cycle([True, False])


@pytest.fixture
def same_connection():
    """The WSGI handler would close the test's database connection after each request, as it
    does between real requests; the test client avoids that the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def callers(alice, carol, same_connection):
    records_of(alice)
    return {
        "alice": alice,
        "tokens": [tokens.issue(alice.user, "fuzz")[1], tokens.issue(carol, "fuzz")[1]],
    }


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


pytestmark = pytest.mark.slow


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_matches_its_document(case, callers):
    params = case.path_parameters or {}
    if _is_uuid(params.get("patient_id")) and next(_swap):
        params["patient_id"] = str(callers["alice"].pk)
    for raw in callers["tokens"]:
        case.call_and_validate(headers={"Authorization": f"Bearer {raw}"}, checks=CHECKS)
