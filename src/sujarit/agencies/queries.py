"""Reads of the agency directory. The directory is public: no permission check is needed.

Inactive agencies are left out of every public read.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from sujarit.agencies.models import LEVEL_ORDER, Agency
from sujarit.geo.models import Subdistrict


def _in_level_order(agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    rank = Case(
        *(When(level=level, then=Value(index)) for index, level in enumerate(LEVEL_ORDER)),
        default=Value(len(LEVEL_ORDER)),
        output_field=IntegerField(),
    )
    return agencies.annotate(level_rank=rank).order_by("level_rank", "kind", "name_th")


def _serving_province_q(province_code: str) -> Q:
    regional = Agency.served_provinces.through.objects.filter(province_id=province_code)
    return (
        Q(level=Agency.Level.NATIONAL)
        | Q(level=Agency.Level.REGIONAL, pk__in=regional.values("agency_id"))
        | Q(province_id=province_code)
    )


def public_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True)


def agencies_serving_province(province_code: str) -> QuerySet[Agency]:
    """National bodies, the regional offices whose region includes the province, and the
    provincial and local bodies of the province; widest level first."""
    return _in_level_order(public_agencies().filter(_serving_province_q(province_code)))


def agencies_serving_subdistrict(subdistrict_code: str) -> QuerySet[Agency]:
    """The local bodies linked to the subdistrict, with the provincial, regional and national
    bodies relevant to its province; widest level first. Empty for an unknown code."""
    province_code = (
        Subdistrict.objects.filter(code=subdistrict_code)
        .values_list("province_id", flat=True)
        .first()
    )
    if province_code is None:
        return Agency.objects.none()
    local = Agency.subdistricts.through.objects.filter(subdistrict_id=subdistrict_code)
    # A local body of the province serves only the subdistricts it is linked to.
    wider = _serving_province_q(province_code) & ~Q(level=Agency.Level.LOCAL)
    return _in_level_order(public_agencies().filter(wider | Q(pk__in=local.values("agency_id"))))


def search_agencies(agencies: QuerySet[Agency], text: str) -> QuerySet[Agency]:
    """Agencies whose Thai or English name, short name or code contains ``text``."""
    words = text.split()
    for word in words:
        agencies = agencies.filter(
            Q(name_th__icontains=word)
            | Q(name_en__icontains=word)
            | Q(short_name_th__icontains=word)
            | Q(short_name_en__icontains=word)
            | Q(code__icontains=word)
        )
    return agencies


def get_public_agency(code: str) -> Agency:
    """The active agency with this code, with what its page shows; 404 otherwise."""
    agency = (
        public_agencies()
        .select_related("parent", "province")
        # Boundaries are large GeoJSON documents that an agency page never draws.
        .defer("province__boundary")
        .filter(code=code)
        .first()
    )
    if agency is None:
        raise Http404(_("No agency has this code."))
    return agency
