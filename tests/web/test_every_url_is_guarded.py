"""Every page of the app, walked from the URLconf, is closed to strangers and to nobody.

A new view cannot miss the guard: the walk finds it. A pattern with a record id is tried
with every record the owner has (the demo person has one of each kind); a stranger must
get 404 for each, and someone not logged in is sent to the login page.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from backbalance.web.common.models import Owned
from backbalance.web.demo import seed_demo

# Pages anyone may open: logging in, signing up, and logging out (which only ends a
# session, so it has nothing to guard).
PUBLIC = {"accounts:login", "accounts:sign_up", "accounts:logout"}
# The calendar feed is read by calendar apps, which cannot log in: its secret token is the
# key, and a wrong or revoked token gets 404 (tests/web/reports/test_calendar_feed.py).
PUBLIC |= {"reports:calendar_feed"}
RECORDS_PER_KIND = 2
# Values for URL parameters that are not record ids.
EXAMPLE_KWARGS: dict[str, str] = {
    "test_id": "thomas_test",
    "device": "inversion",
    "step": "1",
    "token": "not-a-real-token",
}


def _patterns(
    resolver: URLResolver | None = None, namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def _converters(pattern: URLPattern) -> dict[str, str]:
    return {
        name: type(converter).__name__ for name, converter in pattern.pattern.converters.items()
    }


def _owned_ids(user: User) -> list[UUID]:
    ids: list[UUID] = []
    for model in apps.get_models():
        if issubclass(model, Owned):
            # A few of each kind: every kind of record is tried at every id URL.
            owned = model._default_manager.filter(owner=user).order_by("pk")
            ids.extend(owned.values_list("pk", flat=True)[:RECORDS_PER_KIND])
    return ids


def _urls(name: str, pattern: URLPattern, record_ids: list[UUID]) -> list[str]:
    converters = _converters(pattern)
    id_params = [key for key, kind in converters.items() if kind == "UUIDConverter"]
    other = {key: EXAMPLE_KWARGS[key] for key in converters if key not in id_params}
    if not id_params:
        return [reverse(name, kwargs=other)]
    return [
        reverse(name, kwargs={**other, **dict.fromkeys(id_params, str(record_id))})
        for record_id in record_ids
    ]


def _all_urls() -> list[tuple[str, URLPattern]]:
    return [(name, pattern) for name, pattern in _patterns() if not name.startswith("djdt")]


@pytest.mark.django_db
def test_a_parameter_with_no_example_value_is_named() -> None:
    for name, pattern in _all_urls():
        for key, kind in _converters(pattern).items():
            assert kind == "UUIDConverter" or key in EXAMPLE_KWARGS, (
                f"{name}: add an example value for <{key}> to EXAMPLE_KWARGS"
            )


@pytest.mark.django_db
def test_nobody_is_sent_to_log_in_everywhere_but_the_public_pages() -> None:
    demo = User.objects.get(username=seed_demo().username)
    client = Client()
    checked = 0
    for name, pattern in _all_urls():
        if name in PUBLIC:
            continue
        for url in _urls(name, pattern, _owned_ids(demo)):
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code == 302, f"{name} {url}: {response.status_code}"
                assert response["Location"].startswith(reverse("accounts:login")), name
                checked += 1
    assert checked >= 10


@pytest.mark.django_db
def test_a_stranger_gets_404_for_every_record_of_someone_else(stranger_client: Client) -> None:
    demo = User.objects.get(username=seed_demo().username)
    record_ids = _owned_ids(demo)
    assert record_ids, "the demo person has records to try"
    checked = 0
    for name, pattern in _all_urls():
        if "UUIDConverter" not in _converters(pattern).values():
            continue
        for url in _urls(name, pattern, record_ids):
            for method in (stranger_client.get, stranger_client.post):
                response = method(url)
                assert response.status_code == 404, f"{name} {url}: {response.status_code}"
                checked += 1
    # The demo person has a record behind every kind of id URL, so the walk tries many.
    assert checked >= 20, checked
