"""The login page in Thai and English, logout, the account page, and where login leads."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from sujarit.accounts.models import User
from sujarit.accounts.testing import PASSWORD, give_password

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PROFILE = reverse("accounts:profile")


@pytest.fixture(autouse=True)
def fast_hasher(settings: SettingsWrapper) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def labelled_inputs(html: str) -> None:
    """Every visible input of the page's forms has a <label for> naming it."""
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    inputs = re.findall(r'<input(?![^>]*type="(?:hidden|submit)")[^>]*id="([^"]+)"', html)
    assert inputs
    assert set(inputs) <= labels


def test_login_page_is_thai_by_default(client: Client) -> None:
    html = client.get(LOGIN).content.decode()
    assert '<html lang="th">' in html
    assert "<h1>เข้าสู่ระบบ</h1>" in html
    assert "ชื่อผู้ใช้" in html and "รหัสผ่าน" in html
    labelled_inputs(html)
    assert 'autocomplete="current-password"' in html


def test_login_page_in_english_after_the_language_switch(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    html = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert "Username" in html and "Password" in html


def test_a_wrong_password_is_explained_in_thai(client: Client, member: User) -> None:
    give_password(member)
    html = client.post(LOGIN, {"username": "malee", "password": "nope nope nope"}).content
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in html.decode()


def test_login_returns_to_a_local_next_page_only(client: Client, member: User) -> None:
    give_password(member)
    data = {"username": "malee", "password": PASSWORD}
    assert client.post(LOGIN, {**data, "next": PROFILE})["Location"] == PROFILE
    client.post(reverse("accounts:logout"))
    evil = client.post(LOGIN, {**data, "next": "https://evil.example/"})
    assert evil["Location"] == reverse("web:home")


def test_logout_needs_a_post_and_ends_the_session(client: Client, member: User) -> None:
    client.force_login(member)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(PROFILE).status_code == 200

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 302


def test_the_account_page_needs_a_login(client: Client) -> None:
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={PROFILE}"


def test_an_officer_sees_role_scope_and_two_factor_status(
    verified_client: Callable[[User], Client], officer_a: User
) -> None:
    html = verified_client(officer_a).get(PROFILE).content.decode()
    assert "chai" in html
    assert "เจ้าหน้าที่หน่วยงาน" in html  # the role
    assert "หน่วยงานทดสอบ ก" in html  # the one agency of the scope
    assert "สร้างรหัสกู้คืนชุดใหม่" in html  # regenerate recovery codes
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html


def test_a_member_without_two_factor_is_offered_to_set_it_up(client: Client, member: User) -> None:
    client.force_login(member)
    response = client.get(PROFILE)
    assert response.context["has_totp"] is False
    assert reverse("accounts:two_factor_setup") in response.content.decode()


def test_the_django_admin_login_is_our_login(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/accounts/user/"


def test_the_admin_needs_a_verified_administrator(
    client: Client, verified_client: Callable[[User], Client], admin_user: User, coordinator: User
) -> None:
    client.force_login(admin_user)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert verified_client(admin_user).get("/admin/").status_code == 200
    # A verified coordinator is not staff: the admin sends them to log in as someone else.
    refused = verified_client(coordinator).get("/admin/")
    assert refused.status_code == 302
    assert refused["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "name", ["two_factor_setup", "two_factor_verify", "recovery_codes", "profile"]
)
def test_account_pages_send_visitors_to_log_in(client: Client, name: str) -> None:
    url = reverse(f"accounts:{name}")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={url}"
