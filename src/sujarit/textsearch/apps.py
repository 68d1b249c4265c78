from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextsearchConfig(AppConfig):
    name = "sujarit.textsearch"
    label = "textsearch"
    verbose_name = _("Thai text search")
    default_auto_field = "django.db.models.BigAutoField"
