"""Reads about accounts, and the permission helpers every app asks instead of checking roles.

The helpers accept whatever ``request.user`` is (an account or an anonymous visitor) and
answer ``False`` for anonymous visitors and deactivated accounts.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sujarit.accounts.models import STAFF_ROLES, Role, User
from sujarit.agencies.models import Agency

AnyUser = User | AnonymousUser


def role_of(user: AnyUser) -> Role | None:
    """The role of an active, logged-in account; ``None`` for anyone else."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return Role(user.role)
    return None


def has_role(user: AnyUser, *roles: Role) -> bool:
    return role_of(user) in roles


def is_staff_role(user: AnyUser) -> bool:
    """Coordinators, agency officers, auditors and administrators (all need a second factor)."""
    return role_of(user) in STAFF_ROLES


def agency_scope(user: AnyUser) -> Agency | None:
    """The one agency an agency officer works for; ``None`` for every other role."""
    if has_role(user, Role.AGENCY_OFFICER) and isinstance(user, User):
        return user.agency
    return None


def can_view_agency_cases(user: AnyUser, agency: Agency) -> bool:
    """Whether ``user`` may see the cases referred to ``agency``.

    Coordinators, auditors and administrators see every agency's cases; an agency officer
    only those of their own agency; nobody else any.
    """
    role = role_of(user)
    if role in {Role.COORDINATOR, Role.AUDITOR, Role.ADMIN}:
        return True
    if role == Role.AGENCY_OFFICER and isinstance(user, User):
        return user.agency_id is not None and user.agency_id == agency.pk
    return False


def can_manage_users(user: AnyUser) -> bool:
    return has_role(user, Role.ADMIN)


def can_read_audit_log(user: AnyUser) -> bool:
    return has_role(user, Role.AUDITOR, Role.ADMIN)


def is_verified(user: AnyUser) -> bool:
    """Whether this session has passed a second factor (django-otp's ``is_verified()``)."""
    return getattr(user, "otp_device", None) is not None


def needs_second_factor_now(user: AnyUser) -> bool:
    """A logged-in account that must pass a second factor and has not yet in this session."""
    return (
        isinstance(user, User)
        and user.is_authenticated
        and user.needs_two_factor
        and not is_verified(user)
    )


def has_confirmed_totp(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def two_factor_url_name(user: User) -> str:
    """Where a user who must pass a second factor goes: verify, or enrol if they cannot yet."""
    if has_confirmed_totp(user):
        return "accounts:two_factor_verify"
    return "accounts:two_factor_setup"
