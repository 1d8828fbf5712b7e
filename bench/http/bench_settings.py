"""Production settings plus one extra URL, for the HTTP benchmark only (bench/http_checkin.py).

The no-op view lives here, outside the package, so a deployment can never expose it: it exists
only in a process started with DJANGO_SETTINGS_MODULE=bench_settings and bench/http on the path.
"""

from aftercare.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
