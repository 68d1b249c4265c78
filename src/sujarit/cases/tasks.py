"""Background work of the cases app: reminders of overdue cases and referrals, and the daily
purge of personal data past its retention period (``purge_expired_personal_data``, scheduled by
``sujarit purge-personal-data --schedule`` and re-enqueued by each run like the reminders).

``send_overdue_reminders`` is a task of Django's tasks API (the django-tasks backport, with
the database backend): ``sujarit db_worker`` runs it, on any machine that reaches the database.
Each run re-enqueues the next one an hour later, so once it has been scheduled
(``sujarit sla-reminders --schedule``) it keeps running for as long as a worker does.

A reminder is sent at most once per case per state (``workflow.move`` clears
``Case.reminded_at`` when the case changes state) and at most once per referral. Reminders
name cases by their staff reference and never carry the complainant's identity or the report's
text: e-mail leaves the site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from django_tasks import TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from sujarit.accounts.models import Role, User
from sujarit.audit.actions import record
from sujarit.cases.actions.followup import forget_stale_throttles
from sujarit.cases.actions.inbox import register_pending
from sujarit.cases.actions.retention import PurgeReason, purge_personal_data
from sujarit.cases.models import Case, Referral
from sujarit.cases.retention import cases_due_for_purge
from sujarit.cases.sla import cases_to_remind, days_overdue, referrals_to_remind

#: How long the recurring task waits between runs.
REMINDER_INTERVAL = timedelta(hours=1)
#: The languages of a reminder, in order: Thai first, English below.
REMINDER_LANGUAGES = ("th", "en")


@dataclass(frozen=True)
class CaseReminder:
    case: Case
    days_overdue: int
    url: str


@dataclass(frozen=True)
class ReferralReminder:
    referral: Referral
    days_overdue: int
    url: str


@dataclass
class Digest:
    """What one person is reminded of in one e-mail."""

    cases: list[CaseReminder] = field(default_factory=list)
    referrals: list[ReferralReminder] = field(default_factory=list)


@dataclass(frozen=True)
class ReminderRun:
    cases: int
    referrals: int
    emails: int


def _site_url(path: str) -> str:
    """An address to put in an e-mail: absolute when the deployment names its site
    (``SUJARIT_SITE_URL``), else the path alone."""
    base = str(getattr(settings, "SUJARIT_SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def _case_url(case: Case) -> str:
    # The coordinator's case page belongs to the staff pages; without it, the reference alone
    # still finds the case in the work queues.
    try:
        return _site_url(reverse("cases:case", args=[case.pk]))
    except NoReverseMatch:
        return ""


def _coordinators() -> list[User]:
    return list(
        User.objects.filter(role=Role.COORDINATOR, is_active=True).exclude(email="").order_by("pk")
    )


def _officers_by_agency(agency_ids: Iterable[int]) -> dict[int, list[User]]:
    officers: dict[int, list[User]] = defaultdict(list)
    for officer in (
        User.objects.filter(role=Role.AGENCY_OFFICER, is_active=True, agency_id__in=agency_ids)
        .exclude(email="")
        .order_by("pk")
    ):
        if officer.agency_id is not None:
            officers[officer.agency_id].append(officer)
    return officers


def _claim(model: type[Case] | type[Referral], pk: int, now: datetime) -> bool:
    """Mark one row reminded unless another worker got there first (a conditional update is
    the same guard on SQLite and PostgreSQL)."""
    return model.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now) == 1


def _render(digest: Digest, user: User) -> tuple[str, str]:
    subjects, bodies = [], []
    for language in REMINDER_LANGUAGES:
        with translation.override(language):
            context = {"digest": digest, "user": user, "language": language}
            subjects.append(
                render_to_string("cases/email/overdue_reminder_subject.txt", context).strip()
            )
            bodies.append(render_to_string("cases/email/overdue_reminder.txt", context).strip())
    return " / ".join(subjects), "\n\n----------\n\n".join(bodies) + "\n"


@transaction.atomic
def remind_overdue(*, now: datetime | None = None) -> ReminderRun:
    """E-mail the reminders due at ``now`` and mark them sent, in one transaction: if the mail
    server refuses, nothing is marked and the next run tries again.

    Overdue cases go to their handling coordinator, or to every coordinator when nobody has
    taken the case; unacknowledged referrals past due go to their agency's officers (a referral
    whose agency has no officer with an e-mail address waits until it has one; the case itself
    is overdue too and its coordinator is reminded of it).
    """
    now = now or timezone.now()
    digests: dict[int, Digest] = defaultdict(Digest)
    users: dict[int, User] = {}
    coordinators: list[User] | None = None
    reminded_cases = 0
    for case in cases_to_remind(now).select_related("assigned_to"):
        handler = case.assigned_to
        if handler is not None and handler.is_active and handler.email:
            recipients = [handler]
        else:
            coordinators = coordinators if coordinators is not None else _coordinators()
            recipients = coordinators
        if not recipients or not _claim(Case, case.pk, now):
            continue
        reminded_cases += 1
        reminder = CaseReminder(
            case=case, days_overdue=days_overdue(case.due_at, now=now), url=_case_url(case)
        )
        for user in recipients:
            users[user.pk] = user
            digests[user.pk].cases.append(reminder)
        record(
            actor=None,
            action="case.reminder_sent",
            target=case,
            data={"status": case.status, "recipients": len(recipients)},
        )

    referrals = list(referrals_to_remind(now).select_related("case", "agency"))
    officers = _officers_by_agency({r.agency_id for r in referrals})
    reminded_referrals = 0
    for referral in referrals:
        recipients = officers.get(referral.agency_id, [])
        if not recipients or not _claim(Referral, referral.pk, now):
            continue
        reminded_referrals += 1
        url = _site_url(reverse("cases:referral", args=[referral.pk]))
        referral_reminder = ReferralReminder(
            referral=referral, days_overdue=days_overdue(referral.due_at, now=now), url=url
        )
        for user in recipients:
            users[user.pk] = user
            digests[user.pk].referrals.append(referral_reminder)
        record(
            actor=None,
            action="referral.reminder_sent",
            target=referral,
            data={
                "case": referral.case_id,
                "agency": referral.agency_id,
                "status": referral.status,
                "recipients": len(recipients),
            },
        )

    messages = []
    for pk, digest in digests.items():
        user = users[pk]
        subject, body = _render(digest, user)
        messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    if messages:
        # One connection for the whole run; an error propagates and rolls the marks back.
        get_connection(fail_silently=False).send_messages(messages)
    return ReminderRun(cases=reminded_cases, referrals=reminded_referrals, emails=len(messages))


def schedule_once(
    recurring: Task[[], dict[str, int]], delay: timedelta, now: datetime | None
) -> DBTaskResult[[], dict[str, int]] | None:
    """Enqueue ``recurring`` to run after ``delay``, unless a run of it is already waiting (so
    that restarts, several workers or a repeated ``--schedule`` never pile up copies). Returns
    the new queue row, or ``None`` when one was already waiting."""
    waiting = DBTaskResult.objects.filter(
        task_path=recurring.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return None
    run = recurring
    if delay:
        run = run.using(run_after=(now or timezone.now()) + delay)
    result = run.enqueue()
    return DBTaskResult.objects.get(pk=result.id)


def schedule_reminders(
    *, delay: timedelta = timedelta(0), now: datetime | None = None
) -> DBTaskResult[[], dict[str, int]] | None:
    """Enqueue ``send_overdue_reminders`` after ``delay`` unless a run is already waiting."""
    return schedule_once(send_overdue_reminders, delay, now)


@task()
def send_overdue_reminders() -> dict[str, int]:
    """Send the reminders that are due, then schedule the next run an hour later (also when
    this run failed: a mail server that is down must not end the reminders for good)."""
    try:
        run = remind_overdue()
    finally:
        schedule_reminders(delay=REMINDER_INTERVAL)
    return {"cases": run.cases, "referrals": run.referrals, "emails": run.emails}


# --- retention of personal data ----------------------------------------------------------------

#: How long the recurring purge waits between runs.
PURGE_INTERVAL = timedelta(days=1)


@dataclass(frozen=True)
class PurgeRun:
    #: The cases purged (or, in a dry run, due).
    cases: list[int]
    #: Wrong-receipt-code counts deleted because they no longer matter.
    throttles: int = 0


def purge_expired(*, now: datetime | None = None, dry_run: bool = False) -> PurgeRun:
    """Purge the personal data of every case past its retention period, each case in its own
    transaction (one failing case leaves the others purged and is tried again next run)."""
    now = now or timezone.now()
    due = list(cases_due_for_purge(now))
    throttles = 0
    if not dry_run:
        for case in due:
            purge_personal_data(case=case, reason=PurgeReason.RETENTION, now=now)
        throttles = forget_stale_throttles(now=now)
    return PurgeRun(cases=[case.pk for case in due], throttles=throttles)


def schedule_purge(
    *, delay: timedelta = timedelta(0), now: datetime | None = None
) -> DBTaskResult[[], dict[str, int]] | None:
    """Enqueue ``purge_expired_personal_data`` after ``delay`` unless a run is already
    waiting."""
    return schedule_once(purge_expired_personal_data, delay, now)


@task()
def purge_expired_personal_data() -> dict[str, int]:
    """Apply the retention policy, then schedule the next run a day later (also after a
    failure, so that one bad case never stops the purges)."""
    try:
        run = purge_expired()
    finally:
        schedule_purge(delay=PURGE_INTERVAL)
    return {"cases": len(run.cases), "throttles": run.throttles}


# --- the intake inbox's safety net ----------------------------------------------------------------

#: How often the task worker looks for acknowledged reports that no registrar has taken.
INBOX_CHECK_INTERVAL = timedelta(minutes=1)
#: A report waiting longer than this is registered by the task worker itself.
INBOX_STALE_AFTER = timedelta(minutes=1)


def schedule_inbox_check(
    *, delay: timedelta = timedelta(0), now: datetime | None = None
) -> DBTaskResult[[], dict[str, int]] | None:
    """Enqueue ``register_stale_reports`` after ``delay`` unless a run is already waiting."""
    return schedule_once(register_stale_reports, delay, now)


@task()
def register_stale_reports() -> dict[str, int]:
    """Register the acknowledged reports that have waited more than a minute (no registrar
    running, or one that stopped), then look again a minute later. ``sujarit
    register-reports`` normally takes them within a second; this keeps a report from waiting
    for good when it does not run."""
    registered = failed = 0
    try:
        cutoff = timezone.now() - INBOX_STALE_AFTER
        while True:
            done = register_pending(batch=50, received_before=cutoff)
            registered += done.registered
            failed += done.failed
            if done.registered + done.failed == 0:
                break
    finally:
        schedule_inbox_check(delay=INBOX_CHECK_INTERVAL)
    return {"registered": registered, "failed": failed}
