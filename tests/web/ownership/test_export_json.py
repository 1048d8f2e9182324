"""Download everything as JSON: every kind of owned record, with the versions."""

from __future__ import annotations

import json

from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.common.models import Owned
from backbalance.web.ownership.services import FORMAT, FORMAT_VERSION
from tests.web.ownership.conftest import one_of_each


def test_every_kind_of_owned_record_is_in_the_export(owner_client: Client, owner: User) -> None:
    one_of_each(owner)
    response = owner_client.get(reverse("ownership:export_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["format"] == FORMAT
    assert data["format_version"] == FORMAT_VERSION
    assert data["engine_version"] == api.ENGINE_VERSION
    assert data["content_version"] == content().version
    # Found from Django, not from the exporter: a model added later and missed fails here.
    for model in apps.get_models():
        if not issubclass(model, Owned):
            continue
        if not model.portable:
            # A secret such as the calendar's private address never leaves in a file.
            assert model._meta.label not in data["records"]
            continue
        rows = data["records"][model._meta.label]
        stored = model._default_manager.filter(owner=owner)
        assert len(rows) == stored.count() >= 1, model._meta.label
        assert {row["id"] for row in rows} == {
            str(pk) for pk in stored.values_list("pk", flat=True)
        }
        expected = {f.name for f in model._meta.concrete_fields} - {"owner"}
        assert all(set(row) == expected for row in rows), model._meta.label


def test_the_export_holds_nobody_else_s_records(
    owner_client: Client, owner: User, stranger: User
) -> None:
    one_of_each(stranger)
    data = json.loads(owner_client.get(reverse("ownership:export_json")).content)
    assert data["account"] == {"username": "owner"}
    assert len(data["records"]["checkup.Assessment"]) == 1
    assert data["records"]["journal.CheckIn"] == []
    assert "stranger" not in json.dumps(data)


def test_anonymous_goes_to_log_in(client: Client) -> None:
    response = client.get(reverse("ownership:export_json"))
    assert response["Location"].startswith(reverse("accounts:login"))
