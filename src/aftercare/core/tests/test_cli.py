import io
import os
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "AFTERCARE_SECRET_KEY": "x7Qp2vLr9sKe4mWb8nTj3hYc6gFd1aZu5oIi0lPq7rSt2uVw9xYz",
    "AFTERCARE_ALLOWED_HOSTS": "aftercare.clinic.example",
    "AFTERCARE_DEBUG": "False",
    "DJANGO_SETTINGS_MODULE": "aftercare.settings",
}


def aftercare(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AFTERCARE_")}
    # The browser tests' conftest relaxes async safety for the whole test process.
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    environment.update(env)
    environment["AFTERCARE_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "aftercare.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = aftercare(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "AFTERCARE_SECRET_KEY"}
    result = aftercare("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "AFTERCARE_SECRET_KEY must be set" in result.stderr


def test_a_wrong_boolean_fails_loudly(tmp_path):
    result = aftercare("check", env={**PRODUCTION_ENV, "AFTERCARE_DEBUG": "yes"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "AFTERCARE_DEBUG='yes'" in result.stderr


@pytest.mark.slow
def test_demo_sets_up_a_clinic_in_the_data_folder(tmp_path):
    result = aftercare("demo", "--no-serve", "--data-dir", str(tmp_path), env={}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "aftercare.sqlite3").exists()
    assert "admin@riverside.example" in result.stdout
    assert "dr.patel@riverside.example" in result.stdout
    # Only logins that work: not the clinician who left, not the nurse still invited.
    assert "dr.lindqvist" not in result.stdout
    assert "nurse.okafor" not in result.stdout
    assert "42/42" in result.stdout
    # A second run keeps the data it has.
    again = aftercare("demo", "--no-serve", "--data-dir", str(tmp_path), env={}, tmp_path=tmp_path)
    assert "already loaded" in again.stdout


@pytest.mark.django_db
def test_demo_links_point_at_the_port_it_serves_on(monkeypatch):
    from django.conf import settings
    from django.core.management import call_command

    monkeypatch.delenv("AFTERCARE_SITE_URL", raising=False)  # also undoes the command's
    # The command sets the setting itself: put it back after the test.
    monkeypatch.setattr(settings, "SITE_URL", settings.SITE_URL)
    call_command("demo", "--no-serve", "--patients", "1", "--port", "8790", stdout=io.StringIO())
    assert settings.SITE_URL == "http://127.0.0.1:8790"
    assert os.environ["AFTERCARE_SITE_URL"] == "http://127.0.0.1:8790"
    # An address set by whoever runs it wins.
    monkeypatch.setitem(os.environ, "AFTERCARE_SITE_URL", "https://aftercare.example")
    monkeypatch.setattr(settings, "SITE_URL", "https://aftercare.example")
    call_command("demo", "--no-serve", "--port", "8791", stdout=io.StringIO())
    assert settings.SITE_URL == "https://aftercare.example"


def test_a_second_server_on_a_busy_port_is_refused_before_any_set_up(tmp_path):
    import socket

    with socket.socket() as other_server:
        # Like granian, the other server allows port sharing: a plain bind must still fail.
        other_server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other_server.bind(("127.0.0.1", 0))
        other_server.listen()
        port = other_server.getsockname()[1]
        result = aftercare(
            "demo", "--port", str(port), "--data-dir", str(tmp_path), env={}, tmp_path=tmp_path
        )
    assert result.returncode != 0
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Loading simulated patients" not in result.stdout
