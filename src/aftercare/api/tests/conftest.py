"""API clients for the personas: a token each, sent as a bearer header."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aftercare.api import tokens
from aftercare.api.tests.endpoints import ENDPOINTS
from aftercare.safety.actions import report_concern
from aftercare.tracking.actions import submit_check_in, submit_scale_response
from aftercare.tracking.instruments import get_instrument
from aftercare.tracking.tests.records import PHQ9_ALL_ZERO
from aftercare.treatment.models import Course, Infusion


class ApiClient:
    """A test client that sends one token (or none) and JSON bodies."""

    def __init__(self, raw_token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}

    def call(self, method: str, path: str, body: Any = None, **kwargs: Any):
        if method == "get":
            return self.client.get(path, kwargs.pop("query", None), headers=self.headers)
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return getattr(self.client, method)(
            path, data=data, content_type="application/json", headers=self.headers, **kwargs
        )

    def get(self, path: str, query: dict | None = None):
        return self.call("get", path, query=query)

    def post(self, path: str, body: Any = None):
        return self.call("post", path, body)


@pytest.fixture
def api_as():
    """api_as(user) -> ApiClient with a fresh token of that user; api_as(None): anonymous."""

    def make(user) -> ApiClient:
        if user is None:
            return ApiClient()
        return ApiClient(tokens.issue(user, "tests")[1])

    return make


def records_of(patient) -> None:
    """One of each kind of record for ``patient``: check-in, PHQ-9, course, infusion, alert."""
    now = timezone.now()
    submit_check_in(patient=patient, answers={"mood": 4, "note": "private words"})
    submit_scale_response(patient=patient, instrument=get_instrument("phq9"), answers=PHQ9_ALL_ZERO)
    course = Course.objects.create(patient=patient, started_on=(now - timedelta(days=3)).date())
    Infusion.objects.create(
        patient=patient,
        course=course,
        scheduled_at=now - timedelta(days=2),
        started_at=now - timedelta(days=2),
        ended_at=now - timedelta(days=2) + timedelta(minutes=40),
    )
    report_concern(patient=patient, text="worried")


@pytest.fixture
def alice_records(alice):
    records_of(alice)
    return alice


def path_of(name: str, alice) -> str:
    return ENDPOINTS[name][1].format(alice=alice.pk)


def call(client: ApiClient, name: str, alice, body: Any = ...):
    method, _template, _who, default = ENDPOINTS[name]
    return client.call(method, path_of(name, alice), default if body is ... else body)


def assert_error_shape(response, status: int | None = None) -> dict:
    if status is not None:
        assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert isinstance(data["detail"], str)
    assert data["detail"]
    assert isinstance(data["errors"], list)
    for error in data["errors"]:
        assert set(error) == {"field", "message"}
    return data
