"""``aftercare insights validate``: the table, the macro-F1 last, a failing exit below target."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from aftercare.insights import validation


def test_it_prints_the_table_and_ends_with_the_macro_f1(monkeypatch):
    classes, booster, figures = (
        validation.validate_classes,
        validation.validate_booster,
        validation.validate_figures,
    )
    monkeypatch.setattr(validation, "validate_classes", lambda seed: classes(600, seed=seed))
    monkeypatch.setattr(validation, "validate_booster", lambda seed: booster(30, seed=seed))
    monkeypatch.setattr(validation, "validate_figures", lambda seed: figures(300, seed=seed))
    out = StringIO()
    call_command("insights", "validate", "--seed", "3", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-1].startswith("macro-F1 ")
    assert "| truth \\ predicted |" in out.getvalue()


def test_it_fails_below_the_target(monkeypatch):
    monkeypatch.setattr(
        "aftercare.outcomes.management.commands.insights.validate",
        lambda seed: (["macro-F1 0.500 (target 0.85)"], False),
    )
    with pytest.raises(CommandError, match="below the target"):
        call_command("insights", "validate", stdout=StringIO())


@pytest.mark.parametrize("seed", ["-1", str(2**40)])
def test_it_refuses_a_bad_seed(seed):
    with pytest.raises(CommandError, match="seed"):
        call_command("insights", "validate", "--seed", seed, stdout=StringIO())


def test_it_runs_from_a_fresh_shell_without_a_secret_key():
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("AFTERCARE_SECRET_KEY", "AFTERCARE_DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    done = subprocess.run(
        [sys.executable, "-m", "aftercare.cli", "insights", "validate", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--seed" in done.stdout
