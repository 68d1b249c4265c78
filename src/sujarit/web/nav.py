"""The site's main navigation. Each module adds its entry here when it has pages to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    staff_only: bool = False


NAV: list[NavItem] = [
    NavItem("web:home", _("Home")),
    NavItem("geo:province", _("Areas")),
    NavItem("agencies:list", _("Agencies")),
]


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    is_staff = bool(user is not None and user.is_authenticated)
    items = []
    for item in NAV:
        if item.staff_only and not is_staff:
            continue
        url = reverse(item.url_name)
        items.append({"url": url, "label": item.label, "current": request.path == url})
    return items
