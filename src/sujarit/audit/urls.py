"""URLs of the audit app (see ``views``)."""

from __future__ import annotations

from sujarit.audit.views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
