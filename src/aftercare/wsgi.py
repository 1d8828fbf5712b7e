import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
application = get_wsgi_application()

# Load the URL conf (and the views behind it) when the worker starts, not on the first request.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018

# What is loaded by now lives as long as the worker. Frozen, the cyclic garbage collector's
# full passes no longer walk it: each such pass stopped a request for about 0.1 s now and then,
# which set the p99 latency (docs/performance.md, HTTP benchmark).
gc.collect()
gc.freeze()
