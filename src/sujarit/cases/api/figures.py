"""Agency response figures under /api/v1/figures/, for staff.

Authentication is the site's own session: a staff account logged in through the site whose
session has passed the second factor (401 without a session, 403 for an account that may not
read the figures or has not passed its second factor). The same rule as the page decides
which rows come back: every agency for coordinators, auditors and administrators; an agency
officer's own agency and the province totals for an officer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import SessionAuth

from sujarit.accounts.queries import needs_second_factor_now
from sujarit.cases import queries
from sujarit.cases.figures import ResponseFigures, agency_response_figures, default_range


class VerifiedStaffSession(SessionAuth):
    """Django's session, but only once the session has passed the second factor (the
    middleware already refuses such sessions on /api/; this keeps the endpoint safe alone)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = super().authenticate(request, key)
        if user is None or needs_second_factor_now(user):
            return None
        return user


router = Router(tags=["figures"], auth=VerifiedStaffSession())


class AgencyOut(Schema):
    code: str = Field(..., description="The agency's stable code, e.g. `nacc-24`.")
    name_th: str
    name_en: str


class FiguresOut(Schema):
    agency: AgencyOut | None = Field(None, description="The agency; `null` in the province totals.")
    referrals: int = Field(..., description="Referrals sent in the period.")
    acknowledged: int = Field(
        ..., description="Of those, acknowledged (an outcome given counts as acknowledging)."
    )
    resolved: int = Field(..., description="Of those, resolved with an outcome.")
    overdue: int = Field(
        ...,
        description=(
            "Of those, acknowledged or declined after the acknowledgement was due, or still "
            "unacknowledged past that date."
        ),
    )
    disputed: int = Field(
        ...,
        description=(
            "Of the resolved ones, those whose complainant disputed the outcome afterwards."
        ),
    )
    median_days_to_acknowledge: float | None = Field(
        ..., description="Median days from sending to acknowledgement; `null` when none."
    )
    median_days_to_resolve: float | None = Field(
        ..., description="Median days from sending to the outcome; `null` when none."
    )
    share_overdue: float | None = Field(
        ..., description="`overdue / referrals`, from 0 to 1; `null` without referrals."
    )
    share_disputed: float | None = Field(
        ..., description="`disputed / resolved`, from 0 to 1; `null` when none resolved."
    )


class AgencyFiguresOut(Schema):
    since: date = Field(..., description="First day of the period (referrals sent that day on).")
    until: date = Field(..., description="Last day of the period, included.")
    generated_at: datetime
    agencies: list[FiguresOut] = Field(
        ..., description="One row per agency with referrals in the period, by Thai name."
    )
    province: FiguresOut = Field(..., description="Every referral of the period together.")


class ErrorOut(Schema):
    detail: str


def _figures(row: ResponseFigures) -> FiguresOut:
    agency = row.agency
    return FiguresOut(
        agency=(
            AgencyOut(code=agency.code, name_th=agency.name_th, name_en=agency.name_en)
            if agency is not None
            else None
        ),
        referrals=row.referrals,
        acknowledged=row.acknowledged,
        resolved=row.resolved,
        overdue=row.overdue,
        disputed=row.disputed,
        median_days_to_acknowledge=row.median_days_to_acknowledge,
        median_days_to_resolve=row.median_days_to_resolve,
        share_overdue=row.share_overdue,
        share_disputed=row.share_disputed,
    )


class RangeQuery(Schema):
    since: date | None = Field(
        None, description="First day (YYYY-MM-DD); default: 364 days before `until`."
    )
    until: date | None = Field(None, description="Last day (YYYY-MM-DD); default: today.")


@router.get(
    "/agencies",
    response={200: AgencyFiguresOut, 403: ErrorOut, 422: ErrorOut},
    summary="Agency response figures",
    description=(
        "Per agency, for the referrals sent in a period: how many, median days to acknowledge "
        "and to resolve, share overdue and share disputed; and the same for the whole "
        "province. Staff only (session with a second factor). An agency officer receives "
        "their own agency's row and the province totals."
    ),
)
def agency_figures(request: HttpRequest, period: Query[RangeQuery]) -> AgencyFiguresOut:
    if not queries.can_view_agency_figures(request.user):
        raise HttpError(403, "This account may not read the agency response figures.")
    until = period.until or timezone.localdate()
    since = period.since or default_range(until)[0]
    if since > until:
        raise HttpError(422, "`since` must not be after `until`.")
    report = agency_response_figures(
        since=since, until=until, agency_id=queries.agency_figures_scope(request.user)
    )
    return AgencyFiguresOut(
        since=report.since,
        until=report.until,
        generated_at=timezone.now(),
        agencies=[_figures(row) for row in report.agencies],
        province=_figures(report.province),
    )
