"""The agency side of a case: the referral inbox of an agency's officers, the referral page
where they answer, and the custodians' page of identity requests.

Views parse, ask ``sujarit.cases.queries`` who may see what, and call one action. An officer
sees only the referrals to their own agency (another agency's referral answers 404, exactly
like one that does not exist), and the complainant's identity only when
``queries.can_see_identity`` says so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from sujarit.accounts.models import User
from sujarit.cases import queries, sla
from sujarit.cases.actions import agency as answers
from sujarit.cases.actions import identity
from sujarit.cases.models import Identity, IdentityRequest, Referral, ReferralStatus
from sujarit.cases.workflow import TransitionRefused

#: Referrals on one page of the inbox.
PAGE_SIZE = 25
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --- forms --------------------------------------------------------------------------------


class _AnswerForm(forms.Form):
    """The referral page holds several forms at once: each gets its own ids."""

    id_prefix = "answer"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *ReferralStatus.choices],
    )
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)
    after = forms.CharField(required=False, widget=forms.HiddenInput)


class ProgressForm(_AnswerForm):
    id_prefix = "progress"

    public_note = forms.CharField(
        label=gettext_lazy("Progress, for the complainant"),
        help_text=gettext_lazy(
            "Shown on the complainant's follow-up page, without your name. Write in plain "
            "words; leave out names of people."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the coordination centre (optional)"),
        help_text=gettext_lazy("Seen by the coordination centre only, never by the complainant."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class ResolveForm(_AnswerForm):
    id_prefix = "resolve"

    outcome = forms.CharField(
        label=gettext_lazy("Outcome"),
        help_text=gettext_lazy(
            "What the agency found and what it did. The complainant reads it on the follow-up "
            "page and may dispute it."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
    )


class DeclineForm(_AnswerForm):
    id_prefix = "decline"

    reason = forms.CharField(
        label=gettext_lazy("Why the agency declines"),
        help_text=gettext_lazy(
            "For the coordination centre, which refers the case elsewhere: e.g. not within the "
            "agency's powers, or what is missing."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class IdentityRequestForm(_AnswerForm):
    id_prefix = "identity"

    reason = forms.CharField(
        label=gettext_lazy("Why the agency needs to know who the complainant is"),
        help_text=gettext_lazy(
            "A custodian at the coordination centre decides, and the complainant is told."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("deny", gettext_lazy("Deny"))]
    )
    note = forms.CharField(
        label=gettext_lazy("Note on the decision (optional)"),
        help_text=gettext_lazy("Kept in the case's staff timeline."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


# --- helpers ------------------------------------------------------------------------------


def _account(request: HttpRequest) -> User:
    # Every view here is behind login_required; anything else is refused.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _cursor(referral: Referral) -> str:
    micros = (referral.referred_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}-{referral.pk}"


def _parse_cursor(value: str) -> tuple[datetime, int] | None:
    try:
        micros, pk = (int(part) for part in value.split("-", 1))
    except ValueError:
        return None
    return _EPOCH + timedelta(microseconds=micros), pk


def _optional_url(name: str, *args: Any) -> str:
    """The address of a page another part of the site may provide, or ``""``."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- the inbox ----------------------------------------------------------------------------


@require_safe
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    if not queries.can_use_inbox(user):
        raise PermissionDenied
    now = timezone.now()
    form = InboxFilterForm(request.GET)
    status = overdue = after = None
    if form.is_valid():
        status = form.cleaned_data["status"] or None
        overdue = form.cleaned_data["overdue"]
        after = _parse_cursor(form.cleaned_data["after"]) if form.cleaned_data["after"] else None
    referrals = queries.inbox_referrals(user)
    if status:
        referrals = referrals.filter(status=status)
    if overdue:
        referrals = referrals.filter(sla.late_referrals(now))
    if after is not None:
        at, pk = after
        referrals = referrals.filter(Q(referred_at__lt=at) | Q(referred_at=at, pk__lt=pk))
    page = list(referrals[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    rows = [(r, sla.referral_days_overdue(r, now=now)) for r in page]
    query = request.GET.copy()
    query.pop("after", None)
    next_query = ""
    if more:
        query["after"] = _cursor(page[-1])
        next_query = query.urlencode()
    first_query = request.GET.copy()
    first_query.pop("after", None)
    return render(
        request,
        "cases/agency/inbox.html",
        {
            "form": form,
            "rows": rows,
            "agency": user.agency,
            "next_query": next_query,
            "first_query": first_query.urlencode() if after is not None else None,
            "statuses": ReferralStatus.choices,
            "current_status": status or "",
        },
    )


# --- one referral -------------------------------------------------------------------------


def _referral_page(
    request: HttpRequest, referral: Referral, *, status: int = 200, **forms_given: forms.Form
) -> HttpResponse:
    user = _account(request)
    case = referral.case
    now = timezone.now()
    identity_requests = list(referral.identity_requests.order_by("-requested_at", "-id"))
    pending = next(
        (r for r in identity_requests if r.status == IdentityRequest.Status.PENDING), None
    )
    context = {
        "referral": referral,
        "case": case,
        "agency": referral.agency,
        "days_overdue": sla.referral_days_overdue(referral, now=now),
        "due": sla.referral_due(referral),
        "admissibility": queries.referral_admissibility(referral),
        # The letter page belongs to the coordination centre's pages; it is linked only when
        # the site has it and lets this user print it.
        "letter_url": (
            _optional_url("cases:referral-letter", case.pk, referral.pk)
            if queries.can_print_letter(user, referral)
            else ""
        ),
        "can_see_identity": queries.can_see_identity(user, case),
        "complainant": queries.complainant_for(user, case),
        "is_anonymous": case.identity == Identity.ANONYMOUS,
        "events": list(queries.agency_progress_events(referral)),
        "identity_requests": identity_requests,
        "pending_request": pending,
        "can_request_identity": pending is None and queries.can_request_identity(user, referral),
        "can_answer": queries.can_answer(user, referral),
        "progress_form": forms_given.get("progress_form") or ProgressForm(),
        "resolve_form": forms_given.get("resolve_form") or ResolveForm(),
        "decline_form": forms_given.get("decline_form") or DeclineForm(),
        "identity_form": forms_given.get("identity_form") or IdentityRequestForm(),
        "S": ReferralStatus,
    }
    return render(request, "cases/agency/referral.html", context, status=status)


@require_safe
@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request)
    if not queries.can_use_inbox(user):
        raise PermissionDenied
    return _referral_page(request, queries.get_inbox_referral(user, pk))


def _answer(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form] | None,
    form_key: str,
    act: Any,
    done: str,
) -> HttpResponse:
    """Shared flow of the answer buttons: find the referral (404 for another agency's), check
    the form, call the action; on a refusal, show the page again with what was typed."""
    user = _account(request)
    if not queries.can_use_inbox(user):
        raise PermissionDenied
    referral = queries.get_inbox_referral(user, pk)
    form = form_class(request.POST) if form_class is not None else None
    if form is not None and not form.is_valid():
        return _referral_page(request, referral, status=400, **{form_key: form})
    try:
        act(referral, user, form.cleaned_data if form is not None else {})
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        kept = {form_key: form} if form is not None else {}
        fresh = queries.get_inbox_referral(user, pk)
        return _referral_page(request, fresh, status=409, **kept)
    messages.success(request, done)
    return redirect("cases:referral", pk=referral.pk)


@require_POST
@login_required
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        None,
        "",
        lambda referral, user, data: answers.acknowledge_referral(referral=referral, by=user),
        _("Referral acknowledged. The coordination centre and the complainant can see it."),
    )


@require_POST
@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        ProgressForm,
        "progress_form",
        lambda referral, user, data: answers.add_progress_note(
            referral=referral, by=user, public_note=data["public_note"], note=data["note"]
        ),
        _("Progress note added."),
    )


@require_POST
@login_required
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        ResolveForm,
        "resolve_form",
        lambda referral, user, data: answers.resolve_referral(
            referral=referral, by=user, outcome=data["outcome"]
        ),
        _("Outcome recorded. The complainant can read it and may dispute it."),
    )


@require_POST
@login_required
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        DeclineForm,
        "decline_form",
        lambda referral, user, data: answers.decline_referral(
            referral=referral, by=user, reason=data["reason"]
        ),
        _("Referral declined. The coordination centre will look at the case again."),
    )


@require_POST
@login_required
def request_identity(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        IdentityRequestForm,
        "identity_form",
        lambda referral, user, data: identity.request_identity(
            referral=referral, by=user, reason=data["reason"]
        ),
        _("Request sent. A custodian at the coordination centre will decide."),
    )


# --- custodians: identity requests ---------------------------------------------------------


@require_safe
@login_required
def identity_requests(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    if not queries.is_custodian(user):
        raise PermissionDenied
    pending = [
        (item, _optional_url("cases:case", item.referral.case_id))
        for item in queries.identity_requests_to_decide(user)
    ]
    return render(
        request,
        "cases/agency/identity_requests.html",
        {"pending": pending, "form": DecisionForm()},
    )


@require_POST
@login_required
def decide_identity_request(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request)
    item = queries.get_identity_request_for(user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to deny the request."))
        return redirect("cases:identity-requests")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        identity.decide_identity_request(
            request=item, approve=approve, by=user, note=form.cleaned_data["note"]
        )
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return redirect("cases:identity-requests")
    messages.success(
        request,
        _("Request approved: the agency can now see the complainant's details.")
        if approve
        else _("Request denied: the complainant's details stay confidential."),
    )
    return redirect("cases:identity-requests")


urlpatterns: list[URLPattern] = [
    path("inbox/", inbox, name="inbox"),
    path("inbox/<int:pk>/", referral_detail, name="referral"),
    path("inbox/<int:pk>/acknowledge/", acknowledge, name="referral-acknowledge"),
    path("inbox/<int:pk>/progress/", progress, name="referral-progress"),
    path("inbox/<int:pk>/resolve/", resolve, name="referral-resolve"),
    path("inbox/<int:pk>/decline/", decline, name="referral-decline"),
    path("inbox/<int:pk>/identity-request/", request_identity, name="referral-identity-request"),
    path("identity-requests/", identity_requests, name="identity-requests"),
    path(
        "identity-requests/<int:pk>/decide/",
        decide_identity_request,
        name="identity-request-decide",
    ),
]
