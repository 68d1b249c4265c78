"""Duplicate reports: fingerprints at intake, links between cases, merges.

``store_fingerprint`` runs inside the intake transaction (a few milliseconds of word
segmentation). ``link_cases`` and ``merge_cases`` are coordinators' actions: keyword-only,
atomic, permission-checked through ``queries.can_manage_duplicates``, refusing impossible
requests with a ``ValidationError`` in the user's language, and recording one audit event.

A merge changes nothing of either case's content. The merged case keeps its report,
complainant, messages, events and files; it moves to the "merged" state (so it leaves the
work queues) and a ``CaseMerge`` row says where it went. The case it joined shows it, with
its messages, to the centre; the merged case's complainant is told on their follow-up page
that their report was joined to another case, and still sees only their own conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sujarit.accounts.models import User
from sujarit.audit.actions import record
from sujarit.cases.duplicates import fingerprint_of, reset_index
from sujarit.cases.models import (
    FINAL_STATUSES,
    Case,
    CaseEvent,
    CaseFingerprint,
    CaseLink,
    CaseMerge,
    CaseStatus,
)
from sujarit.cases.queries import can_manage_duplicates
from sujarit.cases.workflow import allowed_next, move
from sujarit.textsearch.similar import SHINGLE_VERSION


def store_fingerprint(*, case: Case, new: bool = False) -> CaseFingerprint:
    """Compute and store the fingerprint of ``case``'s description, replacing any earlier one
    (``new``: the case has just been created in this transaction, so there is none and one
    INSERT does, without the lookup and savepoints of a replacement)."""
    shingles = fingerprint_of(case.description)
    if new:
        return CaseFingerprint.objects.create(case=case, version=SHINGLE_VERSION, shingles=shingles)
    fingerprint, _created = CaseFingerprint.objects.update_or_create(
        case=case, defaults={"version": SHINGLE_VERSION, "shingles": shingles}
    )
    return fingerprint


def rebuild_fingerprints(
    *,
    everything: bool = False,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Compute the fingerprints that are missing or from an older ``SHINGLE_VERSION`` (all of
    them with ``everything``), in batches of one transaction each. Returns how many."""
    todo = (
        Case.objects.all()
        if everything
        else Case.objects.exclude(fingerprint__version=SHINGLE_VERSION)
    )
    ids = list(todo.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with transaction.atomic():
            rows = Case.objects.filter(pk__in=chunk).values_list("pk", "description")
            CaseFingerprint.objects.filter(case_id__in=chunk).delete()
            CaseFingerprint.objects.bulk_create(
                CaseFingerprint(case_id=pk, version=SHINGLE_VERSION, shingles=fingerprint_of(text))
                for pk, text in rows
            )
        done += len(chunk)
        if progress is not None:
            progress(done, len(ids))
    reset_index()
    return done


def _lock_both(by: User, cases: Iterable[Case]) -> None:
    ordered = sorted(cases, key=lambda c: c.pk)
    for case in ordered:
        if not can_manage_duplicates(by, case):
            raise PermissionDenied(_("Only a coordinator may do this."))
    # Lock in case-number order so that two coordinators acting on the same pair at once
    # cannot deadlock.
    for case in ordered:
        Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
        case.refresh_from_db()


@transaction.atomic
def link_cases(
    *,
    case: Case,
    other: Case,
    by: User,
    score: float | None = None,
    note: str = "",
    now: datetime | None = None,
) -> CaseLink:
    """Record that ``case`` and ``other`` are about the same matter."""
    if case.pk == other.pk:
        raise ValidationError(_("A case cannot be linked to itself."), code="self")
    _lock_both(by, (case, other))
    first, second = sorted((case, other), key=lambda c: c.pk)
    if CaseLink.objects.filter(first=first, second=second).exists():
        raise ValidationError(
            _("%(a)s and %(b)s are already linked.")
            % {"a": first.reference, "b": second.reference},
            code="linked",
        )
    link = CaseLink.objects.create(
        first=first,
        second=second,
        score=score,
        note=note.strip(),
        created_by=by,
        created_at=now or timezone.now(),
    )
    record(
        actor=by,
        action="case.linked",
        target=case,
        data={"case": case.pk, "other": other.pk, "score": score},
    )
    return link


def merge_refusal(case: Case, into: Case) -> str | None:
    """Why ``case`` may not be merged into ``into``, or ``None`` if it may. (Reads the current
    rows: call it with both locked.)"""
    if case.pk == into.pk:
        return _("A case cannot be merged into itself.")
    if case.status == CaseStatus.MERGED or CaseMerge.objects.filter(case=case).exists():
        return _("%(case)s is already merged into another case.") % {"case": case.reference}
    if into.status == CaseStatus.MERGED or CaseMerge.objects.filter(case=into).exists():
        return _("%(into)s is itself merged into another case: merge into that case instead.") % {
            "into": into.reference
        }
    if CaseMerge.objects.filter(into=case).exists():
        # Merging it away would leave the reports merged into it pointing at a merged case.
        return _(
            "Other reports are merged into %(case)s: merge %(into)s into %(case)s instead."
        ) % {"case": case.reference, "into": into.reference}
    if into.status in FINAL_STATUSES:
        return _("%(into)s is %(status)s: reopen it before merging reports into it.") % {
            "into": into.reference,
            "status": CaseStatus(into.status).label,
        }
    if CaseStatus.MERGED not in allowed_next(case.status):
        return _(
            "Only a report still being received or screened can be merged; %(case)s is %(status)s."
        ) % {"case": case.reference, "status": CaseStatus(case.status).label}
    return None


@transaction.atomic
def merge_cases(
    *,
    case: Case,
    into: Case,
    by: User,
    score: float | None = None,
    note: str = "",
    now: datetime | None = None,
) -> CaseMerge:
    """Merge ``case`` into ``into``: ``case`` is handled as part of ``into`` from now on."""
    if case.pk == into.pk:
        raise ValidationError(_("A case cannot be merged into itself."), code="self")
    _lock_both(by, (case, into))
    refusal = merge_refusal(case, into)
    if refusal is not None:
        raise ValidationError(refusal, code="merge")
    now = now or timezone.now()
    before = case.status
    merge = CaseMerge.objects.create(
        case=case, into=into, note=note.strip(), created_by=by, created_at=now
    )
    move(
        case,
        CaseStatus.MERGED,
        by=by,
        note=note.strip() or _("Merged into %(into)s.") % {"into": into.reference},
        public_note=_(
            "Your report is about the same matter as another report, so the coordination "
            "centre handles them together as one case. Your report, your messages and your "
            "files are kept as they are; you can still follow it and send messages here."
        ),
        now=now,
    )
    CaseEvent.objects.create(
        case=into,
        at=now,
        kind=CaseEvent.Kind.NOTE,
        actor=by,
        public=False,
        note=_("Report %(case)s was merged into this case.") % {"case": case.reference},
    )
    record(
        actor=by,
        action="case.merged",
        target=case,
        data={"into": into.pk, "from": before, "to": case.status, "score": score},
    )
    return merge
