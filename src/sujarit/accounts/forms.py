"""Forms of the login and two-factor pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sujarit.accounts.actions import (
    LoginRefusal,
    attempt_login,
    login_lockout,
    login_max_failures,
)
from sujarit.accounts.models import User


def client_address(request: HttpRequest) -> str:
    """The client's network address, for throttling only (never stored or logged in clear).

    Behind a reverse proxy every request comes from the proxy, so the address it appends to
    X-Forwarded-For is used instead; the left-most entries are client-supplied and are
    ignored because anyone can forge them.
    """
    if settings.SUJARIT_BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def _refusal_messages() -> dict[LoginRefusal, str]:
    minutes = int(login_lockout().total_seconds() // 60)
    return {
        LoginRefusal.INVALID: _(
            "The username or password is not right. Both are case-sensitive. After "
            "%(max)d wrong tries in a row, logging in with that username is paused for "
            "%(minutes)d minutes."
        )
        % {"max": login_max_failures(), "minutes": minutes},
        LoginRefusal.LOCKED: _(
            "Too many wrong tries with this username: logging in with it is paused for up to "
            "%(minutes)d minutes. Try again later, or ask an administrator for help."
        )
        % {"minutes": minutes},
        LoginRefusal.ADDRESS_LOCKED: _(
            "Too many wrong tries from your network: logging in from it is paused for up to "
            "%(minutes)d minutes. Try again later."
        )
        % {"minutes": minutes},
    }


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, password = cleaned.get("username"), cleaned.get("password")
        if username and password:
            outcome = attempt_login(
                username=username,
                password=password,
                client_address=client_address(self.request),
                request=self.request,
            )
            if outcome.refusal is not None:
                raise ValidationError(
                    _refusal_messages()[outcome.refusal], code=outcome.refusal.value
                )
            self.user = outcome.user
        return cleaned


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=12,
        validators=[RegexValidator(r"^\s*(\d\s*){6}$", _("Type the 6 digits the app shows now."))],
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
                "size": 8,
            }
        ),
    )


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label=_("Recovery code"),
        max_length=20,
        help_text=_("One of the 10 codes you kept when you set up two-step login."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "size": 14,
            }
        ),
    )
