"""Following a report without an account, at /follow/.

A right receipt code (and passphrase, if one was set) opens the case for this browser: the
session key is rotated and the session holds the case's id with the keyed hash of its code,
which must both match the same case on every request. The opening lapses after 30 minutes
without use, and the "leave" button ends it. Nothing here takes a case id from the request:
the only case these pages can reach is the one in the session.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sujarit.accounts.forms import client_address
from sujarit.cases.actions.followup import (
    DisputeRefused,
    ReceiptOutcome,
    Verification,
    add_information,
    dispute_outcome,
    post_complainant_message,
    receipt_lockout,
    receipt_max_failures,
    verify_receipt,
)
from sujarit.cases.actions.retention import NothingToErase, erase_contact_details
from sujarit.cases.followup import case_for_complainant, complainant_view, has_contact_details
from sujarit.cases.forms_intake import DisputeForm, InformationForm, MessageForm, ReceiptForm
from sujarit.cases.models import Case
from sujarit.evidence.queries import sent_by_complainant

#: Session entry of the case this browser opened with a receipt code.
FOLLOW_SESSION_KEY = "sujarit_followup"
#: An opened case closes after this long without a request.
FOLLOW_IDLE_SECONDS = 30 * 60


def _minutes_left(until: Any) -> int:
    seconds = (until.timestamp() - time.time()) if until is not None else 0
    return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))


def refusal_message(result: Verification) -> tuple[str | None, str]:
    """The field a refused code is reported against, and what to tell the citizen.

    Shared with the API so that both say the same thing in the same words.
    """
    outcome = result.outcome
    if outcome == ReceiptOutcome.MISTYPED:
        return "code", _(
            "This code looks mistyped: a receipt code has 16 digits and the last one checks "
            "the others. Compare it digit by digit with the one you kept."
        )
    if outcome == ReceiptOutcome.NOT_FOUND:
        return "code", _(
            "No report has this code. Check that you typed the code you received, then try "
            "again. After %(max)d wrong tries, following reports from your network is paused "
            "for %(minutes)d minutes."
        ) % {
            "max": receipt_max_failures(),
            "minutes": int(receipt_lockout().total_seconds() // 60),
        }
    if outcome == ReceiptOutcome.PASSPHRASE_REQUIRED:
        return "passphrase", _("This report is protected by a passphrase: type it as well.")
    if outcome == ReceiptOutcome.WRONG_PASSPHRASE:
        return "passphrase", _("The passphrase is not right. Type it exactly as you set it.")
    if outcome == ReceiptOutcome.REGISTERING:
        return None, _(
            "Your report has been received and is being registered. Its page opens in a "
            "minute or two: try again then."
        )
    minutes = _minutes_left(result.locked_until)
    return None, ngettext(
        "Too many wrong tries from your network. Following reports is paused for %(minutes)d "
        "minute; try again later.",
        "Too many wrong tries from your network. Following reports is paused for %(minutes)d "
        "minutes; try again later.",
        minutes,
    ) % {"minutes": minutes}


def _open_case(request: HttpRequest, case: Case) -> None:
    # A new session key on opening a case, so that a key seen before (a shared computer, a
    # fixed session) cannot be used to read it.
    request.session.cycle_key()
    request.session[FOLLOW_SESSION_KEY] = {
        "case": case.pk,
        "receipt": case.receipt_hash,
        "seen": int(time.time()),
    }


def _session_case(request: HttpRequest) -> tuple[Case | None, bool]:
    """The case this browser opened, and whether an opening has just lapsed."""
    entry = request.session.get(FOLLOW_SESSION_KEY)
    if not isinstance(entry, dict):
        return None, False
    seen = entry.get("seen")
    if not isinstance(seen, int) or time.time() - seen > FOLLOW_IDLE_SECONDS:
        request.session.pop(FOLLOW_SESSION_KEY, None)
        return None, True
    case = case_for_complainant(entry.get("case"), entry.get("receipt"))
    if case is None:
        request.session.pop(FOLLOW_SESSION_KEY, None)
        return None, False
    entry["seen"] = int(time.time())
    request.session[FOLLOW_SESSION_KEY] = entry
    return case, False


def _back_to_start(request: HttpRequest, lapsed: bool) -> HttpResponse:
    if lapsed:
        messages.info(
            request,
            _(
                "For your safety, your report closes after 30 minutes without use. Type your "
                "receipt code again to continue."
            ),
        )
    return redirect("cases:follow")


@sensitive_post_parameters("code", "passphrase")
@require_http_methods(["GET", "POST"])
@never_cache
def follow(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        result = verify_receipt(
            code_text=form.cleaned_data["code"],
            passphrase=form.cleaned_data["passphrase"],
            client_address=client_address(request),
        )
        if result.ok and result.case is not None:
            _open_case(request, result.case)
            return redirect("cases:follow-case")
        field, message = refusal_message(result)
        form.add_error(field, message)
    case, _lapsed = _session_case(request)
    return render(
        request, "cases/followup/start.html", {"form": form, "has_open_case": case is not None}
    )


def _render_case(
    request: HttpRequest, case: Case, forms: dict[str, Any] | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "view": complainant_view(case),
        "message_form": MessageForm(prefix="message"),
        "information_form": InformationForm(prefix="information"),
        "dispute_form": DisputeForm(prefix="dispute"),
        "evidence_sent": sent_by_complainant(case),
    }
    context.update(forms or {})
    return render(request, "cases/followup/case.html", context)


@require_GET
@never_cache
def follow_case(request: HttpRequest) -> HttpResponse:
    case, lapsed = _session_case(request)
    if case is None:
        return _back_to_start(request, lapsed)
    return _render_case(request, case)


@require_POST
@never_cache
def follow_message(request: HttpRequest) -> HttpResponse:
    case, lapsed = _session_case(request)
    if case is None:
        return _back_to_start(request, lapsed)
    form = MessageForm(request.POST, prefix="message")
    if not form.is_valid():
        return _render_case(request, case, {"message_form": form})
    post_complainant_message(case=case, body=form.cleaned_data["body"])
    messages.success(request, _("Your message was sent to the coordination centre."))
    return redirect("cases:follow-case")


@require_POST
@never_cache
def follow_information(request: HttpRequest) -> HttpResponse:
    case, lapsed = _session_case(request)
    if case is None:
        return _back_to_start(request, lapsed)
    form = InformationForm(request.POST, prefix="information")
    if not form.is_valid():
        return _render_case(request, case, {"information_form": form})
    add_information(case=case, body=form.cleaned_data["body"])
    messages.success(request, _("Thank you: the information was added to your report."))
    return redirect("cases:follow-case")


@require_POST
@never_cache
def follow_dispute(request: HttpRequest) -> HttpResponse:
    case, lapsed = _session_case(request)
    if case is None:
        return _back_to_start(request, lapsed)
    form = DisputeForm(request.POST, prefix="dispute")
    if not form.is_valid():
        return _render_case(request, case, {"dispute_form": form})
    try:
        dispute_outcome(case=case, text=form.cleaned_data["text"])
    except DisputeRefused:
        messages.error(
            request,
            _("This outcome can no longer be disputed. You can still send a message below."),
        )
        return redirect("cases:follow-case")
    messages.success(
        request,
        _("Thank you. Your case is open again and the coordination centre will look at it."),
    )
    return redirect("cases:follow-case")


@require_http_methods(["GET", "POST"])
@never_cache
def follow_erase(request: HttpRequest) -> HttpResponse:
    """The complainant asks for their contact details to be erased now: a page that says what
    follows, then a confirming POST. Done at once; the timeline shows it."""
    case, lapsed = _session_case(request)
    if case is None:
        return _back_to_start(request, lapsed)
    if request.method == "POST" and request.POST.get("confirm") == "erase":
        try:
            erase_contact_details(case=case)
        except NothingToErase:
            messages.info(request, _("No contact details of yours are kept for this report."))
        else:
            messages.success(
                request,
                _(
                    "Your contact details were erased. Your report stays with the "
                    "coordination centre, and you can still follow it with your receipt code."
                ),
            )
        return redirect("cases:follow-case")
    if not has_contact_details(case):
        messages.info(request, _("No contact details of yours are kept for this report."))
        return redirect("cases:follow-case")
    return render(request, "cases/followup/erase.html", {})


@require_POST
@never_cache
def follow_leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(FOLLOW_SESSION_KEY, None)
    request.session.cycle_key()
    messages.info(
        request,
        _("You have left your report. Nobody using this browser can open it now without the code."),
    )
    return redirect("cases:follow")


urlpatterns: list[URLPattern] = [
    path("follow/", follow, name="follow"),
    path("follow/case/", follow_case, name="follow-case"),
    path("follow/case/message/", follow_message, name="follow-message"),
    path("follow/case/information/", follow_information, name="follow-information"),
    path("follow/case/dispute/", follow_dispute, name="follow-dispute"),
    path("follow/case/erase/", follow_erase, name="follow-erase"),
    path("follow/leave/", follow_leave, name="follow-leave"),
]
