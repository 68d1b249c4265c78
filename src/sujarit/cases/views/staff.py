"""The coordination centre's pages: the work queues, the case page with its actions, and the
referral letter.

Every page asks ``sujarit.cases.queries`` who may see what: a case the user may not open is a
404 (``get_case_for``), an action the user may not take a 403 (``can_handle``). Each action is
a POST to its own URL: form → one action → back to the case page, or the case page again with
the form's errors and what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency, AgencyKind
from sujarit.audit.queries import can_view_audit_trail
from sujarit.cases import queries, queues, routing
from sujarit.cases.actions import publication, triage
from sujarit.cases.admissibility import AdmissibilityResult, checklist_for
from sujarit.cases.forms_staff import (
    AssignForm,
    CloseForm,
    NetworkForm,
    NoteForm,
    ProgressForm,
    PublishForm,
    QueueFilterForm,
    ReferForm,
    RejectForm,
    ReopenForm,
    ReplyForm,
    RerouteForm,
    ResolveForm,
)
from sujarit.cases.models import (
    FINAL_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    Identity,
    Message,
    Referral,
    ReportKind,
    RoutingProposal,
)
from sujarit.cases.views.duplicates import panel_context as duplicates_panel
from sujarit.cases.workflow import TransitionRefused, allowed_next, service_days
from sujarit.geo.models import Province
from sujarit.textsearch.queries import search_cases
from sujarit.textsearch.snippets import snippet

S = CaseStatus


def _account(request: HttpRequest) -> User:
    # Every view here is behind login_required.
    user = request.user
    assert isinstance(user, User)
    return user


# --- the work queues ------------------------------------------------------------------------


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    if not queries.can_view_queues(user):
        raise PermissionDenied
    now = timezone.now()
    form = QueueFilterForm(request.GET or None, province=settings.SUJARIT_PROVINCE)
    tab = queues.TABS_BY_SLUG[form.tab_slug()]
    filters = form.filters()
    after = form.cleaned_data.get("after", "") if form.is_bound and form.is_valid() else ""
    before = form.cleaned_data.get("before", "") if form.is_bound and form.is_valid() else ""
    params = form.filter_params()
    search_text = form.search_text()
    if search_text:
        # The search runs within the tab and its filters, and through the case permission
        # check (sujarit.textsearch.queries): results come best match first, paged by number.
        number = (form.cleaned_data.get("page") or 1) if form.is_valid() else 1
        found = search_cases(
            user, search_text, scope=queues.queue_cases(tab, filters, now=now), page=number
        )
        queues.mark_rows(found.rows, now=now)
        texts = dict(
            Case.objects.filter(pk__in=[row.pk for row in found.rows]).values_list(
                "pk", "description"
            )
        )
        for row in found.rows:
            row.snippet = snippet(texts.get(row.pk, ""), found.terms)  # type: ignore[attr-defined]
        page = queues.Page(rows=found.rows, next_cursor=None, previous_cursor=None)
        context_pages = {
            "next_query": (
                queues.page_query(params, tab=tab.slug, page=found.page + 1)
                if found.has_next
                else ""
            ),
            "previous_query": (
                queues.page_query(params, tab=tab.slug, page=found.page - 1)
                if found.page > 1
                else ""
            ),
        }
    else:
        page = queues.page_of(
            queues.queue_cases(tab, filters, now=now),
            tab,
            after=after,
            before=before,
            size=queues.PAGE_SIZE,
        )
        queues.mark_rows(page.rows, now=now)
        context_pages = {
            "next_query": (
                queues.page_query(params, tab=tab.slug, after=page.next_cursor)
                if page.next_cursor
                else ""
            ),
            "previous_query": (
                queues.page_query(params, tab=tab.slug, before=page.previous_cursor)
                if page.previous_cursor
                else ""
            ),
        }
    sizes = queues.tab_sizes(now=now)
    tabs = [
        {
            "slug": each.slug,
            "label": each.label,
            "size": sizes.get(each.slug),
            "current": each.slug == tab.slug,
            "query": queues.page_query(params, tab=each.slug),
        }
        for each in queues.TABS
    ]
    context = {
        "form": form,
        "tab": tab,
        "tabs": tabs,
        "count_cap": queues.COUNT_CAP,
        "page": page,
        "now": now,
        "filtered": bool({k: v for k, v in params.items() if k != "q"}),
        "search_text": search_text,
        "filter_hidden": {k: v for k, v in params.items() if k != "q"},
        **context_pages,
        "first_query": queues.page_query(params, tab=tab.slug),
        "clear_search_query": queues.page_query(params, tab=tab.slug, q=""),
        "clear_filters_query": queues.page_query(
            {"q": search_text} if search_text else {}, tab=tab.slug
        ),
    }
    return render(request, "cases/staff/queue.html", context)


# --- the case page --------------------------------------------------------------------------


@dataclass
class Checklist:
    """An agency's admissibility checklist on the case page."""

    agency: Agency
    results: list[AdmissibilityResult]
    #: For a referral already made: the checklist as it was recorded then, ``{code: met}``.
    recorded: dict[str, bool] | None = None
    proposed: bool = False
    #: Values of the refer form's checkboxes for the manual items, ``agency_pk:code``.
    ticked: set[str] = field(default_factory=set)


def _explanation(proposal: RoutingProposal) -> list[str]:
    return routing.explain_lines(proposal)


def _checklists(
    case: Case, proposals: list[RoutingProposal], referrals: list[Referral]
) -> list[Checklist]:
    """Checklists of the proposed agencies not yet referred to, then of the referrals made."""
    referred = {referral.agency_id: referral for referral in referrals}
    lists: list[Checklist] = []
    seen: set[int] = set()
    for proposal in proposals:
        agency = proposal.agency
        if agency is None or agency.pk in seen or agency.pk in referred:
            continue
        seen.add(agency.pk)
        lists.append(Checklist(agency=agency, results=checklist_for(case, agency), proposed=True))
    for referral in referrals:
        lists.append(
            Checklist(
                agency=referral.agency,
                results=checklist_for(case, referral.agency),
                recorded={str(k): bool(v) for k, v in (referral.admissibility or {}).items()},
                proposed=referral.was_proposed,
            )
        )
    return lists


def _recorded_items(checklist: Checklist) -> list[dict[str, Any]]:
    """The checklist recorded on a referral, with today's wording of each item."""
    texts = {result.code: result.text for result in checklist.results}
    return [
        {"code": code, "text": texts.get(code, code), "met": met}
        for code, met in (checklist.recorded or {}).items()
    ]


def _manual_items(checklists: list[Checklist]) -> list[tuple[int, str, str]]:
    return [
        (checklist.agency.pk, result.code, result.text)
        for checklist in checklists
        if checklist.recorded is None
        for result in checklist.results
        if result.met is None
    ]


@dataclass(frozen=True)
class ActionForm:
    """One action on the case page: its URL name, heading, button, and bound or blank form."""

    slug: str
    heading: str | Promise
    button: str | Promise
    form: forms.Form | None
    #: Actions that change the status get a fieldset of their own; others sit lower down.
    moves: bool = True


def _forms_for(
    user: User,
    case: Case,
    *,
    proposals: list[RoutingProposal],
    checklists: list[Checklist],
    bound: dict[str, forms.Form],
) -> list[ActionForm]:
    """The actions ``user`` may take on ``case`` now: only moves the workflow allows from the
    current status, and none at all for those who may not handle the case."""
    if not queries.can_handle(user, case):
        return []
    nxt = allowed_next(case.status)
    actions: list[ActionForm] = []

    def add(slug: str, heading: Promise, button: Promise, form: forms.Form | None) -> None:
        actions.append(ActionForm(slug, heading, button, bound.get(slug, form)))

    if case.status == S.RECEIVED and S.SCREENING in nxt:
        add("screen", gettext_lazy("Start screening"), gettext_lazy("Start screening"), None)
    if S.REFERRED in nxt:
        proposed = [p.agency_id for p in proposals if p.agency_id is not None]
        refer = ReferForm(case=case, proposed=proposed, manual_items=_manual_items(checklists))
        add("refer", gettext_lazy("Refer to agencies"), gettext_lazy("Refer"), refer)
    if S.NETWORK in nxt:
        add(
            "network",
            gettext_lazy("Hand to a network"),
            gettext_lazy("Hand to the network"),
            NetworkForm(),
        )
    if case.status == S.NETWORK and S.IN_PROGRESS in nxt:
        add(
            "progress",
            gettext_lazy("The network has started"),
            gettext_lazy("Mark in progress"),
            ProgressForm(),
        )
    if S.RESOLVED in nxt:
        add(
            "resolve",
            gettext_lazy("Record the outcome"),
            gettext_lazy("Mark resolved"),
            ResolveForm(),
        )
    if S.REJECTED in nxt:
        add("reject", gettext_lazy("Reject the report"), gettext_lazy("Reject"), RejectForm())
    if S.CLOSED in nxt:
        add("close", gettext_lazy("Close the case"), gettext_lazy("Close"), CloseForm())
    if case.status in (S.REJECTED, S.RESOLVED) and S.SCREENING in nxt:
        add("reopen", gettext_lazy("Reopen the case"), gettext_lazy("Reopen"), ReopenForm())
    others: list[ActionForm] = [
        ActionForm(
            "reply",
            gettext_lazy("Reply to the complainant"),
            gettext_lazy("Send"),
            bound.get("reply", ReplyForm()),
            moves=False,
        ),
        ActionForm(
            "note",
            gettext_lazy("Add an internal note"),
            gettext_lazy("Add note"),
            bound.get("note", NoteForm()),
            moves=False,
        ),
        ActionForm(
            "assign",
            gettext_lazy("Handling coordinator"),
            gettext_lazy("Assign"),
            bound.get("assign", AssignForm(initial={"coordinator": case.assigned_to_id})),
            moves=False,
        ),
    ]
    if case.status not in FINAL_STATUSES:
        others.append(
            ActionForm(
                "reroute",
                gettext_lazy("Correct the facts and route again"),
                gettext_lazy("Route again"),
                bound.get("reroute", RerouteForm(case=case)),
                moves=False,
            )
        )
    if publication.can_publish(case):
        initial = {
            "title": case.public_title,
            "summary": case.public_summary,
            "outcome": case.public_outcome,
        }
        others.append(
            ActionForm(
                "publish",
                gettext_lazy("Public page"),
                gettext_lazy("Publish") if not case.is_published else gettext_lazy("Update"),
                bound.get("publish", PublishForm(initial=initial)),
                moves=False,
            )
        )
    return actions + others


def _case_context(
    request: HttpRequest, case: Case, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    user = _account(request)
    internal = queries.can_view_internal_notes(user, case)
    proposals = list(
        RoutingProposal.objects.filter(case=case).select_related("agency", "rule").order_by("id")
    )
    referrals = list(queries.referrals_visible_to(user, case))
    checklists = _checklists(case, proposals, referrals) if internal else []
    events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")
    if not internal:
        events = events.filter(public=True)
    case_messages = (
        list(Message.objects.filter(case=case).select_related("author").order_by("at", "id"))
        if queries.can_read_messages(user, case)
        else None
    )
    complainant = queries.complainant_for(user, case)
    actions = _forms_for(user, case, proposals=proposals, checklists=checklists, bound=bound or {})
    refer_form = next((action.form for action in actions if action.slug == "refer"), None)
    ticked = refer_form.ticked_values() if isinstance(refer_form, ReferForm) else set()
    refer_checklists = [
        {
            "agency": checklist.agency,
            "items": [
                {
                    "result": result,
                    "value": f"{checklist.agency.pk}:{result.code}",
                    "checked": f"{checklist.agency.pk}:{result.code}" in ticked,
                }
                for result in checklist.results
            ],
        }
        for checklist in checklists
        if checklist.recorded is None
    ]
    # A refused action whose form the page no longer offers (the status moved on, or it is a
    # plain button) says why at the top of the page.
    shown = {action.slug for action in actions if action.form is not None}
    refusals = [
        str(error)
        for slug, form in (bound or {}).items()
        if slug not in shown
        for error in form.non_field_errors()
    ]
    recorded_checklists = [
        {
            "agency": checklist.agency,
            "items": _recorded_items(checklist),
        }
        for checklist in checklists
        if checklist.recorded is not None
    ]
    return {
        "case": case,
        "now": timezone.now(),
        "can_view_queues": queries.can_view_queues(user),
        "can_view_audit_trail": can_view_audit_trail(user),
        "refer_checklists": refer_checklists,
        "refusals": refusals,
        "recorded_checklists": recorded_checklists,
        "can_handle": queries.can_handle(user, case),
        "internal": internal,
        "complainant": complainant,
        # Told apart from a hidden identity: the details were erased (retention or request).
        "identity_erased": complainant is None and queries.can_see_identity(user, case),
        "anonymous": case.identity == Identity.ANONYMOUS,
        "proposals": [(proposal, _explanation(proposal)) for proposal in proposals],
        "checklists": checklists,
        "referrals": [
            (referral, queries.can_print_letter(user, referral)) for referral in referrals
        ],
        "events": list(events),
        "case_messages": case_messages,
        "unread": sum(
            1
            for message in case_messages or []
            if message.sender == Message.Sender.COMPLAINANT and message.read_by_centre_at is None
        ),
        "actions": actions,
        "is_open": case.status not in FINAL_STATUSES,
        "overdue": case.due_at is not None and case.due_at < timezone.now(),
        "publishable": publication.can_publish(case),
        **duplicates_panel(user, case),
    }


@require_GET
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case_for(request.user, pk)
    return render(request, "cases/staff/case.html", _case_context(request, case))


# --- actions --------------------------------------------------------------------------------

FormFactory = Callable[[HttpRequest, Case], forms.Form]
Perform = Callable[[Case, Any, User], object]


@dataclass(frozen=True)
class Action:
    """One action on a case: how to read its form from the request (``None`` for a plain
    button), what to do with it, and what to say when it is done."""

    make_form: FormFactory | None
    perform: Perform
    done: str | Promise


def _refer_form(request: HttpRequest, case: Case) -> forms.Form:
    proposals = list(RoutingProposal.objects.filter(case=case).select_related("agency"))
    referrals = list(Referral.objects.filter(case=case).select_related("agency"))
    checklists = _checklists(case, proposals, referrals)
    return ReferForm(
        request.POST,
        case=case,
        proposed=[p.agency_id for p in proposals if p.agency_id is not None],
        manual_items=_manual_items(checklists),
    )


def _refer(case: Case, form: ReferForm, user: User) -> object:
    data = form.cleaned_data
    return triage.refer_case(
        case=case,
        agencies=list(data["agencies"]),
        by=user,
        note=data["note"],
        override_reason=data["override_reason"],
        admissibility=form.ticked(),
    )


def _reroute(case: Case, form: RerouteForm, user: User) -> object:
    data = form.cleaned_data
    return triage.reroute(
        case=case,
        by=user,
        kind=data["kind"],
        rank=data["rank"],
        amount=data["amount"],
        accused_agency=data["accused_agency"],
        note=data["note"],
    )


def _publish(case: Case, form: PublishForm, user: User) -> object:
    data = form.cleaned_data
    return publication.publish_case(
        case=case, title=data["title"], summary=data["summary"], outcome=data["outcome"], by=user
    )


ACTIONS: dict[str, Action] = {
    "screen": Action(
        None,
        lambda case, form, user: triage.begin_screening(case=case, by=user),
        gettext_lazy("Screening started."),
    ),
    "assign": Action(
        lambda request, case: AssignForm(request.POST),
        lambda case, form, user: triage.assign_case(
            case=case, to=form.cleaned_data["coordinator"], by=user
        ),
        gettext_lazy("Coordinator assigned."),
    ),
    "reject": Action(
        lambda request, case: RejectForm(request.POST),
        lambda case, form, user: triage.reject_case(
            case=case,
            reason=form.cleaned_data["reason"],
            public_note=form.cleaned_data["public_note"],
            by=user,
        ),
        gettext_lazy("The report is rejected."),
    ),
    "refer": Action(_refer_form, _refer, gettext_lazy("The case is referred.")),
    "network": Action(
        lambda request, case: NetworkForm(request.POST),
        lambda case, form, user: triage.hand_to_network(
            case=case,
            note=form.cleaned_data["note"],
            public_note=form.cleaned_data["public_note"],
            by=user,
        ),
        gettext_lazy("The case is handed to the network."),
    ),
    "progress": Action(
        lambda request, case: ProgressForm(request.POST),
        lambda case, form, user: triage.record_progress(
            case=case,
            note=form.cleaned_data["note"],
            public_note=form.cleaned_data["public_note"],
            by=user,
        ),
        gettext_lazy("The case is in progress."),
    ),
    "resolve": Action(
        lambda request, case: ResolveForm(request.POST),
        lambda case, form, user: triage.resolve_case(
            case=case, outcome=form.cleaned_data["outcome"], by=user
        ),
        gettext_lazy("The case is resolved."),
    ),
    "close": Action(
        lambda request, case: CloseForm(request.POST),
        lambda case, form, user: triage.close_case(
            case=case, outcome=form.cleaned_data["outcome"], by=user
        ),
        gettext_lazy("The case is closed."),
    ),
    "reopen": Action(
        lambda request, case: ReopenForm(request.POST),
        lambda case, form, user: triage.reopen_case(
            case=case, note=form.cleaned_data["note"], by=user
        ),
        gettext_lazy("The case is reopened."),
    ),
    "reply": Action(
        lambda request, case: ReplyForm(request.POST),
        lambda case, form, user: triage.reply_to_complainant(
            case=case, body=form.cleaned_data["body"], by=user
        ),
        gettext_lazy("Message sent."),
    ),
    "note": Action(
        lambda request, case: NoteForm(request.POST),
        lambda case, form, user: triage.add_internal_note(
            case=case, note=form.cleaned_data["note"], by=user
        ),
        gettext_lazy("Note added."),
    ),
    "reroute": Action(
        lambda request, case: RerouteForm(request.POST, case=case),
        _reroute,
        gettext_lazy("Routing ran again."),
    ),
    "publish": Action(
        lambda request, case: PublishForm(request.POST),
        _publish,
        gettext_lazy("The case is published."),
    ),
    "unpublish": Action(
        None,
        lambda case, form, user: publication.unpublish_case(case=case, by=user),
        gettext_lazy("The case is no longer published."),
    ),
}


@require_POST
@login_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one action on a case. Access first (404 for a case the user may not open, 403 for
    an action they may not take), then the form; on a refusal, the case page again with the
    form as it was typed and the reason."""
    user = _account(request)
    case = queries.get_case_for(user, pk)
    if not queries.can_handle(user, case):
        raise PermissionDenied
    spec = ACTIONS[action]
    form = spec.make_form(request, case) if spec.make_form is not None else forms.Form(request.POST)
    if form.is_valid():
        try:
            spec.perform(case, form, user)
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        except TransitionRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, str(spec.done))
            return redirect("cases:case", pk=case.pk)
    case.refresh_from_db()
    context = _case_context(request, case, bound={action: form})
    context["failed"] = action
    return render(request, "cases/staff/case.html", context, status=400)


# --- the referral letter --------------------------------------------------------------------

#: Kinds of tip (แจ้งเบาะแส); a grievance is a complaint (ร้องเรียน).
TIP_KINDS = frozenset(
    {
        ReportKind.CORRUPTION,
        ReportKind.STATE_FUNDS,
        ReportKind.ELECTION_FRAUD,
        ReportKind.PROCUREMENT,
    }
)


def addressee(agency: Agency) -> str:
    """Whom a Thai official letter to ``agency`` is addressed to: the head of the body, by
    position (เรียน ผู้อำนวยการ…, เรียน นายก…), in the active language."""
    kind = agency.kind
    heads: dict[str, str] = {
        AgencyKind.NACC: _("Secretary-General of the National Anti-Corruption Commission"),
        AgencyKind.PACC: _("Secretary-General of the Public Sector Anti-Corruption Commission"),
        AgencyKind.AUDIT_OFFICE: _("Auditor-General"),
        AgencyKind.ELECTION_COMMISSION: _("Secretary-General of the Election Commission"),
        AgencyKind.OMBUDSMAN: _("Secretary-General of the Office of the Ombudsman"),
        AgencyKind.BMA: _("Governor of Bangkok"),
    }
    if kind in heads:
        return heads[kind]
    if kind in (AgencyKind.PROVINCIAL_OFFICE, AgencyKind.DAMRONGTHAM) and agency.province:
        return _("Governor of %(province)s") % {"province": agency.province.name}
    if kind == AgencyKind.MUNICIPALITY:
        # นายกเทศมนตรีเมือง… for เทศบาลเมือง…: the mayor is named after the municipality.
        name = agency.name
        if name.startswith("เทศบาล"):
            name = name.removeprefix("เทศบาล")
        return _("Mayor of %(municipality)s") % {"municipality": name}
    if kind in (AgencyKind.SAO, AgencyKind.PAO):
        return _("Chief Executive of %(agency)s") % {"agency": agency.name}
    if kind == AgencyKind.OTHER:
        return _("Head of %(agency)s") % {"agency": agency.name}
    return _("Director of %(agency)s") % {"agency": agency.name}


@require_GET
@login_required
def referral_letter(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """The coordination centre's letter referring the case to one agency, in Thai, to print."""
    user = _account(request)
    case = queries.get_case_for(user, pk)
    referral = (
        queries.referrals_visible_to(user, case)
        .select_related("agency__province")
        .filter(pk=referral_pk)
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    if not queries.can_print_letter(user, referral):
        raise PermissionDenied
    # The complainant's identity goes to the agency only when it was released to it.
    complainant = queries.complainant_for(user, case) if referral.identity_released else None
    province = Province.objects.defer("boundary").filter(code=case.subdistrict.province_id).first()
    with translation.override("th"):
        checklist = {result.code: result for result in checklist_for(case, referral.agency)}
        met = [
            checklist[code].text if code in checklist else code
            for code, value in (referral.admissibility or {}).items()
            if value
        ]
        context = {
            "case": case,
            "referral": referral,
            "agency": referral.agency,
            "addressee": addressee(referral.agency),
            "number": f"{case.reference}/{referral.pk}",
            "complainant": complainant,
            "released": referral.identity_released and complainant is not None,
            "anonymous": case.identity == Identity.ANONYMOUS,
            "tip": case.kind in TIP_KINDS,
            "met": met,
            "province": province,
            "district": case.subdistrict.district,
            "acknowledge_days": service_days(S.REFERRED),
        }
        return render(request, "cases/staff/letter.html", context)


urlpatterns: list[URLPattern] = [
    path("cases/", queue, name="queue"),
    path("cases/<int:pk>/", case_detail, name="case"),
    *(
        path(f"cases/<int:pk>/{slug}/", case_action, {"action": slug}, name=f"case-{slug}")
        for slug in ACTIONS
    ),
    path(
        "cases/<int:pk>/referrals/<int:referral_pk>/letter/",
        referral_letter,
        name="referral-letter",
    ),
]
