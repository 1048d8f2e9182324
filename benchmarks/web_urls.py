"""The product's URLs plus one hello-world page, for the benchmark's throughput floor.

Only ``benchmarks.web_settings`` uses this URLconf; the app itself never serves the page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from backbalance.web.urls import urlpatterns as product_urlpatterns

HELLO_PATH = "/bench/hello/"


def hello(request: HttpRequest) -> HttpResponse:
    """The least a page can do: the same server, middleware and connection, no work."""
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path(HELLO_PATH.strip("/") + "/", hello), *product_urlpatterns]
