"""HTTP benchmark: check-in submission and patient home page against a no-op view, with wrk.

Run: ``uv run python bench/http_checkin.py`` (needs PostgreSQL at 127.0.0.1:5432 and ``wrk``).

What it does, all on this machine:
1. creates a fresh PostgreSQL database (``--db``, dropped first), migrates it, collects the
   static files and loads a simulated demo clinic (``--patients``, ~90 days of history each)
   and the built-in guidance articles;
2. starts ``aftercare serve`` (granian, WSGI) with production settings (DEBUG off) plus one extra
   URL, ``/bench/noop/`` (bench/http/bench_urls.py: same middleware, the view returns "ok");
3. logs in ``--sessions`` demo patients through the real login form;
4. runs wrk (``--connections`` clients, ``--duration`` seconds) against the no-op view, ``/me/``
   and the check-in POST in turn, ``--runs`` rounds. Each check-in carries a fresh submission key,
   so each request stores a new check-in (validation, safety rules, audit row, insert); the
   sessions take turns so no single patient's history grows much;
5. then, open loop (``--open-rates``, fractions of the median closed-loop check-in req/s): the
   same 32 connections send check-ins at a fixed average rate whatever the server does (Poisson
   arrivals paced by wrk's ``delay()``), so the latency is that of a request arriving at that
   load, not 32 / throughput as in the closed loop; ``--runs`` rounds of ``--open-duration`` s;
6. checks that every check-in POST was answered 302 and that the database holds one new check-in
   per request, and prints per-round numbers, medians and the ratios to the no-op view of the
   same round.

Profile a single page in one process with ``bench/http/profile_page.py``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, env=env, check=True, cwd=ROOT)  # noqa: S603


def psql(sql: str) -> str:
    out = subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", sql],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


LOAD = """
import django; django.setup()
from django.utils import timezone
from aftercare.demo.load import DEMO_PASSWORD, load_demo_clinic
from aftercare.accounts.models import Patient
from aftercare.library.actions import import_builtin
print(DEMO_PASSWORD)
load_demo_clinic(seed=7, now=timezone.now(), patients={patients})
import_builtin()  # the guidance articles each phase links, as `aftercare demo` loads them
for p in Patient.objects.select_related("user").order_by("user__email")[:{sessions}]:
    print(p.user.email)
"""


def cookies_of(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]
    return jar


def login(port: int, email: str, password: str) -> tuple[str, str]:
    """Log in through the form; returns (sessionid, csrftoken)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    jar = cookies_of(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": email, "password": password}
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
        },
    )
    response = conn.getresponse()
    response.read()
    assert response.status == 302, f"login failed for {email}: {response.status}"
    jar.update(cookies_of(response))
    return jar["sessionid"], jar["csrftoken"]


LUA = """
local sessions = {sessions}
local body_template = "mood=7&energy=6&interest=6&sleep_quality=7&anxiety=3&nothing_unusual=on"
  .. "&note=bench&submission_key=%s&csrfmiddlewaretoken=%s"
local n = 0
local method = "{method}"

local function uuid4()
  local t = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (string.gsub(t, "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

local threads = {{}}

function setup(thread)
  thread:set("offset", math.random(1, #sessions))
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + offset * 7919)
  n = offset
end

function request()
  n = n + 1
  local s = sessions[(n % #sessions) + 1]
  local headers = {{}}
  headers["Cookie"] = "sessionid=" .. s[1] .. "; csrftoken=" .. s[2]
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", "{path}", headers, string.format(body_template, uuid4(), s[2]))
  end
  return wrk.format("GET", "{path}", headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  local paced, late = 0, 0
  for _, thread in ipairs(threads) do
    paced = paced + (thread:get("paced") or 0)
    late = late + (thread:get("late") or 0)
  end
  io.write(string.format(
    "RESULT {{\\"requests\\": %d, \\"duration_us\\": %d, \\"p50_us\\": %d, \\"p90_us\\": %d, "
    .. "\\"p99_us\\": %d, \\"max_us\\": %d, \\"status_errors\\": %d, \\"socket_errors\\": %d, "
    .. "\\"paced\\": %d, \\"late\\": %d}}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout,
    paced, late))
end
"""

# Open loop: requests leave at a fixed average rate whatever the server does, like patients
# who do not wait for each other. Each wrk thread draws its share of the arrivals (exponential
# gaps, i.e. Poisson arrivals, burstier than an even beat) and the next free connection of the
# thread takes the next arrival time: wrk calls delay() before each request and waits that many
# ms. An arrival whose time has passed before a connection was free is sent at once and counted
# as late: wrk then measures from the actual send, so latencies are only open-loop latencies
# while "late" stays near zero.
PACING = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct {{ long tv_sec; long tv_nsec; }} aftercare_timespec;
int clock_gettime(int clock_id, aftercare_timespec *tp);
]]
local timespec = ffi.new("aftercare_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, timespec)  -- CLOCK_MONOTONIC
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local per_ms = {rate} / {threads} / 1000  -- this thread's arrivals per millisecond
local next_at = nil
paced, late = 0, 0

function delay()
  local now = now_ms()
  next_at = (next_at or now) - math.log(1 - math.random()) / per_ms
  paced = paced + 1
  local wait = next_at - now
  if wait < -1 then
    late = late + 1
  end
  return math.max(0, math.floor(wait + 0.5))
end
"""


def lua_script(
    path: str,
    method: str,
    sessions: list[tuple[str, str]],
    folder: Path,
    *,
    rate: float | None = None,
    threads: int = 1,
) -> Path:
    """A wrk script; with ``rate`` (requests/s over all connections) an open-loop one."""
    rows = ", ".join(f'{{"{s}", "{c}"}}' for s, c in sessions)
    name = f"{method.lower()}{path.replace('/', '_')}" + (f"at{rate:.0f}" if rate else "")
    script = folder / f"{name}.lua"
    text = LUA.format(sessions="{" + rows + "}", method=method, path=path)
    if rate:
        text += PACING.format(rate=rate, threads=threads)
    script.write_text(text)
    return script


def wrk(
    port: int, script: Path, path: str, args: argparse.Namespace, duration: int | None = None
) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603
        [
            args.wrk,
            f"-t{args.threads_wrk}",
            f"-c{args.connections}",
            f"-d{duration or args.duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="aftercare_bench_http")
    parser.add_argument("--patients", type=int, default=100)
    parser.add_argument("--sessions", type=int, default=64)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads-wrk", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="granian workers")
    parser.add_argument("--threads", type=int, default=4, help="granian blocking threads")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reuse", action="store_true", help="keep the database if present")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    parser.add_argument(
        "--open-rates",
        default="0.25,0.5",
        help="open-loop check-in rates as fractions of the closed-loop check-in req/s ('' = none)",
    )
    parser.add_argument("--open-duration", type=int, default=20, help="seconds per open run")
    parser.add_argument(
        "--open-rps",
        default="",
        help="open-loop check-in rates in req/s, instead of --open-rates (e.g. '20,40'): the same "
        "offered load whatever the closed loop reached, to compare server settings",
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="aftercare-http-"))
    env = dict(
        os.environ,
        AFTERCARE_DB="postgres",
        AFTERCARE_DB_NAME=args.db,
        AFTERCARE_DB_HOST="127.0.0.1",
        AFTERCARE_DEBUG="False",
        AFTERCARE_SECRET_KEY="bench-" + "x" * 50,
        AFTERCARE_SECURE_SSL_REDIRECT="False",
        AFTERCARE_ALLOWED_HOSTS="127.0.0.1",
        AFTERCARE_DATA_DIR=str(data_dir),
        AFTERCARE_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(HERE / "http"), os.environ.get("PYTHONPATH")])
        ),
    )
    fresh = not (args.reuse and psql(f"SELECT 1 FROM pg_database WHERE datname='{args.db}'"))  # noqa: S608
    if fresh:
        psql(f'DROP DATABASE IF EXISTS "{args.db}"')
        psql(f'CREATE DATABASE "{args.db}"')
    print("migrating and collecting static files...", flush=True)
    run(["aftercare", "migrate", "--verbosity=0"], env)
    run(["aftercare", "collectstatic", "--noinput", "--verbosity=0"], env)
    load = LOAD.format(patients=args.patients if fresh else 0, sessions=args.sessions)
    if not fresh:
        load = load.replace("load_demo_clinic(", "0 and load_demo_clinic(")
    print(f"loading {args.patients} demo patients..." if fresh else "reusing data", flush=True)
    password, *emails = subprocess.run(  # noqa: S603
        [sys.executable, "-c", load], env=env, check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout.split()

    server = subprocess.Popen(  # noqa: S603
        [  # noqa: S607
            "aftercare",
            "serve",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                conn.request("GET", "/bench/noop/")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("server did not start")
        print(f"logging in {len(emails)} patients...", flush=True)
        sessions = [login(args.port, email, password) for email in emails]
        folder = Path(tempfile.mkdtemp(prefix="aftercare-wrk-"))
        targets = {
            "noop": ("/bench/noop/", lua_script("/bench/noop/", "GET", sessions, folder)),
            "home": ("/me/", lua_script("/me/", "GET", sessions, folder)),
            "checkin": ("/me/check-in/", lua_script("/me/check-in/", "POST", sessions, folder)),
        }
        # Warm up each path (imports, template compilation, connections).
        for path, script in targets.values():
            subprocess.run(  # noqa: S603
                [
                    args.wrk,
                    "-t1",
                    "-c4",
                    "-d2s",
                    "-s",
                    str(script),
                    f"http://127.0.0.1:{args.port}{path}",
                ],
                check=True,
                capture_output=True,
            )
        before = int(psql_db(args.db, "SELECT count(*) FROM tracking_checkin"))
        rounds: list[dict[str, dict[str, float]]] = []
        posted = 0
        for number in range(1, args.runs + 1):
            results = {}
            for name, (path, script) in targets.items():
                results[name] = wrk(args.port, script, path, args)
                drain(args.port)
            posted += int(results["checkin"]["requests"])
            rounds.append(results)
            print(
                f"round {number}: "
                + "  ".join(
                    f"{name} {r['rps']:.0f} req/s p50 {r['p50_us'] / 1000:.1f} ms "
                    f"p99 {r['p99_us'] / 1000:.1f} ms"
                    + (f" ({r['status_errors']:.0f} non-2xx/3xx)" if r["status_errors"] else "")
                    for name, r in results.items()
                ),
                flush=True,
            )
        open_rounds = []
        fractions = [float(f) for f in args.open_rates.split(",") if f.strip()]
        most = statistics.median(r["checkin"]["rps"] for r in rounds)
        if args.open_rps:
            fractions = [float(r) / most for r in args.open_rps.split(",") if r.strip()]
        scripts = {
            fraction: lua_script(
                "/me/check-in/",
                "POST",
                sessions,
                folder,
                rate=fraction * most,
                threads=args.threads_wrk,
            )
            for fraction in fractions
        }
        for number in range(1, args.runs + 1 if fractions else 1):
            paced = {}
            for fraction, script in scripts.items():
                r = wrk(args.port, script, "/me/check-in/", args, args.open_duration)
                drain(args.port)
                posted += int(r["requests"])
                paced[fraction] = r
                print(
                    f"open loop round {number}: {fraction * most:.1f} req/s offered "
                    f"({fraction:.0%} of {most:.0f}), {r['rps']:.1f} answered, "
                    f"p50 {r['p50_us'] / 1000:.1f} ms p90 {r['p90_us'] / 1000:.1f} ms "
                    f"p99 {r['p99_us'] / 1000:.1f} ms max {r['max_us'] / 1000:.0f} ms, "
                    f"late sends {r['late']:.0f}/{r['paced']:.0f}",
                    flush=True,
                )
            open_rounds.append(paced)
        stored = int(psql_db(args.db, "SELECT count(*) FROM tracking_checkin")) - before
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(rounds, args, posted, stored, runs=len(rounds) + len(open_rounds) * len(fractions))
    report_open(open_rounds, most, args)


def drain(port: int) -> None:
    """Wait until the server has answered what wrk left queued, so runs do not overlap."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/bench/noop/")
    conn.getresponse().read()
    time.sleep(1)


def psql_db(db: str, sql: str) -> str:
    out = subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAc", sql],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def report(
    rounds: list[dict[str, dict[str, float]]],
    args: argparse.Namespace,
    posted: int,
    stored: int,
    *,
    runs: int,
) -> None:
    def median(name: str, key: str) -> float:
        return statistics.median(r[name][key] for r in rounds)

    def ratio(name: str) -> float:
        return statistics.median(r[name]["rps"] / r["noop"]["rps"] for r in rounds)

    errors = sum(r[n]["status_errors"] + r[n]["socket_errors"] for r in rounds for n in r)
    print()
    print(
        f"{args.runs} rounds x {args.duration} s, {args.connections} connections, granian "
        f"workers={args.workers} blocking threads={args.threads}, {os.cpu_count()} CPUs, "
        f"load average before/after: {os.getloadavg()[0]:.1f}"
    )
    print("| path | req/s (median) | p50 | p99 | ratio to no-op (median of rounds) |")
    print("|---|---|---|---|---|")
    for name, label in (
        ("noop", "no-op view `/bench/noop/`"),
        ("home", "patient home `GET /me/`"),
        ("checkin", "check-in `POST /me/check-in/`"),
    ):
        print(
            f"| {label} | {median(name, 'rps'):.0f} | {median(name, 'p50_us') / 1000:.1f} ms "
            f"| {median(name, 'p99_us') / 1000:.1f} ms | "
            + ("1" if name == "noop" else f"{ratio(name) * 100:.1f} %")
            + " |"
        )
    print(f"check-ins posted {posted}, stored {stored}; wrk errors: {errors:.0f}")
    # wrk counts answered requests; up to one request per connection may still be in flight
    # when a run of check-ins ends, and is stored without being counted.
    if not posted <= stored <= posted + args.connections * runs:
        print("WARNING: stored check-ins do not match the requests")


def report_open(
    rounds: list[dict[float, dict[str, float]]], most: float, args: argparse.Namespace
) -> None:
    if not rounds:
        return
    print()
    print(
        f"open loop: check-ins at a fixed offered rate (Poisson arrivals) over "
        f"{args.connections} connections, {len(rounds)} rounds x {args.open_duration} s; "
        f"closed-loop maximum {most:.0f} req/s; load average now "
        + " ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    print("| offered rate | answered req/s | p50 | p90 | p99 | max | late sends |")
    print("|---|---|---|---|---|---|---|")
    for fraction in rounds[0]:

        def median(key: str, fraction: float = fraction) -> float:
            return statistics.median(r[fraction][key] for r in rounds)

        late = sum(r[fraction]["late"] for r in rounds) / sum(r[fraction]["paced"] for r in rounds)
        print(
            f"| {fraction * most:.0f}/s ({fraction:.0%}) | {median('rps'):.1f} "
            f"| {median('p50_us') / 1000:.1f} ms | {median('p90_us') / 1000:.1f} ms "
            f"| {median('p99_us') / 1000:.1f} ms (rounds "
            f"{min(r[fraction]['p99_us'] for r in rounds) / 1000:.0f}–"
            f"{max(r[fraction]['p99_us'] for r in rounds) / 1000:.0f}) "
            f"| {median('max_us') / 1000:.0f} ms | {late:.1%} |"
        )


if __name__ == "__main__":
    main()
