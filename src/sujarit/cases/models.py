"""Reports from citizens and the cases staff make of them.

A citizen submits a *report*; the coordination centre handles it as a *case* (one row, the
``Case`` model: the report's facts plus the workflow around them). The complainant's identity
lives in its own table (``Complainant``) so that every read of a case can leave it out, and so
that it can be encrypted and purged on its own.

Writes go through ``sujarit.cases.actions``; reads that check permission through
``sujarit.cases.queries``. Nothing here decides who may see what.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from sujarit.agencies.models import Agency, AgencyKind
from sujarit.geo.models import Subdistrict
from sujarit.lib.fields import SealedTextField


def unique_hashes(prefix: str, *names: str) -> list[models.BaseConstraint]:
    """Unique constraints on hash columns. Unlike ``unique=True`` on a CharField, they add no
    second, prefix-matching index on PostgreSQL (``varchar_pattern_ops``), which a hash never
    needs and every insert would pay for."""
    return [
        models.UniqueConstraint(fields=[name], name=f"{prefix}_{name}_unique") for name in names
    ]


class ReportKind(models.TextChoices):
    CORRUPTION = "corruption", _("Corruption or misconduct by an official")
    STATE_FUNDS = "state_funds", _("Misuse of state money or property")
    ELECTION_FRAUD = "election_fraud", _("Election fraud")
    PROCUREMENT = "procurement", _("Procurement irregularity")
    GRIEVANCE = "grievance", _("Grievance about a public service")


class Identity(models.TextChoices):
    """How much of themselves the complainant gives (explained on the form)."""

    ANONYMOUS = "anonymous", _("Anonymous: no contact details are kept")
    CONFIDENTIAL = "confidential", _("Confidential: contact details seen only by coordinators")
    NAMED = "named", _("Named: I give my name and contact details")


class Rank(models.TextChoices):
    """The accused person's position, as far as the complainant knows it.

    The bands follow the split of powers between NACC and PACC (see docs/cases.md): political
    office holders and high-level executives go to NACC; officials at or below the level of a
    junior director to PACC.
    """

    UNKNOWN = "unknown", _("I do not know / no particular person")
    POLITICAL = (
        "political",
        _("Political office holder (minister, MP, senator, local executive or council member)"),
    )
    SENIOR_EXECUTIVE = (
        "senior_executive",
        _("High-level executive (e.g. permanent secretary, director-general, governor)"),
    )
    DIRECTOR = "director", _("Director of a division or equivalent")
    OFFICIAL = "official", _("Official or employee below director level")
    LOCAL_STAFF = "local_staff", _("Staff of a local administrative organization")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    SCREENING = "screening", _("Screening")
    REJECTED = "rejected", _("Rejected")
    REFERRED = "referred", _("Referred to an agency")
    NETWORK = "network", _("Handled by the network")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the agency")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    #: Joined to another case about the same matter (``CaseMerge`` says which).
    MERGED = "merged", _("Merged into another case")


#: States in which nobody is expected to act any more.
FINAL_STATUSES = frozenset({CaseStatus.REJECTED, CaseStatus.CLOSED, CaseStatus.MERGED})


class Case(models.Model):
    # --- the report, as the complainant gave it -------------------------------------------
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    description = models.TextField(_("what happened"))
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="+", verbose_name=_("subdistrict")
    )
    village = models.CharField(_("village"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    occurred_on = models.DateField(_("when it happened"), null=True, blank=True)
    accused_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency involved"),
    )
    # When the agency is not in the directory, or the complainant names it in their own words.
    accused_agency_text = models.CharField(
        _("agency involved (as written)"), max_length=255, blank=True
    )
    accused_position = models.CharField(
        _("position of the person involved"), max_length=255, blank=True
    )
    accused_rank = models.CharField(
        _("rank of the person involved"), max_length=20, choices=Rank.choices, default=Rank.UNKNOWN
    )
    amount = models.DecimalField(
        _("amount involved (baht)"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    reported_elsewhere = models.BooleanField(_("already reported elsewhere"), default=False)
    reported_elsewhere_detail = models.CharField(
        _("where it was reported"), max_length=255, blank=True
    )
    identity = models.CharField(_("identity"), max_length=12, choices=Identity.choices)
    consent_to_disclose = models.BooleanField(
        _("consents to disclose identity to the agency"), default=False
    )
    #: Where the report came from: the web form, the API, or a network member's visit.
    channel = models.CharField(_("channel"), max_length=20, default="web")

    # --- follow-up without an account ------------------------------------------------------
    # Keyed hash (HMAC-SHA256 under the receipt key) of the 16-digit receipt code; the code
    # itself is never stored. See sujarit.cases.receipts.
    # Unique through Meta.constraints (a plain unique index: a hash is never matched by prefix).
    receipt_hash = models.CharField(_("receipt code hash"), max_length=64)
    # Optional passphrase, stored as a slow password hash (Argon2).
    passphrase_hash = models.CharField(_("passphrase hash"), max_length=255, blank=True)
    # Keyed hash of the submission's idempotency key: a retried submission finds its report.
    idempotency_hash = models.CharField(_("idempotency key hash"), max_length=64)
    #: When the web form's "done" page showed the receipt code. A resent form (same idempotency
    #: key: back button, a second tab) then no longer shows it: on a shared computer the next
    #: person could otherwise resend the form and read the code.
    receipt_shown_at = models.DateTimeField(_("receipt code shown"), null=True, blank=True)

    # --- workflow ----------------------------------------------------------------------------
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    status_changed_at = models.DateTimeField(_("status changed"))
    # When the current state's service level runs out (null in states without one).
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handling coordinator"),
    )
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # True when no routing rule matched: the case waits in the coordinators' unrouted queue.
    unrouted = models.BooleanField(_("no routing rule matched"), default=False)

    # --- public accountability ---------------------------------------------------------------
    is_published = models.BooleanField(_("published"), default=False)
    public_title = models.CharField(_("public title"), max_length=200, blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    public_outcome = models.TextField(_("public outcome"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    #: When the retention policy purged the case's personal data (identity, contact details,
    #: the personal parts of messages, evidence files); the anonymised case stays.
    personal_data_purged_at = models.DateTimeField(_("personal data purged"), null=True, blank=True)

    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("received"), db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The work queues: a status (or all) newest first, paged by keyset.
            models.Index(fields=["status", "-created_at", "-id"], name="case_queue"),
            models.Index(fields=["kind", "-created_at", "-id"], name="case_kind_queue"),
            models.Index(fields=["subdistrict", "-created_at", "-id"], name="case_area_queue"),
            # The "all" queue and the date filters (keyset on created_at, id; see queues.py).
            models.Index(fields=["-created_at", "-id"], name="case_all_queue"),
            # The unrouted queue: the few cases still waiting for a routing decision, found
            # without reading the million others.
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(unrouted=True, status__in=["received", "screening"]),
                name="case_unrouted_queue",
            ),
            # The overdue queue.
            models.Index(fields=["due_at"], name="case_due"),
            models.Index(fields=["is_published", "-published_at"], name="case_published"),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_rejection_has_reason",
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
            ),
            models.CheckConstraint(
                name="case_closed_has_outcome",
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
            ),
            models.CheckConstraint(
                name="case_anonymous_gives_no_consent",
                condition=~models.Q(identity="anonymous") | models.Q(consent_to_disclose=False),
            ),
            *unique_hashes("case", "receipt_hash", "idempotency_hash"),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The staff reference of a case: its number, e.g. ``C-000042``. Never the receipt code."""
        return f"C-{self.pk:06d}" if self.pk else "C-new"


class Complainant(models.Model):
    """Who submitted a confidential or named report. Anonymous reports have no row.

    Only coordinators (and an agency whose access the complainant consented to, or a custodian
    approved) may read it; the read goes through ``sujarit.cases.queries``.
    """

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="complainant", verbose_name=_("case")
    )
    # Sealed at rest under the data key (see sujarit.lib.fields): the table holds tokens bound
    # to their column and to the case, never the details themselves. Empty values are NULL.
    name = SealedTextField(_("name"), max_length=200, bind="case_id")
    phone = SealedTextField(_("phone"), max_length=40, bind="case_id")
    email = SealedTextField(
        _("e-mail"), max_length=254, bind="case_id", validators=[validate_email]
    )
    line_id = SealedTextField(_("LINE ID"), max_length=60, bind="case_id")
    address = SealedTextField(_("address"), max_length=2000, bind="case_id")
    #: Set when the personal details were erased (retention or the complainant's request).
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("complainant")
        verbose_name_plural = _("complainants")

    def __str__(self) -> str:
        return f"complainant of case {self.case_id}"


class CaseEvent(models.Model):
    """One step of a case's timeline. ``public`` events show on the follow-up page, described
    by their status in plain words; staff names never show there."""

    class Kind(models.TextChoices):
        STATUS = "status", _("status change")
        INFORMATION = "information", _("more information from the complainant")
        PROGRESS = "progress", _("progress note")
        IDENTITY = "identity", _("identity request")
        DISPUTE = "dispute", _("outcome disputed")
        ROUTING = "routing", _("routing")
        PUBLICATION = "publication", _("publication")
        # The complainant's contact details were erased (their request or the retention policy).
        ERASURE = "erasure", _("personal data erased")
        # A coordinator's note for the centre and auditors; never public, never for agencies.
        NOTE = "note", _("internal note")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=CaseStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: Staff-only wording (a reason, a note).
    note = models.TextField(_("note"), blank=True)
    #: What the complainant may read about this step, if anything beyond its status.
    public_note = models.TextField(_("note for the complainant"), blank=True)
    public = models.BooleanField(_("shown to the complainant"), default=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"])]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.to_status}"


class Message(models.Model):
    """The conversation between the complainant (through the follow-up page) and the
    coordination centre. Internal staff notes are not messages: they are non-public events."""

    class Sender(models.TextChoices):
        COMPLAINANT = "complainant", _("Complainant")
        CENTRE = "centre", _("Coordination centre")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    at = models.DateTimeField(_("time"))
    sender = models.CharField(_("sender"), max_length=12, choices=Sender.choices)
    # The staff member who wrote a centre message; never shown to the complainant.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("message"))
    #: True when the complainant's message adds facts to the report ("add information").
    is_information = models.BooleanField(_("adds information"), default=False)
    read_by_centre_at = models.DateTimeField(_("read by the centre"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"])]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.case_id} {self.sender} {self.at:%Y-%m-%d}"


#: The target of a routing rule that means "the local administrative organization of the
#: case's subdistrict" (a subdistrict administrative organization or a municipality).
LOCAL_TARGET = "local"
TARGET_CHOICES = [
    *AgencyKind.choices,
    (LOCAL_TARGET, _("Local administrative organization of the subdistrict")),
]


class RoutingRule(models.Model):
    """One data-driven routing rule: which agency kind is competent for which reports.

    A rule matches a case when every condition it sets holds (an empty list or a null bound is
    no condition). Matching rules are read in ``priority`` order (lowest first); a rule with
    ``stop`` ends the reading, so that a specific rule can override general ones. The target
    is an agency *kind*, resolved for the case's area (for local government: the local
    administrative organization of the subdistrict).
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    priority = models.PositiveIntegerField(_("priority"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    kinds = models.JSONField(_("report kinds"), default=list, blank=True)
    ranks = models.JSONField(_("ranks of the person involved"), default=list, blank=True)
    accused_agency_kinds = models.JSONField(
        _("kinds of the agency involved"), default=list, blank=True
    )
    min_amount = models.DecimalField(
        _("minimum amount"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    max_amount = models.DecimalField(
        _("amount below"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    #: Province codes the rule applies in; empty for everywhere.
    provinces = models.JSONField(_("provinces"), default=list, blank=True)
    target_kind = models.CharField(
        _("competent agency kind"), max_length=40, choices=TARGET_CHOICES
    )
    stop = models.BooleanField(_("stop after this rule"), default=False)
    reason_th = models.TextField(_("reason (Thai)"))
    reason_en = models.TextField(_("reason (English)"))
    #: True for rules shipped with Sujarit (reloaded by ``sujarit load-routing-rules``).
    is_default = models.BooleanField(_("default rule"), default=False)
    # --- added for the default rule set (sujarit.cases.rules) ---------------------------------
    #: Where the rule's facts come from (law, official page), or why it is a policy choice.
    source = models.TextField(_("source"), blank=True)
    #: What the sources did not settle; empty when the rule rests on verified facts.
    unverified = models.TextField(_("not verified"), blank=True)
    #: A default rule an administrator changed (or switched off): reloading the defaults
    #: leaves it as the administrator made it.
    customized = models.BooleanField(_("changed by an administrator"), default=False)

    class Meta:
        ordering = ["priority", "code"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return self.code


class RoutingProposal(models.Model):
    """An agency the routing engine proposed for a case, with the rule and facts behind it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proposals")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_kind = models.CharField(max_length=40, choices=TARGET_CHOICES)
    rule = models.ForeignKey(RoutingRule, on_delete=models.SET_NULL, null=True, related_name="+")
    rule_code = models.CharField(max_length=60)
    #: The facts the rule matched on (kind, rank, amount, area...), for the explanation.
    facts = models.JSONField(default=dict)
    #: Every rule that proposed this agency, first ``rule``: [{"rule": code, "reason_th": …,
    #: "reason_en": …, "facts": {…}}]. The reasons are copied so that the explanation still
    #: reads after the rule is edited or deleted.
    matches = models.JSONField(default=list)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("routing proposal")
        verbose_name_plural = _("routing proposals")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.target_kind}"


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    DECLINED = "declined", _("Declined")


class Referral(models.Model):
    """A case sent to one competent agency. A case may be referred to several."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(_("referred"))
    #: Whether the agency was the routing engine's proposal, and why the coordinator
    #: overrode it if not.
    was_proposed = models.BooleanField(_("proposed by routing"), default=False)
    override_reason = models.TextField(_("override reason"), blank=True)
    note = models.TextField(_("note to the agency"), blank=True)
    #: Admissibility checklist as the coordinator saw it when referring: {item code: met?}.
    admissibility = models.JSONField(_("admissibility"), default=dict, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the agency's acknowledgement is due (the SLA of the referred state).
    due_at = models.DateTimeField(_("acknowledgement due"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    decline_reason = models.TextField(_("decline reason"), blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    #: When the agency's officers were reminded that the acknowledgement is overdue (once).
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    #: Whether the agency may read the complainant's identity (consent, or an approved request).
    identity_released = models.BooleanField(_("identity released"), default=False)

    class Meta:
        ordering = ["referred_at", "id"]
        indexes = [models.Index(fields=["agency", "status", "-referred_at"], name="referral_inbox")]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="one_referral_per_agency"),
            models.CheckConstraint(
                name="referral_resolved_has_outcome",
                condition=~models.Q(status="resolved") | ~models.Q(outcome=""),
            ),
            models.CheckConstraint(
                name="referral_declined_has_reason",
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
            ),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.agency_id}"


class IdentityRequest(models.Model):
    """An agency's request to learn a confidential complainant's identity.

    Never one person's decision: a custodian (a coordinator other than the case's handler and
    the requester, or an administrator) decides, and the complainant is told.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        #: Still pending when the complainant's details were erased: nothing is left to release.
        LAPSED = "lapsed", _("Lapsed")

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="identity_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("identity request")
        verbose_name_plural = _("identity requests")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status}"


class Dispute(models.Model):
    """The complainant says a resolved case is not actually fixed; it reopens the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="disputes")
    at = models.DateTimeField()
    text = models.TextField(_("what is still wrong"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d}"


class ServiceLevel(models.Model):
    """How many days a case may stay in a state before it is overdue (editable by admins)."""

    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, unique=True)
    days = models.PositiveIntegerField(_("days"))

    class Meta:
        ordering = ["status"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    def __str__(self) -> str:
        return f"{self.status}: {self.days} d"


class RetentionPolicy(models.Model):
    """How long the complainant's personal data is kept once a case has reached a final status
    (Thailand's PDPA: no longer than needed). ``kind`` empty means every kind of report; a row
    for one kind wins over it, and both over ``sujarit.cases.retention.DEFAULT_RETENTION_DAYS``.
    Days count from the day the case entered the status."""

    kind = models.CharField(
        _("kind of report"), max_length=20, choices=ReportKind.choices, blank=True
    )
    status = models.CharField(_("final status"), max_length=20, choices=CaseStatus.choices)
    days = models.PositiveIntegerField(_("days kept"))

    class Meta:
        ordering = ["status", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "status"], name="one_retention_per_kind"),
            models.CheckConstraint(
                name="retention_final_status",
                condition=models.Q(status__in=["rejected", "resolved", "closed"]),
            ),
        ]
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.kind or '*'}/{self.status}: {self.days} d"


class ReceiptThrottle(models.Model):
    """Wrong receipt codes counted per client (a keyed hash of the address bucket)."""

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("receipt throttle")
        verbose_name_plural = _("receipt throttles")

    def __str__(self) -> str:
        return self.key[:12]


class AdmissibilityItem(models.Model):
    """One thing an agency of a kind needs before it will act on a referral.

    ``test`` names an automatic test of the case (see ``sujarit.cases.admissibility``); ``manual``
    items are ticked by the coordinator.
    """

    class Check(models.TextChoices):
        TRACEABLE_COMPLAINANT = "traceable_complainant", _("The complainant can be contacted")
        ACCUSED_IDENTIFIED = "accused_identified", _("The person or agency involved is named")
        WITHIN_TIME_LIMIT = "within_time_limit", _("The events are within the time limit")
        AMOUNT_GIVEN = "amount_given", _("The amount involved is stated")
        PLACE_GIVEN = "place_given", _("The place is precise (village or map point)")
        MANUAL = "manual", _("Checked by the coordinator")

    target_kind = models.CharField(_("agency kind"), max_length=40, choices=TARGET_CHOICES)
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveIntegerField(_("order"), default=0)
    text_th = models.TextField(_("requirement (Thai)"))
    text_en = models.TextField(_("requirement (English)"))
    test = models.CharField(_("test"), max_length=30, choices=Check.choices)
    #: For ``within_time_limit``: the limit in years.
    years = models.PositiveIntegerField(_("years"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    is_default = models.BooleanField(_("default item"), default=False)
    # --- added for the default checklists (sujarit.cases.rules) -------------------------------
    is_active = models.BooleanField(_("active"), default=True)
    #: What the sources did not settle; empty when the item rests on verified facts.
    unverified = models.TextField(_("not verified"), blank=True)
    #: A default item an administrator changed: reloading the defaults leaves it alone.
    customized = models.BooleanField(_("changed by an administrator"), default=False)

    class Meta:
        ordering = ["target_kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["target_kind", "code"], name="admissibility_item_code")
        ]
        verbose_name = _("admissibility item")
        verbose_name_plural = _("admissibility items")

    def __str__(self) -> str:
        return f"{self.target_kind}:{self.code}"


# Duplicate detection, links and merges (models of this app kept in their own module).
from sujarit.cases.models_duplicates import CaseFingerprint as CaseFingerprint  # noqa: E402
from sujarit.cases.models_duplicates import CaseLink as CaseLink  # noqa: E402
from sujarit.cases.models_duplicates import CaseMerge as CaseMerge  # noqa: E402

# The intake inbox: acknowledged reports not yet registered as cases.
from sujarit.cases.models_inbox import PendingReport as PendingReport  # noqa: E402
