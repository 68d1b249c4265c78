"""Demo accounts, one per role, for ``sujarit demo``. They are marked demo and named so."""

from __future__ import annotations

import secrets

from django.db import transaction

from sujarit.accounts.actions import create_user
from sujarit.accounts.models import Role, User
from sujarit.agencies.models import Agency
from sujarit.geo.models import Province

#: username → role. The "demo-" prefix shows wherever the username does.
DEMO_USERS = {
    "demo-coordinator": Role.COORDINATOR,
    "demo-officer": Role.AGENCY_OFFICER,
    "demo-auditor": Role.AUDITOR,
    "demo-admin": Role.ADMIN,
    "demo-member": Role.NETWORK_MEMBER,
}
#: Roles that work in one province (the others are not tied to an area).
PROVINCIAL_ROLES = frozenset({Role.COORDINATOR, Role.NETWORK_MEMBER})


def new_password() -> str:
    """A random password of about 130 bits, printable and easy to copy."""
    return secrets.token_urlsafe(22)


@transaction.atomic
def create_demo_users(*, province_code: str, agency_for_officer: Agency) -> list[tuple[User, str]]:
    """Create the demo accounts that do not exist yet; return them with their new passwords.

    Accounts that already exist are left alone and not returned: their passwords were shown
    when they were made and are not stored anywhere in clear.
    """
    province = Province.objects.filter(code=province_code).first()
    existing = set(User.objects.filter(username__in=DEMO_USERS).values_list("username", flat=True))
    created = []
    for username, role in DEMO_USERS.items():
        if username in existing:
            continue
        password = new_password()
        user = create_user(
            username=username,
            email="",
            role=role,
            agency=agency_for_officer if role == Role.AGENCY_OFFICER else None,
            province=province if role in PROVINCIAL_ROLES else None,
            password=password,
            is_demo=True,
            by=None,
        )
        created.append((user, password))
    return created
