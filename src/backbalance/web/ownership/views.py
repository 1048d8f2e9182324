"""Your data: download it, bring it back, or delete the account with everything in it.

No address here names a record: every view works on the logged-in person's own data.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from backbalance.core import api
from backbalance.web.ownership import services
from backbalance.web.ownership.fhir import fhir_bundle
from backbalance.web.ownership.forms import DeleteAccountForm, ImportForm


def _download(body: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="backbalance-{name}-{stamp}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ownership/index.html",
        {
            "nav": "account",
            "import_form": ImportForm(),
            "account_empty": not services.owns_anything(request.user),
        },
    )


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    return _download(
        services.export_text(request.user), "application/json; charset=utf-8", "export.json"
    )


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    return _download(services.export_csv(request.user), "application/zip", "export-csv.zip")


@login_required
@require_GET
def export_fhir(request: HttpRequest) -> HttpResponse:
    return _download(
        fhir_bundle(request.user).model_dump_json(indent=1),
        "application/fhir+json; charset=utf-8",
        "fhir-r4b.json",
    )


@login_required
@require_http_methods(["POST"])
def import_data(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    problems: list[api.FieldError] = []
    if form.is_valid():
        try:
            summary = services.import_account(request.user, form.cleaned_data["export_file"])
        except api.CaseError as refused:
            problems = refused.errors
            form.add_error("export_file", _("Nothing was imported: the file has problems."))
        except services.AccountNotEmpty:
            form.add_error(
                "export_file",
                _(
                    "Your account already holds data, so nothing was imported. "
                    "An import goes into an empty account."
                ),
            )
        else:
            messages.success(
                request,
                _("Your data is back: %(count)d records.")
                % {"count": sum(summary.counts.values())},
            )
            return redirect("ownership:index")
    context = {
        "nav": "account",
        "import_form": form,
        "problems": problems,
        "account_empty": not services.owns_anything(request.user),
    }
    return render(request, "ownership/index.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user)
        messages.success(request, _("Your account and all of its data are deleted."))
        return redirect("accounts:login")
    status = 400 if request.method == "POST" else 200
    return render(request, "ownership/delete.html", {"nav": "account", "form": form}, status=status)
