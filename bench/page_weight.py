"""Page weight: bytes a browser transfers on a first visit to each patient page.

Run: ``uv run python bench/page_weight.py``. Builds a throw-away SQLite demo clinic with
production settings (DEBUG off, hashed and pre-compressed static files served by whitenoise),
logs in as a demo patient and fetches every patient page as a browser with an empty cache
would: the HTML, then every stylesheet, script, image and icon it links, and every ``url(...)``
in those stylesheets, each with ``Accept-Encoding: gzip, br``. The body sizes are what goes over
the wire (whitenoise answers with its .br/.gz copy); HTTP headers are not counted. The HTML is
served uncompressed (no GZipMiddleware, see docs/performance.md); its gzip size is shown beside
it. Any asset from another origin is listed as third-party.
"""

from __future__ import annotations

import gzip
import os
import re
import tempfile
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

PAGES = [
    "/me/",
    "/me/recovery/",
    "/me/trends/",
    "/me/journal/",
    "/me/journal/new/",
    "/me/scales/phq9/",
    "/me/safety-plan/",
    "/me/safety-plan/edit/",
    "/me/concern/",
    "/me/reminders/",
    "/me/care-plan/",
    "/me/data/",
    "/me/import/",
    "/learn/",
]
BUDGET = 100 * 1024


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("href") and "stylesheet" in (a.get("rel") or "") + "icon":
            self.found.append(a["href"] or "")
        elif tag in ("script", "img") and a.get("src"):
            self.found.append(a["src"] or "")


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="aftercare-weight-")
    os.environ.update(
        AFTERCARE_DATA_DIR=data_dir,
        AFTERCARE_DEBUG="False",
        AFTERCARE_SECRET_KEY="page-weight-" + "x" * 40,
        AFTERCARE_SECURE_SSL_REDIRECT="False",
        AFTERCARE_ALLOWED_HOSTS="testserver",
        AFTERCARE_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="aftercare.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from aftercare.accounts.models import Patient
    from aftercare.demo.load import load_demo_clinic
    from aftercare.library.actions import import_builtin

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_demo_clinic(seed=3, now=timezone.now(), patients=12)
    import_builtin()
    patient = Patient.objects.select_related("user").order_by("user__email").first()
    assert patient is not None
    client = Client(headers={"accept-encoding": "gzip, br"})
    client.force_login(patient.user)

    print(
        "| page | HTML | HTML gzipped | assets (as sent) | first load as sent | with gzipped HTML |"
    )
    print("|---|---|---|---|---|---|")
    third_party: set[str] = set()
    worst = 0
    for page in PAGES:
        response = client.get(page)
        if response.status_code != 200:
            print(f"| `{page}` | status {response.status_code} | | | | |")
            continue
        html = body_of(response)
        assert response.get("Content-Encoding") is None, "HTML now compressed: update the doc"
        parser = Links()
        parser.feed(html.decode())
        queue = [urljoin(page, href) for href in parser.found]
        seen: set[str] = set()
        assets = 0
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            if urlsplit(url).netloc and urlsplit(url).netloc != "testserver":
                third_party.add(url)
                continue
            asset = client.get(url)
            assert asset.status_code == 200, (url, asset.status_code)
            content = body_of(asset)
            assets += len(content)
            if url.endswith(".css"):
                plain = client.get(url, headers={"accept-encoding": "identity"})
                for ref in re.findall(
                    r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", body_of(plain).decode()
                ):
                    if not ref.startswith("data:"):
                        queue.append(urljoin(url, ref))
        zipped = len(gzip.compress(html, 6))
        total = len(html) + assets
        worst = max(worst, zipped + assets)
        print(
            f"| `{page}` | {len(html) / 1024:.1f} KB | {zipped / 1024:.1f} KB | "
            f"{assets / 1024:.1f} KB ({len(seen)} files) | {total / 1024:.1f} KB | "
            f"{(zipped + assets) / 1024:.1f} KB |"
        )
    print(f"\nthird-party assets: {sorted(third_party) or 'none'}")
    print(f"budget {BUDGET // 1024} KB; heaviest page with gzipped HTML: {worst / 1024:.1f} KB")


if __name__ == "__main__":
    main()
