"""Writes to MOUs and to awards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sujarit.accounts.queries import AnyUser
from sujarit.agencies.models import Agency
from sujarit.audit.actions import record
from sujarit.geo.models import Province, Subdistrict
from sujarit.network import queries
from sujarit.network.actions.common import actor, apply_values, clean_document, ensure
from sujarit.network.models import Award, AwardContest, Mou, Organization


@dataclass
class MouInput:
    title: str
    province: Province
    signed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date | None = None
    organizations: list[Organization] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    subdistricts: list[Subdistrict] = field(default_factory=list)
    commitments: str = ""
    is_demo: bool = False

    def values(self) -> dict[str, object]:
        return {
            "title": self.title.strip(),
            "province": self.province,
            "signed_on": self.signed_on,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "commitments": self.commitments.strip(),
            "is_demo": self.is_demo,
        }

    def check(self) -> None:
        if not self.organizations and not self.agencies:
            raise ValidationError({"organizations": _("An MOU has at least one party.")})
        outside = [s.code for s in self.subdistricts if s.province_id != self.province.code]
        if outside:
            raise ValidationError(
                {
                    "subdistricts": _("These subdistricts are not in the province: %(codes)s.")
                    % {"codes": ", ".join(outside)}
                }
            )


def _set_links(mou: Mou, values: MouInput) -> list[str]:
    changed = []
    for name, wanted in (
        ("organizations", values.organizations),
        ("agencies", values.agencies),
        ("subdistricts", values.subdistricts),
    ):
        manager = getattr(mou, name)
        if {item.pk for item in manager.all()} != {item.pk for item in wanted}:
            manager.set(wanted)
            changed.append(name)
    return changed


@transaction.atomic
def create_mou(*, values: MouInput, by: AnyUser | None) -> Mou:
    if by is not None:
        ensure(queries.can_manage_province_records(by, values.province.code))
    values.check()
    mou = Mou(created_by=actor(by))
    apply_values(mou, values.values())
    mou.full_clean(exclude=["document"])
    mou.save()
    _set_links(mou, values)
    record(
        actor=actor(by),
        action="network.mou_created",
        target=mou,
        data={
            "parties": len(values.organizations) + len(values.agencies),
            "subdistricts": len(values.subdistricts),
        },
    )
    return mou


@transaction.atomic
def update_mou(*, mou: Mou, values: MouInput, by: AnyUser | None) -> list[str]:
    if by is not None:
        ensure(queries.can_manage_province_records(by, mou.province_id))
        ensure(queries.can_manage_province_records(by, values.province.code))
    values.check()
    changed = apply_values(mou, values.values())
    if changed:
        mou.full_clean(exclude=["document"])
        mou.save()
    changed += _set_links(mou, values)
    if changed:
        record(
            actor=actor(by),
            action="network.mou_updated",
            target=mou,
            data={"fields": sorted(changed), "subdistricts": len(values.subdistricts)},
        )
    return changed


@transaction.atomic
def attach_mou_document(*, mou: Mou, data: bytes, by: AnyUser | None) -> None:
    """Store the signed document privately (a new upload replaces the old file)."""
    if by is not None:
        ensure(queries.can_manage_province_records(by, mou.province_id))
    content, content_type = clean_document(data)
    old_name = mou.document.name
    mou.document.save(content.name or "document", content, save=False)
    mou.document_type = content_type
    mou.save(update_fields=["document", "document_type", "updated_at"])
    if old_name:
        from django.core.files.storage import default_storage

        transaction.on_commit(lambda: default_storage.delete(old_name))
    record(
        actor=actor(by),
        action="network.mou_document_attached",
        target=mou,
        data={"content_type": content_type, "bytes": content.size},
    )


# --- Awards ---------------------------------------------------------------------------------


@dataclass
class ContestInput:
    name_th: str
    year: int
    total_awards: int
    name_en: str = ""
    giver: Agency | None = None
    giver_name: str = ""
    is_demo: bool = False


@transaction.atomic
def save_contest(
    *,
    values: ContestInput,
    by: AnyUser | None,
    province_code: str,
    contest: AwardContest | None = None,
) -> AwardContest:
    """Create a contest, or change ``contest``."""
    if by is not None:
        ensure(queries.can_manage_province_records(by, province_code))
    created = contest is None
    contest = contest or AwardContest()
    changed = apply_values(
        contest,
        {
            "name_th": values.name_th.strip(),
            "name_en": values.name_en.strip(),
            "year": values.year,
            "total_awards": values.total_awards,
            "giver": values.giver,
            "giver_name": values.giver_name.strip(),
            "is_demo": values.is_demo,
        },
    )
    if not created and not changed:
        return contest
    contest.full_clean()
    if not created and contest.awards.count() > contest.total_awards:
        raise ValidationError(
            {"total_awards": _("The contest already has more winners recorded than that.")}
        )
    contest.save()
    record(
        actor=actor(by),
        action="network.contest_created" if created else "network.contest_updated",
        target=contest,
        data={"year": contest.year, "total_awards": contest.total_awards, "fields": changed},
    )
    return contest


@transaction.atomic
def add_award(
    *,
    contest: AwardContest,
    organization: Organization,
    category: str,
    by: AnyUser | None,
    province_code: str,
    is_demo: bool = False,
) -> Award:
    if by is not None:
        ensure(queries.can_manage_province_records(by, province_code))
    if contest.awards.count() >= contest.total_awards:
        raise ValidationError(
            _("All %(total)s awards of this contest are already recorded.")
            % {"total": contest.total_awards}
        )
    award = Award(
        contest=contest, organization=organization, category=category.strip(), is_demo=is_demo
    )
    award.full_clean()
    award.save()
    record(
        actor=actor(by),
        action="network.award_added",
        target=award,
        data={"contest": contest.pk, "organization": organization.code},
    )
    return award


@transaction.atomic
def remove_award(*, award: Award, by: AnyUser | None, province_code: str) -> None:
    if by is not None:
        ensure(queries.can_manage_province_records(by, province_code))
    record(
        actor=actor(by),
        action="network.award_removed",
        target=award,
        data={"contest": award.contest_id, "organization": award.organization_id},
    )
    award.delete()
