from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "sujarit.evidence"
    label = "evidence"
    verbose_name = _("Evidence files")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sujarit.cases.signals import personal_data_purge
        from sujarit.evidence.actions import purge_case_evidence

        personal_data_purge.connect(purge_case_evidence, dispatch_uid="evidence-purge")
