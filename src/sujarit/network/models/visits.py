"""Monitoring visits (ลงพื้นที่ตรวจติดตาม) with configurable checklists."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sujarit.geo.models import Subdistrict
from sujarit.network.models.files import visit_photo_name
from sujarit.network.models.organizations import Organization


class ChecklistTemplate(models.Model):
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("offered for new visits"), default=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")

    def __str__(self) -> str:
        return self.name


class ChecklistQuestion(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("checklist"),
    )
    text = models.CharField(_("question"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template", "order", "id"]
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")

    def __str__(self) -> str:
        return self.text


class Visit(models.Model):
    visited_on = models.DateField(_("date of the visit"))
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="+", verbose_name=_("subdistrict")
    )
    village = models.CharField(_("village or place"), max_length=120, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("visiting organization"),
    )
    # Public projects arrive in a later module; until then a visit names the project by its
    # reference (a procurement number, a budget line, a sign board) and a short title.
    project_reference = models.CharField(
        _("project reference"),
        max_length=120,
        blank=True,
        help_text=_("e.g. the e-GP project number or the number on the project sign."),
    )
    project_title = models.CharField(_("project or site"), max_length=255)
    checklist = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("checklist"),
    )
    notes = models.TextField(_("notes"), blank=True)
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
        ordering = ["-visited_on", "-id"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        indexes = [
            models.Index(fields=["subdistrict", "-visited_on"], name="network_visit_area"),
        ]

    def __str__(self) -> str:
        return self.project_title


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class VisitAnswer(models.Model):
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="answers", verbose_name=_("visit")
    )
    question = models.ForeignKey(
        ChecklistQuestion, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    answer = models.CharField(_("answer"), max_length=3, choices=Answer.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["visit", "question__order", "question_id"]
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(fields=["visit", "question"], name="network_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.answer}"


class VisitPhoto(models.Model):
    """A photo of a visit: stored privately, metadata stripped, shown only to staff."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit")
    )
    image = models.FileField(_("photo"), upload_to=visit_photo_name, max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return f"{self.visit_id}/{self.pk}"
