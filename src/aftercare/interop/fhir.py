"""FHIR R4 resources for one patient: Patient, Procedure and MedicationAdministration for each
completed infusion, QuestionnaireResponse and a total-score Observation for each PHQ-9 / GAD-7,
and an Observation for each daily mood. Codes, profiles and choices: docs/fhir.md.

Resources are plain JSON-ready dicts built here (so their key order and content are exactly
ours and re-exports are byte-identical); tests validate each with ``fhir.resources.R4B``, whose
models match R4 for every resource type used here. Ids are UUIDs derived from the patient's UUID
and the row's primary key (uuid5), so the same row always gets the same id and ids from two
installations never collide.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from aftercare.accounts.models import Patient
from aftercare.tracking.instruments import INSTRUMENTS, Instrument
from aftercare.tracking.models import CheckIn, ScaleResponse
from aftercare.tracking.scoring import answers_by_item
from aftercare.treatment.models import Infusion, Route

Resource = dict[str, Any]
RefStyle = Literal["relative", "urn"]

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
URI_IDENTIFIER = "urn:ietf:rfc:3986"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Core R4 extension giving an answer's score (used by SDC for scoring; CLINICAL.md §7).
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
# Our own code systems, for what no public terminology we could verify covers (docs/fhir.md).
LOCAL = "urn:aftercare:fhir:CodeSystem:"
SESSION_SYSTEM = LOCAL + "ketamine-session"
CHECK_IN_SYSTEM = LOCAL + "check-in"
CLINIC_SYSTEM = "urn:aftercare:fhir:clinic"

# Canonical LOINC Questionnaires (CLINICAL.md §1.1, §7 [V]); the GAD-7 one follows the same form.
QUESTIONNAIRE_URL = "http://loinc.org/q/{panel}"
# LOINC long names of the total-score codes (CLINICAL.md §1.1, §1.2 [V]).
TOTAL_DISPLAY = {
    "44261-6": "Patient health questionnaire 9 item total score",
    "70274-6": "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
}
MOOD_CODE = "mood"
MOOD_DISPLAY = "Mood today, patient-reported, 1 (worst) to 10 (best)"

# English names whatever the active language, so exports do not depend on it.
SESSION_DISPLAY: dict[str, str] = {
    Route.IV: "Ketamine IV infusion session",
    Route.IM: "Ketamine IM injection session",
    Route.INTRANASAL: "Intranasal esketamine session",
    Route.ORAL: "Oral / sublingual ketamine session",
    Route.KAP: "Ketamine-assisted psychotherapy session",
}
# SNOMED CT route qualifiers, only where our route is unambiguous ("oral" also covers
# sublingual, KAP names no route): 47625008, 78421000, 46713006 as used in public FHIR value sets.
ROUTE_CODING: dict[str, tuple[str, str]] = {
    Route.IV: ("47625008", "Intravenous route"),
    Route.IM: ("78421000", "Intramuscular route"),
    Route.INTRANASAL: ("46713006", "Nasal route"),
}
ROUTE_TEXT: dict[str, str] = {
    Route.IV: "Intravenous",
    Route.IM: "Intramuscular",
    Route.INTRANASAL: "Nasal",
    Route.ORAL: "Oral or sublingual",
    Route.KAP: "Route not recorded (ketamine-assisted psychotherapy)",
}
# SNOMED CT products (UK SNOMED CT code set for ketamine and esketamine, NHS GM SDE
# clinical-code-sets/medications/{ketamine,esketamine}).
KETAMINE = ("333847008", "Product containing ketamine (medicinal product)")
ESKETAMINE_NASAL = (
    "789488000",
    "Product containing esketamine in nasal dose form (medicinal product form)",
)


def resource_id(patient_id: uuid.UUID, kind: str, pk: object = "") -> str:
    """A stable, globally unique id for one row's resource."""
    if not kind:
        return str(patient_id)
    return str(uuid.uuid5(patient_id, f"{kind}/{pk}"))


def instant(value: datetime) -> str:
    """An aware datetime as a FHIR dateTime in UTC."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _reference(style: RefStyle) -> Callable[[str, str], dict[str, str]]:
    if style == "urn":
        return lambda kind, rid: {"reference": f"urn:uuid:{rid}"}
    return lambda kind, rid: {"reference": f"{kind}/{rid}"}


def _identifier(rid: str) -> list[dict[str, str]]:
    return [{"system": URI_IDENTIFIER, "value": f"urn:uuid:{rid}"}]


def _quantity(value: Decimal, unit: str) -> dict[str, Any]:
    return {"value": float(value), "unit": unit, "system": UCUM, "code": unit}


def _support_contact(patient: Patient) -> dict[str, Any]:
    # v2-0131 "C": emergency contact, the person the clinic may call for the patient.
    contact: dict[str, Any] = {
        "relationship": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v2-0131",
                        "code": "C",
                        "display": "Emergency Contact",
                    }
                ]
            }
        ],
        "name": {"text": patient.support_name},
    }
    if patient.support_phone:
        contact["telecom"] = [{"system": "phone", "value": patient.support_phone}]
    return contact


def patient_resource(patient: Patient) -> Resource:
    user = patient.user
    rid = str(patient.pk)
    resource: Resource = {
        "resourceType": "Patient",
        "id": rid,
        "identifier": _identifier(rid),
        "active": True,
    }
    name: dict[str, Any] = {}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    if name:
        resource["name"] = [{"use": "official", **name}]
    telecom = []
    if patient.phone:
        telecom.append({"system": "phone", "value": patient.phone})
    if user.email:
        telecom.append({"system": "email", "value": user.email})
    if telecom:
        resource["telecom"] = telecom
    if patient.birth_year:
        resource["birthDate"] = f"{patient.birth_year:04d}"  # FHIR date allows a year alone
    if patient.support_name:
        resource["contact"] = [_support_contact(patient)]
    resource["managingOrganization"] = {
        "identifier": {"system": CLINIC_SYSTEM, "value": patient.clinic.slug},
        "display": patient.clinic.name,
    }
    return resource


def _performed(infusion: Infusion) -> tuple[str, Any]:
    """("Period", {start, end}) from the recorded times; ("DateTime", ...) from the appointment
    for an infusion recorded as completed without times."""
    if infusion.started_at is None and infusion.ended_at is None:
        return "DateTime", instant(infusion.scheduled_at)
    period = {}
    if infusion.started_at is not None:
        period["start"] = instant(infusion.started_at)
    if infusion.ended_at is not None:
        period["end"] = instant(infusion.ended_at)
    return "Period", period


def _medication(route: str) -> dict[str, Any]:
    code, display = ESKETAMINE_NASAL if route == Route.INTRANASAL else KETAMINE
    text = "Esketamine" if route == Route.INTRANASAL else "Ketamine"
    return {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": text}


def dose_text(infusion: Infusion) -> str | None:
    total = infusion.total_mg
    if infusion.dose_mg is not None:
        return f"{infusion.dose_mg} mg"
    if infusion.dose_mg_per_kg is not None and infusion.weight_kg is not None:
        return f"{infusion.dose_mg_per_kg.normalize()} mg/kg x {infusion.weight_kg} kg = {total} mg"
    if infusion.dose_mg_per_kg is not None:
        return f"{infusion.dose_mg_per_kg.normalize()} mg/kg (weight not recorded)"
    return None


def procedure_resources(
    infusion: Infusion, ref: Callable[[str, str], dict[str, str]]
) -> tuple[Resource, Resource]:
    """A completed infusion: what was done and when (Procedure) and what was given how much by
    which route (MedicationAdministration, part of the Procedure: R4 Procedure has no dose)."""
    patient_id = infusion.patient_id
    pid = resource_id(patient_id, "")
    proc_id = resource_id(patient_id, "Procedure", infusion.pk)
    route = infusion.route
    when, performed = _performed(infusion)
    procedure: Resource = {
        "resourceType": "Procedure",
        "id": proc_id,
        "identifier": _identifier(proc_id),
        "status": "completed",
        "code": {
            "coding": [
                {"system": SESSION_SYSTEM, "code": route, "display": SESSION_DISPLAY[route]}
            ],
            "text": SESSION_DISPLAY[route],
        },
        "subject": ref("Patient", pid),
        f"performed{when}": performed,
        "usedCode": [_medication(route)],
    }
    dose = dose_text(infusion)
    note = ROUTE_TEXT[route] + (f", {dose}" if dose else "")
    procedure["note"] = [{"text": note}]
    admin_id = resource_id(patient_id, "MedicationAdministration", infusion.pk)
    dosage: dict[str, Any] = {}
    if dose:
        dosage["text"] = dose
    route_coding = ROUTE_CODING.get(route)
    dosage["route"] = {"text": ROUTE_TEXT[route]}
    if route_coding:
        code, display = route_coding
        dosage["route"] = {
            "coding": [{"system": SNOMED, "code": code, "display": display}],
            "text": ROUTE_TEXT[route],
        }
    if infusion.total_mg is not None:
        dosage["dose"] = _quantity(infusion.total_mg, "mg")
    administration: Resource = {
        "resourceType": "MedicationAdministration",
        "id": admin_id,
        "identifier": _identifier(admin_id),
        "partOf": [ref("Procedure", proc_id)],
        "status": "completed",
        "medicationCodeableConcept": _medication(route),
        "subject": ref("Patient", pid),
        f"effective{when}": performed,
        "dosage": dosage,
    }
    return procedure, administration


def questionnaire_url(instrument: Instrument) -> str:
    return QUESTIONNAIRE_URL.format(panel=instrument.loinc_panel)


def scale_resources(
    response: ScaleResponse, ref: Callable[[str, str], dict[str, str]]
) -> tuple[Resource, Resource] | None:
    """A PHQ-9 / GAD-7 as a QuestionnaireResponse (linkId = item LOINC code, answers as LOINC
    LA codes) and its total as an Observation derived from it. None for instruments without
    LOINC codes."""
    instrument = INSTRUMENTS.get(response.instrument)
    if instrument is None or not instrument.loinc_panel or not instrument.loinc_total:
        return None
    patient_id = response.patient_id
    pid = resource_id(patient_id, "")
    qr_id = resource_id(patient_id, "QuestionnaireResponse", response.pk)
    answers = answers_by_item(instrument, response.answers)
    items = []
    for item in instrument.items:
        value = answers.get(item.id)
        if value is None:
            continue
        try:
            option = item.option_for(int(value))
        except (KeyError, TypeError, ValueError):
            continue  # a value the answer list does not offer has no code to export
        coding: dict[str, Any] = {"system": LOINC, "code": option.code, "display": option.label}
        if item.scored:  # the item's score; none on the unscored difficulty item (PHQ-9 #10)
            coding = {"extension": [{"url": ORDINAL_VALUE, "valueDecimal": option.value}]} | coding
        items.append({"linkId": item.id, "text": item.text, "answer": [{"valueCoding": coding}]})
    authored = instant(response.taken_at)
    questionnaire_response: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": qr_id,
        "identifier": _identifier(qr_id)[0],  # R4: a single identifier
        "questionnaire": questionnaire_url(instrument),
        "status": "completed",
        "subject": ref("Patient", pid),
        "authored": authored,
        "item": items,
    }
    obs_id = resource_id(patient_id, "Observation/total", response.pk)
    band = instrument.band_for(response.total)
    total: Resource = {
        "resourceType": "Observation",
        "id": obs_id,
        "identifier": _identifier(obs_id),
        "status": "final",
        "category": [_survey()],
        "code": {
            "coding": [
                {
                    "system": LOINC,
                    "code": instrument.loinc_total,
                    "display": TOTAL_DISPLAY.get(instrument.loinc_total, instrument.name),
                }
            ],
            "text": f"{instrument.name} total score",
        },
        "subject": ref("Patient", pid),
        "effectiveDateTime": authored,
        "valueInteger": response.total,
        "interpretation": [{"text": band.label}],
        "derivedFrom": [ref("QuestionnaireResponse", qr_id)],
    }
    return questionnaire_response, total


def _survey() -> dict[str, Any]:
    return {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}


def mood_resource(check_in: CheckIn, ref: Callable[[str, str], dict[str, str]]) -> Resource:
    patient_id = check_in.patient_id
    obs_id = resource_id(patient_id, "Observation/mood", check_in.pk)
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "identifier": _identifier(obs_id),
        "status": "final",
        "category": [_survey()],
        "code": {
            "coding": [{"system": CHECK_IN_SYSTEM, "code": MOOD_CODE, "display": MOOD_DISPLAY}],
            "text": MOOD_DISPLAY,
        },
        "subject": ref("Patient", resource_id(patient_id, "")),
        "effectiveDateTime": instant(check_in.submitted_at),
        "valueInteger": check_in.mood,
    }


# Columns the export reads; everything else of a row is never loaded.
INFUSION_FIELDS = (
    "pk", "patient_id", "route", "scheduled_at", "started_at", "ended_at",
    "dose_mg_per_kg", "weight_kg", "dose_mg",
)  # fmt: skip
SCALE_FIELDS = ("pk", "patient_id", "instrument", "answers", "total", "taken_at")
CHECK_IN_FIELDS = ("pk", "patient_id", "mood", "submitted_at")
CHUNK = 500


def iter_resources(patient: Patient, style: RefStyle = "relative") -> Iterator[Resource]:
    """Every resource of one patient, in a fixed order, reading rows in chunks."""
    ref = _reference(style)
    yield patient_resource(patient)
    infusions = (
        Infusion.objects.filter(patient=patient, status=Infusion.Status.COMPLETED)
        .only(*INFUSION_FIELDS)
        .order_by("scheduled_at", "pk")
    )
    for infusion in infusions.iterator(chunk_size=CHUNK):
        yield from procedure_resources(infusion, ref)
    scales = (
        ScaleResponse.objects.filter(patient=patient).only(*SCALE_FIELDS).order_by("taken_at", "pk")
    )
    for response in scales.iterator(chunk_size=CHUNK):
        pair = scale_resources(response, ref)
        if pair is not None:
            yield from pair
    check_ins = (
        CheckIn.objects.filter(patient=patient)
        .only(*CHECK_IN_FIELDS)
        .order_by("submitted_at", "pk")
    )
    for check_in in check_ins.iterator(chunk_size=CHUNK):
        yield mood_resource(check_in, ref)


def patient_bundle(patient: Patient) -> Resource:
    """One patient's record as a FHIR R4 Bundle of type collection (JSON-ready dict).

    Entries carry ``urn:uuid:`` full URLs and reference each other by them, so the Bundle is
    self-contained. The caller checks access and records the read in the audit log.
    """
    entries = [
        {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
        for resource in iter_resources(patient, style="urn")
    ]
    return {
        "resourceType": "Bundle",
        "id": resource_id(patient.pk, "Bundle"),
        "type": "collection",
        "entry": entries,
    }
