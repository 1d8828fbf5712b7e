"""A signed-in patient or staff member changes their own password: other sessions end, this
one stays, the owner is told by email, and a weak or mistyped password is explained beside the
field it was typed in."""

import re

import pytest
from conftest import PASSWORD
from django.core import mail
from django.test import Client

from aftercare.audit.models import AuditEvent

URL = "/accounts/password/"
NEW = "quiet-harbour-lanterns-7"


def change(client, old=PASSWORD, new1=NEW, new2=NEW):
    return client.post(
        URL, {"old_password": old, "new_password1": new1, "new_password2": new2}, follow=True
    )


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_changing_the_password_signs_out_other_browsers_and_tells_the_owner(
    request, as_user, persona
):
    person = request.getfixturevalue(persona)
    user = getattr(person, "user", person)
    here, elsewhere = as_user(user), as_user(user)
    response = change(here)
    assert "Your password is changed. Anywhere else you were signed in" in (
        response.content.decode()
    )
    assert here.get("/").status_code == 302  # still signed in: sent to their home page
    assert here.get(URL).status_code == 200
    assert elsewhere.get(URL).status_code == 302  # the other session is over
    assert Client().login(username=user.email, password=NEW)
    assert not Client().login(username=user.email, password=PASSWORD)
    assert mail.outbox[-1].to == [user.email]
    assert "was just changed" in mail.outbox[-1].body
    assert "If you did not" in mail.outbox[-1].body
    assert AuditEvent.objects.filter(
        action="update", what=f"password changed by {user.email}", object_id=str(user.pk)
    ).exists()


def field_error(html: str, field: str) -> str:
    match = re.search(rf'id="id_{field}_error">(.*?)</', html, re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize(
    ("old", "new1", "new2", "field", "message"),
    [
        ("not-my-password", NEW, NEW, "old_password", "That is not your current password"),
        (PASSWORD, "short-pw-1", "short-pw-1", "new_password1", "too short"),
        (PASSWORD, "password1234", "password1234", "new_password1", "too common"),
        (PASSWORD, "384729105638", "384729105638", "new_password1", "entirely numeric"),
        (PASSWORD, NEW, NEW + "x", "new_password2", "didn’t match"),
        (PASSWORD, "", "", "new_password1", "required"),
        (PASSWORD, "x" * 100_000, "x" * 100_000, "new_password1", "under 200 characters"),
    ],
)
def test_a_wrong_or_weak_password_is_explained_beside_its_field(
    as_user, alice, old, new1, new2, field, message
):
    client = as_user(alice.user)
    response = client.post(URL, {"old_password": old, "new_password1": new1, "new_password2": new2})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in field_error(html, field)
    assert Client().login(username="alice@example.org", password=PASSWORD)
    assert mail.outbox == []


def test_the_password_page_is_for_signed_in_people_only(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
