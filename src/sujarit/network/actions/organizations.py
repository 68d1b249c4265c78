"""Writes to organizations (and their place in the tree) and to members.

``by=None`` means the system (an import command, the demo data): permission checks apply to
accounts only. Audit data holds ids, codes of organizations and names of changed fields,
never a member's name or contact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from sujarit.accounts.models import Role, User
from sujarit.accounts.queries import AnyUser
from sujarit.agencies.models import Agency
from sujarit.audit.actions import record
from sujarit.geo.models import District, Province, Subdistrict
from sujarit.network import queries
from sujarit.network.actions.common import actor, apply_values, ensure
from sujarit.network.models import Level, Member, Organization, Training
from sujarit.network.models.organizations import PATH_STEP

# Deeper than any real hierarchy (village → … → national), and within the path column.
MAX_DEPTH = 255 // (PATH_STEP + 1)


@dataclass
class OrganizationInput:
    code: str
    name_th: str
    kind: str
    level: str
    parent: Organization | None = None
    name_en: str = ""
    province: Province | None = None
    district: District | None = None
    subdistrict: Subdistrict | None = None
    village: str = ""
    agency: Agency | None = None
    description: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    is_active: bool = True
    is_demo: bool = False

    def area_values(self) -> dict[str, object]:
        """The area fields, completed upwards and cleared below the level.

        A subdistrict gives its district and province; a district its province. Raises
        ``ValidationError`` when the level lacks the area it needs.
        """
        subdistrict, district, province = self.subdistrict, self.district, self.province
        level = self.level
        if level in (Level.SUBDISTRICT, Level.VILLAGE):
            if subdistrict is None:
                raise ValidationError({"subdistrict": _("Choose the subdistrict.")})
            district, province = subdistrict.district, subdistrict.province
        elif level == Level.DISTRICT:
            if district is None:
                raise ValidationError({"district": _("Choose the district.")})
            subdistrict, province = None, district.province
        elif level == Level.PROVINCE:
            if province is None:
                raise ValidationError({"province": _("Choose the province.")})
            subdistrict, district = None, None
        else:
            subdistrict, district, province = None, None, None
        village = self.village.strip() if level == Level.VILLAGE else ""
        if level == Level.VILLAGE and not village:
            raise ValidationError({"village": _("Name the village.")})
        return {
            "province": province,
            "district": district,
            "subdistrict": subdistrict,
            "village": village,
        }

    def values(self) -> dict[str, object]:
        return {
            "name_th": self.name_th.strip(),
            "name_en": self.name_en.strip(),
            "kind": self.kind,
            "level": self.level,
            "agency": self.agency,
            "description": self.description.strip(),
            "phone": self.phone.strip(),
            "email": self.email.strip(),
            "website": self.website.strip(),
            "address": self.address.strip(),
            "is_active": self.is_active,
            "is_demo": self.is_demo,
            **self.area_values(),
        }


def _check_parent(organization: Organization | None, parent: Organization | None) -> None:
    if parent is None:
        return
    if organization is not None and organization.pk is not None:
        if parent.pk == organization.pk or parent.path.startswith(organization.path):
            raise ValidationError(
                {"parent": _("An organization cannot be placed under itself or its own members.")}
            )
    if parent.depth + 1 >= MAX_DEPTH:
        raise ValidationError({"parent": _("The tree is too deep under this parent.")})


@transaction.atomic
def create_organization(*, values: OrganizationInput, by: AnyUser | None) -> Organization:
    if by is not None:
        ensure(queries.can_add_organization(by, values.parent))
    _check_parent(None, values.parent)
    organization = Organization(code=values.code.strip().lower(), parent=values.parent)
    apply_values(organization, values.values())
    organization.full_clean()
    organization.save()
    organization.path = organization.path_for_parent(values.parent)
    organization.depth = 0 if values.parent is None else values.parent.depth + 1
    organization.save(update_fields=["path", "depth"])
    record(
        actor=actor(by),
        action="network.organization_created",
        target=organization,
        data={
            "code": organization.code,
            "parent": values.parent.pk if values.parent else None,
            "level": organization.level,
        },
    )
    return organization


@transaction.atomic
def update_organization(
    *, organization: Organization, values: OrganizationInput, by: AnyUser | None
) -> list[str]:
    """Change an organization; a new parent moves its whole subtree. Returns changed fields."""
    if by is not None:
        ensure(queries.can_edit_organization(by, organization))
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    new_parent = values.parent
    moved = organization.parent_id != (new_parent.pk if new_parent else None)
    if moved and by is not None:
        # Moving needs the right to take it out of its place and to put it in the new one.
        ensure(queries.can_add_organization(by, new_parent))
    _check_parent(organization, new_parent)
    changed = apply_values(organization, values.values())
    if values.code.strip().lower() != organization.code:
        organization.code = values.code.strip().lower()
        changed.append("code")
    if moved:
        organization.parent = new_parent
        changed.append("parent")
    if not changed:
        return []
    organization.full_clean()
    organization.save()
    if moved:
        _move_subtree(organization, new_parent)
    record(
        actor=actor(by),
        action="network.organization_updated",
        target=organization,
        data={"code": organization.code, "fields": sorted(changed)},
    )
    return changed


def _move_subtree(organization: Organization, parent: Organization | None) -> None:
    """Rewrite the path and depth of the organization and everything below it: one UPDATE."""
    old_path = organization.path
    new_path = organization.path_for_parent(parent)
    delta = (0 if parent is None else parent.depth + 1) - organization.depth
    Organization.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
        depth=F("depth") + delta,
    )
    organization.refresh_from_db(fields=["path", "depth"])


# --- Members -------------------------------------------------------------------------------


@dataclass
class MemberInput:
    code: str
    organization: Organization
    role: str
    full_name: str
    phone: str = ""
    email: str = ""
    line_id: str = ""
    joined_on: dt.date | None = None
    user: User | None = None
    is_active: bool = True
    is_demo: bool = False
    #: (skill, date trained); ``None`` leaves the recorded trainings as they are.
    trainings: list[tuple[str, dt.date | None]] | None = field(default=None)

    def values(self) -> dict[str, object]:
        return {
            "organization": self.organization,
            "role": self.role,
            "full_name": self.full_name.strip(),
            "phone": self.phone.strip(),
            "email": self.email.strip(),
            "line_id": self.line_id.strip(),
            "joined_on": self.joined_on,
            "user": self.user,
            "is_active": self.is_active,
            "is_demo": self.is_demo,
        }


def _check_account(user: User | None) -> None:
    if user is not None and user.role != Role.NETWORK_MEMBER:
        raise ValidationError(
            {"user": _("Only an account with the network member role can be linked.")}
        )


def _set_trainings(member: Member, trainings: list[tuple[str, dt.date | None]]) -> bool:
    wanted = {(skill.strip(), day) for skill, day in trainings if skill.strip()}
    current = {(t.skill, t.trained_on): t for t in member.trainings.all()}
    if set(current) == wanted:
        return False
    for key, training in current.items():
        if key not in wanted:
            training.delete()
    for skill, day in sorted(wanted - set(current), key=lambda item: item[1] or dt.date.min):
        Training.objects.create(member=member, skill=skill, trained_on=day)
    return True


def _audit_member(action: str, member: Member, by: AnyUser | None, fields: list[str]) -> None:
    record(
        actor=actor(by),
        action=action,
        target=member,
        data={
            "organization": member.organization.code,
            "role": member.role,
            "fields": sorted(fields),
            "has_account": member.user_id is not None,
        },
    )


@transaction.atomic
def add_member(*, values: MemberInput, by: AnyUser | None) -> Member:
    if by is not None:
        ensure(queries.can_manage_members(by, values.organization))
    _check_account(values.user)
    member = Member(code=values.code.strip().lower())
    apply_values(member, values.values())
    member.full_clean()
    member.save()
    if values.trainings:
        _set_trainings(member, values.trainings)
    _audit_member("network.member_added", member, by, ["*"])
    if values.user is not None:
        queries.forget_permissions(values.user)
    return member


@transaction.atomic
def update_member(*, member: Member, values: MemberInput, by: AnyUser | None) -> list[str]:
    """Change a member; moving them to another organization needs the right on both."""
    if by is not None:
        ensure(queries.can_manage_members(by, member.organization))
        ensure(queries.can_manage_members(by, values.organization))
    _check_account(values.user)
    previous_user = member.user
    changed = apply_values(member, values.values())
    if values.code.strip().lower() != member.code:
        member.code = values.code.strip().lower()
        changed.append("code")
    if changed:
        member.full_clean()
        member.save()
    if values.trainings is not None and _set_trainings(member, values.trainings):
        changed.append("trainings")
    if changed:
        _audit_member("network.member_updated", member, by, changed)
        for user in (previous_user, member.user):
            if user is not None:
                queries.forget_permissions(user)
    return changed


@transaction.atomic
def remove_member(*, member: Member, by: AnyUser | None) -> None:
    """End a membership. The row stays (activities may list the member) but is inactive."""
    if by is not None:
        ensure(queries.can_manage_members(by, member.organization))
    if not member.is_active:
        return
    member.is_active = False
    member.save(update_fields=["is_active", "updated_at"])
    _audit_member("network.member_removed", member, by, ["is_active"])
    if member.user is not None:
        queries.forget_permissions(member.user)
