"""Activities held by the networks (workshops, trainings, campaigns, forums)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sujarit.geo.models import Province, Subdistrict
from sujarit.network.models.files import activity_photo_name
from sujarit.network.models.organizations import Member, Organization
from sujarit.network.models.plans import PlanActivity


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    CAMPAIGN = "campaign", _("Campaign")
    FORUM = "forum", _("Forum")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other activity")


class AttendanceGroup(models.TextChoices):
    RESIDENTS = "residents", _("Residents")
    YOUTH = "youth", _("Children and youth")
    NETWORK_MEMBERS = "network_members", _("Network members")
    LOCAL_LEADERS = "local_leaders", _("Community leaders")
    OFFICIALS = "officials", _("State officials")
    OTHER = "other", _("Others")


class Activity(models.Model):
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("type"), max_length=12, choices=ActivityKind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdistrict"),
    )
    held_on = models.DateField(_("date"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    organizers = models.ManyToManyField(
        Organization, related_name="activities", verbose_name=_("organizers")
    )
    plan_activity = models.ForeignKey(
        PlanActivity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("plan activity"),
    )
    quantity = models.DecimalField(
        _("quantity achieved"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "For plan activities counted by quantity (villages covered, projects monitored…)."
        ),
    )
    # Optional list of the members who took part; personal data, shown only to those who may
    # see the members' organization.
    members = models.ManyToManyField(
        Member, blank=True, related_name="activities", verbose_name=_("members taking part")
    )
    report = models.TextField(_("report"), blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["province", "held_on"], name="network_activity_day")]
        constraints = [
            models.CheckConstraint(
                name="network_activity_days_in_order",
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("held_on")),
                violation_error_message=_("The last day comes after the first."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("activity")
    )
    group = models.CharField(_("group"), max_length=20, choices=AttendanceGroup.choices)
    count = models.PositiveIntegerField(_("people"))

    class Meta:
        ordering = ["activity", "group"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "group"], name="network_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.count}"


class ActivityPhoto(models.Model):
    """A photo of an activity, stored privately with its metadata stripped."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("activity")
    )
    image = models.FileField(_("photo"), upload_to=activity_photo_name, max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.pk}"
