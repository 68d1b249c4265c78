from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextsearchConfig(AppConfig):
    name = "sujarit.textsearch"
    label = "textsearch"
    verbose_name = _("Thai text search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sujarit.cases.signals import personal_data_purge
        from sujarit.textsearch.signals import on_personal_data_purge

        personal_data_purge.connect(on_personal_data_purge, dispatch_uid="textsearch-purge")
