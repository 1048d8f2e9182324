"""The stand-in results view: owner only (the results page itself is built elsewhere)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.checkup.models import Assessment
from tests.web.checkup import journey


@pytest.mark.django_db
def test_the_owner_reaches_it(owner_client: Client, owner: User) -> None:
    url = reverse("checkup:results", kwargs={"pk": Assessment.objects.get(owner=owner).pk})
    assert owner_client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_stranger_gets_404(stranger_client: Client, owner: User) -> None:
    url = reverse("checkup:results", kwargs={"pk": Assessment.objects.get(owner=owner).pk})
    assert stranger_client.get(url).status_code == 404


@pytest.mark.django_db
def test_nobody_is_sent_to_log_in(owner: User) -> None:
    url = reverse("checkup:results", kwargs={"pk": Assessment.objects.get(owner=owner).pk})
    journey.assert_login_redirect(Client().get(url))
