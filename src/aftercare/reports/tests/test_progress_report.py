"""The staff's progress report: a period form with errors beside the fields, then a PDF whose
text holds the patient, the period, the scores with their bands, response and the pages."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from conftest import utc
from pypdf import PdfReader

from aftercare.audit.models import AuditEvent
from aftercare.reports.progress import report_for
from aftercare.reports.tests.history import NOW, make_history
from aftercare.safety.actions import report_concern
from aftercare.treatment.tests.records import book, run_until_end

URL = "/clinic/patients/{}/progress-report/"


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def history(alice, carol):
    with time_machine.travel(NOW, tick=False):
        make_history(alice, carol)
    return alice


def get(client, patient, query=""):
    with time_machine.travel(NOW, tick=False):
        return client.get(URL.format(patient.pk) + query)


def test_the_form_offers_the_last_90_days(as_user, alice, carol):
    response = get(as_user(carol), alice)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="2026-04-02"' in page
    assert 'value="2026-06-30"' in page
    assert AuditEvent.objects.filter(patient=alice, what="progress report (period form)").exists()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?start=&end=2026-06-01", "start", "Enter a date."),
        ("?start=31/02/2026&end=2026-06-01", "start", "Enter a date like 2026-03-31."),
        ("?start=2026-06-10&end=2026-06-01", "end", "on or after the start date"),
        ("?start=2027-01-01&end=2027-02-01", "start", "cannot start in the future"),
        ("?start=2020-01-01&end=2026-06-01", "end", "at most three years"),
        ("?start=" + "9" * 5000 + "&end=x", "start", "Enter a date like"),
    ],
)
def test_a_bad_period_is_explained_beside_the_field(as_user, alice, carol, query, field, message):
    response = get(as_user(carol), alice, query)
    assert response.status_code == 400
    page = response.content.decode()
    error_at = page.index(f'id="id_{field}_error"')
    assert message in page[error_at : error_at + 300]
    if "2026-06-10" in query:
        assert 'value="2026-06-10"' in page  # what was typed is kept


def test_the_pdf_holds_the_patient_period_scores_bands_and_pages(as_user, history, carol):
    with time_machine.travel(NOW, tick=False):
        report_concern(patient=history)
    response = get(as_user(carol), history, "?start=2026-04-20&end=2026-06-30")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="progress-report-2026-04-20-to-2026-06-30.pdf"' in response["Content-Disposition"]
    )
    text = pdf_text(response.content)
    assert "Progress report: Alice Archer" in text
    assert "Riverside Ketamine Clinic" in text
    assert "Period: 20 April 2026 to 30 June 2026" in text
    assert "Page 1 of" in text
    # PHQ-9 21 (severe) at baseline, 12 moderate, 4 minimal after the series; GAD-7 16 severe.
    assert "21 / 27 Severe" in text
    assert "12 / 27 Moderate" in text
    assert "4 / 27 Minimal" in text
    assert "16 / 21 Severe" in text
    # Six infusions with route and dose.
    assert text.count("IV infusion") == 6
    assert "0.4 mg/kg × 70 kg = 28 mg" in text
    assert "Response after the induction series (PHQ-9) Yes" in text
    assert "Remission after the induction series (PHQ-9) Yes" in text
    assert "taken 14 to 31 days after the induction series" in text
    assert "Trajectory" in text
    assert "Daily mood, newest first" in text
    # The clinician's timeline, drawn from the same spec as its page.
    assert "Course timeline" in text
    assert "Questionnaire total" in text
    assert "No safety alerts" not in text
    assert AuditEvent.objects.filter(
        patient=history, actor=carol, what="progress report (PDF)", action="export"
    ).exists()


def test_a_period_before_treatment_lists_none_of_it(as_user, history, carol):
    response = get(as_user(carol), history, "?start=2026-01-01&end=2026-02-01")
    text = pdf_text(response.content)
    assert "No infusions in this period." in text
    assert "No questionnaires answered in this period." in text
    assert "No check-ins in this period." in text
    assert "No safety alerts in this period." in text
    assert "Severe" not in text


def test_other_clinics_never_get_the_report(as_user, history, eve, bob):
    assert get(as_user(eve), history, "?start=2026-04-20&end=2026-06-30").status_code == 404
    assert get(as_user(bob.user), history, "?start=2026-04-20&end=2026-06-30").status_code == 404


def test_status_is_as_of_the_period_end_not_the_day_the_report_is_made(as_user, history, carol):
    # PHQ-9 fell from 21 to 12 by 12 May (not yet half) and to 4 on 5 June: response came after
    # May. A report for April-May says what was true then; one up to today shows the response.
    text = pdf_text(get(as_user(carol), history, "?start=2026-04-20&end=2026-05-31").content)
    assert "As of 31 May 2026, the last day of the period." in text
    # The post-induction questionnaire was not due-and-answered by 31 May: not assessed yet.
    assert "Response after the induction series (PHQ-9) Not assessed yet" in text
    assert "Remission after the induction series (PHQ-9) Not assessed yet" in text
    assert "4 / 27" not in text  # June's score is neither listed nor used
    assert "to 4 on 5 Jun 2026" not in text

    text = pdf_text(get(as_user(carol), history, "?start=2026-04-20&end=2026-06-30").content)
    assert "As of 30 June 2026, the day this report was made." in text
    assert "Response after the induction series (PHQ-9) Yes" in text
    assert "Remission after the induction series (PHQ-9) Yes" in text


@pytest.mark.parametrize(
    ("end", "response"), [(date(2026, 6, 4), "Not assessed yet"), (date(2026, 6, 5), "Yes")]
)
def test_the_last_day_of_the_period_counts_whole(history, end, response):
    # The PHQ-9 of 4 was answered at 11:00 on 5 June (the patient's day): in a period ending
    # that day, not in one ending the day before.
    report = report_for(history, start=date(2026, 5, 1), end=end, now=NOW)
    assert report.as_of == end
    assert report.status_at_period_end
    assert report.response == response


def test_times_agree_with_the_clinic_pages_and_each_zone_is_named(as_user, history, carol):
    # Alice lives in Los Angeles; the clinic is in New York. Her first infusion began at
    # 16:00 UTC: 12:00 clinic time, as the patient page shows it to staff.
    with time_machine.travel(NOW, tick=False):
        alert = report_concern(patient=history)
    client = as_user(carol)
    with time_machine.travel(NOW, tick=False):
        record = client.get(f"/clinic/patients/{history.pk}/").content.decode()
        alert_page = client.get(f"/clinic/alerts/{alert.pk}/").content.decode()
    assert "4 May 2026, 12:00" in record
    assert "14:00" in alert_page  # raised at 18:00 UTC

    text = pdf_text(get(client, history, "?start=2026-05-01&end=2026-06-30").content)
    text = text.replace("/ ", "/")  # a zone name may wrap after its slash
    assert "4 May 2026, 12:00 IV infusion" in text
    assert "09:00 IV infusion" not in text
    assert "30 Jun 2026, 14:00" in text  # the alert
    assert "Made on 30 June 2026, 14:00 (clinic time, America/New_York)." in text
    assert (
        "Infusion and alert dates and times are clinic time (America/New_York), as in the "
        "clinic's records. Daily mood and questionnaire dates are the patient's own days "
        "(America/Los_Angeles)." in text
    )
    # Questionnaires keep the patient's day: answered at 18:00 UTC on 2 May, 11:00 for her.
    assert "2 May 2026 PHQ-9" in text


def test_a_patient_in_the_clinic_zone_gets_one_zone(as_user, bob, carol):
    with time_machine.travel(NOW, tick=False):
        make_history(bob, carol)
    text = pdf_text(get(as_user(carol), bob, "?start=2026-05-01&end=2026-06-30").content)
    text = text.replace("/ ", "/")  # a zone name may wrap after its slash
    assert "4 May 2026, 12:00 IV infusion" in text
    assert (
        "Dates and times are in the time zone of the clinic and the patient (America/New_York)."
        in text
    )


def test_an_infusion_is_in_the_period_of_the_day_it_was_given(alice, carol):
    # Booked for Friday 29 May, given on Monday 1 June: a June infusion, not a May one.
    started = utc(2026, 6, 1, 14)
    with time_machine.travel(NOW, tick=False):
        run_until_end(
            book(alice, carol, utc(2026, 5, 29, 14)),
            carol,
            arrived=started - timedelta(minutes=20),
            started=started,
            ended=started + timedelta(minutes=40),
        )
    may = report_for(alice, start=date(2026, 5, 1), end=date(2026, 5, 31), now=NOW)
    june = report_for(alice, start=date(2026, 6, 1), end=date(2026, 6, 30), now=NOW)
    assert may.infusions == []
    assert [row.day for row in june.infusions] == [started]
