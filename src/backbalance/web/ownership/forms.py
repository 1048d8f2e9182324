"""Bring an export back, and confirm a deletion with the password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_lazy as _

from backbalance.web.ownership.services import MAX_EXPORT_BYTES


class ImportForm(forms.Form):
    export_file = forms.FileField(
        label=_("Your export file (.json)"),
        help_text=_("The JSON file downloaded from this page, here or on another install."),
    )

    def clean_export_file(self) -> str:
        upload = self.cleaned_data["export_file"]
        if upload.size is not None and upload.size > MAX_EXPORT_BYTES:
            raise forms.ValidationError(
                _("This file is larger than %(mb)d MB, more than this app reads in one file."),
                params={"mb": MAX_EXPORT_BYTES // 1_000_000},
            )
        raw: bytes = upload.read()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as broken:
            raise forms.ValidationError(
                _("This file is not text (UTF-8). Choose the .json file of an export.")
            ) from broken


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        help_text=_("To be sure it is you who asks."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: AbstractBaseUser | AnonymousUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password. Nothing was deleted."))
        return password
