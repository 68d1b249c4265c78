"""Admissibility checklists: what an agency needs before it will act on a referral.

Each agency kind has a list of ``AdmissibilityItem`` rows (shipped defaults from
``cases/data/admissibility_items.json``, editable by admins). A provincial or regional office
uses the items of its national body as well as its own (``nacc_provincial`` those of
``nacc``), and every local administrative organization those of the ``local`` target.

``checklist_for`` tests a case against the items of an agency's kind. An item naming an
automatic test gets ``met`` True or False with the reason; a ``manual`` item, or an automatic
one whose fact the report does not give, gets ``met=None`` for the coordinator to tick.
The details never contain the complainant's identity: only whether contact details exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from sujarit.agencies.models import LOCAL_KINDS, Agency, AgencyKind
from sujarit.cases.models import LOCAL_TARGET, AdmissibilityItem, Case, Complainant, Identity


@dataclass(frozen=True)
class AdmissibilityResult:
    code: str  # the item's code
    text: str  # requirement in the active language
    met: bool | None  # None: a manual item the coordinator ticks
    detail: str  # why (e.g. "events 6 years ago, limit 5 years"), active language


#: The kind whose items an office also uses: its national body, or ``local``.
ITEM_FAMILY: dict[str, str] = {
    AgencyKind.NACC_PROVINCIAL: AgencyKind.NACC,
    AgencyKind.PACC_REGIONAL: AgencyKind.PACC,
    AgencyKind.AUDIT_OFFICE_REGIONAL: AgencyKind.AUDIT_OFFICE,
    AgencyKind.ELECTION_COMMISSION_PROVINCIAL: AgencyKind.ELECTION_COMMISSION,
    **{kind: LOCAL_TARGET for kind in LOCAL_KINDS},
}


def item_kinds(agency_kind: str) -> list[str]:
    """The item target kinds that apply to an agency of ``agency_kind``."""
    kinds = [agency_kind]
    if agency_kind in ITEM_FAMILY:
        kinds.append(ITEM_FAMILY[agency_kind])
    return kinds


def items_for(agency_kind: str) -> QuerySet[AdmissibilityItem]:
    return AdmissibilityItem.objects.filter(
        is_active=True, target_kind__in=item_kinds(agency_kind)
    ).order_by("order", "code")


def _thai() -> bool:
    return not (get_language() or "th").startswith("en")


# --- the automatic checks -------------------------------------------------------------------
# Each returns (met, detail). None means the report does not say: the coordinator checks.


def check_traceable_complainant(case: Case, item: AdmissibilityItem) -> tuple[bool | None, str]:
    """Traceable: the report is not anonymous and some contact detail was kept."""
    if case.identity == Identity.ANONYMOUS:
        return False, _("The report is anonymous: no contact details were kept.")
    labels = {
        "phone": _("phone"),
        "email": _("e-mail"),
        "line_id": _("LINE ID"),
        "address": _("address"),
    }
    # Only whether each kind of contact exists is read, never the contact itself (the columns
    # are sealed; an empty one is NULL).
    flags = {
        f"has_{name}": ExpressionWrapper(
            Q(**{f"{name}__isnull": False}), output_field=BooleanField()
        )
        for name in labels
    }
    row = (
        Complainant.objects.filter(case=case)
        .annotate(**flags)
        .values_list("erased_at", *flags)
        .first()
    )
    if row is None:
        return False, _("No contact details were given.")
    erased_at, *present_flags = row
    if erased_at is not None:
        return False, _("The contact details were erased.")
    present = [str(label) for label, has in zip(labels.values(), present_flags, strict=True) if has]
    if not present:
        return False, _("No contact details were given.")
    return True, _("Contact details on file (seen only by coordinators): %(kinds)s.") % {
        "kinds": ", ".join(present)
    }


def check_accused_identified(case: Case, item: AdmissibilityItem) -> tuple[bool | None, str]:
    """Identified: the agency involved (from the directory or as written) or the person's
    position is given."""
    parts = []
    if case.accused_agency_id is not None and case.accused_agency is not None:
        parts.append(_("agency involved: %(agency)s") % {"agency": case.accused_agency.name})
    elif case.accused_agency_text.strip():
        parts.append(_("agency involved: %(agency)s") % {"agency": case.accused_agency_text})
    if case.accused_position.strip():
        parts.append(_("position: %(position)s") % {"position": case.accused_position})
    if not parts:
        return False, _("Neither the agency nor the position of the person involved is given.")
    return True, _sentence(parts)


def _sentence(parts: list[str]) -> str:
    # Thai has no capitals; for English the first word is capitalized.
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def years_since(day: date, today: date) -> int:
    """Whole years from ``day`` to ``today``."""
    years = today.year - day.year
    if (today.month, today.day) < (day.month, day.day):
        years -= 1
    return years


def check_within_time_limit(
    case: Case, item: AdmissibilityItem, today: date | None = None
) -> tuple[bool | None, str]:
    """Within the limit: the events happened no more than ``item.years`` years ago."""
    limit = item.years
    if not limit:
        return None, _("No time limit is set for this item.")
    if case.occurred_on is None:
        return None, _("The date of the events was not given: check it.")
    today = today or timezone.localdate()
    years = years_since(case.occurred_on, today)
    if years < 1:
        return True, ngettext(
            "Events less than a year ago; the limit is %(limit)d year.",
            "Events less than a year ago; the limit is %(limit)d years.",
            limit,
        ) % {"limit": limit}
    detail = ngettext(
        "Events %(years)d year ago; the limit is %(limit)d years.",
        "Events %(years)d years ago; the limit is %(limit)d years.",
        years,
    ) % {"years": years, "limit": limit}
    return years < limit or (years == limit and _same_anniversary(case.occurred_on, today)), detail


def _same_anniversary(day: date, today: date) -> bool:
    # Exactly N years to the day is still within an N-year limit.
    return (today.month, today.day) == (day.month, day.day)


def check_amount_given(case: Case, item: AdmissibilityItem) -> tuple[bool | None, str]:
    if case.amount is None:
        return False, _("No amount was given.")
    return True, _("Amount involved: %(amount)s baht.") % {"amount": f"{case.amount:,.2f}"}


def check_place_given(case: Case, item: AdmissibilityItem) -> tuple[bool | None, str]:
    """Precise: a village or a map point besides the subdistrict."""
    parts = []
    if case.village.strip():
        parts.append(_("village: %(village)s") % {"village": case.village})
    if case.latitude is not None and case.longitude is not None:
        parts.append(_("map point given"))
    if not parts:
        return False, _("Only the subdistrict was given.")
    return True, _sentence(parts)


def check_manual(case: Case, item: AdmissibilityItem) -> tuple[bool | None, str]:
    return None, ""


CHECKS: dict[str, Callable[[Case, AdmissibilityItem], tuple[bool | None, str]]] = {
    AdmissibilityItem.Check.TRACEABLE_COMPLAINANT: check_traceable_complainant,
    AdmissibilityItem.Check.ACCUSED_IDENTIFIED: check_accused_identified,
    AdmissibilityItem.Check.WITHIN_TIME_LIMIT: check_within_time_limit,
    AdmissibilityItem.Check.AMOUNT_GIVEN: check_amount_given,
    AdmissibilityItem.Check.PLACE_GIVEN: check_place_given,
    AdmissibilityItem.Check.MANUAL: check_manual,
}


def check_item(case: Case, item: AdmissibilityItem) -> AdmissibilityResult:
    met, detail = CHECKS.get(item.test, check_manual)(case, item)
    text = item.text_th if _thai() or not item.text_en else item.text_en
    return AdmissibilityResult(code=item.code, text=text, met=met, detail=detail)


def checklist_for(case: Case, agency: Agency) -> list[AdmissibilityResult]:
    """The admissibility items of ``agency``'s kind, tested against ``case``."""
    return [check_item(case, item) for item in items_for(agency.kind)]


def checklist_record(results: list[AdmissibilityResult]) -> dict[str, bool | None]:
    """``{item code: met}``: the checklist as stored on a referral."""
    return {result.code: result.met for result in results}
