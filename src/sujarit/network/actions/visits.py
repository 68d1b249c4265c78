"""Writes to monitoring visits and to the checklists they answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sujarit.accounts.queries import AnyUser
from sujarit.audit.actions import record
from sujarit.geo.models import Subdistrict
from sujarit.network import queries
from sujarit.network.actions.common import actor, apply_values, clean_photo, ensure
from sujarit.network.models import (
    Answer,
    ChecklistQuestion,
    ChecklistTemplate,
    Organization,
    Visit,
    VisitAnswer,
    VisitPhoto,
)


@dataclass
class VisitInput:
    visited_on: dt.date
    subdistrict: Subdistrict
    organization: Organization
    project_title: str
    project_reference: str = ""
    village: str = ""
    checklist: ChecklistTemplate | None = None
    #: question id → (answer, note)
    answers: dict[int, tuple[str, str]] = field(default_factory=dict)
    notes: str = ""
    is_demo: bool = False

    def values(self) -> dict[str, object]:
        return {
            "visited_on": self.visited_on,
            "subdistrict": self.subdistrict,
            "organization": self.organization,
            "project_title": self.project_title.strip(),
            "project_reference": self.project_reference.strip(),
            "village": self.village.strip(),
            "checklist": self.checklist,
            "notes": self.notes.strip(),
            "is_demo": self.is_demo,
        }


def _questions(values: VisitInput) -> dict[int, ChecklistQuestion]:
    if values.checklist is None:
        if values.answers:
            raise ValidationError({"checklist": _("Answers need a checklist.")})
        return {}
    questions = {q.pk: q for q in values.checklist.questions.all()}
    if set(values.answers) - set(questions):
        raise ValidationError({"answers": _("An answer is for a question of another checklist.")})
    if any(answer not in Answer.values for answer, _note in values.answers.values()):
        raise ValidationError({"answers": _("Answer yes, no or not applicable.")})
    return questions


def _set_answers(visit: Visit, values: VisitInput) -> bool:
    wanted = {pk: (answer, note.strip()[:500]) for pk, (answer, note) in values.answers.items()}
    current = {row.question_id: row for row in visit.answers.all()}
    if {pk: (row.answer, row.note) for pk, row in current.items()} == wanted:
        return False
    for pk, row in current.items():
        if pk not in wanted:
            row.delete()
        elif (row.answer, row.note) != wanted[pk]:
            row.answer, row.note = wanted[pk]
            row.save(update_fields=["answer", "note"])
    for pk, (answer, note) in wanted.items():
        if pk not in current:
            VisitAnswer.objects.create(visit=visit, question_id=pk, answer=answer, note=note)
    return True


def _audit(action: str, visit: Visit, by: AnyUser | None, extra: dict[str, object]) -> None:
    record(
        actor=actor(by),
        action=action,
        target=visit,
        data={
            "organization": visit.organization.code,
            "subdistrict": visit.subdistrict_id,
            "visited_on": visit.visited_on.isoformat(),
            **extra,
        },
    )


@transaction.atomic
def record_visit(*, values: VisitInput, by: AnyUser | None) -> Visit:
    if by is not None:
        ensure(queries.can_act_for_organization(by, values.organization))
    _questions(values)
    visit = Visit(created_by=actor(by))
    apply_values(visit, values.values())
    visit.full_clean()
    visit.save()
    _set_answers(visit, values)
    _audit("network.visit_recorded", visit, by, {"answers": len(values.answers)})
    return visit


@transaction.atomic
def update_visit(*, visit: Visit, values: VisitInput, by: AnyUser | None) -> list[str]:
    if by is not None:
        ensure(queries.can_edit_visit(by, visit))
        if values.organization.pk != visit.organization_id:
            ensure(queries.can_act_for_organization(by, values.organization))
    _questions(values)
    changed = apply_values(visit, values.values())
    if changed:
        visit.full_clean()
        visit.save()
    if _set_answers(visit, values):
        changed.append("answers")
    if changed:
        _audit("network.visit_updated", visit, by, {"fields": sorted(changed)})
    return changed


@transaction.atomic
def add_visit_photo(*, visit: Visit, data: bytes, caption: str, by: AnyUser | None) -> VisitPhoto:
    """Store a photo of the visit with its metadata (GPS, camera, time) stripped."""
    if by is not None:
        ensure(queries.can_edit_visit(by, visit))
    content, content_type = clean_photo(data)
    photo = VisitPhoto(visit=visit, caption=caption.strip()[:255], content_type=content_type)
    photo.image.save(content.name or "photo", content, save=False)
    photo.save()
    _audit("network.visit_photo_added", visit, by, {"photo": photo.pk, "bytes": content.size})
    return photo


# --- Checklists -----------------------------------------------------------------------------


@transaction.atomic
def create_checklist(
    *,
    name: str,
    questions: list[str],
    by: AnyUser | None,
    province_code: str,
    description: str = "",
    is_demo: bool = False,
) -> ChecklistTemplate:
    if by is not None:
        ensure(queries.can_manage_province_records(by, province_code))
    texts = [text.strip() for text in questions if text.strip()]
    if not texts:
        raise ValidationError({"questions": _("A checklist needs at least one question.")})
    template = ChecklistTemplate.objects.create(
        name=name.strip(), description=description.strip(), is_demo=is_demo
    )
    ChecklistQuestion.objects.bulk_create(
        ChecklistQuestion(template=template, text=text[:255], order=index)
        for index, text in enumerate(texts, start=1)
    )
    record(
        actor=actor(by),
        action="network.checklist_created",
        target=template,
        data={"questions": len(texts)},
    )
    return template


@transaction.atomic
def update_checklist(
    *,
    template: ChecklistTemplate,
    name: str,
    description: str,
    is_active: bool,
    new_questions: list[str],
    by: AnyUser | None,
    province_code: str,
) -> list[str]:
    """Rename, (de)activate and add questions. Questions already answered are kept as they
    are, so that past visits still read as they were recorded."""
    if by is not None:
        ensure(queries.can_manage_province_records(by, province_code))
    changed = apply_values(
        template,
        {"name": name.strip(), "description": description.strip(), "is_active": is_active},
    )
    if changed:
        template.save()
    texts = [text.strip() for text in new_questions if text.strip()]
    if texts:
        start = template.questions.count()
        ChecklistQuestion.objects.bulk_create(
            ChecklistQuestion(template=template, text=text[:255], order=start + index)
            for index, text in enumerate(texts, start=1)
        )
        changed.append("questions")
    if changed:
        record(
            actor=actor(by),
            action="network.checklist_updated",
            target=template,
            data={"fields": changed, "added_questions": len(texts)},
        )
    return changed
