from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, UserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _


class SignUpForm(UserCreationForm[User]):
    """A name to log in with and a password; no e-mail needed for a local install."""

    class Meta:
        model = User
        fields = ("username",)
        labels = {"username": _("A name to log in with")}
        help_texts = {"username": _("Letters, digits and @ . + - _ only. Nobody else sees it.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_rules()
        self.fields["password2"].label = _("The same password again")
        self.fields["password2"].help_text = ""


class PlainPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the rules in one plain line as at sign-up."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_rules()
        self.fields["new_password2"].label = _("The new password again")
        self.fields["new_password2"].help_text = ""


def password_rules() -> str:
    # Django lists every password rule as a bullet; one plain line is easier to take in.
    return _("At least %(count)s characters. Not a common password, and not only digits.") % {
        "count": _shortest_password()
    }


def _shortest_password() -> int:
    """The shortest password the configured validators accept (from settings, not here)."""
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            return validator.min_length
    return 1
