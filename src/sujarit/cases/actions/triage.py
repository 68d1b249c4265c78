"""Triage by the coordination centre: screening, assignment, rejection, referral to agencies,
hand-over to a network, resolution and closing, the conversation with the complainant,
internal notes and re-routing.

Every function is keyword-only and atomic; it checks ``queries.can_handle`` (raising
``PermissionDenied``), locks the case row, changes the status only through
``workflow.move`` (which raises ``TransitionRefused`` for a move the workflow does not allow),
and records one audit event with the status before and after. Missing input (a reason, an
outcome) raises ``ValidationError`` with a message for the user; nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sujarit.accounts.models import User
from sujarit.agencies.models import Agency
from sujarit.agencies.queries import agencies_serving_province
from sujarit.audit.actions import record
from sujarit.cases.admissibility import checklist_for
from sujarit.cases.models import (
    FINAL_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    Identity,
    Message,
    Referral,
    RoutingProposal,
)
from sujarit.cases.queries import can_handle
from sujarit.cases.routing import route_case
from sujarit.cases.workflow import due_after, move

S = CaseStatus


def _lock(case: Case, by: User) -> None:
    """Refuse anyone who may not handle the case, then lock its row and reload it, so that
    two coordinators acting at once act one after the other on the current state."""
    if not can_handle(by, case):
        raise PermissionDenied(_("Only a coordinator may do this."))
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
    case.refresh_from_db()


def _required(value: str, message: str, code: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationError(message, code=code)
    return text


@transaction.atomic
def begin_screening(*, case: Case, by: User, now: datetime | None = None) -> Case:
    """Received → screening. The coordinator who starts screening handles the case unless
    somebody already does."""
    _lock(case, by)
    before = case.status
    if before != S.RECEIVED:
        # Rejected or resolved cases go back to screening by reopen_case, with a reason.
        raise ValidationError(_("Screening has already started."), code="status")
    move(case, S.SCREENING, by=by, now=now)
    if case.assigned_to_id is None:
        case.assigned_to = by
        case.save(update_fields=["assigned_to", "updated_at"])
    record(
        actor=by,
        action="case.screening_started",
        target=case,
        data={"from": before, "to": case.status, "assigned_to": case.assigned_to_id},
    )
    return case


@transaction.atomic
def assign_case(*, case: Case, to: User, by: User) -> Case:
    """Make ``to`` (a coordinator) the case's handling coordinator."""
    _lock(case, by)
    if not can_handle(to, case):
        raise ValidationError(_("A case can only be assigned to a coordinator."), code="assignee")
    before = case.assigned_to_id
    case.assigned_to = to
    case.save(update_fields=["assigned_to", "updated_at"])
    record(
        actor=by,
        action="case.assigned",
        target=case,
        data={"status": case.status, "assigned_to": [before, to.pk]},
    )
    return case


@transaction.atomic
def reject_case(
    *, case: Case, reason: str, public_note: str, by: User, now: datetime | None = None
) -> Case:
    """Screening → rejected. ``reason`` is for staff; ``public_note`` tells the complainant,
    in plain words, why the centre will not act (both are required)."""
    _lock(case, by)
    reason = _required(reason, _("A rejection needs a reason."), "reason")
    public_note = _required(
        public_note,
        _("Tell the complainant in plain words why the report is rejected."),
        "public_note",
    )
    before = case.status
    move(case, S.REJECTED, by=by, reason=reason, public_note=public_note, now=now)
    data: dict[str, object] = {"from": before, "to": case.status}
    if case.is_published:
        # A case reopened after publication and then rejected leaves the public pages: a
        # rejected report is never shown as an accusation.
        case.is_published = False
        case.save(update_fields=["is_published", "updated_at"])
        data["is_published"] = [True, False]
    record(actor=by, action="case.rejected", target=case, data=data)
    return case


def proposed_agency_ids(case: Case) -> set[int]:
    """The agencies the routing engine proposed for ``case`` (proposals that name one)."""
    return set(
        RoutingProposal.objects.filter(case=case, agency__isnull=False).values_list(
            "agency_id", flat=True
        )
    )


def deviates_from_routing(case: Case, agency_ids: Collection[int]) -> bool:
    """Whether referring ``case`` to ``agency_ids`` overrides the routing engine: an agency
    it did not propose is chosen, or one it proposed is left out (agencies the case is
    already referred to count as chosen)."""
    proposed = proposed_agency_ids(case)
    chosen = set(agency_ids)
    already = set(Referral.objects.filter(case=case).values_list("agency_id", flat=True))
    return bool(chosen - proposed) or bool(proposed - chosen - already)


def admissibility_snapshot(
    case: Case, agency: Agency, ticked: Collection[str] = ()
) -> dict[str, bool]:
    """``{item code: met}`` for ``agency``'s checklist as it stands: the automatic tests as
    computed now, the manual items as the coordinator ticked them (unticked means not met)."""
    return {
        item.code: bool(item.met) if item.met is not None else item.code in ticked
        for item in checklist_for(case, agency)
    }


@transaction.atomic
def refer_case(
    *,
    case: Case,
    agencies: Sequence[Agency],
    by: User,
    note: str = "",
    override_reason: str = "",
    admissibility: Mapping[int, Collection[str]] | None = None,
    now: datetime | None = None,
) -> list[Referral]:
    """Refer the case to one or more agencies: one ``Referral`` each, with its
    acknowledgement deadline, whether routing proposed it, and the admissibility checklist as
    the coordinator saw it (``admissibility``: the manual items ticked, by agency id).

    Choosing an agency routing did not propose, or leaving out one it did, is an override
    and needs ``override_reason``. The agency may read the complainant's identity only when
    the complainant consented (never for an anonymous report).
    """
    _lock(case, by)
    now = now or timezone.now()
    if not agencies:
        raise ValidationError(_("Choose at least one agency."), code="agencies")
    chosen = {agency.pk: agency for agency in agencies}
    serving = set(
        agencies_serving_province(case.subdistrict.province_id)
        .filter(pk__in=chosen)
        .values_list("pk", flat=True)
    )
    for pk, agency in chosen.items():
        if pk not in serving:
            raise ValidationError(
                _("%(agency)s does not serve this province.") % {"agency": agency.name},
                code="agencies",
            )
    already = set(
        Referral.objects.filter(case=case, agency_id__in=chosen).values_list("agency_id", flat=True)
    )
    if already:
        names = ", ".join(chosen[pk].name for pk in sorted(already))
        raise ValidationError(
            _("The case is already referred to %(agencies)s.") % {"agencies": names},
            code="agencies",
        )
    override = deviates_from_routing(case, chosen)
    if override and not override_reason.strip():
        raise ValidationError(
            _("Say why you refer the case to other agencies than routing proposed."),
            code="override_reason",
        )
    before = case.status
    move(case, S.REFERRED, by=by, note=note, now=now)
    proposed = proposed_agency_ids(case)
    released = case.consent_to_disclose and case.identity != Identity.ANONYMOUS
    due = due_after(S.REFERRED, now)
    ticked = admissibility or {}
    referrals = [
        Referral.objects.create(
            case=case,
            agency=agency,
            referred_by=by,
            referred_at=now,
            was_proposed=agency.pk in proposed,
            override_reason=override_reason.strip() if override else "",
            note=note.strip(),
            admissibility=admissibility_snapshot(case, agency, ticked.get(agency.pk, ())),
            due_at=due,
            identity_released=released,
        )
        for agency in agencies
    ]
    record(
        actor=by,
        action="case.referred",
        target=case,
        data={
            "from": before,
            "to": case.status,
            "referrals": [referral.pk for referral in referrals],
            "agencies": [agency.pk for agency in agencies],
            "proposed": sorted(proposed),
            "override": override,
            "identity_released": released,
        },
    )
    return referrals


@transaction.atomic
def hand_to_network(
    *, case: Case, note: str, by: User, public_note: str = "", now: datetime | None = None
) -> Case:
    """Screening → handled by the network. ``note`` says which network and what it will do."""
    _lock(case, by)
    note = _required(note, _("Say which network handles the case."), "note")
    before = case.status
    move(case, S.NETWORK, by=by, note=note, public_note=public_note, now=now)
    record(
        actor=by, action="case.to_network", target=case, data={"from": before, "to": case.status}
    )
    return case


@transaction.atomic
def record_progress(
    *, case: Case, note: str, by: User, public_note: str = "", now: datetime | None = None
) -> Case:
    """Handled by the network → in progress: the network has started work (the centre
    records what the network reports; networks have no access to cases)."""
    _lock(case, by)
    note = _required(note, _("Say what the network has started."), "note")
    before = case.status
    if before != S.NETWORK:
        # Acknowledged → in progress is the agency's own answer, not the centre's.
        raise ValidationError(
            _("Only a case handled by the network is marked in progress here."), code="status"
        )
    move(case, S.IN_PROGRESS, by=by, note=note, public_note=public_note, now=now)
    record(
        actor=by,
        action="case.in_progress",
        target=case,
        data={"from": before, "to": case.status},
    )
    return case


@transaction.atomic
def resolve_case(
    *, case: Case, outcome: str, by: User, public_note: str = "", now: datetime | None = None
) -> Case:
    """→ resolved, with the outcome the complainant will read: for a case the network handled,
    or an agency's answer that reached the centre on paper."""
    _lock(case, by)
    outcome = _required(outcome, _("Resolving a case needs its outcome."), "outcome")
    before = case.status
    move(case, S.RESOLVED, by=by, outcome=outcome, public_note=public_note, now=now)
    record(actor=by, action="case.resolved", target=case, data={"from": before, "to": case.status})
    return case


@transaction.atomic
def close_case(
    *, case: Case, outcome: str, by: User, public_note: str = "", now: datetime | None = None
) -> Case:
    """Screening or resolved → closed, with its outcome (required)."""
    _lock(case, by)
    outcome = _required(outcome, _("Closing a case needs its outcome."), "outcome")
    before = case.status
    move(case, S.CLOSED, by=by, outcome=outcome, public_note=public_note, now=now)
    record(actor=by, action="case.closed", target=case, data={"from": before, "to": case.status})
    return case


@transaction.atomic
def reopen_case(*, case: Case, note: str, by: User, now: datetime | None = None) -> Case:
    """Rejected or resolved → screening again, when the centre reconsiders (a complainant's
    dispute of an outcome is its own action on the follow-up page)."""
    _lock(case, by)
    note = _required(note, _("Say why the case is reopened."), "note")
    before = case.status
    if before not in (S.REJECTED, S.RESOLVED):
        raise ValidationError(_("Only a rejected or resolved case can be reopened."), code="status")
    move(case, S.SCREENING, by=by, note=note, now=now)
    record(actor=by, action="case.reopened", target=case, data={"from": before, "to": case.status})
    return case


@transaction.atomic
def reply_to_complainant(
    *, case: Case, body: str, by: User, now: datetime | None = None
) -> Message:
    """A message from the centre to the complainant (shown on the follow-up page, without the
    author's name). The complainant's messages so far count as read."""
    _lock(case, by)
    now = now or timezone.now()
    body = _required(body, _("Write the message."), "body")
    message = Message.objects.create(
        case=case, at=now, sender=Message.Sender.CENTRE, author=by, body=body
    )
    marked = Message.objects.filter(
        case=case, sender=Message.Sender.COMPLAINANT, read_by_centre_at__isnull=True
    ).update(read_by_centre_at=now)
    record(
        actor=by,
        action="case.replied",
        target=case,
        data={"status": case.status, "message": message.pk, "marked_read": marked},
    )
    return message


@transaction.atomic
def add_internal_note(*, case: Case, note: str, by: User, now: datetime | None = None) -> CaseEvent:
    """A note for the centre and auditors on the case's timeline; never shown to the
    complainant or to agencies."""
    _lock(case, by)
    note = _required(note, _("Write the note."), "note")
    event = CaseEvent.objects.create(
        case=case,
        at=now or timezone.now(),
        kind=CaseEvent.Kind.NOTE,
        actor=by,
        note=note,
        public=False,
    )
    record(
        actor=by,
        action="case.note_added",
        target=case,
        data={"status": case.status, "event": event.pk},
    )
    return event


@transaction.atomic
def reroute(
    *,
    case: Case,
    by: User,
    kind: str,
    rank: str,
    amount: Decimal | None,
    accused_agency: Agency | None,
    note: str = "",
    now: datetime | None = None,
) -> list[RoutingProposal]:
    """Correct the facts routing reads (kind, rank, amount, agency involved) and run the
    routing engine again. Fields given with their current value are left as they are."""
    _lock(case, by)
    if case.status in FINAL_STATUSES:
        raise ValidationError(_("A closed or rejected case is not routed again."), code="status")
    now = now or timezone.now()
    changed: dict[str, list[object]] = {}
    updates = {
        "kind": kind,
        "accused_rank": rank,
        "amount": amount,
        "accused_agency_id": accused_agency.pk if accused_agency is not None else None,
    }
    for field, value in updates.items():
        current = getattr(case, field)
        if current != value:
            changed[field] = [_plain(current), _plain(value)]
            setattr(case, field, value)
    if changed:
        case.save(update_fields=[*(name for name in updates if name in changed), "updated_at"])
    proposals = route_case(case=case, now=now)
    codes = [proposal.rule_code for proposal in proposals]
    CaseEvent.objects.create(
        case=case,
        at=now,
        kind=CaseEvent.Kind.ROUTING,
        actor=by,
        note=note.strip(),
        public=False,
    )
    record(
        actor=by,
        action="case.rerouted",
        target=case,
        data={
            "status": case.status,
            "changed": changed,
            "proposed": codes,
            "unrouted": case.unrouted,
        },
    )
    return proposals


def _plain(value: object) -> object:
    """A value as the audit log's JSON stores it."""
    return str(value) if isinstance(value, Decimal) else value
