"""Staff pages speak about the patient ("Before the first treatment", "the patient's");
the patient's own pages speak to them ("Before your first treatment")."""

import re
from datetime import timedelta

import pytest
import time_machine
from conftest import utc

from aftercare.careplan import actions as plan
from aftercare.guidance.companion import companion_for
from aftercare.guidance.phases import Phase
from aftercare.tracking.actions import submit_check_in
from aftercare.treatment.actions import record_infusion
from aftercare.treatment.models import Course

# Alice lives in Los Angeles. Her series starts on 6 April 2026; a booster follows on 1 June.
PHASES = {
    Phase.NOT_STARTED: utc(2026, 4, 1, 20),
    Phase.TREATMENT_DAY: utc(2026, 4, 10, 22),
    Phase.DAY_2: utc(2026, 4, 12, 20),
    Phase.FIRST_WEEK: utc(2026, 4, 15, 20),
    Phase.MAINTENANCE: utc(2026, 7, 1, 20),
}
SECOND_PERSON = re.compile(r"\byou(r|rs|rself|'re|'ll|'ve)?\b", re.IGNORECASE)


def give_history(alice, carol) -> None:
    series = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    boosters = Course.objects.create(
        patient=alice, kind=Course.Kind.MAINTENANCE, planned_infusions=4, started_on="2026-06-01"
    )
    for course, start in (
        (series, utc(2026, 4, 6, 16)),
        (series, utc(2026, 4, 8, 16)),
        (series, utc(2026, 4, 10, 16)),
        (boosters, utc(2026, 6, 1, 16)),
    ):
        record_infusion(
            patient=alice,
            recorded_by=carol,
            started_at=start,
            ended_at=start + timedelta(minutes=40),
            route="iv",
            course=course,
        )
    # What the patient wrote is theirs to word: none of it says "you" here, so any "you" on
    # the page is the software's.
    for day in range(1, 30):
        submit_check_in(
            patient=alice,
            answers={"mood": 4, "anxiety": 9, "note": "Slept badly."},
            submitted_at=utc(2026, 3, day, 20),
        )
    plan.add_goal(patient=alice, by=carol, horizon="short", text="Walk twice a week")
    plan.add_habit(patient=alice, by=carol, kind="sleep", description="Bed by eleven")
    plan.add_medication(
        patient=alice, by=carol, name="Lorazepam", medication_class="benzodiazepine", dose="2 mg"
    )


def main_content(html: str) -> str:
    """The page's own content: the site header and footer (the "Your account" links) left out."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def words(html: str) -> str:
    """What is read: text and the labels of buttons, tags dropped."""
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', html))
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()) + " " + labels


@pytest.mark.parametrize("phase", list(PHASES), ids=str)
def test_staff_pages_speak_about_the_patient_not_to_them(phase, as_user, alice, carol):
    give_history(alice, carol)
    staff = as_user(carol)
    with time_machine.travel(PHASES[phase], tick=False):
        assert companion_for(alice, PHASES[phase]).state.phase == phase
        record = staff.get(f"/clinic/patients/{alice.pk}/")
        care_plan = staff.get(f"/clinic/patients/{alice.pk}/care-plan/")
    for response in (record, care_plan):
        assert response.status_code == 200
        text = words(main_content(response.content.decode()))
        found = [text[max(0, m.start() - 40) : m.end() + 40] for m in SECOND_PERSON.finditer(text)]
        assert not found, f"{response.request['PATH_INFO']}: {found}"
    record_text = words(main_content(record.content.decode()))
    if phase == Phase.NOT_STARTED:
        assert "Recovery phase: Before the first treatment" in record_text
    plan_text = words(main_content(care_plan.content.decode()))
    assert "What the patient aims for" in plan_text
    assert "As the patient takes it" in plan_text
    assert "may blunt the response to ketamine." in plan_text  # the finding, without "talk to"


def test_the_patients_own_pages_keep_speaking_to_them(as_user, alice, carol):
    give_history(alice, carol)
    patient = as_user(alice.user)
    with time_machine.travel(PHASES[Phase.NOT_STARTED], tick=False):
        home = words(main_content(patient.get("/me/").content.decode()))
        care_plan = words(main_content(patient.get("/me/care-plan/").content.decode()))
    assert "Before your first treatment" in home
    assert "What you aim for" in care_plan
    assert "As you take it" in care_plan
    assert "may blunt the response to ketamine. Worth talking through with your clinician." in (
        care_plan
    )
