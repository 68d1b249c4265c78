"""Action plans on the province's four pillars, their targets and their progress history."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sujarit.geo.models import District, Province, Subdistrict
from sujarit.network.models.organizations import Organization


class Pillar(models.IntegerChoices):
    """The four points of the province's plan (the seed workshop, 16 March 2566)."""

    AWARENESS = 1, _("Awareness and conscience of people in the area")
    OPEN_AREA = 2, _("Open and transparent area systems")
    GOVERNANCE = 3, _("Good governance of the networks and community organizations")
    SURVEILLANCE = 4, _("Surveillance and action against corruption")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")


#: Statuses whose plans count in area and province roll-ups (a draft is not a commitment).
COUNTED_STATUSES = frozenset({PlanStatus.APPROVED, PlanStatus.ACTIVE, PlanStatus.COMPLETED})


class AreaLevel(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("subdistrict")
    DISTRICT = "district", _("district")
    PROVINCE = "province", _("province")


class Measure(models.TextChoices):
    """How the achieved value of a plan activity is derived from the activities recorded."""

    ATTENDANCE = "attendance", _("people attending (sum of attendance)")
    ACTIVITIES = "activities", _("activities held (count)")
    QUANTITY = "quantity", _("quantity reported by each activity (sum)")


_WEIGHT = {
    "max_digits": 6,
    "decimal_places": 2,
    "default": Decimal("1"),
    "validators": [MinValueValidator(Decimal("0"))],
}


class ActionPlan(models.Model):
    title = models.CharField(_("title"), max_length=255)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("owning organization"),
    )
    area_level = models.CharField(_("area level"), max_length=12, choices=AreaLevel.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdistrict"),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (Buddhist era)"),
        help_text=_("The Thai fiscal year starts on 1 October: 2569 runs from 1 October 2568."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    weight = models.DecimalField(
        _("weight in area roll-ups"),
        help_text=_("How much this plan counts when plans of an area are combined."),
        **_WEIGHT,  # type: ignore[arg-type]
    )
    summary = models.TextField(_("summary"), blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-fiscal_year", "province", "district", "subdistrict", "title"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        indexes = [
            models.Index(fields=["province", "fiscal_year", "status"], name="network_plan_area")
        ]
        constraints = [
            models.CheckConstraint(
                name="network_plan_area_matches_level",
                condition=(
                    models.Q(area_level="province", district__isnull=True)
                    | models.Q(
                        area_level="district", district__isnull=False, subdistrict__isnull=True
                    )
                    | models.Q(
                        area_level="subdistrict",
                        district__isnull=False,
                        subdistrict__isnull=False,
                    )
                ),
                violation_error_message=_("The area must match the area level."),
            ),
            models.CheckConstraint(
                name="network_plan_year_is_buddhist_era",
                condition=models.Q(fiscal_year__gte=2400, fiscal_year__lte=2700),
                violation_error_message=_("Give the fiscal year in the Buddhist era (e.g. 2569)."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def area(self) -> Province | District | Subdistrict:
        if self.subdistrict_id:
            assert self.subdistrict is not None
            return self.subdistrict
        if self.district_id:
            assert self.district is not None
            return self.district
        return self.province


class PlanPillar(models.Model):
    """One of the four pillars inside a plan, with its weight in the plan's progress."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="pillars", verbose_name=_("plan")
    )
    pillar = models.PositiveSmallIntegerField(_("pillar"), choices=Pillar.choices)
    weight = models.DecimalField(_("weight"), **_WEIGHT)  # type: ignore[arg-type]

    class Meta:
        ordering = ["plan", "pillar"]
        verbose_name = _("plan pillar")
        verbose_name_plural = _("plan pillars")
        constraints = [
            models.UniqueConstraint(fields=["plan", "pillar"], name="network_plan_pillar_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.pillar}"


class PlanActivity(models.Model):
    """A planned activity of a pillar, with a target; its achieved value is never stored.

    The achieved value is the aggregate of the activities recorded against it (see
    ``network.progress``), so editing or deleting an activity can never count it twice.
    """

    pillar = models.ForeignKey(
        PlanPillar,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("pillar"),
    )
    title = models.CharField(_("title"), max_length=255)
    measure = models.CharField(
        _("how the achieved value is counted"),
        max_length=12,
        choices=Measure.choices,
        default=Measure.ATTENDANCE,
    )
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("unit"), max_length=60, help_text=_("e.g. people, villages"))
    weight = models.DecimalField(_("weight"), **_WEIGHT)  # type: ignore[arg-type]
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["pillar", "order", "id"]
        verbose_name = _("plan activity")
        verbose_name_plural = _("plan activities")
        constraints = [
            models.CheckConstraint(
                name="network_plan_activity_target_positive",
                condition=models.Q(target__gt=0),
                violation_error_message=_("The target must be more than zero."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class PlanStatusChange(models.Model):
    """The history of a plan's status: who moved it, when, from what to what."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="history", verbose_name=_("plan")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=PlanStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["plan", "at", "id"]
        verbose_name = _("plan status change")
        verbose_name_plural = _("plan status changes")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_status}→{self.to_status}"


class ProgressSnapshot(models.Model):
    """A plan's weighted progress as it stood on a day (one row per plan and day).

    Written by the actions after every change that moves progress, so the history shows what
    the plan looked like then, even if targets changed later.
    """

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("plan")
    )
    taken_on = models.DateField(_("day"))
    progress = models.FloatField(_("progress (0 to 1)"))

    class Meta:
        ordering = ["plan", "taken_on"]
        verbose_name = _("progress snapshot")
        verbose_name_plural = _("progress snapshots")
        constraints = [
            models.UniqueConstraint(fields=["plan", "taken_on"], name="network_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}@{self.taken_on}"
