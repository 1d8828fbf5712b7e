"""A patient's own trends: charts as inline SVG with a name, and the same numbers as tables."""

import re
from datetime import UTC, datetime, timedelta

from aftercare.audit.models import AuditEvent
from aftercare.tracking.actions import submit_check_in, submit_scale_response
from aftercare.tracking.instruments import get_instrument
from aftercare.treatment.actions import record_infusion

PHQ9 = get_instrument("phq9")
START = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)


def phq9_total(total):
    values = []
    for _ in range(9):
        values.append(min(3, total - sum(values)))
    return {item.id: v for item, v in zip(PHQ9.scored_items, values, strict=True)}


def test_trends_show_mood_and_phq9_with_infusions(as_user, alice, carol):
    for day, moods in enumerate([[3, 5], [6], [8]]):
        for hour, mood in enumerate(moods):
            submit_check_in(
                patient=alice,
                answers={"mood": mood},
                submitted_at=START + timedelta(days=day, hours=hour),
            )
    for day, total in [(0, 18), (7, 9)]:
        submit_scale_response(
            patient=alice, instrument=PHQ9, answers=phq9_total(total),
            taken_at=START + timedelta(days=day),
        )  # fmt: skip
    record_infusion(
        patient=alice, recorded_by=carol, started_at=START + timedelta(days=1),
        ended_at=START + timedelta(days=1, minutes=40), route="iv",
    )  # fmt: skip

    response = as_user(alice.user).get("/me/trends/")
    assert response.status_code == 200
    html = response.content.decode()
    # Charts: inline SVG, named for screen readers, no script (the page's only one is the
    # site's own, in the head).
    assert "<svg" in html
    assert "<script" not in html.split("</head>", 1)[1]
    assert re.search(
        r'<svg[^>]*id="mood-chart"[^>]*role="img"[^>]*aria-labelledby="mood-chart-title', html
    )
    assert '<title id="mood-chart-title">Your mood over time</title>' in html
    assert re.search(r'<svg[^>]*id="phq9-chart"[^>]*role="img"', html)
    assert "Infusion" in html  # the legend of the dashed rules
    # Tables: the accessible alternative with the same numbers.
    assert re.search(r"1 Mar 2026</th><td class=\"num\">4.0</td><td class=\"num\">3–5</td>", html)
    assert re.search(r">18</td><td>Moderately severe</td>", html)
    assert re.search(r">9</td><td>Mild</td>", html)
    assert "Your infusions" in html
    assert AuditEvent.objects.filter(patient=alice, what="trends", action="view").exists()


def test_trends_without_data_explain_what_will_appear(as_user, alice):
    html = as_user(alice.user).get("/me/trends/").content.decode()
    assert "No check-ins yet" in html
    assert "No questionnaires answered yet." in html
    assert "<svg" not in html


def test_any_questionnaire_can_be_filled_in_when_not_due(as_user, alice):
    html = as_user(alice.user).get("/me/trends/").content.decode()
    assert '<a href="/me/scales/phq9/">Fill in the PHQ-9 questionnaire now</a>' in html
    assert '<a href="/me/scales/gad7/">Fill in the GAD-7 questionnaire now</a>' in html


def test_trends_show_only_ones_own_data(as_user, alice, bob, carol, eve, client):
    submit_check_in(patient=bob, answers={"mood": 2, "note": "BOB"}, submitted_at=START)
    html = as_user(alice.user).get("/me/trends/").content.decode()
    assert "<svg" not in html
    for user in (carol, eve):
        assert as_user(user).get("/me/trends/").status_code == 404
    assert client.get("/me/trends/").status_code == 302
