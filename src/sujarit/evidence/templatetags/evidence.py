"""``{% staff_evidence case %}`` for the staff case and agency referral pages, and
``{% citizen_evidence %}`` for the follow-up page (which holds no case object: its view
puts the plain list ``evidence_sent`` in the context). Each asks ``queries`` what to show."""

from __future__ import annotations

from typing import Any

from django import template

from sujarit.cases.models import Case
from sujarit.evidence.forms import EvidenceForm
from sujarit.evidence.queries import (
    can_add_evidence,
    can_see_evidence,
    evidence_of,
)

register = template.Library()


@register.inclusion_tag("evidence/_staff.html", takes_context=True)
def staff_evidence(context: template.Context, case: Case) -> dict[str, Any]:
    user = context["request"].user
    can_add = can_add_evidence(user, case)
    return {
        "case": case,
        "shown": can_see_evidence(user, case),
        "files": list(evidence_of(user, case)),
        "form": (context.get("evidence_form") or EvidenceForm()) if can_add else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("evidence/_citizen.html", takes_context=True)
def citizen_evidence(context: template.Context) -> dict[str, Any]:
    return {
        "sent": context.get("evidence_sent") or [],
        "form": context.get("evidence_form") or EvidenceForm(),
        "csrf_token": context.get("csrf_token"),
    }
