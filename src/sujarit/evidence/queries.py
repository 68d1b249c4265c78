"""Reads of evidence files, and the one place that decides who may see them.

Evidence may identify the complainant whatever metadata is removed (a face in a photo, a
voice in a recording, a letter addressed to them), so it is shown to fewer people than the
case itself:

- coordinators see and download every file (they screen the report);
- an agency officer, the files of cases referred to their agency (the agency acts on them);
- auditors and administrators do not: they read cases without identities, and evidence can
  carry one;
- the complainant sees how many files they sent and when, never a download: anyone who
  learns a receipt code would otherwise take away the complainant's own photos.

A case the user may not open at all is a 404 (as in ``sujarit.cases.queries``); a file of a
case they may open but whose evidence they may not see is a 403.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from sujarit.accounts.models import Role
from sujarit.accounts.queries import AnyUser, role_of
from sujarit.cases.models import Case
from sujarit.cases.queries import can_handle, cases_visible_to, referral_of
from sujarit.evidence.models import EvidenceFile, Source


def can_see_evidence(user: AnyUser, case: Case) -> bool:
    role = role_of(user)
    if role == Role.COORDINATOR:
        return True
    if role == Role.AGENCY_OFFICER:
        return referral_of(user, case) is not None
    return False


def can_add_evidence(user: AnyUser, case: Case) -> bool:
    """Coordinators attach files to a case (the citizen's own way is the follow-up page)."""
    return can_handle(user, case)


def evidence_of(user: AnyUser, case: Case) -> QuerySet[EvidenceFile]:
    """The files of ``case`` that ``user`` may see and download, oldest first."""
    if not can_see_evidence(user, case):
        return EvidenceFile.objects.none()
    return (
        EvidenceFile.objects.filter(case=case, purged_at__isnull=True)
        .select_related("added_by")
        .order_by("created_at", "id")
    )


def get_evidence_for(user: AnyUser, file_id: str | uuid.UUID) -> EvidenceFile:
    """The file for download: ``Http404`` if there is no such file or its case is not one
    ``user`` may open (or it was purged); ``PermissionDenied`` if they may open the case but
    not see its evidence."""
    try:
        key = file_id if isinstance(file_id, uuid.UUID) else uuid.UUID(str(file_id))
    except ValueError:
        raise Http404("No such file.") from None
    row = (
        EvidenceFile.objects.select_related("case")
        .filter(uuid=key, purged_at__isnull=True, case__in=cases_visible_to(user))
        .first()
    )
    if row is None:
        raise Http404("No such file.")
    if not can_see_evidence(user, row.case):
        raise PermissionDenied("Evidence is not shown to this role.")
    return row


@dataclass(frozen=True)
class SentFile:
    """What the complainant reads about a file they sent: its kind and when."""

    family: str
    kind: str
    at: datetime
    purged: bool


def sent_by_complainant(case: Case) -> list[SentFile]:
    """The files the complainant sent (at intake and since), for the follow-up page and API.
    Files added by staff are not listed: the complainant did not send them."""
    rows = EvidenceFile.objects.filter(case=case, source=Source.CITIZEN).order_by(
        "created_at", "id"
    )
    return [
        SentFile(family=row.family, kind=row.kind, at=row.created_at, purged=row.is_purged)
        for row in rows
    ]
