"""Repeated wrong passwords lock a username for a while, whether or not it has an account."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from sujarit.accounts.actions import LoginRefusal, attempt_login, purge_login_throttles
from sujarit.accounts.models import LoginThrottle, User
from sujarit.accounts.testing import PASSWORD, give_password, in_english
from sujarit.audit.models import AuditEvent

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
WRONG = "not the password at all 1"


def post_login(
    client: Client, username: str, password: str, address: str = "192.0.2.10"
) -> TestResponse:
    # In English, so that the assertions on messages read plainly.
    return in_english(client).post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def refusal(response: TestResponse) -> str:
    """The error message the login page shows, or "" when the login went through."""
    if response.status_code == 302:
        return ""
    return " ".join(response.context["form"].non_field_errors())


def refusal_code(response: TestResponse) -> str:
    """Why the login was refused ("invalid", "locked", "address_locked"), or "" if it wasn't."""
    if response.status_code == 302:
        return ""
    return str(response.context["form"].non_field_errors().as_data()[0].code)


@pytest.fixture(autouse=True)
def fast_hasher(settings: SettingsWrapper) -> None:
    # The lock-out does not depend on how passwords are hashed (Argon2 is tested with the
    # roles), and each Argon2 check takes a fifth of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(coordinator: User) -> User:
    give_password(coordinator)
    return coordinator


def test_the_right_password_logs_in_and_resets_the_count(
    client: Client, alice: User, settings: SettingsWrapper
) -> None:
    for _ in range(settings.SUJARIT_LOGIN_MAX_FAILURES - 1):
        post_login(client, "alice", WRONG)
    assert User.objects.get(pk=alice.pk).failed_logins == settings.SUJARIT_LOGIN_MAX_FAILURES - 1

    response = post_login(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).failed_logins == 0
    assert AuditEvent.objects.filter(action="account.logged_in", actor=alice).exists()


def test_max_failures_in_a_row_lock_the_account_even_against_the_right_password(
    client: Client, alice: User, settings: SettingsWrapper
) -> None:
    responses = [post_login(client, "alice", WRONG) for _ in range(5)]
    assert settings.SUJARIT_LOGIN_MAX_FAILURES == 5
    assert [refusal_code(r) for r in responses] == ["invalid"] * 4 + ["locked"]
    messages = [refusal(r) for r in responses]
    assert "Too many wrong tries with this username" in messages[4]

    response = post_login(client, "alice", PASSWORD)

    assert response.status_code == 200
    assert refusal(response) == messages[4]
    assert "_auth_user_id" not in client.session
    locked_until = User.objects.get(pk=alice.pk).locked_until
    assert locked_until is not None
    expected = timezone.now() + timedelta(minutes=settings.SUJARIT_LOGIN_LOCKOUT_MINUTES)
    assert abs((locked_until - expected).total_seconds()) < 60


def test_the_lock_is_audited_without_personal_data(
    client: Client, alice: User, settings: SettingsWrapper
) -> None:
    settings.SUJARIT_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        post_login(client, "alice", WRONG)
    event = AuditEvent.objects.get(action="account.locked")
    assert event.actor is None
    assert event.target_id == str(alice.pk)
    assert event.data == {"minutes": settings.SUJARIT_LOGIN_LOCKOUT_MINUTES}


def test_the_account_opens_again_after_the_lockout_window(
    client: Client, alice: User, settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SUJARIT_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        post_login(client, "alice", WRONG)
    assert refusal_code(post_login(client, "alice", PASSWORD)) == "locked"

    later = timezone.now() + timedelta(minutes=settings.SUJARIT_LOGIN_LOCKOUT_MINUTES, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert post_login(client, "alice", PASSWORD).status_code == 302


def test_after_the_window_the_count_starts_again(
    client: Client, alice: User, settings: SettingsWrapper
) -> None:
    settings.SUJARIT_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        post_login(client, "alice", WRONG)
    User.objects.filter(pk=alice.pk).update(locked_until=timezone.now() - timedelta(seconds=1))

    assert refusal_code(post_login(client, "alice", WRONG)) == "invalid"
    assert refusal_code(post_login(client, "alice", WRONG)) == "locked"


def test_an_unknown_username_gets_the_same_messages_and_lock(
    client: Client, alice: User, settings: SettingsWrapper
) -> None:
    settings.SUJARIT_LOGIN_MAX_FAILURES = 3
    known = [post_login(client, "alice", WRONG, "192.0.2.1") for _ in range(3)]
    known.append(post_login(client, "alice", PASSWORD, "192.0.2.1"))
    unknown = [post_login(client, "alicia", WRONG, "192.0.2.2") for _ in range(3)]
    unknown.append(post_login(client, "alicia", PASSWORD, "192.0.2.2"))

    assert [refusal(r) for r in known] == [refusal(r) for r in unknown]
    assert [refusal_code(r) for r in known] == ["invalid", "invalid", "locked", "locked"]


def test_unknown_usernames_are_counted_under_a_keyed_hash_only(
    client: Client, settings: SettingsWrapper
) -> None:
    post_login(client, "someone.secret", WRONG, "198.51.100.77")

    rows = list(LoginThrottle.objects.values_list("scope", "key", "failures"))
    assert sorted(scope for scope, _, _ in rows) == ["address", "username"]
    assert all(failures == 1 for _, _, failures in rows)
    stored = str(rows)
    assert "someone" not in stored
    assert "198.51.100" not in stored


def test_case_variants_of_a_locked_account_behave_like_unknown_names(
    client: Client, alice: User, settings: SettingsWrapper
) -> None:
    # Accounts are looked up by their exact username, so "Alice" is not Alice's account; it
    # must neither be locked by Alice's lock nor reveal, by being unlocked, that alice exists.
    settings.SUJARIT_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        post_login(client, "alice", WRONG)
    for _ in range(2):
        post_login(client, "bobby", WRONG)

    assert refusal_code(post_login(client, "Alice", WRONG)) == "invalid"
    assert refusal_code(post_login(client, "Bobby", WRONG)) == "invalid"


def test_one_address_trying_many_usernames_is_paused(
    client: Client, alice: User, settings: SettingsWrapper
) -> None:
    settings.SUJARIT_LOGIN_ADDRESS_MAX_FAILURES = 4
    for number in range(4):
        post_login(client, f"guess{number}", WRONG, "203.0.113.5")

    blocked = post_login(client, "alice", PASSWORD, "203.0.113.5")
    elsewhere = post_login(Client(), "alice", PASSWORD, "203.0.113.6")

    assert refusal_code(blocked) == "address_locked"
    assert "Too many wrong tries from your network" in refusal(blocked)
    assert elsewhere.status_code == 302


def test_an_address_is_forgiven_after_the_window(
    client: Client, alice: User, settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SUJARIT_LOGIN_ADDRESS_MAX_FAILURES = 2
    for number in range(2):
        post_login(client, f"guess{number}", WRONG, "203.0.113.8")
    assert refusal_code(post_login(client, "alice", PASSWORD, "203.0.113.8")) == "address_locked"

    later = timezone.now() + timedelta(minutes=settings.SUJARIT_LOGIN_LOCKOUT_MINUTES, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert post_login(client, "alice", PASSWORD, "203.0.113.8").status_code == 302


def test_an_ipv6_network_counts_as_one_address(settings: SettingsWrapper) -> None:
    settings.SUJARIT_LOGIN_ADDRESS_MAX_FAILURES = 2
    attempt_login(username="x1", password=WRONG, client_address="2001:db8:1:2::1")
    attempt_login(username="x2", password=WRONG, client_address="2001:db8:1:2::ffff")

    outcome = attempt_login(username="x3", password=WRONG, client_address="2001:db8:1:2::7")
    other_network = attempt_login(username="x4", password=WRONG, client_address="2001:db8:9::1")

    assert outcome.refusal == LoginRefusal.ADDRESS_LOCKED
    assert other_network.refusal == LoginRefusal.INVALID


def test_behind_a_proxy_the_address_the_proxy_saw_is_counted(
    client: Client, alice: User, settings: SettingsWrapper
) -> None:
    settings.SUJARIT_BEHIND_PROXY = True
    settings.SUJARIT_LOGIN_ADDRESS_MAX_FAILURES = 2
    for number in range(2):
        client.post(
            LOGIN,
            {"username": f"guess{number}", "password": WRONG},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.20",
        )
    forged = client.post(
        LOGIN,
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.20",
    )
    other_client = Client().post(
        LOGIN,
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.21",
    )
    assert refusal_code(forged) == "address_locked"
    assert other_client.status_code == 302


def test_failures_are_logged_without_username_or_address(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="sujarit.accounts"):
        post_login(client, "visible.name", WRONG, "198.51.100.99")
    assert "Login refused (invalid)" in caplog.text
    assert "visible.name" not in caplog.text
    assert "198.51.100.99" not in caplog.text


def test_a_deactivated_account_cannot_log_in(client: Client, alice: User) -> None:
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert refusal_code(post_login(client, "alice", PASSWORD)) == "invalid"


def test_old_throttle_rows_are_purged_but_live_locks_kept(settings: SettingsWrapper) -> None:
    settings.SUJARIT_LOGIN_MAX_FAILURES = 1
    attempt_login(username="ghost", password=WRONG, client_address="192.0.2.50")
    assert LoginThrottle.objects.count() == 2
    assert purge_login_throttles(older_than=timedelta(0)) == 1  # the address row; ghost is locked
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert purge_login_throttles(older_than=timedelta(0)) == 1
    assert not LoginThrottle.objects.exists()
