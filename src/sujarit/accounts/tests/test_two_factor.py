"""Every staff role passes a second factor (an authenticator code or a recovery code) before
using the site; network members may log in with a password alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.forms import BaseForm
from django.test import Client
from django.urls import reverse

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings as SettingsWrapper

from sujarit.accounts.actions import confirm_totp_enrolment, start_totp_enrolment
from sujarit.accounts.models import User
from sujarit.accounts.testing import (
    PASSWORD,
    confirmed_totp_device,
    give_password,
    next_totp_token,
    totp_token,
)
from sujarit.audit.models import AuditEvent

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
CODES = reverse("accounts:recovery_codes")
PROFILE = reverse("accounts:profile")
STAFF = ["coordinator", "officer_a", "auditor", "admin_user"]


@pytest.fixture(autouse=True)
def fast_hasher(settings: SettingsWrapper) -> None:
    # Logging in through the form checks a password; Argon2 itself is tested with the roles.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client: Client, user: User, next_url: str = "") -> TestResponse:
    give_password(user)
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def error_codes(form: BaseForm) -> list[str]:
    return [str(error.code) for errors in form.errors.as_data().values() for error in errors]


def enrolled(user: User) -> list[str]:
    """Give ``user`` a confirmed authenticator through the real enrolment; its codes."""
    device = start_totp_enrolment(user=user)
    enrolment = confirm_totp_enrolment(user=user, token=totp_token(device))
    assert enrolment is not None
    return enrolment.recovery_codes


@pytest.mark.parametrize("persona", STAFF)
def test_staff_without_an_authenticator_are_sent_to_enrol_from_every_page(
    persona: str, request: pytest.FixtureRequest, client: Client
) -> None:
    user: User = request.getfixturevalue(persona)
    client.force_login(user)
    for path in ("/", PROFILE, "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{SETUP}?{urlencode({'next': path})}"


@pytest.mark.parametrize("persona", STAFF)
def test_staff_with_an_authenticator_are_sent_to_verify_until_they_do(
    persona: str, request: pytest.FixtureRequest, client: Client
) -> None:
    user: User = request.getfixturevalue(persona)
    device = confirmed_totp_device(user)
    client.force_login(user)
    assert client.get(PROFILE)["Location"] == f"{VERIFY}?{urlencode({'next': PROFILE})}"

    response = client.post(f"{VERIFY}?next={PROFILE}", {"code": totp_token(device)})

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    assert client.get(PROFILE).status_code == 200


@pytest.mark.parametrize("persona", STAFF)
def test_unverified_staff_get_a_json_403_from_the_api(
    persona: str, request: pytest.FixtureRequest, client: Client
) -> None:
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/api/v1/cases/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "two_factor_required"
    assert response.json()["detail"]


def test_network_members_log_in_without_a_second_factor(client: Client, member: User) -> None:
    response = log_in(client, member)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.get(PROFILE).status_code == 200


def test_the_2fa_pages_logout_static_files_and_language_switch_stay_open(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    assert client.get(SETUP).status_code == 200
    assert client.get(CODES).status_code == 200
    assert client.get(LOGIN).status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"})["Location"] == "/"
    assert client.get("/static/sujarit/site.css").status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_enrolment_end_to_end(client: Client, coordinator: User) -> None:
    response = log_in(client, coordinator, next_url=PROFILE)
    assert response["Location"] == f"{SETUP}?{urlencode({'next': PROFILE})}"

    page = client.get(response["Location"])
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert "<svg" in html
    secret = "".join(page.context["secret_groups"])
    assert secret in html.replace(" ", "") and len(secret) == 32
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    # A reload shows the same QR code.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1

    response = client.post(f"{SETUP}?next={PROFILE}", {"code": totp_token(device)})
    assert response["Location"] == f"{CODES}?{urlencode({'next': PROFILE})}"

    codes_page = client.get(response["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code in codes_page.content.decode()
    # Shown once only.
    again = client.get(CODES)
    assert again.context["codes"] is None
    assert codes[0] not in again.content.decode()
    # The session has passed the second factor.
    assert client.get(PROFILE).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(
        action="account.two_factor_enrolled", target_id=str(coordinator.pk)
    ).exists()


def test_a_wrong_enrolment_code_is_refused(client: Client, coordinator: User) -> None:
    client.force_login(coordinator)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=coordinator)
    wrong = f"{(int(totp_token(device)) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(PROFILE).status_code == 302


def test_recovery_codes_are_stored_only_as_keyed_hashes(coordinator: User) -> None:
    codes = enrolled(coordinator)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & set(codes)
    assert not stored & {code.replace("-", "") for code in codes}


def test_a_recovery_code_works_once(client: Client, officer_a: User) -> None:
    code = enrolled(officer_a)[0]
    log_in(client, officer_a)

    response = client.post(VERIFY, {"recovery_code": code.upper().replace("-", " ")})

    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 200
    event = AuditEvent.objects.filter(action="account.two_factor_verified").last()
    assert event is not None
    assert event.data == {"by": "recovery_code", "recovery_codes_left": 9}

    client.post(reverse("accounts:logout"))
    log_in(client, officer_a)
    again = client.post(VERIFY, {"recovery_code": code})
    assert again.status_code == 200
    assert error_codes(again.context["recovery_form"]) == ["mismatch"]
    assert client.get(PROFILE).status_code == 302


def test_a_wrong_code_is_refused_and_slows_the_next_try(client: Client, auditor: User) -> None:
    device = confirmed_totp_device(auditor)
    log_in(client, auditor)
    wrong = f"{(int(totp_token(device)) + 1) % 1_000_000:06d}"

    refused = client.post(VERIFY, {"code": wrong})
    too_fast = client.post(VERIFY, {"code": totp_token(device)})

    assert refused.status_code == 200
    assert error_codes(refused.context["totp_form"]) == ["mismatch"]
    assert too_fast.status_code == 200
    assert error_codes(too_fast.context["totp_form"]) == ["throttled"]
    assert client.get(PROFILE).status_code == 302


def test_a_code_cannot_be_used_twice(client: Client, auditor: User) -> None:
    device = confirmed_totp_device(auditor)
    token = totp_token(device)
    log_in(client, auditor)
    assert client.post(VERIFY, {"code": token}).status_code == 302

    other = Client()
    log_in(other, auditor)
    assert other.post(VERIFY, {"code": token}).status_code == 200


def test_new_recovery_codes_need_a_fresh_code_and_replace_the_old(
    verified_client: Callable[[User], Client], coordinator: User, settings: SettingsWrapper
) -> None:
    # No back-off between the wrong and the right codes in this test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    old_codes = enrolled(coordinator)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    device = TOTPDevice.objects.get(user=coordinator, confirmed=True)
    client = verified_client(coordinator)
    wrong = f"{(int(next_totp_token(device)) + 1) % 1_000_000:06d}"

    refused = client.post(PROFILE, {"code": wrong})

    assert refused.status_code == 200
    assert refused.context["form"].errors["code"]
    assert set(StaticToken.objects.values_list("token", flat=True)) == stored

    # The enrolment spent the current time step; the app's next code is a fresh one.
    response = client.post(PROFILE, {"code": next_totp_token(device)})

    assert response["Location"] == CODES
    new_codes = client.get(CODES).context["codes"]
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert AuditEvent.objects.filter(
        action="account.recovery_codes_regenerated", actor=coordinator
    ).exists()
    stale = Client()
    log_in(stale, coordinator)
    assert stale.post(VERIFY, {"recovery_code": old_codes[0]}).status_code == 200
    assert stale.post(VERIFY, {"recovery_code": new_codes[0]}).status_code == 302


def test_an_enrolled_user_cannot_enrol_again_without_help(
    client: Client, coordinator: User
) -> None:
    enrolled(coordinator)
    client.force_login(coordinator)
    assert client.get(SETUP)["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1
