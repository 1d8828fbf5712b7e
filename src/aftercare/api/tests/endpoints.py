"""Every API operation: operation id -> (method, path template, who may call it, body).

A new endpoint without an entry here fails test_endpoints.py; the tenancy, bad-input and audit
tests run over this table. Placeholders: {alice} is Alice's patient id. ``who``: "patient",
"staff" or "anyone" (logged in). ``body``: a valid JSON body for unsafe methods.
"""

from typing import Any

from aftercare.tracking.tests.records import PHQ9_ALL_ZERO

CHECK_IN = {"mood": 6, "nothing_unusual": True}

ENDPOINTS: dict[str, tuple[str, str, str, Any]] = {
    "whoami": ("get", "/api/v1/me", "anyone", None),
    "my_phase": ("get", "/api/v1/me/phase", "patient", None),
    "my_check_ins": ("get", "/api/v1/me/check-ins", "patient", None),
    "submit_check_in": ("post", "/api/v1/me/check-ins", "patient", CHECK_IN),
    "my_scales": ("get", "/api/v1/me/scales", "patient", None),
    "my_fhir": ("get", "/api/v1/me/fhir", "patient", None),
    "submit_scale": ("post", "/api/v1/me/scales/phq9", "patient", {"answers": PHQ9_ALL_ZERO}),
    "list_patients": ("get", "/api/v1/patients", "staff", None),
    "get_patient_record": ("get", "/api/v1/patients/{alice}", "staff", None),
    "patient_courses": ("get", "/api/v1/patients/{alice}/courses", "staff", None),
    "patient_infusions": ("get", "/api/v1/patients/{alice}/infusions", "staff", None),
    "patient_check_ins": ("get", "/api/v1/patients/{alice}/check-ins", "staff", None),
    "patient_scales": ("get", "/api/v1/patients/{alice}/scales", "staff", None),
    "patient_trajectory": ("get", "/api/v1/patients/{alice}/trajectory", "staff", None),
    "patient_alerts": ("get", "/api/v1/patients/{alice}/alerts", "staff", None),
    "patient_fhir": ("get", "/api/v1/patients/{alice}/fhir", "staff", None),
    "list_alerts": ("get", "/api/v1/alerts", "staff", None),
    "bulk_fhir": ("get", "/api/v1/fhir/QuestionnaireResponse", "staff", None),
}

# Operations that take the list query (limit, offset, from, to).
PAGED = {
    "my_check_ins",
    "my_scales",
    "list_patients",
    "patient_infusions",
    "patient_check_ins",
    "patient_scales",
    "patient_alerts",
    "list_alerts",
}
