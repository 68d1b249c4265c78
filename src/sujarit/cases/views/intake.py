"""The report form at /report/ and the page that shows the receipt code once.

The form carries an idempotency key made when it is drawn, so a double tap or a retry after
a timeout stores one report and shows the same code. After a successful submit the code goes
through the session to the "done" page (post, redirect, get), which takes it out of the
session as it shows it and marks the case's code as shown: a refresh, the back button, the
form resent from the browser's history or a later visitor to the same browser does not see it
again, and the code never appears in a URL. (A retry whose first answer never arrived still
gets the code, since the "done" page never showed it.) Every page here is sent with
``Cache-Control: no-store``.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from sujarit.accounts.models import User
from sujarit.cases import receipts
from sujarit.cases.actions.intake import ReceiptCollision
from sujarit.cases.forms_intake import (
    IntakeForm,
    configured_province_code,
    new_idempotency_key,
    province_name,
)
from sujarit.cases.models import Case
from sujarit.evidence.actions import submit_report_with_evidence
from sujarit.evidence.uploads import evidence_uploads
from sujarit.geo.queries import has_child_boundaries

#: Session entry holding a new receipt code until the "done" page shows it.
RECEIPT_SESSION_KEY = "sujarit_new_receipt"
#: After this long the code is no longer shown (and is dropped from the session).
RECEIPT_SHOWN_FOR_SECONDS = 10 * 60

#: Fields whose values never go into an error report (Django's 500 e-mails and logs).
PRIVATE_FIELDS = (
    "passphrase",
    "passphrase_confirm",
    "name",
    "phone",
    "email",
    "line_id",
    "address",
    "idempotency_key",
)


def _keep_receipt(session: SessionBase, case: Case, code: str) -> None:
    session[RECEIPT_SESSION_KEY] = {
        "case": case.pk,
        "code": code,
        "at": int(time.time()),
        "passphrase": bool(case.passphrase_hash),
    }


def _take_receipt(session: SessionBase) -> dict[str, Any] | None:
    """The waiting receipt, removed from the session; ``None`` if there is none or it is
    older than a few minutes."""
    entry = session.pop(RECEIPT_SESSION_KEY, None)
    if not isinstance(entry, dict):
        return None
    code = entry.get("code")
    at = entry.get("at")
    case_id = entry.get("case")
    if not isinstance(code, str) or not receipts.is_well_formed(code) or not isinstance(at, int):
        return None
    if time.time() - at > RECEIPT_SHOWN_FOR_SECONDS or not isinstance(case_id, int):
        return None
    # Shown at most once per case, whichever session asks first.
    if not Case.objects.filter(pk=case_id, receipt_shown_at__isnull=True).update(
        receipt_shown_at=timezone.now()
    ):
        return None
    return entry


def _discard_stale_receipt(session: SessionBase) -> None:
    entry = session.get(RECEIPT_SESSION_KEY)
    if isinstance(entry, dict):
        at = entry.get("at")
        if not isinstance(at, int) or time.time() - at > RECEIPT_SHOWN_FOR_SECONDS:
            session.pop(RECEIPT_SESSION_KEY, None)


def _submitter(request: HttpRequest, channel: str) -> User | None:
    # A network member reporting from a monitoring visit is the channel of the report and is
    # named in the audit log. Anyone else is not, even if logged in: an anonymous report
    # must not be tied to an account.
    user = request.user
    if channel == "visit" and isinstance(user, User) and user.is_authenticated:
        return user
    return None


def _render_form(request: HttpRequest, form: IntakeForm, status: int = 200) -> HttpResponse:
    province = configured_province_code()
    return render(
        request,
        "cases/intake/form.html",
        {
            "form": form,
            "province_code": province,
            "province_name": province_name(),
            "has_map": has_child_boundaries(province),
        },
        status=status,
    )


@sensitive_post_parameters(*PRIVATE_FIELDS)
@require_http_methods(["GET", "POST"])
@never_cache
@evidence_uploads
def report(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        _discard_stale_receipt(request.session)
        initial = {
            **IntakeForm.prefill(request.GET),
            "idempotency_key": new_idempotency_key(),
        }
        return _render_form(request, IntakeForm(initial=initial))

    form = IntakeForm(request.POST, request.FILES)
    if not form.is_valid():
        if request.FILES and "evidence" not in form.errors:
            # A browser cannot put files back into a form: say so, or they would be lost
            # without the citizen noticing.
            form.add_error(
                "evidence",
                _(
                    "Your files were fine, but they are not kept while you correct the form: "
                    "choose them again before sending."
                ),
            )
        return _render_form(request, form)
    report_input = form.report_input()
    try:
        submission = submit_report_with_evidence(
            report=report_input,
            files=form.cleaned_data["evidence"],
            by=_submitter(request, report_input.channel),
        )
    except ReceiptCollision:
        # Practically never: another report derived the same code. A new key gives a new code.
        data = request.POST.copy()
        data["idempotency_key"] = new_idempotency_key()
        form = IntakeForm(data, request.FILES)
        form.is_valid()
        form.add_error(None, _("Something went wrong on our side. Please send the form again."))
        return _render_form(request, form)
    # A repeat whose code was already shown (the form resent from the browser's history, maybe
    # by the next person at a shared computer) is answered without the code.
    if submission.created or submission.case.receipt_shown_at is None:
        _keep_receipt(request.session, submission.case, submission.receipt_code)
    else:
        request.session.pop(RECEIPT_SESSION_KEY, None)
    return redirect("cases:report-done")


@require_GET
@never_cache
def report_done(request: HttpRequest) -> HttpResponse:
    entry = _take_receipt(request.session)
    context: dict[str, Any] = {"shown": entry is not None}
    if entry is not None:
        code = entry["code"]
        context["groups"] = receipts.display(code).split(" ")
        context["has_passphrase"] = bool(entry.get("passphrase"))
    return render(request, "cases/intake/done.html", context)


urlpatterns: list[URLPattern] = [
    path("report/", report, name="report"),
    path("report/done/", report_done, name="report-done"),
]
