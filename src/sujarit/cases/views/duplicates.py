"""The "possible duplicates" panel of the staff case page, and its link and merge actions.

What the panel shows is decided by ``sujarit.cases.queries``: the similar reports only to
those who may manage duplicates (coordinators) and only cases they may open; links and merges
to whoever may open both cases. Link and merge are POSTs that call one action each and go
back to a case page with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sujarit.accounts.models import User
from sujarit.accounts.queries import AnyUser
from sujarit.cases import queries
from sujarit.cases.actions import duplicates
from sujarit.cases.models import Case, CaseStatus, Message
from sujarit.cases.workflow import TransitionRefused


def panel_context(user: AnyUser, case: Case) -> dict[str, Any]:
    """What the case page needs for its duplicates panel."""
    linked = queries.linked_cases_for(user, case)
    linked_ids = {other.pk for other in linked}
    merged_reports = queries.merged_reports_for(user, case)
    merged_ids = {other.pk for other in merged_reports}
    can_manage = queries.can_manage_duplicates(user, case)
    # Imported here: it loads the Thai word segmenter, which only this panel needs.
    from sujarit.cases.duplicates import IndexNotReady

    try:
        found = queries.similar_cases_for(user, case)
        preparing = False
    except IndexNotReady:
        found, preparing = [], True
    similar = [
        {
            "case": other,
            "percent": round(score * 100),
            "score": score,
            "linked": other.pk in linked_ids,
            "merged_here": other.pk in merged_ids,
            "can_merge_here": can_manage
            and case.status != CaseStatus.MERGED
            and other.status in (CaseStatus.RECEIVED, CaseStatus.SCREENING),
        }
        for other, score in found
    ]
    reports = [
        {
            "case": other,
            "messages": (
                list(Message.objects.filter(case=other).order_by("at", "id"))
                if queries.can_read_messages(user, other)
                else None
            ),
        }
        for other in merged_reports
    ]
    return {
        "duplicates_can_manage": can_manage,
        "duplicates_similar": similar,
        "duplicates_preparing": preparing,
        "duplicates_linked": linked,
        "duplicates_merged_into": queries.merged_into_for(user, case),
        "duplicates_merged_reports": reports,
        "duplicates_can_merge_away": can_manage
        and case.status in (CaseStatus.RECEIVED, CaseStatus.SCREENING),
    }


def _score(request: HttpRequest) -> float | None:
    try:
        score = float(request.POST.get("score", ""))
    except ValueError:
        return None
    return score if 0.0 <= score <= 1.0 else None


def _pair(request: HttpRequest, pk: int, other_pk: int) -> tuple[User, Case, Case]:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    case = queries.get_case_for(user, pk)
    other = queries.get_case_for(user, other_pk)
    if not (
        queries.can_manage_duplicates(user, case) and queries.can_manage_duplicates(user, other)
    ):
        raise PermissionDenied
    return user, case, other


@require_POST
@login_required
def link(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    user, case, other = _pair(request, pk, other_pk)
    try:
        duplicates.link_cases(
            case=case,
            other=other,
            by=user,
            score=_score(request),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(a)s and %(b)s are linked.") % {"a": case.reference, "b": other.reference}
        )
    return redirect("cases:case", pk=case.pk)


@require_POST
@login_required
def merge(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Merge case ``pk`` into case ``other_pk``; then to the page of the case that stays."""
    user, case, into = _pair(request, pk, other_pk)
    try:
        duplicates.merge_cases(
            case=case, into=into, by=user, score=_score(request), note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except TransitionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(case)s is merged into %(into)s.")
            % {"case": case.reference, "into": into.reference},
        )
    return redirect("cases:case", pk=into.pk)


urlpatterns: list[URLPattern] = [
    path("cases/<int:pk>/link/<int:other_pk>/", link, name="case-link"),
    path("cases/<int:pk>/merge/<int:other_pk>/", merge, name="case-merge"),
]
