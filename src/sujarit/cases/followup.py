"""What a complainant may read about their own case, and nothing more.

The follow-up page and the follow-up API both show ``complainant_view(case)``: plain values
(text, dates, labels) copied out of the case, its public events and its messages. No model
object reaches a template or a JSON answer, so neither can follow a relation to a staff
member, an internal note, the complainant's stored contact details or another case. Centre
messages are signed "Coordination centre", never with the staff member's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sujarit.cases.models import Case, CaseEvent, CaseStatus, Complainant, Message, ReportKind

S = CaseStatus
K = CaseEvent.Kind

#: What each status means for the complainant and what happens next, in plain words.
STATUS_SENTENCES: dict[str, Promise] = {
    S.RECEIVED: _(
        "Your report has arrived. The coordination centre will read it within a few days."
    ),
    S.SCREENING: _(
        "The coordination centre is checking your report and working out which agency has "
        "the power to act on it."
    ),
    S.REJECTED: _(
        "The coordination centre cannot take your report further. If you think this is "
        "wrong, or you have more facts, send a message below."
    ),
    S.REFERRED: _(
        "Your report was sent to the agency that has the power to act on it. The agency "
        "should confirm that it has it within about two weeks."
    ),
    S.NETWORK: _(
        "The community network of your area is looking into it with the people concerned."
    ),
    S.ACKNOWLEDGED: _(
        "The agency has confirmed that it received your report and will look into it."
    ),
    S.IN_PROGRESS: _("The agency is working on your report."),
    S.RESOLVED: _(
        "The agency says the problem has been dealt with. Read the outcome below; if it is not "
        "actually fixed, you can say so."
    ),
    S.CLOSED: _("The case is closed. The outcome is below."),
    S.MERGED: _(
        "Your report was joined to another case about the same matter, and the coordination "
        "centre handles them together. Your report and your messages stay here, and you can "
        "still send messages."
    ),
}

#: Moves back to screening read differently depending on where the case came from.
REOPENED_SENTENCES: dict[str, Promise] = {
    S.RESOLVED: _(
        "You said the problem is not actually fixed: the coordination centre is looking at "
        "your case again."
    ),
    S.REFERRED: _(
        "The agency could not take the case. The coordination centre is looking for the "
        "agency that can."
    ),
    S.REJECTED: _("The coordination centre has opened your report again."),
}

#: Events that are not status changes.
EVENT_SENTENCES: dict[str, Promise] = {
    K.INFORMATION: _("You added information to your report."),
    K.PROGRESS: _("The agency reported progress."),
    K.IDENTITY: _(
        "About your identity: an agency asked to know who you are. This is never one "
        "person's decision, and you are told here what was decided."
    ),
    K.DISPUTE: _("You said the problem is not actually fixed."),
    K.ROUTING: _("The coordination centre worked out which agency should act."),
    K.PUBLICATION: _("A summary of the case, without anything that identifies you, was published."),
    K.ERASURE: _(
        "Your contact details were erased. The coordination centre can no longer contact you."
    ),
}

#: Event kinds a complainant never sees, even if a row were marked public by mistake.
NEVER_SHOWN = frozenset({"note"})


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    status: str
    text: str
    note: str


@dataclass(frozen=True)
class MessageEntry:
    at: datetime
    from_centre: bool
    sender: str
    body: str
    adds_information: bool


@dataclass(frozen=True)
class ComplainantView:
    kind: str
    kind_label: str
    subdistrict_code: str
    subdistrict_name: str
    district_name: str
    received_at: datetime
    status: str
    status_label: str
    status_text: str
    timeline: tuple[TimelineEntry, ...]
    messages: tuple[MessageEntry, ...]
    outcome: str
    dispute_until: datetime | None
    can_dispute: bool
    has_passphrase: bool
    #: Whether contact details are kept that the complainant may ask to erase.
    has_contact_details: bool


def dispute_deadline(case: Case) -> datetime | None:
    """Until when a resolved case's outcome may be disputed; ``None`` if it is not resolved."""
    if case.status != CaseStatus.RESOLVED or case.resolved_at is None:
        return None
    return case.resolved_at + timedelta(days=int(settings.SUJARIT_DISPUTE_DAYS))


def can_dispute(case: Case, now: datetime | None = None) -> bool:
    deadline = dispute_deadline(case)
    return deadline is not None and (now or timezone.now()) <= deadline


def _event_text(event: CaseEvent) -> str:
    if event.kind == K.STATUS:
        if event.to_status == S.SCREENING and event.from_status in REOPENED_SENTENCES:
            return str(REOPENED_SENTENCES[event.from_status])
        return str(STATUS_SENTENCES.get(event.to_status, ""))
    return str(EVENT_SENTENCES.get(event.kind, ""))


def public_timeline(case: Case) -> tuple[TimelineEntry, ...]:
    events = (
        CaseEvent.objects.filter(case=case, public=True)
        .exclude(kind__in=NEVER_SHOWN)
        .only("at", "kind", "from_status", "to_status", "public_note")
        .order_by("at", "id")
    )
    entries = []
    for event in events:
        text = _event_text(event)
        if not text and not event.public_note:
            continue
        entries.append(
            TimelineEntry(
                at=event.at,
                kind=event.kind,
                status=event.to_status,
                text=text,
                note=event.public_note,
            )
        )
    return tuple(entries)


def message_thread(case: Case) -> tuple[MessageEntry, ...]:
    messages = (
        Message.objects.filter(case=case)
        .only("at", "sender", "body", "is_information")
        .order_by("at", "id")
    )
    centre = str(_("Coordination centre"))
    you = str(_("You"))
    return tuple(
        MessageEntry(
            at=message.at,
            from_centre=message.sender == Message.Sender.CENTRE,
            sender=centre if message.sender == Message.Sender.CENTRE else you,
            body=message.body,
            adds_information=message.is_information,
        )
        for message in messages
    )


def complainant_view(case: Case, now: datetime | None = None) -> ComplainantView:
    """Everything the follow-up page shows, as plain values (two queries beyond the case)."""
    subdistrict = case.subdistrict
    outcome = case.outcome if case.status in (S.RESOLVED, S.CLOSED) else ""
    return ComplainantView(
        kind=case.kind,
        kind_label=str(ReportKind(case.kind).label),
        subdistrict_code=subdistrict.code,
        subdistrict_name=subdistrict.name,
        district_name=subdistrict.district.full_name,
        received_at=case.created_at,
        status=case.status,
        status_label=str(CaseStatus(case.status).label),
        status_text=str(STATUS_SENTENCES.get(case.status, "")),
        timeline=public_timeline(case),
        messages=message_thread(case),
        outcome=outcome,
        dispute_until=dispute_deadline(case),
        can_dispute=can_dispute(case, now),
        has_passphrase=bool(case.passphrase_hash),
        has_contact_details=has_contact_details(case),
    )


def _kept_contact() -> Exists:
    return Exists(Complainant.objects.filter(case=OuterRef("pk"), erased_at__isnull=True))


def has_contact_details(case: Case) -> bool:
    """Whether contact details of the complainant are kept (they are never read here): from
    the annotation ``case_for_complainant`` adds, else one query."""
    annotated = getattr(case, "has_kept_contact", None)
    if isinstance(annotated, bool):
        return annotated
    return Complainant.objects.filter(case=case, erased_at__isnull=True).exists()


def case_for_complainant(case_id: object, receipt_hash: object) -> Case | None:
    """The case a follow-up session was opened for, or ``None``.

    The session holds the case's id *and* the keyed hash of its receipt code, and both must
    match the same row: an id alone, however it got into a session, opens nothing.
    """
    if not isinstance(case_id, int) or not isinstance(receipt_hash, str) or not receipt_hash:
        return None
    return (
        Case.objects.select_related("subdistrict", "subdistrict__district")
        .defer("subdistrict__boundary", "subdistrict__district__boundary")
        .filter(pk=case_id, receipt_hash=receipt_hash)
        .annotate(has_kept_contact=_kept_contact())
        .first()
    )
