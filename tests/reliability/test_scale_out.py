"""Several app servers and job workers against one PostgreSQL: nothing duplicated, nothing lost.

Small versions of bench/reliability.py (its docstring and docs/reliability.md explain each
test; the figures there come from the full-size runs). Real processes — `aftercare serve` on two
ports, two `sendreminders` and two `sendalerts` — share a database created for this module, not
the test database: the suite's transaction would hide every other process's writes. They need
PostgreSQL, so they run in `make test-postgres` only.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "reliability.py"
    spec = importlib.util.spec_from_file_location("bench_reliability", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


reliability = _bench()

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="several processes on one database: PostgreSQL only (make test-postgres)",
    ),
]

SIZES = reliability.Sizes(
    patients=12, per_patient=3, threads=12, reminders=60, alerts=20, kill_every=2
)


def quiet(line: str) -> None:
    pass


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    name = settings.DATABASES["default"]["NAME"].removeprefix("test_") + "_reliability"
    cluster = reliability.Cluster(name, production=False)
    cluster.create(progress=quiet)
    yield cluster
    cluster.stop_all()
    cluster.drop()


def test_two_servers_and_two_workers_of_each_job_send_nothing_twice(cluster):
    result = reliability.scenario_scaleout(cluster, SIZES, quiet)
    assert result["finished"], "reminders or escalations still due after 5 minutes"
    # Every check-in was sent twice at once (one copy to each server): one row each.
    assert result["acknowledged"] == SIZES.patients * SIZES.per_patient
    assert result["losses"] == 0
    assert result["duplicates"] == 0
    assert result["stored without acknowledgement"] == 0
    # One email per due reminder and escalation step, none twice, none other.
    assert result["emails due"] == SIZES.reminders + 2 * SIZES.alerts
    assert result["emails"] == result["emails due"]
    assert result["unexpected emails"] == 0


def test_every_acknowledged_check_in_survives_servers_killed_mid_load(cluster):
    result = reliability.scenario_crash(cluster, SIZES, quiet)
    assert result["kills"] >= 1
    assert result["acknowledged"] == SIZES.patients * SIZES.per_patient
    assert result["losses"] == 0
    assert result["duplicates"] == 0


def test_killed_job_workers_skip_nothing_and_repeat_at_most_the_message_in_flight(cluster):
    result = reliability.scenario_jobs(cluster, SIZES, quiet)
    assert result["finished"], "reminders or escalations still due after 5 minutes"
    assert result["kills"] >= 1
    assert result["losses"] == 0
    assert result["unexpected"] == 0
    # At least once (docs/reliability.md): a worker killed after the mail server took a
    # message but before its commit sends that one message again, with the same Message-ID.
    assert result["duplicates"] <= result["kills inside a transaction"]
