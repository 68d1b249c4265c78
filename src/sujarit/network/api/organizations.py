"""/api/v1/network/organizations: public reads, writes for those who may edit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from ninja import Router, Status
from ninja.errors import HttpError

from sujarit.geo.models import District, Province, Subdistrict
from sujarit.network import actions, queries
from sujarit.network.actions import OrganizationInput
from sujarit.network.api.common import action_errors, page, verified_session, writer
from sujarit.network.api.schemas import (
    OrganizationDetailOut,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
)
from sujarit.network.models import Level, Organization, OrganizationKind
from sujarit.network.tree import ancestors, public_organizations

router = Router(tags=["network"])


def _out(organization: Organization) -> dict[str, Any]:
    return {
        "code": organization.code,
        "name_th": organization.name_th,
        "name_en": organization.name_en,
        "kind": organization.kind,
        "level": organization.level,
        "parent_code": getattr(organization, "parent_code", None)
        or (organization.parent.code if organization.parent_id and organization.parent else None),
        "province_code": organization.province_id,
        "district_code": organization.district_id,
        "subdistrict_code": organization.subdistrict_id,
        "village": organization.village,
        "phone": organization.phone,
        "email": organization.email,
        "website": organization.website,
        "member_count": getattr(organization, "active_members", 0),
        "is_demo": organization.is_demo,
        "url": reverse("network:organization", args=[organization.code]),
    }


def _with_counts() -> Any:
    return (
        public_organizations()
        .select_related("parent")
        .only(
            "code",
            "name_th",
            "name_en",
            "kind",
            "level",
            "parent__code",
            "province_id",
            "district_id",
            "subdistrict_id",
            "village",
            "phone",
            "email",
            "website",
            "is_demo",
            "path",
            "description",
            "address",
        )
        .annotate(active_members=Count("members", filter=Q(members__is_active=True), distinct=True))
    )


@router.get("/organizations", response=list[OrganizationOut], summary="List organizations")
def list_organizations(
    request: HttpRequest,
    parent: str | None = None,
    level: str | None = None,
    province: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Active organizations in tree order (members as counts only). ``parent`` lists the
    children of an organization; ``level`` and ``province`` filter."""
    queryset = _with_counts()
    if parent:
        queryset = queryset.filter(parent__code=parent)
    if level:
        queryset = queryset.filter(level=level)
    if province:
        queryset = queryset.filter(province_id=province)
    return [_out(org) for org in queryset.order_by("path")[page(limit, offset)]]


@router.get("/organizations/{code}", response=OrganizationDetailOut, summary="One organization")
def get_organization(request: HttpRequest, code: str) -> dict[str, Any]:
    organization = get_object_or_404(_with_counts(), code=code)
    children = public_organizations().filter(parent=organization).order_by("name_th")
    return {
        **_out(organization),
        "description": organization.description,
        "address": organization.address,
        "ancestors": [org.code for org in ancestors(organization)],
        "children": list(children.values_list("code", flat=True)),
    }


def _area(model: Any, code: str | None) -> Any:
    if not code:
        return None
    area = model.objects.defer("boundary").filter(code=code).first()
    if area is None:
        raise HttpError(400, _("Unknown area code %(code)s.") % {"code": code})
    return area


def _parent(code: str | None) -> Organization | None:
    if not code:
        return None
    parent = Organization.objects.filter(code=code).first()
    if parent is None:
        raise HttpError(400, _("Unknown parent “%(code)s”.") % {"code": code})
    return parent


def _input(values: dict[str, Any], *, province: Province | None) -> OrganizationInput:
    wide = values["level"] in (Level.NATIONAL, Level.REGION)
    return OrganizationInput(
        code=values["code"],
        name_th=values["name_th"],
        name_en=values.get("name_en", ""),
        kind=values["kind"],
        level=values["level"],
        parent=_parent(values.get("parent_code")),
        province=None if wide else province,
        district=_area(District, values.get("district_code")),
        subdistrict=_area(Subdistrict, values.get("subdistrict_code")),
        village=values.get("village", ""),
        description=values.get("description", ""),
        phone=values.get("phone", ""),
        email=values.get("email", ""),
        website=values.get("website", ""),
        address=values.get("address", ""),
        is_active=values.get("is_active", True),
    )


def _province(code: str | None) -> Province | None:
    """The province an organization below the regional level belongs to (default: the site's)."""
    return Province.objects.defer("boundary").filter(code=code or settings.SUJARIT_PROVINCE).first()


def _check_choices(values: dict[str, Any]) -> None:
    if values.get("kind") not in OrganizationKind.values:
        raise HttpError(400, _("Unknown type “%(value)s”.") % {"value": values.get("kind")})
    if values.get("level") not in Level.values:
        raise HttpError(400, _("Unknown level “%(value)s”.") % {"value": values.get("level")})


@router.post(
    "/organizations",
    response={201: OrganizationDetailOut},
    auth=verified_session,
    summary="Create an organization",
)
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Status[Any]:
    user = writer(request)
    values = payload.model_dump()
    _check_choices(values)
    province = _province(queries.platform_province(user))
    with action_errors():
        organization = actions.create_organization(
            values=_input(values, province=province), by=user
        )
    return Status(201, get_organization(request, organization.code))


@router.patch(
    "/organizations/{code}",
    response=OrganizationDetailOut,
    auth=verified_session,
    summary="Change an organization",
)
def update_organization(
    request: HttpRequest, code: str, payload: OrganizationPatch
) -> dict[str, Any]:
    user = writer(request)
    organization = Organization.objects.select_related("parent").filter(code=code).first()
    if organization is None:
        raise HttpError(404, _("No such organization."))
    if not queries.can_edit_organization(user, organization):
        raise HttpError(403, _("You may not change this record."))
    values: dict[str, Any] = {
        "code": organization.code,
        "name_th": organization.name_th,
        "name_en": organization.name_en,
        "kind": organization.kind,
        "level": organization.level,
        "parent_code": organization.parent.code if organization.parent else None,
        "district_code": organization.district_id,
        "subdistrict_code": organization.subdistrict_id,
        "village": organization.village,
        "description": organization.description,
        "phone": organization.phone,
        "email": organization.email,
        "website": organization.website,
        "address": organization.address,
        "is_active": organization.is_active,
    }
    values.update(payload.model_dump(exclude_unset=True))
    _check_choices(values)
    with action_errors():
        organization_input = _input(values, province=_province(organization.province_id))
        organization_input.is_demo = organization.is_demo
        actions.update_organization(organization=organization, values=organization_input, by=user)
    organization.refresh_from_db()
    return get_organization(request, organization.code)
