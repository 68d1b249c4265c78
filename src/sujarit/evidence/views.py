"""Evidence pages: the download, and the forms that attach files on the staff case page and
the follow-up page (the intake form takes files itself).

The download is the only way a stored file leaves the site: permission-checked by
``sujarit.evidence.queries.get_evidence_for``, decrypted in memory, sent as an attachment
under a generic name that the browser must not guess a type for, run or cache.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sujarit.audit.actions import record
from sujarit.cases import queries as case_queries
from sujarit.cases.views import followup as followup_views
from sujarit.cases.views import staff as staff_views
from sujarit.evidence.actions import add_citizen_evidence, add_staff_evidence
from sujarit.evidence.forms import EvidenceForm
from sujarit.evidence.queries import can_add_evidence, get_evidence_for
from sujarit.evidence.storage import read_sealed
from sujarit.evidence.uploads import evidence_uploads


@require_GET
@login_required
def download(request: HttpRequest, file_id: str) -> HttpResponse:
    evidence = get_evidence_for(request.user, file_id)
    data = read_sealed(evidence.storage_name, context=evidence.context)
    # Who opened which evidence, when: a reader of evidence is accountable for it.
    record(
        actor=request.user,
        action="evidence.downloaded",
        target=evidence.case,
        data={"file": evidence.pk},
    )
    response = HttpResponse(data, content_type=evidence.content_type)
    response["Content-Disposition"] = f'attachment; filename="{evidence.generic_name}"'
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser displayed the file, it could run nothing and reach nothing.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    add_never_cache_headers(response)
    return response


def _added_message(count: int) -> str:
    return ngettext("%(count)d file was added.", "%(count)d files were added.", count) % {
        "count": count
    }


@require_POST
@login_required
@evidence_uploads
def staff_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_queries.get_case_for(request.user, pk)
    if not can_add_evidence(request.user, case):
        raise PermissionDenied("Only coordinators attach files to a case.")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        context = staff_views._case_context(request, case)
        context["evidence_form"] = form
        return render(request, "cases/staff/case.html", context, status=400)
    user = staff_views._account(request)
    rows = add_staff_evidence(case=case, files=form.cleaned_data["evidence"], by=user)
    messages.success(request, _added_message(len(rows)))
    return redirect("cases:case", pk=case.pk)


@require_POST
@never_cache
@evidence_uploads
def follow_add(request: HttpRequest) -> HttpResponse:
    case, lapsed = followup_views._session_case(request)
    if case is None:
        return followup_views._back_to_start(request, lapsed)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return followup_views._render_case(request, case, {"evidence_form": form})
    rows = add_citizen_evidence(case=case, files=form.cleaned_data["evidence"])
    messages.success(
        request,
        ngettext(
            "Thank you: %(count)d file was added to your report.",
            "Thank you: %(count)d files were added to your report.",
            len(rows),
        )
        % {"count": len(rows)},
    )
    return redirect("cases:follow-case")
