"""The site's main navigation. Each module adds its entry here when it has pages to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sujarit.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    staff_only: bool = False
    #: When set, only accounts with one of these roles see the entry (the page itself still
    #: checks permission; this only keeps menus free of links that would be refused).
    roles: frozenset[str] = frozenset()


NAV: list[NavItem] = [
    NavItem("web:home", _("Home")),
    NavItem("geo:province", _("Areas")),
    NavItem("agencies:list", _("Agencies")),
    NavItem("network:home", _("Networks")),
    NavItem("cases:report", _("Report")),
    NavItem("cases:follow", _("Follow up")),
    NavItem("cases:published", _("Published cases")),
    NavItem(
        "cases:queue",
        _("Cases"),
        staff_only=True,
        roles=frozenset({Role.COORDINATOR, Role.AUDITOR, Role.ADMIN}),
    ),
    NavItem("cases:inbox", _("Referrals"), staff_only=True, roles=frozenset({Role.AGENCY_OFFICER})),
    NavItem(
        "cases:identity-requests",
        _("Identity requests"),
        staff_only=True,
        roles=frozenset({Role.COORDINATOR, Role.ADMIN}),
    ),
    NavItem(
        "cases:agency-figures",
        _("Agency figures"),
        staff_only=True,
        roles=frozenset({Role.COORDINATOR, Role.AGENCY_OFFICER, Role.AUDITOR, Role.ADMIN}),
    ),
    NavItem(
        "audit:chain", _("Audit log"), staff_only=True, roles=frozenset({Role.AUDITOR, Role.ADMIN})
    ),
]


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    is_staff = bool(user is not None and user.is_authenticated)
    role = getattr(user, "role", None) if is_staff else None
    items = []
    for item in NAV:
        if item.staff_only and not is_staff:
            continue
        if item.roles and role not in item.roles:
            continue
        url = reverse(item.url_name)
        items.append({"url": url, "label": item.label, "current": request.path == url})
    return items
