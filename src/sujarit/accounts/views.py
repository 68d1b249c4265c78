"""Login, logout, two-factor enrolment and verification, and the account's own page."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

import django_otp

from sujarit.accounts import actions, queries
from sujarit.accounts.forms import LoginForm, RecoveryCodeForm, TotpCodeForm
from sujarit.accounts.models import Role, User
from sujarit.accounts.qr import qr_svg

#: Session key holding freshly made recovery codes until the page that shows them once.
NEW_RECOVERY_CODES = "sujarit_new_recovery_codes"
#: When fewer recovery codes than this are left, the user is told to make new ones.
FEW_RECOVERY_CODES = 3


def _next_url(request: HttpRequest) -> str:
    """The local page to return to after login, or ``""`` if none (or not a local one)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _continue(next_url: str) -> HttpResponseRedirect:
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _account(request: HttpRequest) -> User:
    # Every view below is behind login_required, so the user is an account.
    user = request.user
    assert isinstance(user, User)
    return user


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid() and form.user is not None:
        user = form.user
        auth_login(request, user)
        if user.needs_two_factor:
            return redirect(_with_next(reverse(queries.two_factor_url_name(user)), next_url))
        return _continue(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """Stands in for the admin's own login page, which would skip the lock-out and 2FA."""
    return redirect_to_login(
        _next_url(request) or reverse("admin:index"), login_url=reverse("accounts:login")
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    next_url = _next_url(request)
    if queries.has_confirmed_totp(user):
        if queries.is_verified(user):
            return redirect("accounts:profile")
        return redirect(_with_next(reverse("accounts:two_factor_verify"), next_url))
    form = TotpCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        enrolment = actions.confirm_totp_enrolment(user=user, token=form.cleaned_data["code"])
        if enrolment is not None:
            django_otp.login(request, enrolment.device)
            request.session[NEW_RECOVERY_CODES] = enrolment.recovery_codes
            return redirect(_with_next(reverse("accounts:recovery_codes"), next_url))
        form.add_error(
            "code",
            ValidationError(
                _(
                    "That code did not match. Type the code the app shows now; if it still "
                    "fails, check that your phone's clock is set automatically."
                ),
                code="mismatch",
            ),
        )
    device = actions.start_totp_enrolment(user=user)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            # qrcode draws the SVG from the device's otpauth:// address; nothing user-typed.
            "qr_svg": mark_safe(qr_svg(device.config_url)),  # noqa: S308
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "issuer": getattr(settings, "OTP_TOTP_ISSUER", ""),
        },
    )


@login_required
@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    next_url = _next_url(request)
    if not queries.has_confirmed_totp(user):
        return redirect(_with_next(reverse("accounts:two_factor_setup"), next_url))
    if queries.is_verified(user):
        return _continue(next_url)
    is_post = request.method == "POST"
    using_recovery = is_post and "recovery_code" in request.POST
    totp_form = TotpCodeForm(request.POST if is_post and not using_recovery else None)
    recovery_form = RecoveryCodeForm(request.POST if using_recovery else None)
    form: TotpCodeForm | RecoveryCodeForm = recovery_form if using_recovery else totp_form
    if form.is_valid():
        field = "recovery_code" if using_recovery else "code"
        outcome = actions.verify_second_factor(user=user, code=form.cleaned_data[field])
        if outcome.device is not None:
            django_otp.login(request, outcome.device)
            left = queries.recovery_codes_left(user)
            if using_recovery and left < FEW_RECOVERY_CODES:
                messages.warning(
                    request,
                    ngettext(
                        "You have %(left)d recovery code left. Make a new set on your "
                        "account page.",
                        "You have %(left)d recovery codes left. Make a new set on your "
                        "account page.",
                        left,
                    )
                    % {"left": left},
                )
            return _continue(next_url)
        if outcome.retry_at is not None:
            error = ValidationError(
                _("Too many wrong codes. Wait a minute, then try again."), code="throttled"
            )
        elif using_recovery:
            error = ValidationError(
                _("That recovery code is not valid or was already used."), code="mismatch"
            )
        else:
            error = ValidationError(
                _("That code did not match. Type the code the app shows now."), code="mismatch"
            )
        form.add_error(field, error)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "totp_form": totp_form,
            "recovery_form": recovery_form,
            "using_recovery": using_recovery,
            "next": next_url,
        },
    )


@login_required
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    # Popped, so the codes are shown once and do not stay in the session.
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@login_required
@never_cache
def profile(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    has_totp = queries.has_confirmed_totp(user)
    form = TotpCodeForm(request.POST if request.method == "POST" and has_totp else None)
    if form.is_valid():
        codes = actions.regenerate_recovery_codes(user=user, totp_code=form.cleaned_data["code"])
        if codes is not None:
            request.session[NEW_RECOVERY_CODES] = codes
            return redirect("accounts:recovery_codes")
        form.add_error(
            "code",
            ValidationError(
                _("That code did not match. Type the code the app shows now."), code="mismatch"
            ),
        )
    return render(
        request,
        "accounts/profile.html",
        {
            "account": user,
            "role_label": Role(user.role).label,
            "agency": queries.agency_scope(user),
            "has_totp": has_totp,
            "verified": queries.is_verified(user),
            "codes_left": queries.recovery_codes_left(user) if has_totp else 0,
            "form": form,
        },
    )
