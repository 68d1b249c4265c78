from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "sujarit.cases"
    label = "cases"
    verbose_name = _("Cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from sujarit.agencies.models import Agency
        from sujarit.cases.models import RoutingRule, ServiceLevel
        from sujarit.geo.models import Province, Subdistrict
        from sujarit.lib.refcache import clear_all

        # Reference data read on every report is cached per process for a short while; a
        # change made in this process applies at once (see sujarit.lib.refcache).
        for model in (RoutingRule, ServiceLevel, Agency, Province, Subdistrict):
            post_save.connect(clear_all, sender=model, dispatch_uid=f"refcache-save-{model}")
            post_delete.connect(clear_all, sender=model, dispatch_uid=f"refcache-del-{model}")
        for through in (Agency.subdistricts.through, Agency.served_provinces.through):
            m2m_changed.connect(clear_all, sender=through, dispatch_uid=f"refcache-m2m-{through}")
