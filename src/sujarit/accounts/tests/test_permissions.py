"""The permission helpers every app asks: who may see which agency's cases."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

import pytest

from sujarit.accounts.models import User
from sujarit.accounts.queries import (
    agency_scope,
    can_manage_users,
    can_read_audit_log,
    can_view_agency_cases,
    is_staff_role,
)
from sujarit.agencies.models import Agency

pytestmark = pytest.mark.django_db


def test_officer_sees_the_cases_of_their_own_agency_only(
    officer_a: User, agency_a: Agency, agency_b: Agency
) -> None:
    assert can_view_agency_cases(officer_a, agency_a)
    assert not can_view_agency_cases(officer_a, agency_b)
    assert agency_scope(officer_a) == agency_a


def test_coordinators_auditors_and_admins_see_every_agency(
    coordinator: User, auditor: User, admin_user: User, agency_a: Agency, agency_b: Agency
) -> None:
    for user in (coordinator, auditor, admin_user):
        assert can_view_agency_cases(user, agency_a)
        assert can_view_agency_cases(user, agency_b)
        assert agency_scope(user) is None


def test_members_outsiders_and_visitors_see_no_agency_cases(
    member: User, outsider: User, agency_a: Agency
) -> None:
    for user in (member, outsider, AnonymousUser()):
        assert not can_view_agency_cases(user, agency_a)


def test_a_deactivated_officer_sees_nothing(officer_a: User, agency_a: Agency) -> None:
    officer_a.is_active = False
    assert not can_view_agency_cases(officer_a, agency_a)


def test_staff_roles_are_the_four_that_need_two_factor(
    coordinator: User, officer_a: User, auditor: User, admin_user: User, member: User
) -> None:
    for user in (coordinator, officer_a, auditor, admin_user):
        assert is_staff_role(user)
        assert user.needs_two_factor
    assert not is_staff_role(member)
    assert not member.needs_two_factor
    assert not is_staff_role(AnonymousUser())


def test_only_admins_manage_users_and_only_auditors_and_admins_read_the_audit_log(
    coordinator: User, auditor: User, admin_user: User
) -> None:
    assert can_manage_users(admin_user)
    assert not can_manage_users(coordinator)
    assert not can_manage_users(auditor)
    assert can_read_audit_log(auditor)
    assert can_read_audit_log(admin_user)
    assert not can_read_audit_log(coordinator)
