"""The pages people see when a request fails: in the site's own look, saying what happened to
what they sent and what to do next, instead of Django's one-line defaults."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    context = {
        "too_big": isinstance(exception, RequestDataTooBig | TooManyFieldsSent),
        # Django's limit on a form's size (bytes); the library's own limit on an article is
        # smaller and explained beside its field.
        "limit_mb": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024), 1),
    }
    return render(request, "errors/400.html", context, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may be the database, which the site's header, footer and
    # the signed-in user all need.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused because its security token was missing or out of date: usually a page
    left open from before the last sign-in. What was sent is not kept (it cannot be told
    apart from a forged request), so the page says how to get it back."""
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "errors/csrf.html", context, status=403)
