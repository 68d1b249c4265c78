"""Reads of cases, and the one place that decides who may see or do what to a case.

Views and API endpoints never filter cases themselves: they ask ``cases_visible_to`` or
``get_case_for`` (which answer 404 rather than 403, so that a case's existence is not
revealed), and the ``can_*`` predicates below. The public sees cases only through
``published_cases``; the complainant only through the receipt code (``sujarit.cases.followup``).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from sujarit.accounts.models import Role, User
from sujarit.accounts.queries import AnyUser, role_of
from sujarit.cases.models import (
    FINAL_STATUSES,
    Case,
    CaseStatus,
    Complainant,
    Identity,
    IdentityRequest,
    Referral,
    ReferralStatus,
)

#: Roles that see every case (but not necessarily identities).
ALL_CASES_ROLES = frozenset({Role.COORDINATOR, Role.AUDITOR, Role.ADMIN})


def cases_visible_to(user: AnyUser) -> QuerySet[Case]:
    """Every case ``user`` may open: all of them for coordinators, auditors and
    administrators; for an agency officer, the cases referred to their agency; none for
    anybody else."""
    role = role_of(user)
    if role in ALL_CASES_ROLES:
        return Case.objects.all()
    if role == Role.AGENCY_OFFICER and isinstance(user, User) and user.agency_id is not None:
        referred = Referral.objects.filter(case=OuterRef("pk"), agency_id=user.agency_id)
        return Case.objects.filter(Exists(referred))
    return Case.objects.none()


def get_case_for(user: AnyUser, case_id: int | str) -> Case:
    """The case if ``user`` may open it; ``Http404`` otherwise (also for a case that does not
    exist, so the two cannot be told apart)."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise Http404("No such case.") from None
    case = (
        cases_visible_to(user).select_related("subdistrict", "accused_agency").filter(pk=pk).first()
    )
    if case is None:
        raise Http404("No such case.")
    return case


def referral_of(user: AnyUser, case: Case) -> Referral | None:
    """An agency officer's referral of ``case`` (to their own agency), if any."""
    if role_of(user) == Role.AGENCY_OFFICER and isinstance(user, User) and user.agency_id:
        return Referral.objects.filter(case=case, agency_id=user.agency_id).first()
    return None


def get_referral_for(user: AnyUser, referral_id: int | str) -> Referral:
    """A referral its agency's officer may answer, or one a coordinator handles; 404 otherwise."""
    try:
        pk = int(referral_id)
    except (TypeError, ValueError):
        raise Http404("No such referral.") from None
    referral = (
        Referral.objects.select_related("case", "agency")
        .filter(pk=pk, case__in=cases_visible_to(user))
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    return referral


# --- identities --------------------------------------------------------------------------


def can_see_identity(user: AnyUser, case: Case) -> bool:
    """Whether ``user`` may read the complainant's name and contact details.

    Coordinators may (they screen the report). An agency officer may only when their agency's
    referral has the identity released: the complainant consented, or a custodian approved a
    request. Auditors and administrators never do: they read cases without identities.
    """
    if case.identity == Identity.ANONYMOUS:
        return False
    role = role_of(user)
    if role == Role.COORDINATOR:
        return True
    referral = referral_of(user, case)
    return referral is not None and referral.identity_released


def complainant_for(user: AnyUser, case: Case) -> Complainant | None:
    """The complainant row if ``user`` may read it, else ``None``."""
    if not can_see_identity(user, case):
        return None
    return Complainant.objects.filter(case=case, erased_at__isnull=True).first()


def can_request_identity(user: AnyUser, referral: Referral) -> bool:
    """An officer of the referral's agency, for a confidential or named case whose identity
    their agency does not hold yet."""
    return (
        referral_of(user, referral.case) == referral
        and referral.case.identity != Identity.ANONYMOUS
        and not referral.identity_released
        and referral.status not in (ReferralStatus.DECLINED, ReferralStatus.RESOLVED)
    )


def can_decide_identity_request(user: AnyUser, request: IdentityRequest) -> bool:
    """The custodian: an administrator, or a coordinator who neither handles the case nor
    asked. Never the one person who would otherwise decide alone."""
    if request.status != IdentityRequest.Status.PENDING or not isinstance(user, User):
        return False
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    case = request.referral.case
    return (
        role == Role.COORDINATOR
        and case.assigned_to_id != user.pk
        and request.requested_by_id != user.pk
    )


# --- what staff may do -------------------------------------------------------------------


def can_handle(user: AnyUser, case: Case) -> bool:
    """Coordinators screen, route, refer, reply to the complainant, close and publish."""
    return role_of(user) == Role.COORDINATOR


def can_answer(user: AnyUser, referral: Referral) -> bool:
    """An officer of the referral's agency acknowledges, reports progress and the outcome."""
    return referral_of(user, referral.case) == referral


def can_view_internal_notes(user: AnyUser, case: Case) -> bool:
    """Internal notes are for the coordination centre and auditors, not for agencies."""
    return role_of(user) in ALL_CASES_ROLES


def can_view_agency_figures(user: AnyUser) -> bool:
    return role_of(user) in ALL_CASES_ROLES | {Role.AGENCY_OFFICER}


def can_edit_routing(user: AnyUser) -> bool:
    return role_of(user) == Role.ADMIN


# --- the public ----------------------------------------------------------------------------


def published_cases() -> QuerySet[Case]:
    """The one door through which the public sees cases: published ones only, and only the
    fields a public page may show (never identities, descriptions or evidence)."""
    return (
        Case.objects.filter(is_published=True)
        .select_related("subdistrict", "subdistrict__district")
        .only(
            "id",
            "kind",
            "status",
            "subdistrict__code",
            "subdistrict__name_th",
            "subdistrict__name_en",
            "subdistrict__district__name_th",
            "subdistrict__district__name_en",
            "public_title",
            "public_summary",
            "published_at",
            "public_outcome",
            "created_at",
            "is_demo",
        )
        .order_by("-published_at", "-id")
    )


def open_statuses() -> list[str]:
    return [status for status in CaseStatus.values if status not in FINAL_STATUSES]


# --- service levels ------------------------------------------------------------------------


def overdue_cases(now: datetime | None = None) -> QuerySet[Case]:
    """Open cases whose current state's service level has run out (oldest due first)."""
    now = now or timezone.now()
    return (
        Case.objects.filter(due_at__lt=now)
        .exclude(status__in=FINAL_STATUSES)
        .order_by("due_at", "id")
    )


def overdue_referrals(now: datetime | None = None) -> QuerySet[Referral]:
    """Referrals the agency has not acknowledged within the service level."""
    now = now or timezone.now()
    return Referral.objects.filter(status=ReferralStatus.SENT, due_at__lt=now).order_by(
        "due_at", "id"
    )
