"""The auditors' pages: the audit trail of any case (without identities) and the chain's
status. Who may read them is decided by ``sujarit.audit.queries.can_view_audit_trail``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from sujarit.audit import queries
from sujarit.audit.chain import anchor_digest
from sujarit.cases.queries import get_case_for

app_name = "audit"


@require_GET
@login_required
def chain_status(request: HttpRequest) -> HttpResponse:
    if not queries.can_view_audit_trail(request.user):
        raise PermissionDenied
    return render(
        request,
        "audit/chain.html",
        {
            "head": anchor_digest(),
            "latest": queries.latest_check(),
            "checks": list(queries.recent_checks()),
        },
    )


@require_GET
@login_required
def case_trail(request: HttpRequest, pk: int) -> HttpResponse:
    # Refused before the case is looked up, so that the answer does not say whether it exists.
    if not queries.can_view_audit_trail(request.user):
        raise PermissionDenied
    case = get_case_for(request.user, pk)
    return render(
        request, "audit/case_trail.html", {"case": case, "entries": queries.case_trail(case)}
    )


urlpatterns: list[URLPattern] = [
    path("", chain_status, name="chain"),
    path("cases/<int:pk>/", case_trail, name="case-trail"),
]
