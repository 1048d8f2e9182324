"""The product's URLs plus one hello-world page, for the benchmark's throughput floor.

Only ``benchmarks.web_settings`` uses this URLconf; the app itself never serves the page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from backbalance.web.urls import urlpatterns as product_urlpatterns

HELLO_PATH = "/bench/hello/"
SIGNED_IN_HELLO_PATH = "/bench/hello-signed-in/"


def hello(request: HttpRequest) -> HttpResponse:
    """The least a page can do: the same server, middleware and connection, no work."""
    return HttpResponse("Hello, world", content_type="text/plain")


@login_required
def signed_in_hello(request: HttpRequest) -> HttpResponse:
    """The least a page of one person's own data can do: find who is signed in (the session
    and the user, read from the database), and no work beyond that."""
    return HttpResponse(f"Hello, {request.user.get_username()}", content_type="text/plain")


urlpatterns = [
    path(HELLO_PATH.strip("/") + "/", hello),
    path(SIGNED_IN_HELLO_PATH.strip("/") + "/", signed_in_hello),
    *product_urlpatterns,
]
