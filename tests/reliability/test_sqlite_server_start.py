"""The server's workers are started fresh, never forked from the process that runs jobs.

The demo runs reminders and alert escalation in threads of the serving process. A web worker
forked while one of them was inside a SQLite write transaction inherited SQLite's in-process lock
table with the write lock marked as held, and every write it tried (a sign-in, a check-in) failed
with "database is locked" after the 20 s busy timeout, for as long as the worker lived: 3 of 3
sign-ins on a freshly reset demo. Whether one fork hits that moment is a race, so this test
checks the cause: a real `serve()`, started while a thread holds the write lock, must not fork
(``os.register_at_fork`` sees every fork; a spawned worker is a fresh interpreter). Then a
sign-in must work.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SERVER = textwrap.dedent(
    """
    import sys, threading, time
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction
    from aftercare.accounts.actions import create_staff
    from aftercare.accounts.models import Clinic, Role

    call_command("migrate", verbosity=0)
    clinic = Clinic.objects.create(name="Riverside", slug="riverside")
    create_staff(clinic=clinic, email="dana@example.org", password="correct-horse-battery",
                 role=Role.ADMIN)
    connections.close_all()

    writing = threading.Event()

    def write_while_the_server_starts():
        with transaction.atomic():
            Clinic.objects.filter(pk=clinic.pk).update(name="Riverside Clinic")
            writing.set()
            time.sleep(float(sys.argv[2]))
        connections.close_all()

    threading.Thread(target=write_while_the_server_starts).start()
    writing.wait()
    import os
    os.register_at_fork(before=lambda: print("FORKED", file=sys.stderr, flush=True))
    from aftercare.core.management.commands.serve import serve
    serve("127.0.0.1", int(sys.argv[1]), threads=2)
    """
)
HOLD_SECONDS = 4.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            urllib.request.urlopen(url, timeout=5).read()  # noqa: S310 (http://127.0.0.1 only)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise AssertionError("the server did not come up")


def sign_in(base: str) -> tuple[int, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    page = opener.open(base + "/accounts/login/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": "dana@example.org",
            "password": "correct-horse-battery",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
        base + "/accounts/login/", data=form, headers={"Referer": base + "/accounts/login/"}
    )
    try:
        response = opener.open(request, timeout=60)
        return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_sign_in_works_after_a_write_that_was_under_way_as_the_server_started(tmp_path: Path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AFTERCARE_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "aftercare.settings",
        "AFTERCARE_DEBUG": "True",
        "AFTERCARE_DATA_DIR": str(tmp_path),
        "AFTERCARE_ALLOWED_HOSTS": "127.0.0.1",
    }
    with (tmp_path / "server.log").open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port), str(HOLD_SECONDS)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz", server)
        time.sleep(HOLD_SECONDS)  # the thread has committed
        started = time.monotonic()
        status, location = sign_in(base)
        log = (tmp_path / "server.log").read_text()
        assert (status, location) == (302, "/"), log[-3000:]
        assert time.monotonic() - started < 10  # not after waiting out the busy timeout
        assert "database is locked" not in log
        assert "FORKED" not in log
    finally:
        server.terminate()
        server.wait(timeout=30)
