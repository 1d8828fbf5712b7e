"""After a check-in through a reminder link: the way on to the PHQ-9 and the journal is a login."""

from datetime import date

import time_machine

from aftercare.reminders import tokens


def test_the_confirmation_offers_to_log_in_for_the_phq9_and_the_journal(client, alice):
    with time_machine.travel("2026-05-05 02:05Z", tick=False):
        client.get(f"/r/{tokens.make_token(alice, date(2026, 5, 4))}/")
        done = client.post("/me/check-in/", {"mood": "6"}, follow=True)
    html = done.content.decode()
    assert "Thank you for checking in" in html
    assert 'href="/accounts/login/?next=%2Fme%2Fscales%2Fphq9%2F"' in html
    assert 'href="/accounts/login/?next=%2Fme%2Fjournal%2Fnew%2F"' in html
    # The restricted session itself still opens neither.
    assert client.get("/me/scales/phq9/").url.startswith("/accounts/login/")
    assert client.get("/me/journal/new/").url.startswith("/accounts/login/")


def test_logging_in_from_the_confirmation_goes_to_the_phq9(client, alice):
    from conftest import PASSWORD

    response = client.post(
        "/accounts/login/?next=/me/scales/phq9/",
        {"username": alice.user.email, "password": PASSWORD, "next": "/me/scales/phq9/"},
    )
    assert response.status_code == 302
    assert response.url == "/me/scales/phq9/"
