"""The JSON API under /api/v1/ (docs/api.md); OpenAPI at /api/v1/openapi.json, docs at /docs."""

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router
from ninja.openapi.docs import Swagger
from ninja.operation import Operation

from aftercare.api import errors, patient_api, staff_api
from aftercare.api import schemas as s
from aftercare.api.auth import ANYONE, auth_for
from aftercare.api.common import READ_ERRORS


class AftercareAPI(NinjaAPI):
    # Short, stable operation ids and URL names ("api_<id>"): api/tests/endpoints.py lists them.
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_operation_url_name(self, operation: Operation, router: Router) -> str:
        return "api_" + operation.view_func.__name__


api = AftercareAPI(
    title="Ketamine aftercare API",
    version="1",
    description=(
        "Patients submit check-ins and questionnaires and read their recovery phase; clinic "
        "staff read their own clinic's patients. Authenticate with a personal token "
        "(`Authorization: Bearer akc_…`) or, in the browser, the session. See docs/api.md."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
)
errors.install(api)

common = Router(auth=auth_for(ANYONE), tags=["account"])


@common.get("/me", response={200: s.MeOut} | READ_ERRORS)
def whoami(request: HttpRequest) -> dict[str, Any]:
    """The caller: role, clinic and, for a patient, their patient id."""
    user = request.auth  # type: ignore[attr-defined]
    patient = getattr(user, "patient", None) if user.is_patient else None
    return {
        "email": user.email,
        "name": user.get_full_name(),
        "role": user.role,
        "clinic": {
            "slug": user.clinic.slug,
            "name": user.clinic.name,
            "timezone": user.clinic.timezone,
        },
        "patient_id": patient.pk if patient else None,
    }


api.add_router("", common)
api.add_router("", patient_api.router)
api.add_router("", staff_api.router)
