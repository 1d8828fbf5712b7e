"""The app's URL conf plus ``/bench/noop/``: the same middleware stack, no view work at all."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from aftercare.urls import urlpatterns as app_urlpatterns


def noop(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("bench/noop/", noop, name="bench_noop"), *app_urlpatterns]
