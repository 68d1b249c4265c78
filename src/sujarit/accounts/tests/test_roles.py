"""Each role is one group with the permissions of the role table, and a scope that fits."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

import pytest

from sujarit.accounts.actions import create_user, set_role
from sujarit.accounts.models import Role, User
from sujarit.accounts.roles import ROLE_PERMISSIONS, ensure_roles
from sujarit.agencies.models import Agency
from sujarit.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def group_permissions(role: Role) -> set[str]:
    group = Group.objects.get(name=role.value)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def role_groups_of(user: User) -> list[str]:
    return sorted(user.groups.filter(name__in=Role.values).values_list("name", flat=True))


def test_every_role_has_a_group_holding_exactly_its_permissions() -> None:
    for role in Role:
        assert group_permissions(role) == ROLE_PERMISSIONS[role], role


def test_ensure_roles_is_idempotent_and_repairs_a_tampered_group() -> None:
    auditor_group = Group.objects.get(name=Role.AUDITOR)
    auditor_group.permissions.clear()
    ensure_roles()
    ensure_roles()
    assert Group.objects.filter(name__in=Role.values).count() == len(Role)
    assert group_permissions(Role.AUDITOR) == ROLE_PERMISSIONS[Role.AUDITOR]


def test_auditor_may_only_view() -> None:
    assert ROLE_PERMISSIONS[Role.AUDITOR]
    assert all(name.split(".")[1].startswith("view_") for name in ROLE_PERMISSIONS[Role.AUDITOR])
    assert "audit.view_auditevent" in ROLE_PERMISSIONS[Role.AUDITOR]


def test_admin_manages_users_and_agencies_but_cannot_rewrite_the_audit_log() -> None:
    admin_permissions = ROLE_PERMISSIONS[Role.ADMIN]
    assert {"accounts.add_user", "accounts.change_user", "agencies.change_agency"} <= (
        admin_permissions
    )
    assert "audit.view_auditevent" in admin_permissions
    assert not {"audit.change_auditevent", "audit.delete_auditevent"} & admin_permissions


def test_coordinator_views_agencies_and_areas_and_officer_only_agencies() -> None:
    assert "agencies.view_agency" in ROLE_PERMISSIONS[Role.COORDINATOR]
    assert "geo.view_subdistrict" in ROLE_PERMISSIONS[Role.COORDINATOR]
    assert ROLE_PERMISSIONS[Role.AGENCY_OFFICER] == {"agencies.view_agency"}
    assert not any(
        name.startswith(("accounts.", "audit.")) for name in ROLE_PERMISSIONS[Role.COORDINATOR]
    )


@pytest.mark.parametrize(
    ("persona", "role"),
    [
        ("coordinator", Role.COORDINATOR),
        ("officer_a", Role.AGENCY_OFFICER),
        ("auditor", Role.AUDITOR),
        ("admin_user", Role.ADMIN),
        ("member", Role.NETWORK_MEMBER),
    ],
)
def test_each_persona_is_in_exactly_its_role_group_with_its_permissions(
    persona: str, role: Role, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    assert role_groups_of(user) == [role.value]
    fresh = User.objects.get(pk=user.pk)
    assert fresh.get_all_permissions() == set(ROLE_PERMISSIONS[role])


def test_only_administrators_reach_the_django_admin(
    coordinator: User, auditor: User, admin_user: User
) -> None:
    assert admin_user.is_staff
    assert not coordinator.is_staff
    assert not auditor.is_staff


def test_officer_without_agency_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        create_user(username="noagency", email="", role=Role.AGENCY_OFFICER, by=None)
    assert "agency" in refused.value.message_dict
    assert not User.objects.filter(username="noagency").exists()


def test_coordinator_with_an_agency_is_refused(agency_a: Agency) -> None:
    with pytest.raises(ValidationError) as refused:
        create_user(username="scoped", email="", role=Role.COORDINATOR, agency=agency_a, by=None)
    assert "agency" in refused.value.message_dict


def test_unknown_role_is_refused() -> None:
    with pytest.raises(ValidationError):
        create_user(username="wizard", email="", role="wizard", by=None)


def test_database_refuses_an_officer_without_agency_even_past_the_actions(officer_a: User) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=officer_a.pk).update(agency=None)


def test_set_role_moves_the_user_to_one_new_group_and_is_audited(
    coordinator: User, agency_b: Agency, admin_user: User
) -> None:
    set_role(user=coordinator, role=Role.AGENCY_OFFICER, agency=agency_b, by=admin_user)
    coordinator.refresh_from_db()
    assert coordinator.role == Role.AGENCY_OFFICER
    assert coordinator.agency == agency_b
    assert role_groups_of(coordinator) == [Role.AGENCY_OFFICER.value]
    event = AuditEvent.objects.filter(action="account.role_set").last()
    assert event is not None
    assert event.actor == admin_user
    assert event.target_id == str(coordinator.pk)
    assert event.data == {
        "role": "agency_officer",
        "agency": agency_b.pk,
        "previous_role": "coordinator",
        "previous_agency": None,
    }


def test_set_role_to_admin_grants_the_django_admin_and_back_removes_it(member: User) -> None:
    set_role(user=member, role=Role.ADMIN, by=None)
    assert User.objects.get(pk=member.pk).is_staff
    set_role(user=member, role=Role.AUDITOR, by=None)
    member.refresh_from_db()
    assert not member.is_staff
    assert role_groups_of(member) == [Role.AUDITOR.value]


def test_set_role_keeps_groups_that_are_not_roles(member: User) -> None:
    volunteers = Group.objects.create(name="volunteers of the month")
    member.groups.add(volunteers)
    set_role(user=member, role=Role.COORDINATOR, by=None)
    assert set(member.groups.values_list("name", flat=True)) == {
        "volunteers of the month",
        Role.COORDINATOR.value,
    }


def test_set_role_refuses_officer_without_agency_and_changes_nothing(coordinator: User) -> None:
    with pytest.raises(ValidationError):
        set_role(user=coordinator, role=Role.AGENCY_OFFICER, by=None)
    coordinator.refresh_from_db()
    assert coordinator.role == Role.COORDINATOR
    assert role_groups_of(coordinator) == [Role.COORDINATOR.value]


def test_create_user_is_audited_without_email_or_password(admin_user: User) -> None:
    user = create_user(
        username="newbie",
        email="newbie@example.org",
        role=Role.AUDITOR,
        password="a long and unusual passphrase 9",
        by=admin_user,
    )
    event = AuditEvent.objects.get(action="account.created", target_id=str(user.pk))
    assert event.actor == admin_user
    assert event.data == {"role": "auditor", "agency": None, "province": None, "is_demo": False}
    text = str(event.data)
    assert "newbie@example.org" not in text
    assert "passphrase" not in text


def test_create_user_refuses_a_weak_password() -> None:
    with pytest.raises(ValidationError):
        create_user(username="weak", email="", role=Role.AUDITOR, password="12345678", by=None)
    assert not User.objects.filter(username="weak").exists()


def test_new_passwords_are_hashed_with_argon2() -> None:
    user = create_user(
        username="hashme",
        email="",
        role=Role.NETWORK_MEMBER,
        password="a long and unusual passphrase 9",
        by=None,
    )
    assert user.password.startswith("argon2")
    assert User.objects.get(pk=user.pk).check_password("a long and unusual passphrase 9")
