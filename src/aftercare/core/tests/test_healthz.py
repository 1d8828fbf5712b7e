from unittest import mock

from django.db.utils import OperationalError


def test_it_answers_ok_when_the_database_is_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_it_answers_503_when_the_database_is_down(client, db):
    with mock.patch("aftercare.core.views.connection.cursor", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_home_sends_each_role_to_its_start_page(client, as_user, alice, carol):
    assert client.get("/").url == "/accounts/login/"
    assert as_user(alice.user).get("/").url == "/me/"
    assert as_user(carol).get("/").url == "/clinic/workspace/"
