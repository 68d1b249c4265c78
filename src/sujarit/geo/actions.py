"""Writes to the geography tables. Reference data changes only through ``load_geography``."""

from __future__ import annotations

from django.db import transaction

from sujarit.audit.actions import record
from sujarit.geo.loading import LoadReport, Progress, silent, sync_geography


@transaction.atomic
def load_geography(
    *, boundary_provinces: set[str] | None, progress: Progress = silent
) -> LoadReport:
    """Load every province, district, subdistrict and abolished code, in one transaction.

    ``boundary_provinces`` chooses whose boundaries are stored (None: every province). A run
    that changes nothing records nothing, so running the load again leaves no trace.
    """
    report = sync_geography(boundary_provinces=boundary_provinces, progress=progress)
    if report.changed:
        record(actor=None, action="geo.loaded", data=report.summary())
    return report
