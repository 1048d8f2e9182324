"""The main pages of the app, as URLs for one person (needs Django set up).

Shared by the web benchmark and the query-count test, so both look at the same pages.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.urls import NoReverseMatch, reverse

from backbalance.web.checkup.models import Assessment

# URL name -> whether it needs the person's latest finished check-up as ``pk``.
MAIN_PAGES = {
    "common:home": False,
    "checkup:start": False,
    "checkup:results": True,
    "routine:today": False,
    "journal:check_in": False,
    "journal:progress": False,
    "therapies:index": False,
    "journal:what_helps": False,
    "ledger:index": False,
    "reports:clinician": False,
}


def main_page_url(name: str, user: AbstractBaseUser) -> str | None:
    """The page's URL for ``user``; None when this build has no such page yet."""
    kwargs = {}
    if MAIN_PAGES[name]:
        latest = (
            Assessment.objects.filter(owner_id=user.pk, completed_at__isnull=False)
            .order_by("-completed_at")
            .first()
        )
        if latest is None:
            return None
        kwargs["pk"] = latest.pk
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None
