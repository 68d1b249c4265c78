"""Writes to the agency directory. Each function records its audit event in its transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from sujarit.agencies.importing import (
    CsvFileError,
    ImportReport,
    RowChecker,
    RowIssue,
    open_csv,
)
from sujarit.agencies.models import Agency
from sujarit.agencies.reference import AgencySpec, reference_agencies
from sujarit.audit.actions import record
from sujarit.geo.models import Province, Subdistrict

if TYPE_CHECKING:
    from sujarit.accounts.models import User


class GeoNotLoaded(Exception):
    """The province's geography is not in the database yet (``sujarit load-geo``)."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _spec_values(spec: AgencySpec) -> dict[str, object]:
    # Only what the reference data knows is written: an empty cell means "not known", so a
    # contact or English name that an administrator added from an official source survives
    # the next load.
    values: dict[str, object] = {
        "kind": spec.kind,
        "level": spec.level,
        "name_th": spec.name_th,
        "province_id": spec.province_code or None,
    }
    for name in ("name_en", "short_name_th", "short_name_en", "hotline", "source"):
        value = getattr(spec, name)
        if value:
            values[name] = value
    if spec.parent_code:
        values["parent_id"] = Agency.objects.only("pk").get(code=spec.parent_code).pk
    return values


@transaction.atomic
def load_reference_agencies(*, province_code: str, by: User | None = None) -> LoadReport:
    """Create or update the national, regional and provincial bodies of the province.

    Safe to run again: agencies are matched on ``code``. Raises ``GeoNotLoaded`` when the
    province is not in the database.
    """
    province = Province.objects.filter(code=province_code).first()
    if province is None:
        raise GeoNotLoaded(province_code)
    reference = reference_agencies(
        province_code=province.code, name_th=province.name_th, name_en=province.name_en
    )
    report = LoadReport(notes=list(reference.notes))
    subdistrict_ids = set(
        Subdistrict.objects.filter(province=province).values_list("code", flat=True)
    )
    for spec in reference.specs:
        values = _spec_values(spec)
        agency = Agency.objects.filter(code=spec.code).first()
        changed = False
        if agency is None:
            agency = Agency.objects.create(code=spec.code, **values)
            report.created.append(agency.code)
        else:
            changed_fields = [
                name for name, value in values.items() if getattr(agency, name) != value
            ]
            if changed_fields:
                for name in changed_fields:
                    setattr(agency, name, values[name])
                agency.save(update_fields=changed_fields)
                changed = True
        if spec.serves_all_subdistricts:
            served = set(agency.subdistricts.values_list("code", flat=True))
            missing = subdistrict_ids - served
            if missing:
                agency.subdistricts.add(*Subdistrict.objects.filter(code__in=missing).only("code"))
                changed = True
        missing_provinces = set(spec.served_province_codes) - set(
            agency.served_provinces.values_list("code", flat=True)
        )
        if missing_provinces:
            agency.served_provinces.add(
                *Province.objects.filter(code__in=missing_provinces).only("code")
            )
            changed = True
        if agency.code in report.created:
            continue
        (report.updated if changed else report.unchanged).append(agency.code)
    record(
        actor=by,
        action="agencies.reference_loaded",
        data={
            "province": province.code,
            "created": len(report.created),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
        },
    )
    return report


@transaction.atomic
def import_agencies(
    *, rows: Iterable[str] | TextIO, by: User | None, dry_run: bool
) -> ImportReport:
    """Create or update agencies from CSV lines (columns: see docs/agencies.md).

    Each row is saved in its own savepoint, so a bad row is reported and skipped while the
    good rows are kept; the whole run is one transaction, rolled back at the end when
    ``dry_run`` is set. Agencies are matched on ``code``, so importing a file again updates
    instead of duplicating.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        csv_rows = open_csv(rows)
    except CsvFileError as error:
        report.file_errors.append(error.message)
        return report
    report.ignored_columns = csv_rows.ignored_columns
    checker = RowChecker(csv_rows.header)
    try:
        for line, values in csv_rows:
            _import_row(checker, line, values, report)
    except CsvFileError as error:
        report.file_errors.append(error.message)
    record(actor=by, action="agencies.imported", data={**report.counts(), "dry_run": dry_run})
    if dry_run:
        transaction.set_rollback(True)
    return report


def _import_row(
    checker: RowChecker, line: int, values: dict[str, str], report: ImportReport
) -> None:
    row, errors = checker.check(line, values)
    if row is None:
        report.errors.extend(RowIssue(line, message) for message in errors)
        return
    try:
        with transaction.atomic():
            outcome = _save_row(
                row.code, row.fields, row.subdistrict_codes, row.served_province_codes
            )
    except ValidationError as error:
        report.errors.extend(
            RowIssue(line, f"{name}: {message}")
            for name, messages in error.message_dict.items()
            for message in messages
        )
        return
    except DatabaseError:
        report.errors.append(RowIssue(line, _("The database refused this row.")))
        return
    report.warnings.extend(RowIssue(line, message) for message in row.warnings)
    if outcome == "created":
        report.created += 1
    elif outcome == "updated":
        report.updated += 1
    else:
        report.unchanged += 1


def _save_row(
    code: str,
    fields: dict[str, object],
    subdistrict_codes: list[str] | None,
    served_province_codes: list[str] | None,
) -> str:
    agency = Agency.objects.filter(code=code).first()
    created = agency is None
    if agency is None:
        agency = Agency(code=code)
    changed = False
    for name, value in fields.items():
        if getattr(agency, name) != value:
            setattr(agency, name, value)
            changed = True
    if created or changed:
        agency.full_clean(validate_unique=False, validate_constraints=False)
        agency.save()
    if subdistrict_codes is not None:
        current = set(agency.subdistricts.values_list("code", flat=True))
        if current != set(subdistrict_codes):
            agency.subdistricts.set(
                Subdistrict.objects.filter(code__in=subdistrict_codes).only("code")
            )
            changed = True
    if served_province_codes is not None:
        current = set(agency.served_provinces.values_list("code", flat=True))
        if current != set(served_province_codes):
            agency.served_provinces.set(
                Province.objects.filter(code__in=served_province_codes).only("code")
            )
            changed = True
    if created:
        return "created"
    return "updated" if changed else "unchanged"
