"""Discharge instructions as a page and a PDF: personal, in clinic time, with whom to call."""

import io
from datetime import timedelta

import pytest
import time_machine
from conftest import utc
from pypdf import PdfReader

from aftercare.audit.models import AuditEvent
from aftercare.treatment import actions
from aftercare.treatment.tests.records import GOOD_CHECKLIST, add_round, book, run_until_end

NOW = utc(2026, 3, 10, 16, 0)  # 12:00 in New York


@pytest.fixture
def discharged(alice, carol):
    with time_machine.travel(NOW, tick=False):
        infusion = book(alice, carol, utc(2026, 3, 10, 14))
        run_until_end(
            infusion,
            carol,
            arrived=utc(2026, 3, 10, 14),
            started=utc(2026, 3, 10, 14, 10),
            ended=utc(2026, 3, 10, 14, 50),
        )
        add_round(infusion, carol, NOW - timedelta(minutes=5))
        actions.sign_discharge(infusion=infusion, by=carol, now=NOW, checklist=GOOD_CHECKLIST)
        # The next appointment: Friday 13 March, 10:00 New York time.
        book(alice, carol, utc(2026, 3, 13, 14))
    return infusion


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_instructions_page_is_personal(as_user, carol, discharged):
    with time_machine.travel(NOW, tick=False):
        html = (
            as_user(carol).get(f"/clinic/sessions/{discharged.pk}/instructions/").content.decode()
        )
    assert "For Alice Archer, from Riverside Ketamine Clinic." in html
    assert "Discharged Tuesday 10 March 2026, 12:00." in html
    assert "Friday 13 March 2026, 10:00" in html
    assert "(clinic time, America/New_York)" in html
    assert "call or text 988 (988 Suicide &amp; Crisis Lifeline)" in html
    assert "Riverside Ketamine Clinic: +1 555 0100" in html
    assert "In an emergency, call 911." in html
    assert "http://127.0.0.1:8000/me/" in html
    assert '<svg role="img" aria-label="QR code for http://127.0.0.1:8000/me/"' in html
    assert "Driving, cycling or using machinery." in html
    assert "most people are back within one or two days" in html


def test_the_pdf_holds_the_next_appointment_and_the_crisis_line(as_user, carol, alice, discharged):
    with time_machine.travel(NOW, tick=False):
        response = as_user(carol).get(f"/clinic/sessions/{discharged.pk}/instructions.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="discharge-instructions-2026-03-10.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content).split())
    assert "Alice Archer" in text
    assert "Friday 13 March 2026, 10:00" in text
    assert "988 (988 Suicide & Crisis Lifeline)" in text
    assert "911" in text
    assert AuditEvent.objects.filter(
        patient=alice, what="discharge instructions (PDF)", actor=carol, action="export"
    ).exists()


def test_without_a_next_appointment_the_sheet_says_so(as_user, carol, alice, discharged):
    alice.infusions.filter(status="scheduled").delete()
    with time_machine.travel(NOW, tick=False):
        html = (
            as_user(carol).get(f"/clinic/sessions/{discharged.pk}/instructions/").content.decode()
        )
    assert "No next appointment is booked yet." in html


def test_the_clinic_crisis_line_is_used(as_user, carol, riverside, discharged):
    riverside.crisis_line_name = "Samaritans"
    riverside.crisis_line_phone = "116 123"
    riverside.emergency_number = "999"
    riverside.save()
    with time_machine.travel(NOW, tick=False):
        response = as_user(carol).get(f"/clinic/sessions/{discharged.pk}/instructions.pdf")
    text = " ".join(pdf_text(response.content).split())
    assert "116 123 (Samaritans)" in text
    assert "call 999" in text


def test_without_pango_the_pdf_link_falls_back_to_the_page(as_user, carol, discharged, monkeypatch):
    from aftercare.treatment import sheet_views

    def broken(_sheet):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(sheet_views, "render_pdf", broken)
    response = as_user(carol).get(f"/clinic/sessions/{discharged.pk}/instructions.pdf", follow=True)
    assert response.status_code == 200
    assert "The PDF cannot be made on this server. Print this page." in response.content.decode()
