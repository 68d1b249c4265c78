"""Publishing a case for public accountability: what the public reads is only what a
coordinator wrote and approved for it (a redacted title, summary and outcome), never the
report's own words, identities or evidence."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sujarit.accounts.models import User
from sujarit.audit.actions import record
from sujarit.cases.models import Case, CaseEvent, CaseStatus
from sujarit.cases.queries import can_handle

#: A case may be published once the centre has decided what to do with it. Rejected reports
#: are never published: a report found unfounded must not be shown as an accusation.
PUBLISHABLE_STATUSES = frozenset(
    {
        CaseStatus.REFERRED,
        CaseStatus.NETWORK,
        CaseStatus.ACKNOWLEDGED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.RESOLVED,
        CaseStatus.CLOSED,
    }
)


def can_publish(case: Case) -> bool:
    return case.status in PUBLISHABLE_STATUSES


def _ensure_coordinator(case: Case, by: User) -> None:
    if not can_handle(by, case):
        raise PermissionDenied(_("Only a coordinator may do this."))
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
    case.refresh_from_db()


def _copied(text: str, description: str) -> bool:
    """Whether a public text repeats the report's own words (a long stretch of them)."""
    words = " ".join(text.split())
    source = " ".join(description.split())
    return bool(words) and (words == source or (len(words) >= 40 and words in source))


@transaction.atomic
def publish_case(
    *,
    case: Case,
    title: str,
    summary: str,
    outcome: str,
    by: User,
    now: datetime | None = None,
) -> Case:
    """Publish ``case`` (or change what its public page says) with the title, summary and
    outcome the coordinator approved. Title and summary are required; the outcome may wait
    until there is one."""
    _ensure_coordinator(case, by)
    if not can_publish(case):
        raise ValidationError(
            _("Only a case past screening (and not rejected) can be published."),
            code="status",
        )
    title, summary, outcome = title.strip(), summary.strip(), outcome.strip()
    if not title:
        raise ValidationError(_("Write a public title."), code="title")
    if not summary:
        raise ValidationError(_("Write a public summary."), code="summary")
    if any(_copied(text, case.description) for text in (title, summary, outcome)):
        raise ValidationError(
            _(
                "Write the public text yourself: it must not repeat the report's own words, "
                "which may identify the complainant."
            ),
            code="copied",
        )
    now = now or timezone.now()
    was_published = case.is_published
    case.is_published = True
    case.public_title = title
    case.public_summary = summary
    case.public_outcome = outcome
    if case.published_at is None:
        case.published_at = now
    case.save(
        update_fields=[
            "is_published",
            "public_title",
            "public_summary",
            "public_outcome",
            "published_at",
            "updated_at",
        ]
    )
    CaseEvent.objects.create(
        case=case,
        at=now,
        kind=CaseEvent.Kind.PUBLICATION,
        actor=by,
        note=_("Published on the public pages."),
        public=False,
    )
    record(
        actor=by,
        action="case.published",
        target=case,
        data={"status": case.status, "is_published": [was_published, True]},
    )
    return case


@transaction.atomic
def unpublish_case(*, case: Case, by: User, now: datetime | None = None) -> Case:
    """Take a case off the public pages. Its approved texts are kept for a later
    re-publication, which the coordinator approves again."""
    _ensure_coordinator(case, by)
    if not case.is_published:
        raise ValidationError(_("The case is not published."), code="status")
    case.is_published = False
    case.save(update_fields=["is_published", "updated_at"])
    CaseEvent.objects.create(
        case=case,
        at=now or timezone.now(),
        kind=CaseEvent.Kind.PUBLICATION,
        actor=by,
        note=_("Taken off the public pages."),
        public=False,
    )
    record(
        actor=by,
        action="case.unpublished",
        target=case,
        data={"status": case.status, "is_published": [True, False]},
    )
    return case
