from __future__ import annotations

from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _


class SignUpForm(UserCreationForm[User]):
    """A name to log in with and a password; no e-mail needed for a local install."""

    class Meta:
        model = User
        fields = ("username",)
        labels = {"username": _("A name to log in with")}
        help_texts = {"username": _("Letters, digits and @ . + - _ only. Nobody else sees it.")}
