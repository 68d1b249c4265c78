"""Reads of cases, and the one place that decides who may see or do what to a case.

Views and API endpoints never filter cases themselves: they ask ``cases_visible_to`` or
``get_case_for`` (which answer 404 rather than 403, so that a case's existence is not
revealed), and the ``can_*`` predicates below. The public sees cases only through
``published_cases``; the complainant only through the receipt code (``sujarit.cases.followup``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from sujarit.accounts.models import Role, User
from sujarit.accounts.queries import AnyUser, role_of
from sujarit.cases.models import (
    FINAL_STATUSES,
    LOCAL_TARGET,
    AdmissibilityItem,
    Case,
    CaseEvent,
    CaseLink,
    CaseMerge,
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
    their agency does not hold yet, while there is still an identity to release (not erased
    at the complainant's request or by the retention policy)."""
    return (
        referral_of(user, referral.case) == referral
        and referral.case.identity != Identity.ANONYMOUS
        and not referral.identity_released
        and referral.status not in (ReferralStatus.DECLINED, ReferralStatus.RESOLVED)
        and Complainant.objects.filter(case=referral.case, erased_at__isnull=True).exists()
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


# --- the agency inbox, identity custodians and response figures ---------------------------


def can_use_inbox(user: AnyUser) -> bool:
    """The referral inbox is an agency officer's: the referrals to their own agency."""
    return (
        role_of(user) == Role.AGENCY_OFFICER
        and isinstance(user, User)
        and user.agency_id is not None
    )


def inbox_referrals(user: AnyUser) -> QuerySet[Referral]:
    """The referrals to ``user``'s agency, newest first; none for anybody else."""
    agency_id = user.agency_id if isinstance(user, User) else None
    if agency_id is None or not can_use_inbox(user):
        return Referral.objects.none()
    return (
        Referral.objects.filter(agency_id=agency_id)
        .select_related("case", "case__subdistrict")
        .order_by("-referred_at", "-id")
    )


def get_inbox_referral(user: AnyUser, referral_id: int | str) -> Referral:
    """A referral to ``user``'s agency; ``Http404`` for any other (another agency's referral
    and one that does not exist cannot be told apart)."""
    try:
        pk = int(referral_id)
    except (TypeError, ValueError):
        raise Http404("No such referral.") from None
    referral = (
        inbox_referrals(user)
        .select_related("agency", "case__subdistrict__district", "case__accused_agency")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    return referral


def agency_progress_events(referral: Referral) -> QuerySet[CaseEvent]:
    """The progress notes the referral's own agency wrote on the case: what its officers see
    of the timeline (never the coordination centre's notes or another agency's)."""
    return (
        CaseEvent.objects.filter(
            case_id=referral.case_id,
            kind=CaseEvent.Kind.PROGRESS,
            actor__agency_id=referral.agency_id,
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def is_custodian(user: AnyUser) -> bool:
    """Who may be asked to decide identity requests: coordinators and administrators (which
    requests each may decide is ``can_decide_identity_request``)."""
    return role_of(user) in (Role.COORDINATOR, Role.ADMIN)


def identity_requests_to_decide(user: AnyUser) -> QuerySet[IdentityRequest]:
    """Pending identity requests ``user`` may decide, oldest first: every one for an
    administrator; for a coordinator, those of cases they do not handle that they did not ask.
    The same rule as ``can_decide_identity_request``, as a query."""
    role = role_of(user)
    pending = IdentityRequest.objects.filter(status=IdentityRequest.Status.PENDING)
    if role == Role.ADMIN:
        requests = pending
    elif role == Role.COORDINATOR and isinstance(user, User):
        requests = pending.exclude(referral__case__assigned_to_id=user.pk).exclude(
            requested_by_id=user.pk
        )
    else:
        return IdentityRequest.objects.none()
    return requests.select_related(
        "referral", "referral__agency", "referral__case", "referral__case__subdistrict"
    ).order_by("requested_at", "id")


def get_identity_request_for(user: AnyUser, request_id: int | str) -> IdentityRequest:
    """An identity request for a custodian to decide on: ``PermissionDenied`` for anybody who
    is not a custodian, ``Http404`` if there is no such request. Whether this custodian may
    decide this request is ``can_decide_identity_request``, asked by the action."""
    if not is_custodian(user):
        raise PermissionDenied("Only custodians decide identity requests.")
    try:
        pk = int(request_id)
    except (TypeError, ValueError):
        raise Http404("No such identity request.") from None
    request = (
        IdentityRequest.objects.select_related("referral", "referral__case", "referral__agency")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No such identity request.")
    return request


def agency_figures_scope(user: AnyUser) -> int | None:
    """Which agency's row of the response figures ``user`` sees: ``None`` for every agency
    (coordinators, auditors, administrators), their own agency's id for an officer (who also
    sees the province totals). Ask ``can_view_agency_figures`` first."""
    if role_of(user) == Role.AGENCY_OFFICER and isinstance(user, User):
        return user.agency_id
    return None


# --- the coordination centre's pages and the public pages --------------------------------


def can_view_queues(user: AnyUser) -> bool:
    """The work queues list every case: for the coordination centre, and read-only for
    auditors and administrators. Agency officers have their own inbox instead."""
    return role_of(user) in ALL_CASES_ROLES


def can_read_messages(user: AnyUser, case: Case) -> bool:
    """The conversation with the complainant is between the complainant and the centre;
    auditors read it too. Agencies never do: a complainant may name themselves in it."""
    return role_of(user) in ALL_CASES_ROLES


def can_print_letter(user: AnyUser, referral: Referral) -> bool:
    """The referral letter is the coordination centre's letter to the agency: coordinators
    print it, and the agency it is addressed to reads it (it shows the complainant only when
    that agency may see them)."""
    return can_handle(user, referral.case) or can_answer(user, referral)


def referrals_visible_to(user: AnyUser, case: Case) -> QuerySet[Referral]:
    """The referrals of ``case`` that ``user`` may read on the case page: all of them for the
    roles that see every case, only their own agency's for an agency officer."""
    referrals = Referral.objects.filter(case=case).select_related("agency", "referred_by")
    role = role_of(user)
    if role in ALL_CASES_ROLES:
        return referrals.order_by("referred_at", "id")
    if role == Role.AGENCY_OFFICER and isinstance(user, User) and user.agency_id is not None:
        return referrals.filter(agency_id=user.agency_id).order_by("referred_at", "id")
    return Referral.objects.none()


def get_published_case(case_id: int | str) -> Case:
    """A published case for the public page; ``Http404`` for any other."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise Http404("No such case.") from None
    case = published_cases().filter(pk=pk).first()
    if case is None:
        raise Http404("No such case.")
    return case


def published_referral_agencies() -> Prefetch[str, QuerySet[Referral], str]:
    """The agencies a published case went to, for ``prefetch_related`` on
    ``published_cases()``: the agency's names only, never the referral's notes or reasons."""
    return Prefetch(
        "referrals",
        queryset=Referral.objects.exclude(status=ReferralStatus.DECLINED)
        .select_related("agency")
        .only(
            "id",
            "case_id",
            "status",
            "agency__id",
            "agency__code",
            "agency__name_th",
            "agency__name_en",
            "agency__is_demo",
        )
        .order_by("referred_at", "id"),
        to_attr="public_referrals",
    )


def published_counts(province_code: str) -> dict[str, list[dict[str, Any]]]:
    """Counts of the province's published cases by kind, status, subdistrict and month of
    receipt: four grouped queries over ``published_cases()``."""
    cases = published_cases().filter(subdistrict__province_id=province_code).order_by()
    month = TruncMonth("created_at", tzinfo=timezone.get_current_timezone())
    return {
        "kind": [
            dict(row) for row in cases.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
        ],
        "status": [
            dict(row)
            for row in cases.values("status").annotate(n=Count("id")).order_by("-n", "status")
        ],
        "subdistrict": [
            dict(row)
            for row in cases.values(
                "subdistrict_id",
                "subdistrict__name_th",
                "subdistrict__name_en",
                "subdistrict__district__name_th",
                "subdistrict__district__name_en",
            )
            .annotate(n=Count("id"))
            .order_by("-n", "subdistrict_id")
        ],
        "month": [
            dict(row)
            for row in cases.annotate(month=month)
            .values("month")
            .annotate(n=Count("id"))
            .order_by("month")
        ],
    }


def referral_admissibility(referral: Referral) -> list[tuple[str, bool | None]]:
    """The admissibility checklist as the coordinator saw it when referring: (requirement in
    the active language, met?) in the checklist's order. Items no longer in the table show by
    their code."""
    snapshot = referral.admissibility or {}
    if not isinstance(snapshot, dict) or not snapshot:
        return []
    items = {
        item.code: item
        for item in AdmissibilityItem.objects.filter(
            code__in=list(snapshot), target_kind__in=[referral.agency.kind, LOCAL_TARGET]
        ).order_by("-target_kind")
    }
    english = (get_language() or "th").startswith("en")
    rows: list[tuple[int, str, bool | None]] = []
    for position, (code, value) in enumerate(snapshot.items()):
        met = value.get("met") if isinstance(value, dict) else value
        item = items.get(code)
        if item is None:
            rows.append((10_000 + position, code, None if met is None else bool(met)))
        else:
            text = item.text_en if english and item.text_en else item.text_th
            rows.append((item.order, text, None if met is None else bool(met)))
    return [(text, met) for _, text, met in sorted(rows, key=lambda row: row[0])]


# --- duplicates ----------------------------------------------------------------------------


def can_manage_duplicates(user: AnyUser, case: Case) -> bool:
    """Coordinators see the reports similar to a case and link or merge them. Nobody else
    sees the list: not agencies, not auditors, never the complainant (whose follow-up page
    only says that their report was merged, if it was)."""
    return can_handle(user, case)


def similar_cases_for(user: AnyUser, case: Case) -> list[tuple[Case, float]]:
    """The cases most similar to ``case`` with their similarity (0-1), best first: only for
    those who may manage duplicates, and only cases they may open. Raises
    ``duplicates.IndexNotReady`` while the process is still building its index."""
    if not can_manage_duplicates(user, case):
        return []
    # Imported here: it loads the Thai word segmenter, which only this page needs.
    from sujarit.cases.duplicates import similar_case_ids

    matches = similar_case_ids(case.pk)
    visible = cases_visible_to(user).select_related("subdistrict").in_bulk([m.id for m in matches])
    return [(visible[m.id], m.score) for m in matches if m.id in visible]


def linked_cases_for(user: AnyUser, case: Case) -> list[Case]:
    """The cases linked to ``case`` that ``user`` may open."""
    pairs = CaseLink.objects.filter(Q(first=case) | Q(second=case)).values_list("first", "second")
    others = {a if b == case.pk else b for a, b in pairs}
    return list(cases_visible_to(user).filter(pk__in=others).order_by("pk"))


def merged_into_for(user: AnyUser, case: Case) -> Case | None:
    """The case ``case`` was merged into, if ``user`` may open it."""
    merge = CaseMerge.objects.filter(case=case).first()
    if merge is None:
        return None
    return cases_visible_to(user).filter(pk=merge.into_id).first()


def merged_reports_for(user: AnyUser, case: Case) -> list[Case]:
    """The cases merged into ``case`` that ``user`` may open, oldest first."""
    return list(
        cases_visible_to(user).filter(merge__into=case).select_related("subdistrict").order_by("pk")
    )
