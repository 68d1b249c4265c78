"""Who may do what in the networks: the one place where network permissions are decided.

Three kinds of people edit network records:

* **administrators** edit everything;
* **platform coordinators** (the coordination centre, ``Role.COORDINATOR``) edit the
  organizations, plans, activities, visits, MOUs, checklists and awards of their province
  (a coordinator with no recorded province works in the site's province), but do not see
  members' personal data;
* **organization coordinators** — a ``Member`` with the role ``coordinator`` linked to an
  active account — edit their organization and everything below it in the tree, and manage
  (and see the personal data of) the members of that subtree.

Any active member of an organization with an account may record activities and monitoring
visits for it, and edit the ones they recorded. Members' personal data (name, telephone,
e-mail, LINE ID, trainings, account) is visible only to the coordinators of the member's
organization or of one of its ancestors, to administrators, and to the member themselves.
Public pages and the public API never show it.

Views and API endpoints never check roles themselves: they call these functions. The answers
for one account are computed once per request object (cached on the user instance).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from sujarit.accounts.models import Role, User
from sujarit.accounts.queries import AnyUser, is_verified, role_of
from sujarit.network.models import (
    COUNTED_STATUSES,
    ActionPlan,
    Activity,
    Member,
    MemberRole,
    Mou,
    Organization,
    PlanActivity,
    PlanStatus,
    Visit,
)
from sujarit.network.tree import is_within, subtree_q

_CACHE = "_network_permission_cache"


# --- Who the user is in the networks --------------------------------------------------------


def _account(user: AnyUser) -> User | None:
    return user if role_of(user) is not None and isinstance(user, User) else None


def _cache(user: User) -> dict[str, Any]:
    cache: dict[str, Any] | None = getattr(user, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE, cache)
    return cache


def forget_permissions(user: AnyUser) -> None:
    """Drop the cached answers (after the user's memberships changed)."""
    if isinstance(user, User) and hasattr(user, _CACHE):
        delattr(user, _CACHE)


def is_admin(user: AnyUser) -> bool:
    return role_of(user) == Role.ADMIN


def platform_province(user: AnyUser) -> str | None:
    """The province a platform coordinator works in; ``None`` for every other account."""
    account = _account(user)
    if account is None or account.role != Role.COORDINATOR:
        return None
    return account.province_id or str(settings.SUJARIT_PROVINCE)


def _memberships(user: User) -> list[tuple[str, str]]:
    """(path, role) of each active membership of the account in an active organization."""
    cache = _cache(user)
    if "memberships" not in cache:
        cache["memberships"] = list(
            Member.objects.filter(
                user=user, is_active=True, organization__is_active=True
            ).values_list("organization__path", "role")
        )
    memberships: list[tuple[str, str]] = cache["memberships"]
    return memberships


def coordinated_paths(user: AnyUser) -> list[str]:
    """Tree paths of the organizations the account coordinates (as a member coordinator)."""
    account = _account(user)
    if account is None:
        return []
    return [path for path, role in _memberships(account) if role == MemberRole.COORDINATOR]


def member_paths(user: AnyUser) -> list[str]:
    """Tree paths of the organizations the account belongs to, whatever the role."""
    account = _account(user)
    if account is None:
        return []
    return [path for path, _role in _memberships(account)]


def is_network_staff(user: AnyUser) -> bool:
    """Whether the account has any network page to work on."""
    return bool(is_admin(user) or platform_province(user) or member_paths(user))


# --- Organizations and members -------------------------------------------------------------


def can_edit_organization(user: AnyUser, organization: Organization) -> bool:
    if is_admin(user):
        return True
    province = platform_province(user)
    if province is not None and organization.province_id == province:
        return True
    return is_within(organization, coordinated_paths(user))


def can_add_organization(user: AnyUser, parent: Organization | None) -> bool:
    """Create an organization under ``parent`` (or a root one when ``None``)."""
    if parent is None:
        return is_admin(user) or platform_province(user) is not None
    return can_edit_organization(user, parent)


def editable_organizations(user: AnyUser) -> QuerySet[Organization]:
    """The organizations ``user`` may edit (empty for anyone else)."""
    queryset = Organization.objects.all()
    if is_admin(user):
        return queryset
    condition = subtree_q(coordinated_paths(user))
    province = platform_province(user)
    if province is not None:
        condition |= Q(province_id=province)
    return queryset.filter(condition)


def can_act_for_organization(user: AnyUser, organization: Organization) -> bool:
    """Record activities and visits in the name of ``organization``."""
    return can_edit_organization(user, organization) or organization.path in member_paths(user)


def actable_organizations(user: AnyUser) -> QuerySet[Organization]:
    """The organizations ``user`` may record activities and visits for."""
    if is_admin(user):
        return Organization.objects.filter(is_active=True)
    condition = Q(path__in=member_paths(user)) | subtree_q(coordinated_paths(user))
    province = platform_province(user)
    if province is not None:
        condition |= Q(province_id=province)
    return Organization.objects.filter(condition, is_active=True)


def can_manage_members(user: AnyUser, organization: Organization) -> bool:
    """Add, change and read the members of ``organization`` (their personal data included)."""
    return is_admin(user) or is_within(organization, coordinated_paths(user))


def can_see_member_personal_data(user: AnyUser, member: Member) -> bool:
    account = _account(user)
    if account is not None and member.user_id == account.pk:
        return True
    return can_manage_members(user, member.organization)


def members_visible_to(user: AnyUser) -> QuerySet[Member]:
    """The members whose personal data ``user`` may read."""
    if is_admin(user):
        return Member.objects.all()
    account = _account(user)
    condition = subtree_q(coordinated_paths(user), prefix="organization__")
    if account is not None:
        condition |= Q(user=account)
    return Member.objects.filter(condition)


# --- Plans and activities ------------------------------------------------------------------


def public_plans() -> QuerySet[ActionPlan]:
    """Plans the public may see: every plan past its draft."""
    return ActionPlan.objects.filter(status__in=COUNTED_STATUSES)


def can_see_plan(user: AnyUser, plan: ActionPlan) -> bool:
    return plan.status != PlanStatus.DRAFT or can_edit_plan(user, plan)


def can_edit_plan(user: AnyUser, plan: ActionPlan) -> bool:
    return can_edit_organization(user, plan.organization)


def can_add_plan(user: AnyUser, organization: Organization) -> bool:
    return can_edit_organization(user, organization)


def linkable_plan_activities(user: AnyUser) -> QuerySet[PlanActivity]:
    """Plan activities an activity recorded by ``user`` may count towards.

    An organization's activities count towards its own plans and those of the networks
    above it (a subdistrict council's workshop serves the province network's plan), never
    towards a plan of an unrelated organization. Draft and completed plans take no records.
    """
    queryset = PlanActivity.objects.filter(
        pillar__plan__status__in=[PlanStatus.APPROVED, PlanStatus.ACTIVE]
    ).select_related("pillar__plan")
    if is_admin(user):
        return queryset
    province = platform_province(user)
    condition = Q(pk__in=[])
    if province is not None:
        condition |= Q(pillar__plan__province_id=province)
    ids: set[int] = set()
    for path in member_paths(user) + coordinated_paths(user):
        ids.update(int(step) for step in path.split("/") if step)
    if ids:
        condition |= Q(pillar__plan__organization_id__in=ids)
    coordinated = coordinated_paths(user)
    if coordinated:
        condition |= subtree_q(coordinated, prefix="pillar__plan__organization__")
    return queryset.filter(condition)


def can_record_activity(user: AnyUser, organizers: Iterable[Organization]) -> bool:
    organizers = list(organizers)
    return bool(organizers) and any(can_act_for_organization(user, org) for org in organizers)


def can_edit_activity(user: AnyUser, activity: Activity) -> bool:
    organizers = list(activity.organizers.all())
    if any(can_edit_organization(user, org) for org in organizers):
        return True
    account = _account(user)
    if account is None or activity.created_by_id != account.pk:
        return False
    return any(org.path in member_paths(user) for org in organizers)


# --- Visits, MOUs, awards, checklists ------------------------------------------------------


def can_see_visit_details(user: AnyUser, visit: Visit) -> bool:
    """Notes, checklist notes and photos of a visit (the public sees only a summary)."""
    if role_of(user) == Role.AUDITOR:
        return True
    return can_act_for_organization(user, visit.organization)


def can_edit_visit(user: AnyUser, visit: Visit) -> bool:
    if can_edit_organization(user, visit.organization):
        return True
    account = _account(user)
    return (
        account is not None
        and visit.created_by_id == account.pk
        and visit.organization.path in member_paths(user)
    )


def can_manage_province_records(user: AnyUser, province_code: str) -> bool:
    """MOUs, awards and checklists of a province: administrators and its coordinators."""
    return is_admin(user) or platform_province(user) == province_code


def can_see_mou_document(user: AnyUser, mou: Mou) -> bool:
    if role_of(user) in {Role.ADMIN, Role.AUDITOR} or platform_province(user) == mou.province_id:
        return True
    coordinated = coordinated_paths(user)
    return any(is_within(org, coordinated) for org in mou.organizations.all())


def can_import(user: AnyUser) -> bool:
    """Open the CSV import page; every row is then checked against the rights above."""
    return is_admin(user) or platform_province(user) is not None or bool(coordinated_paths(user))


def can_write_through_api(user: AnyUser) -> bool:
    """API writes need a session that passed a second factor, whatever the role."""
    return _account(user) is not None and is_verified(user)


# --- Fetching one object -------------------------------------------------------------------


def get_public_organization(code: str) -> Organization:
    organization = (
        Organization.objects.filter(code=code, is_active=True)
        .select_related("parent", "province", "district", "subdistrict", "agency")
        .defer("province__boundary", "district__boundary", "subdistrict__boundary")
        .first()
    )
    if organization is None:
        raise Http404("No such organization")
    return organization


def get_organization_for_edit(user: AnyUser, code: str) -> Organization:
    organization = Organization.objects.filter(code=code).select_related("parent").first()
    if organization is None:
        raise Http404("No such organization")
    if not can_edit_organization(user, organization):
        raise PermissionDenied
    return organization


def get_member_for(user: AnyUser, pk: int) -> Member:
    member = Member.objects.filter(pk=pk).select_related("organization", "user").first()
    if member is None:
        raise Http404("No such member")
    if not can_manage_members(user, member.organization):
        raise PermissionDenied
    return member


def get_plan_for(user: AnyUser, pk: int) -> ActionPlan:
    """A plan ``user`` may see (the public sees plans past their draft)."""
    plan = (
        ActionPlan.objects.filter(pk=pk)
        .select_related("organization", "province", "district", "subdistrict")
        .defer("province__boundary", "district__boundary", "subdistrict__boundary")
        .first()
    )
    if plan is None or not can_see_plan(user, plan):
        raise Http404("No such plan")
    return plan


def get_plan_for_edit(user: AnyUser, pk: int) -> ActionPlan:
    plan = get_plan_for(user, pk)
    if not can_edit_plan(user, plan):
        raise PermissionDenied
    return plan


def get_activity_for_edit(user: AnyUser, pk: int) -> Activity:
    activity = Activity.objects.filter(pk=pk).first()
    if activity is None:
        raise Http404("No such activity")
    if not can_edit_activity(user, activity):
        raise PermissionDenied
    return activity


def get_visit_for(user: AnyUser, pk: int) -> Visit:
    """A visit with its details, for those who may see them."""
    visit = Visit.objects.filter(pk=pk).select_related("organization", "checklist").first()
    if visit is None:
        raise Http404("No such visit")
    if not can_see_visit_details(user, visit):
        raise PermissionDenied
    return visit


def get_mou_for_edit(user: AnyUser, pk: int) -> Mou:
    mou = Mou.objects.filter(pk=pk).first()
    if mou is None:
        raise Http404("No such MOU")
    if not can_manage_province_records(user, mou.province_id):
        raise PermissionDenied
    return mou
