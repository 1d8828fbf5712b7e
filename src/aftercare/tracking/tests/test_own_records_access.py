"""Pages for one of Alice's own records: hers alone (404 for everyone else, login for strangers)."""

import pytest

from aftercare.tracking.tests.records import own_record_ids

PAGES = {
    "check-in edit": "/me/check-ins/{check_in}/edit/",
    "journal entry": "/me/journal/{journal}/",
    "questionnaire result": "/me/scales/phq9/{scale}/",
}


@pytest.mark.parametrize("template", PAGES.values(), ids=PAGES.keys())
def test_only_the_patient_herself_opens_it(template, as_user, alice, bob, carol, dana, eve, client):
    path = template.format(**own_record_ids(alice, template))
    assert as_user(alice.user).get(path).status_code == 200
    for user in (bob.user, carol, dana, eve):
        assert as_user(user).get(path).status_code == 404, user
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
