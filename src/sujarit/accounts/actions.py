"""Writes about accounts: users and their roles, logging in with lock-out, and two-factor.

Every function is keyword-only and atomic, and records its audit event in the same
transaction. Audit data never holds a password, a code, an e-mail address or a network address.
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sujarit.accounts.models import LoginThrottle, Role, User
from sujarit.accounts.roles import role_groups
from sujarit.agencies.models import Agency
from sujarit.audit.actions import record
from sujarit.geo.models import Province

logger = logging.getLogger(__name__)

# --- Users and roles ---------------------------------------------------------------------


def check_role_scope(*, role: str, agency: Agency | None) -> None:
    """An agency officer works for exactly one agency; every other role for none."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")}, code="invalid_role")
    if role == Role.AGENCY_OFFICER and agency is None:
        raise ValidationError(
            {"agency": _("An agency officer must belong to exactly one agency: choose it.")},
            code="officer_without_agency",
        )
    if role != Role.AGENCY_OFFICER and agency is not None:
        raise ValidationError(
            {"agency": _("Only agency officers belong to an agency: leave the agency empty.")},
            code="agency_for_non_officer",
        )


def _is_staff_for(role: str, user: User) -> bool:
    # The Django admin is for administrators only; a superuser made with `createsuperuser`
    # keeps access whatever role it is given.
    return role == Role.ADMIN or user.is_superuser


def _keep_one_role_group(user: User) -> None:
    groups = role_groups()
    user.groups.remove(*[group for name, group in groups.items() if name != user.role])
    user.groups.add(groups[user.role])


@transaction.atomic
def create_user(
    *,
    username: str,
    email: str,
    role: str,
    agency: Agency | None = None,
    province: Province | None = None,
    password: str | None = None,
    is_demo: bool = False,
    by: User | None,
) -> User:
    """Create an account with its role group. Without a password the account cannot log in
    until one is set (e.g. through a password reset)."""
    check_role_scope(role=role, agency=agency)
    user = User(
        username=User.normalize_username(username),
        email=User.objects.normalize_email(email),
        role=role,
        agency=agency,
        province=province,
        is_demo=is_demo,
    )
    user.is_staff = _is_staff_for(role, user)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean()
    user.save()
    _keep_one_role_group(user)
    record(
        actor=by,
        action="account.created",
        target=user,
        data={
            "role": role,
            "agency": agency.pk if agency else None,
            "province": province.pk if province else None,
            "is_demo": is_demo,
        },
    )
    return user


@transaction.atomic
def set_role(*, user: User, role: str, agency: Agency | None = None, by: User | None) -> User:
    """Give ``user`` a role (and the agency scope it needs), keeping exactly one role group."""
    check_role_scope(role=role, agency=agency)
    before = User.objects.select_for_update().values("role", "agency_id").get(pk=user.pk)
    user.role = role
    user.agency = agency
    user.is_staff = _is_staff_for(role, user)
    user.save(update_fields=["role", "agency", "is_staff"])
    _keep_one_role_group(user)
    record(
        actor=by,
        action="account.role_set",
        target=user,
        data={
            "role": role,
            "agency": agency.pk if agency else None,
            "previous_role": before["role"],
            "previous_agency": before["agency_id"],
        },
    )
    return user


@transaction.atomic
def record_account_change(*, user: User, fields: list[str], by: User | None) -> None:
    """Trace an edit made through the admin. Only field names are kept, never values."""
    record(actor=by, action="account.changed", target=user, data={"fields": sorted(fields)})


@transaction.atomic
def unlock_user(*, user: User, by: User | None) -> None:
    """Lift a lock-out before it expires (an administrator has checked who is asking)."""
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    user.failed_logins, user.locked_until = 0, None
    record(actor=by, action="account.unlocked", target=user)


@transaction.atomic
def reset_two_factor(*, user: User, by: User | None) -> None:
    """Remove the authenticator and recovery codes (a lost phone): the next login enrols again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(actor=by, action="account.two_factor_reset", target=user)


# --- Logging in, with lock-out -----------------------------------------------------------


class LoginRefusal(StrEnum):
    INVALID = "invalid"
    LOCKED = "locked"
    ADDRESS_LOCKED = "address_locked"


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None = None
    refusal: LoginRefusal | None = None


def login_max_failures() -> int:
    return int(settings.SUJARIT_LOGIN_MAX_FAILURES)


def login_lockout() -> timedelta:
    return timedelta(minutes=int(settings.SUJARIT_LOGIN_LOCKOUT_MINUTES))


def login_address_max_failures() -> int:
    # Several people behind one office router mistype passwords too, so an address may fail
    # more often than one account before it is paused.
    return settings.SUJARIT_LOGIN_ADDRESS_MAX_FAILURES


def _keyed_hash(kind: str, value: str) -> str:
    return salted_hmac(
        "sujarit.accounts.login-throttle", f"{kind}:{value}", algorithm="sha256"
    ).hexdigest()


def _address_bucket(address: str) -> str:
    """The unit an address throttle counts: one IPv4 address, or one IPv6 /64 network.

    Anyone with IPv6 usually holds a whole /64, so counting single IPv6 addresses would let
    one machine try without limit.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now


def _count_failure(
    *, scope: str, key: str, limit: int, now: datetime, window: timedelta | None
) -> bool:
    """Count one failure against a throttle row; returns True when this failure locks it.

    With a ``window`` (addresses) failures older than the window are forgotten; without one
    (usernames) the count runs until a lock, like an account's own count.
    """
    row, _ = LoginThrottle.objects.select_for_update().get_or_create(scope=scope, key=key)
    if window is not None and row.first_failure_at and row.first_failure_at < now - window:
        row.failures = 0
    if row.failures == 0:
        row.first_failure_at = now
    row.failures += 1
    row.last_failure_at = now
    locked = row.failures >= limit
    if locked:
        row.locked_until = now + login_lockout()
        row.failures = 0
        row.first_failure_at = None
    row.save()
    return locked


@transaction.atomic
def attempt_login(
    *,
    username: str,
    password: str,
    client_address: str,
    request: HttpRequest | None = None,
) -> LoginOutcome:
    """Check a username and password, counting failures per account and per network address.

    After ``SUJARIT_LOGIN_MAX_FAILURES`` failures in a row the account is refused, even with
    the right password, for ``SUJARIT_LOGIN_LOCKOUT_MINUTES``. A username with no account
    is counted and locked the same way (in ``LoginThrottle``, under a keyed hash of the exact
    username, which is also how accounts are looked up), so neither the messages nor the
    lock-out tell anyone whether a username exists. A success resets the account's count.
    """
    now = timezone.now()
    lockout = login_lockout()
    name_key = _keyed_hash("username", username)
    address_key = _keyed_hash("address", _address_bucket(client_address))

    def refuse(refusal: LoginRefusal, *, count_address: bool = True) -> LoginOutcome:
        if count_address:
            _count_failure(
                scope=LoginThrottle.Scope.ADDRESS,
                key=address_key,
                limit=login_address_max_failures(),
                now=now,
                window=lockout,
            )
        # Keyed-hash prefixes let an operator see repeated attempts without learning who.
        logger.warning(
            "Login refused (%s): username ref %s, address ref %s",
            refusal.value,
            name_key[:12],
            address_key[:12],
        )
        return LoginOutcome(refusal=refusal)

    address = (
        LoginThrottle.objects.select_for_update()
        .filter(scope=LoginThrottle.Scope.ADDRESS, key=address_key)
        .first()
    )
    if address is not None and _is_locked(address.locked_until, now):
        return refuse(LoginRefusal.ADDRESS_LOCKED, count_address=False)

    user = User.objects.select_for_update().filter(username=username).first()
    if user is not None:
        locked_until = user.locked_until
    else:
        name = (
            LoginThrottle.objects.select_for_update()
            .filter(scope=LoginThrottle.Scope.USERNAME, key=name_key)
            .first()
        )
        locked_until = name.locked_until if name is not None else None
    if _is_locked(locked_until, now):
        return refuse(LoginRefusal.LOCKED)

    # For an unknown username Django still runs the password hasher, so the answer takes as
    # long as for a real account.
    authenticated = authenticate(request, username=username, password=password)
    if isinstance(authenticated, User):
        User.objects.filter(pk=authenticated.pk).update(failed_logins=0, locked_until=None)
        authenticated.failed_logins, authenticated.locked_until = 0, None
        record(actor=authenticated, action="account.logged_in", target=authenticated)
        return LoginOutcome(user=authenticated)

    if user is not None:
        user.failed_logins += 1
        now_locked = user.failed_logins >= login_max_failures()
        if now_locked:
            # The count starts again once the lock expires: N more tries, then another lock.
            user.locked_until = now + lockout
            user.failed_logins = 0
        user.save(update_fields=["failed_logins", "locked_until"])
        if now_locked:
            record(
                actor=None,
                action="account.locked",
                target=user,
                data={"minutes": int(lockout.total_seconds() // 60)},
            )
    else:
        now_locked = _count_failure(
            scope=LoginThrottle.Scope.USERNAME,
            key=name_key,
            limit=login_max_failures(),
            now=now,
            window=None,
        )
    return refuse(LoginRefusal.LOCKED if now_locked else LoginRefusal.INVALID)


@transaction.atomic
def purge_login_throttles(*, older_than: timedelta) -> int:
    """Forget throttle rows with no failure or lock within ``older_than``; returns how many."""
    cutoff = timezone.now() - older_than
    stale = LoginThrottle.objects.filter(last_failure_at__lt=cutoff).exclude(
        locked_until__gt=timezone.now()
    )
    deleted, _ = stale.delete()
    return deleted


# --- Two-factor authentication -----------------------------------------------------------

TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
RECOVERY_CODE_COUNT = 10
# Lower-case letters and digits without the look-alikes 0/o, 1/l/i, so codes copied from
# paper are typed back right. Ten characters from 31 give about 50 bits each.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_SALT = "sujarit.accounts.recovery-code"


def normalise_code(code: str) -> str:
    """A typed code without spaces or dashes, in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _recovery_hashes(code: str) -> list[str]:
    """What is stored for a recovery code: a keyed hash, under the current and any old key.

    django-otp keeps static tokens in clear (16 characters at most); we store 16 hex digits
    (64 bits) of an HMAC keyed with SECRET_KEY instead, so a copy of the database alone
    does not give anyone a working code.
    """
    normal = normalise_code(code)
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(_RECOVERY_SALT, normal, secret=key, algorithm="sha256").hexdigest()[:16]
        for key in keys
    ]


def _replace_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=_recovery_hashes(code)[0]) for code in codes]
    )
    return codes


@transaction.atomic
def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """The user's authenticator waiting for confirmation, made on the first visit.

    The same unconfirmed device is returned on every visit so a reloaded page shows the same
    QR code. Not audited: an unconfirmed device grants nothing; its confirmation is audited.
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise PermissionDenied("This account already has an authenticator.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str] = field(repr=False)


@transaction.atomic
def confirm_totp_enrolment(*, user: User, token: str) -> Enrolment | None:
    """Confirm the authenticator with a code it shows, and issue fresh recovery codes.

    Returns ``None`` when the code does not match (or too many wrong codes came too fast).
    """
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None or not device.verify_token(normalise_code(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _replace_recovery_codes(user)
    record(actor=user, action="account.two_factor_enrolled", target=user)
    return Enrolment(device=device, recovery_codes=codes)


@dataclass(frozen=True)
class SecondFactorOutcome:
    device: Device | None = None
    #: Set when too many wrong codes came too fast: no code is checked before this time.
    retry_at: datetime | None = None


def _wait_until(device: Device) -> datetime | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    retry_at = (info or {}).get("locked_until")
    return retry_at if isinstance(retry_at, datetime) else timezone.now()


@transaction.atomic
def verify_second_factor(*, user: User, code: str) -> SecondFactorOutcome:
    """Check a code from the authenticator app (digits) or a recovery code (letters).

    A recovery code works once: it is deleted when used. Both kinds of device slow down
    after wrong codes (django-otp's exponential back-off).
    """
    normal = normalise_code(code)
    if normal.isdigit() and len(normal) <= 8:
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if totp is None:
            return SecondFactorOutcome()
        retry_at = _wait_until(totp)
        if retry_at is not None:
            return SecondFactorOutcome(retry_at=retry_at)
        if not totp.verify_token(normal):
            return SecondFactorOutcome()
        record(actor=user, action="account.two_factor_verified", target=user, data={"by": "totp"})
        return SecondFactorOutcome(device=totp)

    static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if static is None:
        return SecondFactorOutcome()
    retry_at = _wait_until(static)
    if retry_at is not None:
        return SecondFactorOutcome(retry_at=retry_at)
    # The same steps as StaticDevice.verify_token, but matching the stored keyed hashes.
    match = static.token_set.filter(token__in=_recovery_hashes(normal)).first()
    if match is None:
        static.throttle_increment()
        return SecondFactorOutcome()
    match.delete()
    static.throttle_reset(commit=False)
    static.set_last_used_timestamp(commit=False)
    static.save()
    record(
        actor=user,
        action="account.two_factor_verified",
        target=user,
        data={"by": "recovery_code", "recovery_codes_left": static.token_set.count()},
    )
    return SecondFactorOutcome(device=static)


@transaction.atomic
def regenerate_recovery_codes(*, user: User, totp_code: str) -> list[str] | None:
    """Replace all recovery codes, after a fresh code from the authenticator app.

    Asking for the app's code again means a session left open on a shared computer is not
    enough to take a new set. Returns ``None`` when the code does not match.
    """
    totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if totp is None or _wait_until(totp) is not None:
        return None
    if not totp.verify_token(normalise_code(totp_code)):
        return None
    codes = _replace_recovery_codes(user)
    record(actor=user, action="account.recovery_codes_regenerated", target=user)
    return codes
