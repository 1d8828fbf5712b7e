import re

from conftest import PASSWORD
from django.core import mail


def test_a_patient_logs_in_with_email_and_password(client, alice):
    response = client.post(
        "/accounts/login/", {"username": "alice@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_a_wrong_password_is_explained_and_the_email_kept(client, alice):
    response = client.post(
        "/accounts/login/", {"username": "alice@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "That email and password do not match an account." in html
    assert 'value="alice@example.org"' in html


def test_empty_and_malformed_login_input(client, db):
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    html = response.content.decode()
    assert 'id="id_username_error"' in html
    assert 'id="id_password_error"' in html
    response = client.post("/accounts/login/", {"username": "not-an-email", "password": "x" * 5000})
    assert 'id="id_username_error"' in response.content.decode()


def test_password_reset_by_email(client, alice):
    client.post("/accounts/password-reset/", {"email": "alice@example.org"})
    assert mail.outbox[0].to == ["alice@example.org"]
    path = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new = "quiet-harbour-lights-7"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.url == "/accounts/reset/done/"
    assert client.login(username="alice@example.org", password=new)


def test_password_reset_does_not_reveal_unknown_emails(client, db):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_check_in_sent_after_the_session_ended_returns_to_the_form_and_says_so(client, alice):
    # The session has ended (idle timeout): the form's POST goes to the sign-in page.
    response = client.post(
        "/me/check-in/", {"mood": "6"}, HTTP_REFERER="http://testserver/me/?from=reminder"
    )
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/me/%3Ffrom%3Dreminder"
    page = client.get(response.url).content.decode()
    assert "You were signed out after a while without activity" in page
    signed_in = client.post(
        response.url, {"username": "alice@example.org", "password": PASSWORD}, follow=True
    )
    # Back on the page with the form, not on the address that only takes POST (a 405).
    assert signed_in.status_code == 200
    assert signed_in.redirect_chain[-1][0] == "/me/?from=reminder"
    assert not alice.check_ins.exists()  # nothing was saved without a session


def test_a_form_sent_from_elsewhere_after_the_session_ended_returns_home(client, alice):
    for referer in ({}, {"HTTP_REFERER": "https://evil.example/me/"}):
        response = client.post("/me/journal/new/", {"body": "x"}, **referer)
        assert response.url == "/accounts/login/?next=/"


def test_signing_out_says_so(client, alice):
    client.login(username="alice@example.org", password=PASSWORD)
    page = client.post("/accounts/logout/", follow=True).content.decode()
    assert "You are signed out." in page
    assert client.get("/me/").status_code == 302
