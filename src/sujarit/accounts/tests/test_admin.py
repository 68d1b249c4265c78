"""Administrators manage accounts in the Django admin, and every change there is audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings as SettingsWrapper

from sujarit.accounts.models import Role, User
from sujarit.accounts.testing import confirmed_totp_device, in_english
from sujarit.agencies.models import Agency
from sujarit.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings: SettingsWrapper) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_admin_creates_an_officer_through_the_action(
    verified_client: Callable[[User], Client], admin_user: User, agency_a: Agency
) -> None:
    client = verified_client(admin_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newofficer",
            "email": "",
            "role": Role.AGENCY_OFFICER,
            "agency": agency_a.pk,
            "province": "",
            "password1": "a long and unusual passphrase 9",
            "password2": "a long and unusual passphrase 9",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="newofficer")
    assert list(user.groups.values_list("name", flat=True)) == [Role.AGENCY_OFFICER.value]
    event = AuditEvent.objects.get(action="account.created", target_id=str(user.pk))
    assert event.actor == admin_user


def test_admin_cannot_create_an_officer_without_agency(
    verified_client: Callable[[User], Client], admin_user: User
) -> None:
    response = in_english(verified_client(admin_user)).post(
        reverse("admin:accounts_user_add"),
        {
            "username": "lostofficer",
            "role": Role.AGENCY_OFFICER,
            "password1": "a long and unusual passphrase 9",
            "password2": "a long and unusual passphrase 9",
        },
    )
    assert response.status_code == 200
    assert "exactly one agency" in str(response.context["adminform"].form.errors)
    assert not User.objects.filter(username="lostofficer").exists()


def change_data(user: User, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "agency": user.agency_id or "",
        "province": user.province_id or "",
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_admin_changes_a_role_through_the_action(
    verified_client: Callable[[User], Client], admin_user: User, officer_a: User
) -> None:
    client = verified_client(admin_user)
    response = client.post(
        reverse("admin:accounts_user_change", args=[officer_a.pk]),
        change_data(officer_a, role=Role.COORDINATOR, agency="", first_name="Chai"),
    )
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.role == Role.COORDINATOR and officer_a.agency is None
    assert officer_a.first_name == "Chai"
    assert list(officer_a.groups.values_list("name", flat=True)) == [Role.COORDINATOR.value]
    role_event = AuditEvent.objects.get(action="account.role_set", target_id=str(officer_a.pk))
    assert role_event.actor == admin_user
    change_event = AuditEvent.objects.get(action="account.changed")
    assert change_event.data == {"fields": ["first_name"]}


def test_admin_unlocks_an_account(
    verified_client: Callable[[User], Client], admin_user: User, coordinator: User
) -> None:
    User.objects.filter(pk=coordinator.pk).update(
        failed_logins=2, locked_until=timezone.now() + timedelta(minutes=5)
    )
    verified_client(admin_user).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_accounts", "_selected_action": [coordinator.pk]},
    )
    coordinator.refresh_from_db()
    assert coordinator.locked_until is None and coordinator.failed_logins == 0
    assert AuditEvent.objects.filter(action="account.unlocked", actor=admin_user).exists()


def test_admin_resets_a_lost_authenticator(
    verified_client: Callable[[User], Client], admin_user: User, coordinator: User
) -> None:
    confirmed_totp_device(coordinator)
    StaticDevice.objects.create(user=coordinator, name="recovery codes")
    verified_client(admin_user).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_step_login", "_selected_action": [coordinator.pk]},
    )
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    assert AuditEvent.objects.filter(action="account.two_factor_reset").exists()


def test_the_admin_shows_no_authenticator_secrets() -> None:
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


def test_a_password_set_by_an_admin_is_audited_without_the_password(
    verified_client: Callable[[User], Client], admin_user: User, member: User
) -> None:
    response = verified_client(admin_user).post(
        reverse("admin:auth_user_password_change", args=[member.pk]),
        {
            "password1": "another long passphrase 77",
            "password2": "another long passphrase 77",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("another long passphrase 77")
    event = AuditEvent.objects.get(action="account.changed", target_id=str(member.pk))
    assert event.actor == admin_user
    assert event.data == {"fields": ["password"]}
