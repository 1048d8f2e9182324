"""The WSGI entry point for any production server (waitress, gunicorn)."""

from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backbalance.web.settings")
application = get_wsgi_application()


def _load_what_every_request_reads() -> None:
    """Load the URLs and the clinical content now, then set everything loaded so far aside
    from the garbage collector.

    These objects live as long as the process. Left in the collector's care, every full
    collection walks all of them again (tens of milliseconds on a page that happens to
    trigger one); frozen, a collection only walks what requests create. With gunicorn's
    ``--preload`` the frozen objects are also shared by the workers instead of copied.
    """
    from django.urls import get_resolver

    from backbalance.web.common.content import content

    get_resolver().url_patterns  # noqa: B018 - imports every app's views and URLs
    content()
    gc.collect()
    gc.freeze()


_load_what_every_request_reads()
