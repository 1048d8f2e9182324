from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from backbalance.web.accounts import views
from backbalance.web.accounts.forms import PlainPasswordChangeForm

app_name = "accounts"
urlpatterns = [
    path("sign-up/", views.sign_up, name="sign_up"),
    path(
        "log-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/log_in.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("log-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            form_class=PlainPasswordChangeForm,
            success_url=reverse_lazy("accounts:password_changed"),
        ),
        name="password_change",
    ),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_changed",
    ),
    path("", views.account_settings, name="settings"),
]
