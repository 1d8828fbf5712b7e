"""Each part of the care plan sends its own form and, sent by htmx, gets back only itself: what
is typed in the other parts is never replaced. Without JavaScript the whole page comes back."""

import re

import pytest
import time_machine
from conftest import utc

from aftercare.audit.models import AuditEvent
from aftercare.careplan import actions

PARTS = ["sessions", "habits", "medications", "goals"]


def htmx(client, url, data, target):
    return client.post(url, data, headers={"HX-Request": "true", "HX-Target": target})


def part_ids(html: str) -> list[str]:
    return re.findall(r'<section class="card" aria-labelledby="[^"]+" id="([^"]+)" data-part', html)


@pytest.fixture(params=["patient", "staff"])
def side(request, as_user, alice, carol):
    if request.param == "patient":
        return as_user(alice.user), "/me/care-plan/"
    return as_user(carol), f"/clinic/patients/{alice.pk}/care-plan/"


def test_every_form_is_sent_by_htmx_and_replaces_only_its_own_part(as_user, alice, carol):
    actions.add_habit(patient=alice, by=carol, kind="sleep", description="Bed by eleven")
    html = as_user(alice.user).get("/me/care-plan/").content.decode()
    assert part_ids(html) == PARTS
    for part in PARTS:
        section = html.split(f'id="{part}" data-part', 1)[1].split("</section>", 1)[0]
        assert 'hx-target="this" hx-swap="outerHTML"' in section
        forms = re.findall(r"<form [^>]*>", section)
        assert forms, part
        for form in forms:
            assert 'method="post"' in form  # still a plain form without JavaScript
            assert 'hx-post="/me/care-plan/"' in form
    assert '<script src="/static/workspace/htmx.min.js" defer></script>' in html
    assert '<script src="/static/aftercare/parts.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)", html)


def test_a_goal_sent_by_htmx_comes_back_in_its_part_alone(side, alice):
    client, url = side
    data = {"action": "goal", "goal-horizon": "short", "goal-text": "Walk with my sister"}
    response = htmx(client, url, data, "goals")
    assert response.status_code == 200
    assert response["X-Page-Part"] == "goals"
    html = response.content.decode()
    assert part_ids(html) == ["goals"]
    assert "<html" not in html
    assert "Walk with my sister" in html
    assert '<p class="message message-success">Goal added.</p>' in html
    assert 'name="goal-text"' in html  # a fresh form, ready for the next goal
    assert 'value="Walk' not in html
    assert alice.plan_goals.get().text == "Walk with my sister"
    # Said once, in the part: not again at the top of the next page.
    assert "Goal added." not in client.get(url).content.decode()


def test_errors_come_back_beside_the_fields_with_what_was_typed(side, alice):
    client, url = side
    data = {"action": "goal", "goal-horizon": "", "goal-text": "Swim in the lake"}
    response = htmx(client, url, data, "goals")
    assert response.status_code == 400
    assert response["X-Page-Part"] == "goals"  # the page's script shows it despite the 400
    html = response.content.decode()
    assert part_ids(html) == ["goals"]
    assert 'id="id_goal-horizon_error"' in html
    assert 'class="error-summary"' in html
    assert 'value="Swim in the lake"' in html
    assert not alice.plan_goals.exists()


@time_machine.travel(utc(2026, 3, 6, 20), tick=False)
def test_ticking_a_habit_replaces_the_habits_only(as_user, alice, carol):
    habit = actions.add_habit(patient=alice, by=carol, kind="sleep", description="Bed by eleven")
    response = htmx(
        as_user(alice.user), "/me/care-plan/", {"action": "tick", "habit": habit.pk}, "habits"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert part_ids(html) == ["habits"]
    assert "Marked as done today. Well done." in html
    assert "done on 1 day in the last 7" in html
    assert habit.ticks.count() == 1


@pytest.mark.parametrize("kind", ["session", "habit", "medication", "goal"])
def test_removing_replaces_the_part_the_item_was_in(kind, side, alice, carol):
    from aftercare.careplan.tests.test_remove import items_of

    client, url = side
    item = items_of(alice, carol)[kind]
    part = {"session": "sessions", "habit": "habits", "medication": "medications"}.get(
        kind, "goals"
    )
    post = {"action": "remove", "item": kind, "id": item.pk}
    response = htmx(client, url, post, part)
    assert response.status_code == 200
    assert part_ids(response.content.decode()) == [part]
    assert "Removed from the plan." in response.content.decode()
    assert not type(item).objects.filter(pk=item.pk).exists()
    # Pressed again (a second window still showed it): said in the part, nothing else changes.
    again = htmx(client, url, post, part)
    assert again.status_code == 404
    assert again["X-Page-Part"] == part
    assert "This is no longer on the plan." in again.content.decode()
    # Without JavaScript the same is still a plain 404.
    assert client.post(url, post).status_code == 404


def test_a_refusal_is_said_in_the_part_it_was_sent_from(side):
    client, url = side
    response = htmx(client, url, {"action": "remove", "item": "goal", "id": "abc"}, "goals")
    assert response.status_code == 400
    assert part_ids(response.content.decode()) == ["goals"]
    assert "Choose an item to remove." in response.content.decode()


def test_a_form_sent_from_another_part_is_answered_in_its_own(side, alice):
    client, url = side
    data = {"action": "goal", "goal-horizon": "long", "goal-text": "Run a 10k"}
    response = htmx(client, url, data, "habits")
    assert response["HX-Retarget"] == "#goals"
    assert part_ids(response.content.decode()) == ["goals"]


def test_a_part_shown_is_audited_like_the_page(as_user, alice):
    before = AuditEvent.objects.filter(patient=alice, what="care plan", action="view").count()
    data = {"action": "goal", "goal-horizon": "short", "goal-text": "Walk"}
    htmx(as_user(alice.user), "/me/care-plan/", data, "goals")
    after = AuditEvent.objects.filter(patient=alice, what="care plan", action="view").count()
    assert after == before + 1


def test_other_parts_of_the_page_are_not_in_an_htmx_reply(side, alice, carol):
    actions.add_goal(patient=alice, by=carol, horizon="short", text="Walk")
    client, url = side
    data = {"action": "habit", "habit-kind": "sleep", "habit-description": "Bed by eleven"}
    html = htmx(client, url, data, "habits").content.decode()
    # The goal form, with whatever is typed in it on the screen, is not sent back to replace it.
    assert 'name="goal-text"' not in html
    assert "Walk" not in html


def test_without_htmx_a_save_still_reloads_the_whole_page(side, alice):
    client, url = side
    data = {"action": "goal", "goal-horizon": "short", "goal-text": "Walk"}
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Goal added." in page
    assert part_ids(page) == PARTS
