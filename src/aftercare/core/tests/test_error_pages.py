"""When a request fails, people get the site's own page: what happened to what they sent and
what to do next, with the clinic's crisis numbers still in a patient's footer."""

from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from aftercare.urls import urlpatterns as site_urls


def _boom(request):
    raise RuntimeError("database on fire")


def _forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("test-boom/", _boom),
    path("test-forbidden/", _forbidden),
    *site_urls,
]
handler400 = "aftercare.core.errors.bad_request"
handler403 = "aftercare.core.errors.permission_denied"
handler404 = "aftercare.core.errors.page_not_found"
handler500 = "aftercare.core.errors.server_error"


def test_a_missing_page_says_so_in_the_site_and_keeps_the_patients_crisis_numbers(as_user, alice):
    response = as_user(alice.user).get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert "Go to the home page" in page
    assert alice.clinic.crisis_line_phone in page  # the footer is there


def test_a_visitor_gets_the_same_page_without_an_account(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_says_what_may_be_lost_and_where_to_get_help(db):
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "may not have been saved" in page
    assert "call your clinic" in page
    assert "database on fire" not in page


@override_settings(ROOT_URLCONF=__name__)
def test_a_refusal_says_the_page_is_not_open_to_this_account(as_user, carol):
    response = as_user(carol).get("/test-forbidden/")
    assert response.status_code == 403
    assert "not open to your account" in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2 * 1024 * 1024)
def test_too_much_text_says_nothing_was_saved_and_how_to_get_it_back(as_user, alice):
    response = as_user(alice.user).post("/me/journal/new/", {"body": "x" * (3 * 1024 * 1024)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Too much to send at once" in page
    assert "about 2.0 MB" in page
    assert "Back button" in page


def test_a_form_from_before_the_last_sign_in_is_refused_with_steps_to_send_it_again(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice.user)
    client.get("/me/")  # sets the CSRF cookie
    response = client.post("/me/journal/new/", {"body": "hello", "csrfmiddlewaretoken": "stale"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Please send this again" in page
    assert "Nothing was saved" in page
    assert "reload the page" in page


def test_a_browser_without_cookies_is_told_to_allow_them(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a@b.example", "password": "x"})
    assert response.status_code == 403
    assert "Allow cookies" in response.content.decode()
