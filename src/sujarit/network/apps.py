from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "sujarit.network"
    label = "network"
    verbose_name = _("Networks")
    default_auto_field = "django.db.models.BigAutoField"
