"""The patient's own PDF summary: charts, tables, infusions and latest scores over a period."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from pypdf import PdfReader

from aftercare.audit.models import AuditEvent
from aftercare.tracking.actions import submit_check_in, submit_scale_response
from aftercare.tracking.instruments import get_instrument
from aftercare.treatment.actions import record_infusion

PHQ9 = get_instrument("phq9")
NOW = datetime(2026, 6, 30, 18, 0, tzinfo=UTC)


def phq9_total(total: int) -> dict:
    answers, left = {}, total
    for item in PHQ9.scored_items:
        answers[item.id] = min(3, left)
        left -= answers[item.id]
    return answers


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


@pytest.fixture
def history(alice, carol):
    for days_ago, mood in [(200, 2), (60, 4), (20, 6), (2, 8)]:
        submit_check_in(
            patient=alice, answers={"mood": mood}, submitted_at=NOW - timedelta(days_ago)
        )
    for days_ago, total in [(200, 23), (50, 16), (3, 7)]:
        submit_scale_response(
            patient=alice, instrument=PHQ9, answers=phq9_total(total),
            taken_at=NOW - timedelta(days=days_ago),
        )  # fmt: skip
    record_infusion(
        patient=alice, recorded_by=carol, started_at=NOW - timedelta(days=40),
        ended_at=NOW - timedelta(days=40) + timedelta(minutes=40), route="iv",
    )  # fmt: skip
    return alice


def get(client, path="/me/summary.pdf"):
    with time_machine.travel(NOW, tick=False):
        return client.get(path)


def test_it_downloads_a_pdf_with_the_name_and_latest_phq9(as_user, history):
    response = get(as_user(history.user))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="my-aftercare-summary-90-days-2026-06-30.pdf"' in response["Content-Disposition"]
    )
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Aftercare summary for Alice Archer" in text
    assert "Latest questionnaire scores" in text
    assert "PHQ-9" in text
    # The latest PHQ-9 (7, mild) with its range; the last 90 days' scores in the table.
    assert "7 Mild" in text
    assert "16" in text
    assert "Your infusions" in text
    assert "Mood by day" in text
    assert AuditEvent.objects.filter(
        patient=history, what="data summary (PDF)", action="export"
    ).exists()


def test_the_period_decides_what_is_listed(as_user, history):
    client = as_user(history.user)
    month = pdf_text(get(client, "/me/summary.pdf?days=30").content)
    year = pdf_text(get(client, "/me/summary.pdf?days=365").content)
    assert "The last 30 days" in month
    # PHQ-9 16 (50 days ago) and 23 (200 days ago) are outside the last 30 days.
    assert "Moderately severe" not in month
    assert "No infusions in this period." in month
    assert "Moderately severe" in year
    assert "Severe" in year.replace("Moderately severe", "")
    assert "No infusions in this period." not in year


def test_a_patient_with_nothing_yet_still_gets_a_summary(as_user, alice):
    response = get(as_user(alice.user))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "No check-ins in this period." in text
    assert "No questionnaires answered yet." in text


@pytest.mark.parametrize("days", ["", "0", "7", "-30", "abc", "90.0", "9" * 400, "30&days=1"])
def test_an_unknown_period_is_refused_with_a_message(as_user, alice, days):
    response = as_user(alice.user).get("/me/summary.pdf", {"days": days})
    assert response.status_code == 400
    assert "Choose a period of 30, 90 or 365 days." in response.content.decode()


def test_it_shows_only_the_patients_own_data(as_user, history, bob):
    text = pdf_text(get(as_user(bob.user)).content)
    assert "Alice" not in text
    assert "No check-ins in this period." in text


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/me/summary.pdf")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("user", ["carol", "eve", "dana"])
def test_staff_cannot_download_a_patient_summary(as_user, history, request, user):
    response = as_user(request.getfixturevalue(user)).get("/me/summary.pdf")
    assert response.status_code == 404


def test_without_pango_it_falls_back_to_the_trends_page(as_user, alice, monkeypatch):
    from aftercare.tracking import report

    def broken(_summary):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(report, "render_pdf", broken)
    response = as_user(alice.user).get("/me/summary.pdf", follow=True)
    assert response.status_code == 200
    assert "The PDF cannot be made on this server." in response.content.decode()


def test_the_trends_page_and_home_link_to_the_summary(as_user, alice):
    client = as_user(alice.user)
    assert 'href="/me/summary.pdf"' in client.get("/me/trends/").content.decode()
    assert 'href="/me/summary.pdf?days=365"' in client.get("/me/trends/").content.decode()
    assert 'href="/me/summary.pdf"' in client.get("/me/").content.decode()
